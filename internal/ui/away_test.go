package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
)

// The prompt asks about the newest unanswered absence: a project is
// needed to book; booking up to a time asks about the rest (a split); Not
// work answers the rest and closes.
func TestAwayPrompt(t *testing.T) {
	ctx := context.Background()
	core := syncedCore(t)
	if _, err := core.AddProject(ctx, "Meeting"); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	closed := false
	a := NewAway(core, sync, berlin, func() { closed = true })
	a.now = func() time.Time { return awfake.FixtureSnapshot }
	w := test.NewWindow(a.Content())
	defer w.Close()
	w.Resize(fyne.NewSize(520, 300))
	a.Load(ctx)
	if !strings.Contains(a.Question.Text, ": you were away ") || a.period == nil {
		t.Fatalf("question %q", a.Question.Text)
	}
	p := *a.period
	if len(a.Project.Options) == 0 || a.Project.Options[len(a.Project.Options)-1] == "" {
		t.Fatalf("projects offered: %v", a.Project.Options)
	}
	test.Tap(a.BookButton)
	if !strings.HasPrefix(a.Message.Text, "Choose the project") {
		t.Errorf("book without a project: %q", a.Message.Text)
	}
	a.Project.SetSelected("Meeting")
	setText(a.Note, "Standup with ACME")
	until := p.Start.Add(10 * time.Minute).In(berlin).Truncate(time.Minute).Add(time.Minute)
	setText(a.Until, until.Format("15:04"))
	test.Tap(a.BookButton)
	if !strings.HasPrefix(a.Message.Text, "Booked ") || closed || !strings.Contains(a.Question.Text, "you were away "+until.Format("15:04")) {
		t.Fatalf("after booking a part: message %q, question %q, closed %v", a.Message.Text, a.Question.Text, closed)
	}
	test.Tap(a.NotWorkButton)
	if !closed {
		t.Error("answering the rest did not close the prompt")
	}
	// The booked part is in the entries window's list, as the person's own.
	es, err := core.Entries(ctx, p.Start.Add(-time.Hour), p.End)
	if err != nil {
		t.Fatal(err)
	}
	var booked bool
	for _, en := range es {
		booked = booked || (en.Source == "away" && en.ProjectName == "Meeting" && en.Notes == "Away: Standup with ACME")
	}
	if !booked {
		t.Error("the booked away time is not among the entries")
	}
	periods, err := core.AwayPeriods(ctx, p.Start.Add(-time.Hour), p.End.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range periods {
		if q.Start.Equal(p.Start) && (q.Unanswered() || len(q.Answers) != 2 || q.Answers[0].Note != "Standup with ACME") {
			t.Errorf("the absence after the prompt: open %v, answers %+v", q.Open, q.Answers)
		}
	}
}
