package syncer

import (
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// Planning a run: which ranges of each bucket to read, and in what sizes.

// readRange is one range a sync reads.
type readRange struct{ from, to time.Time }

// spans returns what a run reads of a bucket with coverage c.
func (o Options) spans(c store.Coverage) []readRange {
	if o.Mode == Range {
		return []readRange{{o.From.UTC(), o.To.UTC()}}
	}
	window := readRange{o.Now.Add(-time.Duration(clamp(o.LookbackDays, 1, 90)) * 24 * time.Hour), o.Now}
	// A cursor ahead of now was written by a clock that was ahead (or a
	// server's): what it claims to cover cannot be trusted, so the window
	// is read whole until the clock passes it.
	if o.Mode == Reread || c.Until.IsZero() || c.From.IsZero() || c.Until.After(o.Now) {
		return []readRange{window}
	}
	tail := readRange{c.Until.Add(-Overlap), o.Now}
	// Events that land more than Overlap behind the cursor (heartbeats a
	// watcher queued while aw-server was down, a backlog written after a
	// restart) are caught by the first sync of each local day: it reads
	// the previous day again whole (one day's read, not the window's).
	if midnight := startOfDay(o.Now, o.Location); c.Until.Before(midnight) {
		if settle := midnight.AddDate(0, 0, -1); settle.Before(tail.from) {
			tail.from = settle.UTC()
		}
	}
	if tail.from.Before(window.from) {
		tail.from = window.from // back after longer than the lookback
	}
	switch {
	case !c.From.After(window.from):
		return []readRange{tail}
	case c.From.Before(tail.from):
		// The lookback grew: read only what lies before the covered part.
		return []readRange{{window.from, c.From}, tail}
	default:
		return []readRange{window}
	}
}

// unchanged says a Sync Now (or scheduled sync) may leave a bucket
// unread: its plan is only the tail after the cursor, and its last-updated
// value is the one seen when a read last reached its end, so no event has
// been added or grown since. The first sync of a local day still reads
// the day before again (its plan is not only the tail), for events that
// landed behind the newest.
func (o Options) unchanged(c store.Coverage, newest string, plan []readRange) bool {
	if o.Mode != Now && o.Mode != Incremental || newest == "" || c.Newest != newest || len(plan) != 1 {
		return false
	}
	windowFrom := o.Now.Add(-time.Duration(clamp(o.LookbackDays, 1, 90)) * 24 * time.Hour)
	covered := !c.From.IsZero() && !c.From.After(windowFrom) // the whole window was read
	return covered && plan[0].from.Equal(c.Until.Add(-Overlap))
}

// newestOf is each bucket's last-updated value, kept only when it can be
// read and is not ahead of now (a server clock ahead: what lies past now is
// not read, so it must not count as seen).
func newestOf(bs []activitywatch.Bucket, now time.Time) map[string]string {
	out := make(map[string]string, len(bs))
	for _, b := range bs {
		if t, err := time.Parse(time.RFC3339Nano, b.LastUpdated); err == nil && !t.After(now) {
			out[b.ID] = b.LastUpdated
		}
	}
	return out
}

// startOfDay is local midnight of t's day in loc (time.Local when nil).
func startOfDay(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.Local
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// planDays is how many days the ranges span, as progress counts them.
func planDays(rs []readRange) int {
	n := 0
	for _, r := range rs {
		n += days(r.to.Sub(r.from))
	}
	return n
}

func days(d time.Duration) int { return int((d + 24*time.Hour - 1) / (24 * time.Hour)) }

const (
	minChunk = time.Hour
	maxChunk = 31 * 24 * time.Hour
)

// nextSize is the span of a bucket's next range after one of span held n
// events: about half a page, growing at most twofold (a quiet night says
// little about the morning), and within [minChunk, maxChunk].
func nextSize(span time.Duration, n, limit int) time.Duration {
	next := 2 * span
	if n > 0 {
		if want := time.Duration(float64(span) * float64(limit/2) / float64(n)); want < next {
			next = want
		}
	}
	return min(max(next, minChunk), maxChunk)
}

func (o Options) pageLimit() int {
	if o.PageLimit <= 0 {
		return PageLimit
	}
	return o.PageLimit
}
