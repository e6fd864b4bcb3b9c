package classify

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

func TestAtPins(t *testing.T) {
	t0 := time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	pc := func(a, b int) timeline.Piece { return timeline.Piece{Start: m(a), End: m(b), App: "Code"} }
	pin := func(a, b int, p int64) store.Pin {
		if b < 0 {
			return store.Pin{Start: m(a), ProjectID: p} // open
		}
		return store.Pin{Start: m(a), End: m(b), ProjectID: p}
	}
	for _, c := range []struct {
		name   string
		pieces []timeline.Piece
		pins   []store.Pin
		want   string
	}{
		{"no pins", []timeline.Piece{pc(0, 10)}, nil, "0-10:0"},
		{"piece across a pin's start and end", []timeline.Piece{pc(0, 30)}, []store.Pin{pin(10, 20, 7)}, "0-10:0 10-20:7 20-30:0"},
		{"piece inside", []timeline.Piece{pc(12, 15)}, []store.Pin{pin(10, 20, 7)}, "12-15:7"},
		{"open pin", []timeline.Piece{pc(0, 10), pc(20, 30)}, []store.Pin{pin(5, -1, 7)}, "0-5:0 5-10:7 20-30:7"},
		{"two pins in one piece", []timeline.Piece{pc(0, 60)}, []store.Pin{pin(10, 20, 7), pin(30, 40, 8)}, "0-10:0 10-20:7 20-30:0 30-40:8 40-60:0"},
		{"a pin between pieces", []timeline.Piece{pc(0, 5), pc(25, 30)}, []store.Pin{pin(10, 20, 7)}, "0-5:0 25-30:0"},
	} {
		pieces, pinned := atPins(c.pieces, c.pins)
		var got []string
		for i, p := range pieces {
			project := int64(0)
			if pinned[i] != nil {
				project = pinned[i].ProjectID
			}
			got = append(got, fmt.Sprintf("%d-%d:%d", int(p.Start.Sub(t0).Minutes()), int(p.End.Sub(t0).Minutes()), project))
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s: %s, want %s", c.name, g, c.want)
		}
	}
}
