package push

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// Span is a stretch of server time that is not ours to fill.
type Span = span.Span

// ServerView is what one read of the server says about the push range.
type ServerView struct {
	Taken   []Span   // time entries not ours hold (merged, sorted)
	Changed []string // blocks whose entry a person changed: theirs now
	Deleted []string // blocks whose entry a person deleted: not pushed again
}

// ReadServer reads, in one paginated pass, the token user's own entries on
// the server that start in [from, to] (reaching back a day, for long ones)
// and compares them with this app's blocks (ours: by remote id):
//   - an entry that is not ours (typed in the web UI, another device, an
//     admin's correction) holds its time; a running timer holds it up to now;
//   - an entry of ours that differs from what this app last wrote was
//     changed by a person: it is theirs, and holds its time;
//   - a block of ours starting in the range whose entry is gone was
//     deleted by a person: its time stays empty.
func ReadServer(ctx context.Context, remote Remote, zone *time.Location, from, to, now time.Time, ours map[int64]store.OutboxBlock) (ServerView, error) {
	var v ServerView
	if zone == nil {
		zone = time.UTC
	}
	entries, err := remote.ListEntries(ctx, naive(from.Add(-24*time.Hour), zone), naive(to, zone))
	if err != nil {
		return v, fmt.Errorf("reading the entries already on the server: %w", err)
	}
	seen := map[int64]bool{}
	var spans []Span
	for _, e := range entries {
		seen[e.ID] = true
		if b, ok := ours[e.ID]; ok {
			switch {
			case b.State == store.BlockChanged:
			case b.Sent.Start != "" && !wrote(e, b.Sent):
				v.Changed = append(v.Changed, b.ID)
			default:
				continue // ours, as we wrote it
			}
		}
		start, err := parseNaive(e.StartTime, zone)
		if err != nil {
			continue // an entry we cannot read holds nothing we know of
		}
		end := now
		if e.EndTime != "" {
			if end, err = parseNaive(e.EndTime, zone); err != nil {
				continue
			}
		}
		if end.After(start) {
			spans = append(spans, Span{Start: start, End: end})
		}
	}
	for id, b := range ours {
		switch {
		case seen[id] || b.State == store.BlockSending || b.State == store.BlockRetract:
		case b.State == store.BlockDeleted:
			spans = append(spans, Span{Start: b.Start, End: b.End})
		case !b.Start.Before(from) && !b.Start.After(to):
			v.Deleted = append(v.Deleted, b.ID)
			spans = append(spans, Span{Start: b.Start, End: b.End})
		}
	}
	v.Taken = span.Merge(spans)
	return v, nil
}

// wrote reports whether the server's entry still holds what this app sent.
func wrote(e timetracker.RemoteEntry, s store.Sent) bool {
	trim := func(t string) string { return strings.TrimSuffix(t, ".000000") }
	return trim(e.StartTime) == s.Start && trim(e.EndTime) == s.End && e.ProjectID == s.Project && e.Notes == s.Notes
}

func parseNaive(s string, zone *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a server time: %q", s)
}

// fit cuts blocks so the server can hold them as they are: around time
// others' entries hold (a block is trimmed, or split into parts; parts
// shorter than minBlock are dropped), and at changes of the server zone's
// UTC offset (TimeTracker stores naive wall-clock times, which would run
// backwards across the repeated hour). In the repeated hour itself two
// real hours share one set of naive times, and the server refuses the
// second where the first holds them: the earlier pass keeps its naive
// times, the later fills only what is free. The first part keeps the
// block's id; the others get ids derived from it. A block left with
// nothing is returned with state taken, so it shows as skipped. left are
// this app's entries on the server that bs do not stand for (blocks before
// the rebuilt range): they hold their clock times in repeated hours too.
func fit(bs []store.OutboxBlock, taken, left []Span, zone *time.Location, minBlock time.Duration) (fitted, skipped []store.OutboxBlock) {
	var reps []repeat
	if zone != nil && len(bs) > 0 {
		bs = append([]store.OutboxBlock(nil), bs...)
		sort.SliceStable(bs, func(i, j int) bool { return bs[i].Start.Before(bs[j].Start) })
		end := bs[0].End
		for _, b := range bs {
			if b.End.After(end) {
				end = b.End
			}
		}
		if reps = repeatedHours(zone, bs[0].Start, end); len(reps) > 0 {
			// An entry in a repeated hour holds its naive times in both.
			taken = span.Merge(append(append([]Span(nil), taken...), twins(taken, reps)...))
		}
	}
	held := twins(left, reps) // twins of what earlier blocks fill in repeated hours
	for _, b := range bs {
		occupied := taken
		if len(held) > 0 && len(twins([]Span{{Start: b.Start, End: b.End}}, reps)) > 0 { // only blocks in a repeated hour meet held
			occupied = span.Merge(append(append([]Span(nil), taken...), held...))
		}
		parts := []Span{{Start: b.Start, End: b.End}}
		if len(occupied) > 0 {
			// The server keeps whole seconds: a neighbour's entry overlapping
			// by less than a second is the rounding of its times, not a take.
			if cut := span.Subtract(parts[0], occupied); b.Duration()-span.Total(cut) >= time.Second {
				parts = cut
			}
		}
		kept := dropSlivers(parts, b.Duration(), minBlock)
		if zone != nil {
			var split []Span
			for _, p := range kept {
				split = append(split, splitAtOffsetChanges(p, zone)...)
			}
			kept = split
		}
		if len(reps) > 0 {
			// A block through a whole repeated hour: its second pass
			// gives way to its first.
			var free, own []Span
			for _, p := range kept {
				free = append(free, span.Subtract(p, span.Merge(own))...)
				own = append(own, twins([]Span{p}, reps)...)
			}
			kept = dropSlivers(free, span.Total(kept), minBlock)
			held = append(held, twins(kept, reps)...)
		}
		trimmed := b.Duration() - span.Total(kept)
		if len(kept) == 0 {
			b.Trimmed = b.Duration()
			skipped = append(skipped, b)
			continue
		}
		for i, p := range kept {
			part := b
			part.Start, part.End, part.Trimmed = p.Start, p.End, trimmed
			if i > 0 {
				part.Trimmed = 0 // counted once, on the first part
				sum := sha256.Sum256([]byte(fmt.Sprintf("%s|part|%d", b.ID, i)))
				part.ID = hex.EncodeToString(sum[:16])
			}
			part.ContentHash = ContentHash(part)
			fitted = append(fitted, part)
		}
	}
	return fitted, skipped
}

// dropSlivers drops what was cut under the minimum length; parts of a
// whole that lost nothing stay as they are.
func dropSlivers(parts []Span, whole, minBlock time.Duration) []Span {
	if span.Total(parts) >= whole {
		return parts
	}
	var kept []Span
	for _, p := range parts {
		if p.End.Sub(p.Start) >= minBlock {
			kept = append(kept, p)
		}
	}
	return kept
}

// repeat is a repeated hour (DST ends): the wall clock runs through
// [first.Start, first.End) and then again through [second.Start,
// second.End), second = first + shift.
type repeat struct {
	first, second Span
	shift         time.Duration
}

// repeatedHours finds where zone's UTC offset goes back in [from, to]
// (from the zone's own transitions: a search to the second would stop a
// second early at fractional times).
func repeatedHours(zone *time.Location, from, to time.Time) []repeat {
	var out []repeat
	for at := from.Add(-24 * time.Hour); at.Before(to); {
		_, off := at.In(zone).Zone()
		_, end := at.In(zone).ZoneBounds()
		if end.IsZero() || !end.After(at) {
			break // no more changes
		}
		end = end.In(from.Location())
		if _, next := end.In(zone).Zone(); next < off {
			shift := time.Duration(off-next) * time.Second
			out = append(out, repeat{first: Span{Start: end.Add(-shift), End: end}, second: Span{Start: end, End: end.Add(shift)}, shift: shift})
		}
		at = end
	}
	return out
}

// twins are the other real times with the same naive times as spans, in
// repeated hours.
func twins(spans []Span, reps []repeat) []Span {
	var out []Span
	for _, s := range spans {
		for _, r := range reps {
			if c, ok := span.Intersect(s, r.first); ok {
				out = append(out, Span{Start: c.Start.Add(r.shift), End: c.End.Add(r.shift)})
			}
			if c, ok := span.Intersect(s, r.second); ok {
				out = append(out, Span{Start: c.Start.Add(-r.shift), End: c.End.Add(-r.shift)})
			}
		}
	}
	return out
}

// splitAtOffsetChanges splits s where zone's UTC offset changes (DST),
// at the zone's own transition instants.
func splitAtOffsetChanges(s Span, zone *time.Location) []Span {
	var out []Span
	for at := s.Start; ; {
		_, off := at.In(zone).Zone()
		_, end := at.In(zone).ZoneBounds()
		if end.IsZero() || !end.After(at) || !end.Before(s.End) {
			return append(out, s)
		}
		end = end.In(s.Start.Location())
		if _, next := end.In(zone).Zone(); next != off {
			out = append(out, Span{Start: s.Start, End: end})
			s.Start = end
		}
		at = end
	}
}
