package away

import (
	"context"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

type fakeSource struct {
	afk     []store.Span
	answers []store.AwayAnswer
}

func (f fakeSource) AFKStatus(context.Context, string, time.Time, time.Time) ([]store.Span, error) {
	return f.afk, nil
}

func (f fakeSource) AwayAnswers(context.Context, time.Time, time.Time) ([]store.AwayAnswer, error) {
	return f.answers, nil
}

func TestPeriods(t *testing.T) {
	t0 := time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	sp := func(a, b int) store.Span { return store.Span{Start: m(a), End: m(b)} }
	src := fakeSource{
		afk: []store.Span{sp(0, 5), sp(5, 12), sp(12, 13) /* joined: 0-13 */, sp(30, 35) /* too short */, sp(60, 100), sp(120, 140)},
		answers: []store.AwayAnswer{
			{Start: m(60), End: m(80), Kind: store.AwayWork, ProjectID: 1},
			{Start: m(80), End: m(100), Kind: store.AwayNotWork},
			{Start: m(120), End: m(140), Kind: store.AwayLater},
		},
	}
	ps, err := Periods(context.Background(), src, m(-60), m(200), 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		from, to int
		open     time.Duration
		later    bool
		answers  int
	}
	wants := []want{{0, 13, 13 * time.Minute, false, 0}, {60, 100, 0, false, 2}, {120, 140, 20 * time.Minute, true, 1}}
	if len(ps) != len(wants) {
		t.Fatalf("%d periods, want %d: %+v", len(ps), len(wants), ps)
	}
	for i, w := range wants {
		p := ps[i]
		if !p.Start.Equal(m(w.from)) || !p.End.Equal(m(w.to)) || p.Open != w.open || p.Later != w.later || len(p.Answers) != w.answers {
			t.Errorf("period %d = %v-%v open %v later %v answers %d, want %+v", i, p.Start, p.End, p.Open, p.Later, len(p.Answers), w)
		}
	}
	if !ps[0].Unanswered() || ps[1].Unanswered() || !ps[2].Unanswered() {
		t.Error("Unanswered wrong")
	}
}
