// Package away finds the stretches a person was away from the keyboard
// (aw-watcher-afk's "afk" time) long enough to ask about, and what was
// answered for them: a project (a meeting, a call), not work, or later.
package away

import (
	"context"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// DefaultMinutes is how long an absence must be to be asked about.
const DefaultMinutes = 10

// joinGap joins afk stretches this close: a glance at the screen in the
// middle of a meeting does not make two meetings.
const joinGap = time.Minute

// Period is one stretch away.
type Period struct {
	span.Span
	Answers []store.AwayAnswer // the answers over it, by start
	// Open is the time in it no work or not-work answer covers.
	Open time.Duration
	// Later says the person dismissed it: it is not asked about again on
	// its own, but stays unanswered.
	Later bool
}

// Unanswered says whether part of the period still waits for an answer
// (a minute or more).
func (p Period) Unanswered() bool { return p.Open >= time.Minute }

// Source is what the periods are read from.
type Source interface {
	AFKStatus(ctx context.Context, status string, from, to time.Time) ([]store.Span, error)
	AwayAnswers(ctx context.Context, from, to time.Time) ([]store.AwayAnswer, error)
}

// Periods lists the stretches away of at least min overlapping [from,
// to), with their answers.
func Periods(ctx context.Context, src Source, from, to time.Time, min time.Duration) ([]Period, error) {
	afk, err := src.AFKStatus(ctx, "afk", from, to)
	if err != nil {
		return nil, err
	}
	var joined []span.Span
	for _, s := range span.Merge(afk) {
		if n := len(joined); n > 0 && s.Start.Sub(joined[n-1].End) <= joinGap {
			joined[n-1].End = span.Later(joined[n-1].End, s.End)
			continue
		}
		joined = append(joined, s)
	}
	answers, err := src.AwayAnswers(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []Period
	for _, s := range joined {
		if s.Duration() < min {
			continue
		}
		p := Period{Span: s}
		var covered []span.Span
		for _, a := range answers {
			as := span.Span{Start: a.Start, End: a.End}
			if span.Overlap(as, s) == 0 {
				continue
			}
			p.Answers = append(p.Answers, a)
			switch a.Kind {
			case store.AwayLater:
				p.Later = true
			default:
				covered = append(covered, as)
			}
		}
		p.Open = span.Total(span.Subtract(s, span.Merge(covered)))
		out = append(out, p)
	}
	return out, nil
}

// Answer is an answer for [Start, End): a local project (by name) with a
// note, task, billable and tags; or not work; or later.
type Answer struct {
	Start, End  time.Time
	Kind        store.AwayKind
	Project     string // store.AwayWork only
	Note        string
	Task        string
	NotBillable bool
	Tags        string
}
