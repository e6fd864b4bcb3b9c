package autostart

import (
	"runtime"
	"strings"
	"testing"
)

var entry = Entry{ID: "io.github.awtimetracker.app", Name: "aw-timetracker", Comment: "ActivityWatch time entries",
	Exec: "/opt/my apps/aw-timetracker", Args: []string{"--background"}}

func TestGenerators(t *testing.T) {
	desktop := DesktopFile(entry)
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "TryExec=/opt/my apps/aw-timetracker\n", `Exec="/opt/my apps/aw-timetracker" --background` + "\n",
		"X-GNOME-Autostart-enabled=true\n", "Icon=io.github.awtimetracker.app\n"} {
		if !strings.Contains(desktop, want) {
			t.Errorf("desktop file lacks %q:\n%s", want, desktop)
		}
	}
	if got := desktopQuote(`/a/$HOME/100%"x`); got != `"/a/\\$HOME/100%%\\"x"` {
		t.Errorf("desktopQuote = %s", got)
	}
	plist := LaunchAgent(Entry{ID: "a&b", Exec: "/Applications/aw <x>.app", Args: []string{"--background"}})
	for _, want := range []string{"<string>a&amp;b</string>", "<string>/Applications/aw &lt;x&gt;.app</string>", "<string>--background</string>", "<key>RunAtLoad</key>\n\t<true/>"} {
		if !strings.Contains(plist, want) {
			t.Errorf("plist lacks %q:\n%s", want, plist)
		}
	}
	if got := RunValue(Entry{Exec: `C:\Program Files\aw\aw-timetracker.exe`, Args: []string{"--background", "a b"}}); got != `"C:\Program Files\aw\aw-timetracker.exe" --background "a b"` {
		t.Errorf("RunValue = %s", got)
	}
}

func TestEnableDisableIdempotent(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("writes the real registry")
	}
	m := Manager{Entry: entry, Location: DefaultLocation(t.TempDir())}
	if m.Enabled() {
		t.Fatal("enabled before Enable")
	}
	for i := 0; i < 2; i++ {
		if err := m.Enable(); err != nil || !m.Enabled() {
			t.Fatalf("Enable #%d: %v, enabled %v", i, err, m.Enabled())
		}
	}
	for i := 0; i < 2; i++ {
		if err := m.Disable(); err != nil || m.Enabled() {
			t.Fatalf("Disable #%d: %v, enabled %v", i, err, m.Enabled())
		}
	}
}
