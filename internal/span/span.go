// Package span is stretches of time and the few operations the app does
// on them: union, intersection, subtraction, overlap. Spans are half-open,
// [Start, End).
package span

import (
	"slices"
	"sort"
	"time"
)

// Span is the time from Start up to End.
type Span struct{ Start, End time.Time }

// Duration is how long the span is (0 when empty or reversed).
func (s Span) Duration() time.Duration { return max(s.End.Sub(s.Start), 0) }

// Merge sorts spans (in place) and returns their union: disjoint, sorted,
// spans that overlap or touch joined.
func Merge(spans []Span) []Span {
	slices.SortFunc(spans, func(a, b Span) int { return a.Start.Compare(b.Start) })
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && !s.Start.After(out[n-1].End) {
			out[n-1].End = Later(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// Intersect is the time a and b share; false when they share none.
func Intersect(a, b Span) (Span, bool) {
	s := Span{Start: Later(a.Start, b.Start), End: Earlier(a.End, b.End)}
	return s, s.End.After(s.Start)
}

// Overlap is how long a and b share.
func Overlap(a, b Span) time.Duration {
	s, _ := Intersect(a, b)
	return s.Duration()
}

// Subtract is what of s the sorted, disjoint spans taken leave, in order.
func Subtract(s Span, taken []Span) []Span {
	i := sort.Search(len(taken), func(i int) bool { return taken[i].End.After(s.Start) })
	var out []Span
	at := s.Start
	for ; i < len(taken) && taken[i].Start.Before(s.End); i++ {
		if taken[i].Start.After(at) {
			out = append(out, Span{Start: at, End: taken[i].Start})
		}
		at = Later(at, taken[i].End)
	}
	if s.End.After(at) {
		out = append(out, Span{Start: at, End: s.End})
	}
	return out
}

// Overlaps says whether any of the sorted, disjoint spans shares time
// with s (in log time).
func Overlaps(sorted []Span, s Span) bool {
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i].End.After(s.Start) })
	return i < len(sorted) && sorted[i].Start.Before(s.End)
}

// Total is the summed length of spans.
func Total(spans []Span) time.Duration {
	var d time.Duration
	for _, s := range spans {
		d += s.Duration()
	}
	return d
}

// Earlier is the earlier of a and b.
func Earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Later is the later of a and b.
func Later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Longest is the label of the item overlapping s longest ("" when none
// does; items labelled "" do not count). Items are sorted by start and
// none is longer than maxLen, so only those starting in
// (s.Start-maxLen, s.End) are looked at.
func Longest(n int, item func(i int) (Span, string), maxLen time.Duration, s Span) string {
	i := sort.Search(n, func(i int) bool { sp, _ := item(i); return !sp.Start.Before(s.End) })
	from := s.Start.Add(-maxLen)
	best, bestLen := "", time.Duration(0)
	for j := i - 1; j >= 0; j-- {
		sp, label := item(j)
		if !sp.Start.After(from) {
			break
		}
		if l := Overlap(sp, s); label != "" && l > bestLen {
			best, bestLen = label, l
		}
	}
	return best
}
