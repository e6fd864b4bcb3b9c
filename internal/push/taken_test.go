package push

import (
	"fmt"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func TestFitAroundTakenTime(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	block := store.OutboxBlock{ID: "b1", Start: at(0), End: at(60), Notes: "work"}
	tests := []struct {
		name    string
		taken   []Span
		want    [][2]int // minutes of the kept parts
		trimmed time.Duration
		skipped bool
	}{
		{"nothing taken", nil, [][2]int{{0, 60}}, 0, false},
		{"taken before and after", []Span{{Start: at(-30), End: at(0)}, {Start: at(60), End: at(90)}}, [][2]int{{0, 60}}, 0, false},
		{"trimmed at the start", []Span{{Start: at(-10), End: at(15)}}, [][2]int{{15, 60}}, 15 * time.Minute, false},
		{"split around an entry typed in the web UI", []Span{{Start: at(20), End: at(30)}}, [][2]int{{0, 20}, {30, 60}}, 10 * time.Minute, false},
		{"a sliver under the minimum is dropped", []Span{{Start: at(0), End: at(59)}}, nil, 60 * time.Minute, true},
		{"all taken: skipped", []Span{{Start: at(-5), End: at(70)}}, nil, 60 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fitted, skipped := fit([]store.OutboxBlock{block}, tt.taken, nil, time.UTC, time.Minute+time.Second)
			if tt.skipped {
				if len(fitted) != 0 || len(skipped) != 1 || skipped[0].Trimmed != tt.trimmed {
					t.Fatalf("want skipped, got %d parts, %d skipped", len(fitted), len(skipped))
				}
				return
			}
			if len(fitted) != len(tt.want) || len(skipped) != 0 {
				t.Fatalf("%d parts, %d skipped; want %d parts", len(fitted), len(skipped), len(tt.want))
			}
			for i, p := range fitted {
				if want := tt.trimmed; !p.Start.Equal(at(tt.want[i][0])) || !p.End.Equal(at(tt.want[i][1])) || i == 0 && p.Trimmed != want || i > 0 && p.Trimmed != 0 {
					t.Errorf("part %d: %v–%v trimmed %v", i, p.Start, p.End, p.Trimmed)
				}
			}
			if fitted[0].ID != "b1" || len(fitted) > 1 && fitted[1].ID == "b1" {
				t.Errorf("ids %v", fitted)
			}
		})
	}
}

// TimeTracker stores naive wall-clock times in its zone: a block across a
// DST change is split there, so no part's naive times run backwards.
func TestFitSplitsAtOffsetChanges(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name       string
		start, end time.Time
	}{
		{"March: 02:00 becomes 03:00", time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC), time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{"October: 03:00 becomes 02:00 again", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)},
		{"October, fractional seconds", time.Date(2026, 10, 25, 0, 30, 0, 250e6, time.UTC), time.Date(2026, 10, 25, 1, 30, 0, 250e6, time.UTC)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := store.OutboxBlock{ID: "dst", Start: tt.start, End: tt.end}
			parts, _ := fit([]store.OutboxBlock{b}, nil, nil, berlin, time.Minute)
			if len(parts) != 2 || !parts[0].End.Equal(time.Date(tt.start.Year(), tt.start.Month(), tt.start.Day(), 1, 0, 0, 0, time.UTC)) {
				t.Fatalf("parts %+v", parts)
			}
			var total time.Duration
			for _, p := range parts {
				if s, e := naiveSpan(p.Start, p.End, berlin); s >= e {
					t.Errorf("naive times run backwards: %s → %s", s, e)
				}
				total += p.Duration()
			}
			if total != time.Hour || parts[0].ID != "dst" || parts[1].ID == "dst" {
				t.Errorf("total %v, ids %s %s", total, parts[0].ID, parts[1].ID)
			}
		})
	}
}

// In Berlin's repeated hour (25 October 2026, 00:00–01:00 and 01:00–02:00
// UTC both read 02:00–03:00) the earlier pass keeps its naive times and a
// later block fills only what is free of them, whoever holds them.
func TestFitRepeatedHour(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := func(h, m int) time.Time { return time.Date(2026, 10, 25, h, m, 0, 0, time.UTC) }
	span := func(h0, m0, h1, m1 int) Span { return Span{Start: at(h0, m0), End: at(h1, m1)} }
	tests := []struct {
		name    string
		blocks  []Span
		taken   []Span
		want    []Span
		trimmed time.Duration
		left    []Span // ours on the server, before the rebuilt range
	}{
		{"a block through both passes keeps the first", []Span{span(0, 0, 2, 0)}, nil,
			[]Span{span(0, 0, 1, 0)}, time.Hour, nil},
		{"a later block gives way to an earlier one", []Span{span(0, 10, 0, 40), span(1, 20, 1, 50)}, nil,
			[]Span{span(0, 10, 0, 40), span(1, 40, 1, 50)}, 20 * time.Minute, nil},
		{"passes that do not meet on the clock both stay", []Span{span(0, 0, 0, 20), span(1, 30, 1, 50)}, nil,
			[]Span{span(0, 0, 0, 20), span(1, 30, 1, 50)}, 0, nil},
		{"an entry on the server holds its clock time in both passes", []Span{span(1, 0, 2, 0)}, []Span{span(0, 30, 0, 45)},
			[]Span{span(1, 0, 1, 30), span(1, 45, 2, 0)}, 15 * time.Minute, nil},
		// The lookback moved past the first pass: its entry stays on the
		// server and still holds its clock time.
		{"an entry of ours the rebuild leaves alone", []Span{span(1, 20, 1, 50)}, nil,
			[]Span{span(1, 40, 1, 50)}, 20 * time.Minute, []Span{span(0, 10, 0, 40)}},
		{"outside the night nothing changes", []Span{span(9, 0, 10, 0)}, nil, []Span{span(9, 0, 10, 0)}, 0, nil},
		// Event times keep microseconds: a start half a second after the
		// change once sent the search for it into an endless loop.
		{"a fractional start just after the change", []Span{{Start: at(1, 0).Add(500 * time.Millisecond), End: at(1, 50)}}, nil,
			[]Span{{Start: at(1, 0).Add(500 * time.Millisecond), End: at(1, 50)}}, 0, nil},
		{"and after a block of the first pass", []Span{span(0, 10, 0, 40), {Start: at(1, 0).Add(500 * time.Millisecond), End: at(1, 50)}}, nil,
			[]Span{span(0, 10, 0, 40), {Start: at(1, 0).Add(500 * time.Millisecond), End: at(1, 10)}, span(1, 40, 1, 50)}, 30 * time.Minute, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bs []store.OutboxBlock
			for i, b := range tt.blocks {
				bs = append(bs, store.OutboxBlock{ID: string(rune('a' + i)), Start: b.Start, End: b.End})
			}
			fitted, _ := fit(bs, tt.taken, tt.left, berlin, time.Minute)
			var got []Span
			var trimmed time.Duration
			for _, p := range fitted {
				got = append(got, Span{Start: p.Start, End: p.End})
				trimmed += p.Trimmed
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || trimmed != tt.trimmed {
				t.Errorf("parts %v trimmed %v\nwant  %v trimmed %v", got, trimmed, tt.want, tt.trimmed)
			}
			// What the server would hold: naive times that never overlap.
			for i := range fitted {
				s1, e1 := naiveSpan(fitted[i].Start, fitted[i].End, berlin)
				for j := 0; j < i; j++ {
					s0, e0 := naiveSpan(fitted[j].Start, fitted[j].End, berlin)
					if s1 < e0 && s0 < e1 {
						t.Errorf("naive overlap: %s–%s and %s–%s", s0, e0, s1, e1)
					}
				}
			}
		})
	}
}
