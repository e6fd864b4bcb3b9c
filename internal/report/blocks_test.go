package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

func TestDayBlocks(t *testing.T) {
	at := time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)
	// part is project p ("" none) from minute a to minute b (seconds allowed: 1.5 = 1m30s).
	part := func(p string, a, b float64) Part {
		id := int64(0)
		if p != "" {
			id = int64(p[0])
		}
		return Part{Piece: timeline.Piece{Start: at.Add(time.Duration(a * float64(time.Minute))), End: at.Add(time.Duration(b * float64(time.Minute))), App: "app-" + p},
			ProjectID: id, Project: p}
	}
	show := func(bs []DayBlock) string {
		var out []string
		for _, b := range bs {
			out = append(out, fmt.Sprintf("%s %s-%s %d", b.Project, b.Start.Format("15:04:05"), b.End.Format("15:04:05"), len(b.Parts)))
		}
		return strings.Join(out, "; ")
	}
	for _, tc := range []struct {
		name  string
		parts []Part
		want  string
	}{
		{"empty", nil, ""},
		{"one project with short pauses is one block",
			[]Part{part("Go", 0, 10), part("Go", 12, 20), part("Go", 24, 30)}, "Go 09:00:00-09:30:00 3"},
		{"a pause over the gap ends it",
			[]Part{part("Go", 0, 10), part("Go", 16, 20)}, "Go 09:00:00-09:10:00 1; Go 09:16:00-09:20:00 1"},
		{"a glance at the chat is folded in",
			[]Part{part("Go", 0, 10), part("IM", 10, 10.5), part("Go", 10.5, 20)}, "Go 09:00:00-09:20:00 3"},
		{"a real switch is a block",
			[]Part{part("Go", 0, 10), part("IM", 10, 15), part("Go", 15, 20)}, "Go 09:00:00-09:10:00 1; IM 09:10:00-09:15:00 1; Go 09:15:00-09:20:00 1"},
		{"a short part between two projects goes to the longer",
			[]Part{part("Go", 0, 10), part("", 10, 10.1), part("IM", 10.1, 12)}, "Go 09:00:00-09:10:06 2; IM 09:10:06-09:12:00 1"},
		{"short at the start goes to the next",
			[]Part{part("", 0, 0.05), part("IM", 0.05, 5)}, "IM 09:00:00-09:05:00 2"},
		{"a short part alone stays",
			[]Part{part("Go", 0, 10), part("IM", 30, 30.5)}, "Go 09:00:00-09:10:00 1; IM 09:30:00-09:30:30 1"},
		{"unsorted input, empty parts dropped",
			[]Part{part("Go", 12, 20), part("Go", 0, 10), part("IM", 5, 5)}, "Go 09:00:00-09:20:00 2"},
		{"a run of glances between one project's work",
			[]Part{part("Go", 0, 10), part("IM", 10, 10.2), part("", 10.2, 10.4), part("Mail", 10.4, 10.6), part("Go", 10.6, 20)}, "Go 09:00:00-09:20:00 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := DayBlocks(tc.parts, BlockGap, BlockAbsorb)
			if got := show(bs); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			// Every part with time is in exactly one block, so the blocks add up to the day.
			var in, total time.Duration
			for _, b := range bs {
				in += b.Active()
				if b.Own() > b.Active() {
					t.Errorf("%s: own %s over active %s", b.Project, b.Own(), b.Active())
				}
			}
			for _, p := range tc.parts {
				total += p.End.Sub(p.Start)
			}
			if in != total {
				t.Errorf("blocks hold %s of %s", in, total)
			}
		})
	}
}
