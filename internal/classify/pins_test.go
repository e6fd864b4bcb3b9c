package classify_test

import (
	"context"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// A pin outranks the rules for its interval, in the pieces (the blocks'
// input) and in the report alike; privacy rules still apply first; time
// outside the pin keeps the rules' projects.
func TestPinOutranksRulesButNotPrivacy(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	if _, err := e.act.SaveRules(ctx, []rules.Rule{
		{Action: rules.ActionExclude, App: `^Spotify$`},
		{Action: rules.ActionProject, Project: "Coding", App: `^Code$`},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.AddProject(ctx, "Coding"); err != nil {
		t.Fatal(err)
	}
	meeting, err := e.st.AddProject(ctx, "Meeting")
	if err != nil {
		t.Fatal(err)
	}
	e.sync(t)
	from, to := time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC), awfake.FixtureSnapshot
	before, err := e.act.Pieces(ctx, from, to, true)
	if err != nil {
		t.Fatal(err)
	}
	var total, pinnable time.Duration
	var pinFrom, pinTo time.Time
	for _, p := range before {
		total += p.End.Sub(p.Start)
	}
	// Pin the middle two hours of the activity.
	pinFrom = before[len(before)/3].Start.Truncate(time.Minute)
	pinTo = pinFrom.Add(2 * time.Hour)
	for _, p := range before {
		if lo, hi := span.Later(p.Start, pinFrom), span.Earlier(p.End, pinTo); hi.After(lo) {
			pinnable += hi.Sub(lo)
		}
	}
	if pinnable == 0 {
		t.Fatal("no active time in the pinned hours: pick other hours")
	}
	if _, err := e.st.Pin(ctx, store.Pin{ProjectID: meeting.ID, Start: pinFrom, End: pinTo, Task: "Standup", NotBillable: true}); err != nil {
		t.Fatal(err)
	}
	after, err := e.act.Pieces(ctx, from, to, true)
	if err != nil {
		t.Fatal(err)
	}
	var total2, onMeeting time.Duration
	for _, p := range after {
		d := p.End.Sub(p.Start)
		total2 += d
		inPin := !p.Start.Before(pinFrom) && !p.End.After(pinTo)
		switch {
		case inPin && (p.ProjectID != meeting.ID || p.Task != "Standup" || !p.NotBillable):
			t.Fatalf("piece %v-%v (%s) inside the pin went to %q", p.Start, p.End, p.App, p.Project)
		case !inPin && p.ProjectID == meeting.ID:
			t.Fatalf("piece %v-%v outside the pin went to the pinned project", p.Start, p.End)
		case p.App == "Spotify":
			t.Fatal("an excluded app came back under a pin")
		}
		if p.ProjectID == meeting.ID {
			onMeeting += d
		}
	}
	if total2 != total || onMeeting != pinnable {
		t.Errorf("total %v (was %v), pinned %v (want %v)", total2, total, onMeeting, pinnable)
	}
	rows, err := e.act.Report(ctx, from, to, mustZone(t, "Europe/Berlin"))
	if err != nil {
		t.Fatal(err)
	}
	var reported int64
	for _, r := range rows {
		if r.Project != nil && *r.Project == "Meeting" {
			reported += r.Seconds
		}
	}
	if d := reported - int64(pinnable.Round(time.Second)/time.Second); d < -2 || d > 2 {
		t.Errorf("the report gives Meeting %d s, the pin holds %v", reported, pinnable)
	}
}
