package resident

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func rssKB(t *testing.T, field string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			return n
		}
	}
	t.Fatalf("no %s", field)
	return 0
}

// The process keeps running normally after its code pages were dropped,
// and the file-backed resident set shrinks.
func TestTrimKeepsRunning(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("linux only")
	}
	before := rssKB(t, "RssFile")
	if err := Trim(); err != nil {
		t.Fatal(err)
	}
	after := rssKB(t, "RssFile")
	// Run a fair amount of code again: it must fault back in and work.
	var sb strings.Builder
	for i := 0; i < 1000; i++ {
		sb.WriteString(strconv.Itoa(i))
	}
	if sb.Len() != 2890 {
		t.Fatalf("computation after trim gave %d", sb.Len())
	}
	if after >= before {
		t.Errorf("RssFile %d kB → %d kB: nothing was dropped", before, after)
	}
}
