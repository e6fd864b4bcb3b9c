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

// A span pinned after the fact takes its time from the pins there: inside
// goes, across an edge is shortened, around is split (an open one too),
// apart stays; the pin's own fields survive a split.
func TestPinSpanCarvesItsTime(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC)
	m := func(n int) time.Time {
		if n < 0 {
			return time.Time{} // open
		}
		return t0.Add(time.Duration(n) * time.Minute)
	}
	for _, c := range []struct {
		name  string
		first [2]int // -1: open
		span  [2]int
		want  string
	}{
		{"apart", [2]int{0, 10}, [2]int{20, 30}, "0-10:A 20-30:B"},
		{"inside", [2]int{25, 28}, [2]int{20, 30}, "20-30:B"},
		{"around", [2]int{0, 60}, [2]int{20, 30}, "0-20:A 20-30:B 30-60:A"},
		{"around, open", [2]int{0, -1}, [2]int{20, 30}, "0-20:A 20-30:B 30-open:A"},
		{"across the end", [2]int{0, 25}, [2]int{20, 30}, "0-20:A 20-30:B"},
		{"across the start", [2]int{25, 40}, [2]int{20, 30}, "20-30:B 30-40:A"},
		{"open, starting inside", [2]int{25, -1}, [2]int{20, 30}, "20-30:B 30-open:A"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			a, _ := st.AddProject(ctx, "A")
			b, _ := st.AddProject(ctx, "B")
			if _, err := st.Pin(ctx, store.Pin{ProjectID: a.ID, Start: m(c.first[0]), End: m(c.first[1]), Task: "T", NotBillable: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.PinSpan(ctx, store.Pin{ProjectID: b.ID, Start: m(c.span[0]), End: m(c.span[1])}); err != nil {
				t.Fatal(err)
			}
			ps, err := st.Pins(ctx, t0.Add(-time.Hour), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				end := "open"
				if !p.End.IsZero() {
					end = fmt.Sprint(int(p.End.Sub(t0).Minutes()))
				}
				name := map[int64]string{a.ID: "A", b.ID: "B"}[p.ProjectID]
				got = append(got, fmt.Sprintf("%d-%s:%s", int(p.Start.Sub(t0).Minutes()), end, name))
				if name == "A" && (p.Task != "T" || !p.NotBillable) {
					t.Errorf("the split pin lost its fields: %+v", p)
				}
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("got %s, want %s", g, c.want)
			}
		})
	}
	st, _ := store.Open(ctx, filepath.Join(t.TempDir(), "db"))
	defer st.Close()
	if _, err := st.PinSpan(ctx, store.Pin{ProjectID: 1, Start: t0}); err == nil {
		t.Error("an open span was pinned")
	}
}
