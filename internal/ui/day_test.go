package ui

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/aw-timetracker/aw-timetracker/internal/rules"
)

// The day reads as blocks: a tap on the bar picks the block under it and
// shows its events; Make a rule… starts from its longest; moving it to
// another project moves its time there, in the blocks and the footer,
// and leaves the time around it alone.
func TestDayBlocksTapRuleAndMove(t *testing.T) {
	core := syncedCore(t)
	test.NewTempApp(t)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	v := NewEntries(core, sync, berlin, func(func(io.Writer) error) {})
	var asked []rules.Rule
	v.OpenRuleForm = func(r rules.Rule) { asked = append(asked, r) }
	w := test.NewWindow(v.Content())
	defer w.Close()
	w.Resize(fyne.NewSize(900, 600))
	v.ShowDay(time.Date(2026, 3, 27, 12, 0, 0, 0, berlin))

	blocks := v.DayView.blocks
	if len(blocks) < 5 {
		t.Fatalf("%d blocks on the fixture's busy day", len(blocks))
	}
	// The longest block, tapped in its middle on the bar.
	pick := 0
	for i, b := range blocks {
		if b.Active > blocks[pick].Active {
			pick = i
		}
	}
	sp := v.Bar.Spans()[pick]
	test.TapAt(v.Bar, fyne.NewPos(float32((sp[0]+sp[1])/2)*v.Bar.Size().Width, 10))
	if v.DayView.selected != pick {
		t.Fatalf("the tap picked block %d, want %d", v.DayView.selected, pick)
	}
	b := blocks[pick]
	if !strings.Contains(v.DayView.Title.Text, b.Project) || len(v.DayView.events) == 0 {
		t.Errorf("details %q, %d events", v.DayView.Title.Text, len(v.DayView.events))
	}
	var sum int64
	for _, e := range v.DayView.events {
		sum += e.Seconds
	}
	if d := time.Duration(sum)*time.Second - b.Active; d < -time.Duration(len(v.DayView.events))*time.Second || d > time.Duration(len(v.DayView.events))*time.Second {
		t.Errorf("the events add up to %ds, the block is %s", sum, b.Active)
	}

	test.Tap(v.DayView.MakeRule)
	if len(asked) != 1 || asked[0].App == "" && asked[0].URL == "" && asked[0].Title == "" {
		t.Errorf("Make a rule… asked %+v", asked)
	}

	if !v.DayView.Move.Disabled() {
		t.Error("Move is enabled before a project is chosen")
	}
	target := ""
	for _, o := range v.DayView.MoveTo.Options {
		if o != b.Project {
			target = o
			break
		}
	}
	v.DayView.MoveTo.SetSelected(target)
	// By the pieces the blocks are made of (read from the core, which the
	// window shows through blocks): all of the block's time is the
	// target's now; outside it every project keeps its time.
	byProject := func(inside bool) map[string]time.Duration {
		ps, err := core.Activity.Pieces(context.Background(), b.Start.Add(-24*time.Hour), b.End.Add(24*time.Hour), true)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]time.Duration{}
		for _, p := range ps {
			if in := !p.Start.Before(b.Start) && !p.End.After(b.End); in == inside {
				m[p.Project] += p.End.Sub(p.Start)
			}
		}
		return m
	}
	was := byProject(false)
	test.Tap(v.DayView.Move)
	if !strings.Contains(v.DayView.Message.Text, target) {
		t.Errorf("after the move: %q", v.DayView.Message.Text)
	}
	if in := byProject(true); len(in) != 1 || in[target] != b.Active {
		t.Errorf("inside the moved block: %v, want all %s on %s", in, b.Active, target)
	}
	is := byProject(false)
	for p, d := range was {
		if is[p] != d {
			t.Errorf("outside the block %q had %s, now %s", p, d, is[p])
		}
	}
	if !strings.Contains(v.Total.Text, target) {
		t.Errorf("the footer does not show %q: %q", target, v.Total.Text)
	}
}
