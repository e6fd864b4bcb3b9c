package timeline

import (
	"slices"
	"time"
)

// DefaultPulseTime is aw-core's flood default (aw_transform/flood.py
// flood(events, pulsetime=5)), the value the query language's flood()
// uses (aw_query/functions.py q2_flood).
const DefaultPulseTime = 5 * time.Second

// negativeGapTrim is aw-core flood's negative_gap_trim_thres: overlaps
// shorter than this between events of different data are trimmed.
const negativeGapTrim = 100 * time.Millisecond

// Event is what Flood works on: a span, data compared with ==, and an
// index that travels with the event (Flood keeps one of two merged events
// and drops the other; Index says which input survived).
type Event[D comparable] struct {
	Start, End time.Time
	Data       D
	Index      int
}

func (e Event[D]) dur() time.Duration { return e.End.Sub(e.Start) }

// Flood fills the small gaps between events, mirroring aw-core's
// aw_transform/flood.py flood() step by step (the Python server is what
// aw-qt starts). Events are sorted by start (stably: equal starts keep
// their input order, as Python's sorted), then each neighbouring pair,
// as modified by the pair before, is looked at once:
//
//   - no gap: nothing;
//   - overlap, same data: merged into the first (the second becomes an
//     empty event at the merged end);
//   - overlap of more than 0.1 s, different data: left as it is;
//   - otherwise a gap (or an overlap under 0.1 s) up to pulsetime is
//     filled from the longer event: with the same data the longer takes
//     the shorter in (the shorter is emptied); with different data the
//     longer is stretched to the other's edge (a small overlap is trimmed
//     the same way).
//
// Empty events are dropped at the end. aw-server-rust's flood
// (aw-transform/src/flood.rs) differs in two details: it fills a gap of
// different data half from each side, and only gaps strictly shorter than
// pulsetime. Totals are the same either way.
func Flood[D comparable](events []Event[D], pulsetime time.Duration) []Event[D] {
	es := append([]Event[D](nil), events...)
	sortByStart(es)
	for i := 0; i+1 < len(es); i++ {
		e1, e2 := &es[i], &es[i+1]
		gap := e2.Start.Sub(e1.End)
		switch {
		case gap == 0:
		case gap < 0 && e1.Data == e2.Data:
			start, end := e1.Start, e1.End
			if e2.Start.Before(start) {
				start = e2.Start
			}
			if e2.End.After(end) {
				end = e2.End
			}
			e1.Start, e1.End = start, end
			e2.Start, e2.End = end, end
		case gap > -negativeGapTrim && gap <= pulsetime:
			e2End := e2.End
			if e1.dur() >= e2.dur() {
				if e1.Data == e2.Data {
					e1.End = e2End
					e2.Start = e2End
				} else {
					e1.End = e2.Start
				}
			} else {
				if e1.Data == e2.Data {
					e2.Start = e1.Start
					e1.End = e1.Start
				} else {
					e2.Start = e1.End
				}
			}
		}
	}
	out := es[:0]
	for _, e := range es {
		if e.dur() > 0 {
			out = append(out, e)
		}
	}
	return out
}

// sortByStart sorts events by start, stably. Input usually comes sorted
// (or newest first, as aw-server answers): those are O(n).
func sortByStart[D comparable](es []Event[D]) {
	byStart := func(a, b Event[D]) int { return a.Start.Compare(b.Start) }
	if slices.IsSortedFunc(es, byStart) {
		return
	}
	descending := true
	for i := 1; i < len(es); i++ {
		if !es[i].Start.Before(es[i-1].Start) { // ties too: reversing would swap them
			descending = false
			break
		}
	}
	if descending {
		slices.Reverse(es)
		return
	}
	slices.SortStableFunc(es, byStart)
}
