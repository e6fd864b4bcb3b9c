package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// A later answer replaces what earlier ones said about its time: inside
// goes, across an edge is shortened, around is split.
func TestAnswerAwayReplacesItsTime(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	for _, c := range []struct {
		name   string
		first  [2]int
		second [2]int
		want   string
	}{
		{"apart", [2]int{0, 10}, [2]int{20, 30}, "0-10:work 20-30:not_work"},
		{"inside", [2]int{0, 60}, [2]int{20, 30}, "0-20:work 20-30:not_work 30-60:work"},
		{"over", [2]int{20, 30}, [2]int{0, 60}, "0-60:not_work"},
		{"across the end", [2]int{0, 30}, [2]int{20, 40}, "0-20:work 20-40:not_work"},
		{"across the start", [2]int{20, 40}, [2]int{0, 30}, "0-30:not_work 30-40:work"},
	} {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "db"))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := st.AddProject(ctx, "Meeting")
		if err := st.AnswerAway(ctx, []store.AwayAnswer{{Start: m(c.first[0]), End: m(c.first[1]), Kind: store.AwayWork, ProjectID: p.ID}}); err != nil {
			t.Fatal(err)
		}
		if err := st.AnswerAway(ctx, []store.AwayAnswer{{Start: m(c.second[0]), End: m(c.second[1]), Kind: store.AwayNotWork}}); err != nil {
			t.Fatal(err)
		}
		as, err := st.AwayAnswers(ctx, m(-60), m(120))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range as {
			got = append(got, fmt.Sprintf("%d-%d:%s", int(a.Start.Sub(t0).Minutes()), int(a.End.Sub(t0).Minutes()), a.Kind))
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s: %s, want %s", c.name, g, c.want)
		}
		st.Close()
	}
}
