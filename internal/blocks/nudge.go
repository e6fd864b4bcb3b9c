package blocks

// Placement. The slot layout gives each group blocks as long as its time,
// but lays a slot's blocks close together and adds time carried from
// short visits to the blocks after them, so a block often stands on the
// time of another project: measured against the real servers, a fifth of
// a project kept local lay under other projects' entries. nudge places the
// blocks again without changing their lengths, so every total stays:
//
//   - each block moves, in passes forth and back, to where it covers the
//     most of its own group's time and the least of anyone else's (a
//     local project's time counts three times against, a pause half);
//   - a block holding its group's time from both sides of a local stretch
//     is split around it, when each part is MinBlock or more (a shorter
//     right part joins the next block when that is of the same project)
//     and the blocks after it can move later to make room;
//   - a block still on local time (it holds time carried from elsewhere
//     and its neighbours leave no room) moves to the free time of its day,
//     within relocateWithin, where it stands best;
//   - the part of a block standing on a local stretch at its start or end
//     goes to another block of the same project that day with free time
//     next to it (so one project's total never changes).
//
// Why blocks still never overlap: a block moves only between the end of
// the block before it and the start of the one after it as they stand
// (its own place always allowed), a split moves the blocks after it only
// as far as each may go, and a relocated block, like time handed to
// another block, goes only into time no other block holds. Moving in
// passes keeps a block in the slots it was laid in (one inside a slot
// stays inside it) and within the time someone was active there; only a
// block on a local project's time is relocated or gives time away.

import (
	"slices"
	"sort"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/span"
)

// laidSpan is a piece's time as the layout took it (clipped), with its group.
type laidSpan struct {
	g *slotGroup
	s span.Span
}

func (b *slotBuilder) nudge(avoid []span.Span) {
	if len(b.out) == 0 {
		return
	}
	own := map[*slotGroup][]span.Span{}
	all := make([]span.Span, 0, len(b.laid)+len(avoid))
	for _, l := range b.laid {
		own[l.g] = append(own[l.g], l.s)
		all = append(all, l.s)
	}
	all = append(all, avoid...)
	// A local stretch is its pieces with the seconds between them (a
	// window switch): a block is split around the stretch, not each piece.
	var joined []span.Span
	for _, a := range span.Merge(append([]span.Span(nil), avoid...)) {
		if n := len(joined); n > 0 && a.Start.Sub(joined[n-1].End) <= localJoin {
			joined[n-1].End = a.End
			continue
		}
		joined = append(joined, a)
	}
	avoid = joined
	b.avoid = avoid
	sort.Slice(all, func(i, j int) bool { return all[i].Start.Before(all[j].Start) })
	order := make([]int, len(b.out))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return b.out[order[i]].start.Before(b.out[order[j]].start) })

	b.descend(order, own, all)
	// A split or a move leaves room the next one can use.
	for range 3 {
		split := b.splitAround(avoid, all)
		order = b.inOrder(order)
		moved := b.relocate(order, own, all)
		order = b.inOrder(order)
		moved = b.transfer(order, own, all) || moved
		if !split && !moved {
			break
		}
		order = b.inOrder(order)
		b.descend(order, own, all)
	}
	sort.SliceStable(b.out, func(i, j int) bool { return b.out[i].start.Before(b.out[j].start) })
}

// inOrder is the blocks' indices by start.
func (b *slotBuilder) inOrder(order []int) []int {
	order = order[:0]
	for i := range b.out {
		order = append(order, i)
	}
	sort.SliceStable(order, func(i, j int) bool { return b.out[order[i]].start.Before(b.out[order[j]].start) })
	return order
}

// relocate moves a block that still stands on a local project's time
// (it holds time carried from short visits elsewhere, with no room left
// among its neighbours) to the free time within relocateWithin of it
// where it scores best: a pause, or its own time no block covers. It
// reports whether it moved any.
func (b *slotBuilder) relocate(order []int, own map[*slotGroup][]span.Span, all []span.Span) bool {
	if len(b.avoid) == 0 {
		return false
	}
	moved := false
	for _, i := range append([]int(nil), order...) {
		n := slices.Index(order, i)
		sb := &b.out[i]
		length := sb.end.Sub(sb.start)
		here := span.Span{Start: sb.start, End: sb.end}
		if overlap(b.avoid, here) < splitAt {
			continue
		}
		best, bestScore := sb.start, blockScore(own[sb.g], all, b.avoid, sb.start, length)
		// Never to another day: the day's totals stay exact.
		day := b.dayOf(sb.start)
		try := func(x time.Time, gap span.Span) {
			gap.Start, gap.End = span.Later(gap.Start, day.Start), span.Earlier(gap.End, day.End)
			if gap.Duration() < length {
				return
			}
			x = span.Earlier(span.Later(x, gap.Start), gap.End.Add(-length))
			if s := blockScore(own[sb.g], all, b.avoid, x, length); s > bestScore {
				best, bestScore = x, s
			}
		}
		// The free time around: between the blocks, the block itself left
		// out (the blocks are in order, so the scan starts near it).
		var prevEnd time.Time
		from := b.firstNear(order, sb.start.Add(-relocateWithin))
		if p := from - 1; p >= 0 && p == n {
			from-- // the block itself: the gap before it starts at the one before
		}
		if from > 0 && from-1 != n {
			prevEnd = b.out[order[from-1]].end
		}
		for m := from; m < len(order); m++ {
			j := order[m]
			if m == n {
				continue
			}
			o := &b.out[j]
			gap := span.Span{Start: prevEnd, End: o.start}
			prevEnd = span.Later(prevEnd, o.end)
			if prevEnd.Before(sb.start.Add(-relocateWithin)) || gap.Start.IsZero() || gap.Duration() < length {
				continue
			}
			if gap.Start.After(sb.end.Add(relocateWithin)) {
				break
			}
			try(gap.Start, gap)
			try(gap.End.Add(-length), gap)
		}
		if !best.Equal(sb.start) {
			sb.start, sb.end = best, best.Add(length)
			moved = true
			// Back in order, so the gaps stay right for the next block.
			order = slices.Delete(order, n, n+1)
			k := sort.Search(len(order), func(k int) bool { return b.out[order[k]].start.After(best) })
			order = slices.Insert(order, k, i)
		}
	}
	return moved
}

// firstNear is the position in order (blocks by start, not overlapping)
// of the first block ending after t.
func (b *slotBuilder) firstNear(order []int, t time.Time) int {
	return sort.Search(len(order), func(k int) bool { return b.out[order[k]].end.After(t) })
}

// transfer takes the part of a block that stands on a local stretch at
// its start or end off it and gives that time to another block of the
// same entry (project, task, tags) in the same day that has free time
// next to it where the part stands better: a block holding time carried
// from elsewhere spills onto a local stretch when its neighbours leave
// no room. It reports whether it moved any time.
func (b *slotBuilder) transfer(order []int, own map[*slotGroup][]span.Span, all []span.Span) bool {
	moved := false
	for n, i := range order {
		sb := &b.out[i]
		length := sb.end.Sub(sb.start)
		var head, tail time.Duration
		for k := firstEndingAfter(b.avoid, sb.start); k < len(b.avoid) && b.avoid[k].Start.Before(sb.end); k++ {
			a := b.avoid[k]
			if !a.Start.After(sb.start) {
				head = span.Earlier(a.End, sb.end).Sub(sb.start)
			}
			if !a.End.Before(sb.end) {
				tail = sb.end.Sub(span.Later(a.Start, sb.start))
			}
		}
		d, atEnd := tail, true
		if head > tail {
			d, atEnd = head, false
		}
		if d < splitAt || length-d < b.s.MinBlock {
			continue
		}
		off := span.Span{Start: sb.end.Add(-d), End: sb.end}
		if !atEnd {
			off = span.Span{Start: sb.start, End: sb.start.Add(d)}
		}
		lose := blockScore(own[sb.g], all, b.avoid, off.Start, d)
		day := b.dayOf(sb.start)
		best, bestGain, bestAfter := -1, time.Duration(0), false
		for m := b.firstNear(order, span.Later(day.Start, sb.start.Add(-relocateWithin))); m < len(order); m++ {
			j := order[m]
			c := &b.out[j]
			if c.start.After(span.Earlier(day.End, sb.start.Add(relocateWithin))) {
				break
			}
			if m == n || !sameEntry(c.g, sb.g) || c.start.Before(day.Start) || c.end.After(day.End) {
				continue
			}
			// Free time right after it, and right before it.
			next, prev := day.End, day.Start
			if m+1 < len(order) {
				next = span.Earlier(next, b.out[order[m+1]].start)
			}
			if m > 0 {
				prev = span.Later(prev, b.out[order[m-1]].end)
			}
			if m+1 == n && !atEnd { // sb is next and gives up its start
				next = span.Earlier(day.End, off.End)
			}
			if m == n+1 && atEnd { // sb is before and gives up its end
				prev = span.Later(day.Start, off.Start)
			}
			if next.Sub(c.end) >= d {
				if g := blockScore(own[c.g], all, b.avoid, c.end, d) - lose; g > bestGain {
					best, bestGain, bestAfter = j, g, true
				}
			}
			if c.start.Sub(prev) >= d {
				if g := blockScore(own[c.g], all, b.avoid, c.start.Add(-d), d) - lose; g > bestGain {
					best, bestGain, bestAfter = j, g, false
				}
			}
		}
		if best < 0 {
			continue
		}
		if atEnd {
			sb.end = sb.end.Add(-d)
		} else {
			sb.start = sb.start.Add(d)
		}
		if c := &b.out[best]; bestAfter {
			c.end = c.end.Add(d)
		} else {
			c.start = c.start.Add(-d)
		}
		moved = true
	}
	return moved
}

// relocateWithin is how far a block may go to leave a local project's
// time (within its day).
const relocateWithin = 8 * time.Hour

// dayOf is the calendar day holding t, in Settings.Location (UTC if unset).
func (b *slotBuilder) dayOf(t time.Time) span.Span {
	loc := b.s.Location
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	return span.Span{Start: start, End: time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)}
}

// descend runs the passes of coordinate descent over the blocks in order.
func (b *slotBuilder) descend(order []int, own map[*slotGroup][]span.Span, all []span.Span) {
	// Coordinate descent: each block moves to its best place between its
	// neighbours as they stand; passes go forth and back, so a row of
	// blocks can shift together. A move never lowers a block's score, and
	// a block's score depends on its own place only, so this settles.
	for pass := range 2 {
		for n := range order {
			if pass%2 == 1 {
				n = len(order) - 1 - n
			}
			b.place(order, n, own, all)
		}
	}
}

// bounds are the starts block order[n] may take between its neighbours:
// within the slots it was laid in and the time someone was active there.
func (b *slotBuilder) bounds(order []int, n int, all []span.Span) (lo, hi time.Time) {
	sb := &b.out[order[n]]
	length := sb.end.Sub(sb.start)
	lo = b.slotStart(b.slotOf(sb.start))
	if n > 0 {
		lo = span.Later(lo, b.out[order[n-1]].end)
	}
	hi = b.slotStart(b.slotOf(sb.end.Add(-time.Nanosecond)) + 1).Add(-length)
	if n+1 < len(order) {
		hi = span.Earlier(hi, b.out[order[n+1]].start.Add(-length))
	}
	// Within the time active in those slots: a block does not move out
	// into time nobody was active (after the day's end, say).
	if first, last, ok := activeIn(all, lo, hi.Add(length)); ok {
		lo = span.Later(lo, first)
		hi = span.Earlier(hi, last.Add(-length))
	}
	return span.Earlier(lo, sb.start), span.Later(hi, sb.start) // its own place is always allowed
}

// place moves block order[n] to its best start between its neighbours.
func (b *slotBuilder) place(order []int, n int, own map[*slotGroup][]span.Span, all []span.Span) {
	sb := &b.out[order[n]]
	length := sb.end.Sub(sb.start)
	lo, hi := b.bounds(order, n, all)
	if hi.After(lo) {
		x := bestStart(own[sb.g], all, b.avoid, lo, hi, length, sb.start)
		sb.start, sb.end = x, x.Add(length)
	}
}

// splitAround splits a block that stands on a local project's time (a
// stretch of it inside the block: the block holds its group's time from
// both sides) into one part before that stretch and one after it, each at
// least MinBlock long, when the blocks after it can move later to make
// room within their bounds. It reports whether it split any.
func (b *slotBuilder) splitAround(avoid, all []span.Span) bool {
	if len(avoid) == 0 {
		return false
	}
	sort.SliceStable(b.out, func(i, j int) bool { return b.out[i].start.Before(b.out[j].start) })
	split := false
	for i := 0; i < len(b.out); i++ {
		sb := b.out[i]
		w := span.Span{Start: sb.start, End: sb.end}
		var in span.Span // the longest local stretch inside the block
		for k := firstEndingAfter(avoid, w.Start); k < len(avoid) && avoid[k].Start.Before(w.End); k++ {
			if o, ok := span.Intersect(avoid[k], w); ok && o.Duration() > in.Duration() {
				in = o
			}
		}
		left, length := in.Start.Sub(sb.start), sb.end.Sub(sb.start)
		right := length - left
		// A right part too short to stand joins the next block when that
		// is of the same project (and task, tags): the app only names notes.
		join := i+1 < len(b.out) && sameEntry(b.out[i+1].g, sb.g) && right < max(b.s.MinBlock, splitAt)
		if in.Duration() < splitAt || left < max(b.s.MinBlock, splitAt) || right <= 0 || !join && right < max(b.s.MinBlock, splitAt) {
			continue
		}
		// The right part after the stretch; the blocks after it move
		// later as far as needed, each within its bounds, or nothing moves.
		moved := make([]time.Time, 0, 4)
		prevEnd := in.End.Add(right)
		first := i + 1
		if join {
			next := b.out[i+1]
			prevEnd, first = in.End.Add(right+next.end.Sub(next.start)), i+2
		}
		ok := true
		for j := first; j < len(b.out) && b.out[j].start.Before(prevEnd); j++ {
			if prevEnd.After(b.latestStart(j, all)) {
				ok = false
				break
			}
			moved = append(moved, prevEnd)
			prevEnd = prevEnd.Add(b.out[j].end.Sub(b.out[j].start))
		}
		if !ok {
			continue
		}
		for k, at := range moved {
			nb := &b.out[first+k]
			nb.start, nb.end = at, at.Add(nb.end.Sub(nb.start))
		}
		if join {
			next := &b.out[i+1]
			next.start, next.end = in.End, in.End.Add(right+next.end.Sub(next.start))
			next.parts = append(next.parts, sb.parts...) // for its notes
			b.out[i].end = in.Start
			split = true
			continue
		}
		rest := sb
		rest.start, rest.end, rest.nth = in.End, in.End.Add(right), sb.nth+1000 // an id of its own
		b.out[i].end = in.Start
		b.out = slices.Insert(b.out, i+1, rest)
		split = true
	}
	return split
}

// sameEntry says whether two groups' time may share an entry: the same
// project, task, tags, billing and away (the app, when blocks follow it,
// only names the entry's notes).
func sameEntry(a, c *slotGroup) bool {
	x, y := a.slotGroupKey, c.slotGroupKey
	x.key, y.key = "", ""
	return x == y
}

// latestStart is the latest start block j may take when the blocks
// before it push it later (those after it move on in turn): within the
// slots it was laid in and the time someone was active there.
func (b *slotBuilder) latestStart(j int, all []span.Span) time.Time {
	sb := &b.out[j]
	length := sb.end.Sub(sb.start)
	slotEnd := b.slotStart(b.slotOf(sb.end.Add(-time.Nanosecond)) + 1)
	hi := slotEnd.Add(-length)
	if _, last, ok := activeIn(all, sb.start, slotEnd); ok {
		hi = span.Earlier(hi, last.Add(-length))
	}
	return span.Later(hi, sb.start)
}

// splitAt is the shortest local stretch a block is split around;
// localJoin the longest break between a local stretch's pieces.
const (
	splitAt   = 5 * time.Second
	localJoin = 5 * time.Second
)

// bestStart is where in [lo, hi] a block of length covers the most of own
// and the least of the rest of all (all holds own too) and of the pauses;
// ties go to the start nearest orig.
func bestStart(own, all, avoid []span.Span, lo, hi time.Time, length time.Duration, orig time.Time) time.Time {
	score := func(x time.Time) time.Duration { return blockScore(own, all, avoid, x, length) }
	best, bestScore := orig, score(orig)
	try := func(x time.Time) {
		if x.Before(lo) {
			x = lo
		}
		if x.After(hi) {
			x = hi
		}
		s := score(x)
		if s > bestScore || s == bestScore && absDur(x.Sub(orig)) < absDur(best.Sub(orig)) {
			best, bestScore = x, s
		}
	}
	try(lo)
	try(hi)
	from := lo.Add(-length)
	for k := firstEndingAfter(own, from); k < len(own) && own[k].Start.Before(hi.Add(length)); k++ {
		try(own[k].Start)
		try(own[k].End.Add(-length))
	}
	return best
}

// blockScore is how well a block of length at x stands: its own time for,
// another pushed project's against, a local project's three times against
// (it must show on no entry), a pause half against.
func blockScore(own, all, avoid []span.Span, x time.Time, length time.Duration) time.Duration {
	w := span.Span{Start: x, End: x.Add(length)}
	mine, active, local := overlap(own, w), overlap(all, w), overlap(avoid, w)
	return mine - (active - mine) - 2*local - (length-active)/2
}

// activeIn is the first and the last active instant of all in [from, to).
func activeIn(all []span.Span, from, to time.Time) (first, last time.Time, ok bool) {
	k := firstEndingAfter(all, from)
	if k == len(all) || !all[k].Start.Before(to) {
		return first, last, false
	}
	first = span.Later(all[k].Start, from)
	for ; k < len(all) && all[k].Start.Before(to); k++ {
		last = span.Earlier(all[k].End, to)
	}
	return first, last, true
}

// overlap is the time of sorted, non-overlapping spans inside w.
func overlap(spans []span.Span, w span.Span) time.Duration {
	var d time.Duration
	for k := firstEndingAfter(spans, w.Start); k < len(spans) && spans[k].Start.Before(w.End); k++ {
		d += span.Overlap(spans[k], w)
	}
	return d
}

// firstEndingAfter is the index of the first span ending after t (spans
// sorted by start and not overlapping, so also by end).
func firstEndingAfter(spans []span.Span, t time.Time) int {
	return sort.Search(len(spans), func(i int) bool { return spans[i].End.After(t) })
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
