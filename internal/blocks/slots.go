package blocks

// Slot blocks: per-project time that stays true for a person who switches
// window every few seconds.
//
// Folding runs shorter than MinBlock into a neighbour (what this package
// did before) moves real time between projects when runs are seconds
// long. BuildSlots instead cuts time into fixed slots aligned to multiples of Slot since the Unix
// epoch (UTC, so a slot, and a block id made from it, does not depend on
// the time zone or on where a rebuilt range starts). Within a slot each
// group (project, and Key when blocks follow more than the project) gets
// one block exactly as long as its active time in the slot; the blocks are
// laid end to end. So a project's block time is its active time, by
// construction, except for what MinBlock makes impossible to place (see
// "Short remainders" below).
//
// Layout of slot k = [S, S+Slot), with groups g1..gm present, active time
// d_i and carried time c_i (D_i = d_i + c_i), first active instant F, last
// active instant L, and P the end of the last block already laid:
//
//	c0 = max(P, S, min(F, S+Slot-ΣD))
//
// The group of the previous block goes first when it is present and the
// gap c0-P is at most MergeGap: it continues that block (End += D, so the
// merged block ends at P+D ≤ c0+D). The others follow by first appearance,
// each starting where the previous ends, except that the group active at L
// goes last and ends at max(its natural end, L), so that when the same
// group is active across the slot boundary the next slot can continue it.
//
// Why blocks never overlap: every block starts at or after the cursor,
// which starts at c0 ≥ P and only moves forward by the length of the block
// laid; a merged block ends at P+D ≤ c0+D, where the next block starts; the
// right-aligned last block starts at End-D ≥ cursor. Why they stay inside
// the slot when nothing is carried (c_i = 0, e.g. MinBlock 0): the active
// instants are disjoint and lie in [F, L] ⊂ [S, S+Slot), so ΣD ≤ S+Slot-F;
// by induction P ≤ S, hence c0 = F and every block ends by
// max(F+ΣD, L) ≤ S+Slot. So each slot's block time is its active time,
// except that a continued block (merged across a gap of at most
// MergeGap) takes its continuation up to MergeGap earlier
// (TestBuildSlotsInsideSlots). Carried time (below) can push the layout
// past the slot end by at most what is carried (less than MinBlock per
// group); the next slot then starts at P.
//
// Short remainders. A block shorter than MinBlock is never emitted; its
// time (and its pieces, for the notes) is carried to the same group's next
// slot in which it is present, where it lengthens that slot's block. A
// block is judged once it is final: a group that is not the last of its
// slot at once, the last one when the next slot does not continue it.
// A stretch of activity ends at a slot with no activity at all (or at the
// end of the input). There, what is still carried is added to the group's
// latest block of the stretch, else to the project's, the blocks after it
// moving later, all before the next stretch's first slot. A remainder with
// no block of its project in the stretch is left over: a later stretch
// adds it to a block of the group or project there, or, once a project's
// leftovers reach MinBlock, makes them one block at the end of a stretch
// where the project was active. At the end of the input a leftover goes to
// the latest block of its group or project anywhere. Time is lost only
// when a project has less than MinBlock in the whole input (or its
// leftover waits longer than slotLeftoverHorizon, or finds no room).
//
// Stability. A block's id comes from its group and the UTC start of the
// slot where it was first laid; it does not change when the block grows.
// Building a slot-aligned range that starts or ends next to an empty slot
// gives the blocks the whole build gives there, with the same ids; their
// lengths can differ only by leftovers that crossed the cut (and a block
// made of leftovers can appear or go). Elsewhere ids stay the same except
// near the cut (a block continued across it, a remainder carried over it).
//
// Cost: one pass over the pieces (sorted first unless they already are),
// constant work per piece and slot, and a pass over a stretch's blocks
// when it ends.

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Piece is a span of active time already classified (excluded time
// removed).
type Piece struct {
	Start, End time.Time
	Project    int64  // local project id; 0 = none
	App, Title string // title "" when redacted
	// Key is an optional grouping key in addition to Project (e.g. the app,
	// when blocks follow the app); "" = project only.
	Key string
}

// DefaultSlot is the slot length when SlotSettings.Slot is not set.
const DefaultSlot = 15 * time.Minute

// SlotSettings tune BuildSlots.
type SlotSettings struct {
	Slot     time.Duration // slot length, 0 = DefaultSlot; slots are aligned to multiples since the Unix epoch
	MergeGap time.Duration // a group's block continues into the next slot across a gap up to this
	MinBlock time.Duration // no block is shorter; shorter remainders are carried (see above)
	Tag      string        // tags of every block
}

// DefaultSlotSettings are the documented defaults.
func DefaultSlotSettings() SlotSettings {
	d := DefaultSettings()
	return SlotSettings{Slot: DefaultSlot, MergeGap: d.MergeGap, MinBlock: d.MinBlock, Tag: d.Tag}
}

// BuildSlots makes the blocks of the pieces: sorted, non-overlapping, none
// shorter than MinBlock, each project's block time its active time save
// for what MinBlock cannot place. Overlapping pieces are clipped (the one
// that starts first keeps its time), so no instant counts twice. The
// pieces are not modified.
func BuildSlots(pieces []Piece, s SlotSettings) []Block {
	if s.Slot <= 0 {
		s.Slot = DefaultSlot
	}
	if s.MinBlock < 0 {
		s.MinBlock = 0
	}
	b := &slotBuilder{s: s, pieces: pieces, groups: map[slotGroupKey]*slotGroup{}, cur: noSlot}
	order := slotOrder(pieces)
	var last time.Time
	for n := range pieces {
		i := n
		if order != nil {
			i = order[n]
		}
		p := &pieces[i]
		start, end := p.Start, p.End
		if start.Before(last) {
			start = last
		}
		if !end.After(start) {
			continue
		}
		last = end
		b.add(i, start, end)
	}
	if b.cur != noSlot {
		b.endSlot()
		b.flush(time.Time{}, true)
	}
	return b.result()
}

// slotOrder returns the order of the pieces by start (then end, then
// position), or nil when they are already in order.
func slotOrder(pieces []Piece) []int {
	sorted := true
	for i := 1; i < len(pieces); i++ {
		if pieces[i].Start.Before(pieces[i-1].Start) {
			sorted = false
			break
		}
	}
	if sorted {
		return nil
	}
	order := make([]int, len(pieces))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := pieces[a].Start.Compare(pieces[b].Start); c != 0 {
			return c
		}
		return pieces[a].End.Compare(pieces[b].End)
	})
	return order
}

const noSlot = int64(-1 << 63)

type slotGroupKey struct {
	project int64
	key     string
}

// slotGroup is the state of one group.
type slotGroup struct {
	slotGroupKey
	slot    int64 // the slot in which pos is valid
	pos     int   // index of the group's entry in the current slot
	stretch int   // the stretch in which the group was last seen
	carry   time.Duration
	carried []slotPart
	// left over from earlier stretches with no block of the project
	left       time.Duration
	leftParts  []slotPart
	leftSince  time.Time
	inLeftover bool
}

// slotPart is the part of a piece in one block.
type slotPart struct {
	piece int
	dur   time.Duration
}

// slotEntry is a group's time in the current slot.
type slotEntry struct {
	g     *slotGroup
	dur   time.Duration // active time in the slot, then plus what is carried
	parts []slotPart
}

// slotStretch is the blocks out[start:end] of one stretch.
type slotStretch struct{ start, end int }

type slotBlock struct {
	start, end time.Time
	g          *slotGroup
	firstSlot  int64
	parts      []slotPart
}

type slotBuilder struct {
	s      SlotSettings
	pieces []Piece
	groups map[slotGroupKey]*slotGroup
	out    []slotBlock
	open   bool // the last block may still continue into the next slot

	// the current slot
	cur          int64
	entries      []slotEntry
	first, last  time.Time // first and last active instant
	lastGroup    *slotGroup
	stretch      int          // stretches end at an empty slot
	stretchStart int          // index in out of the stretch's first block
	touched      []*slotGroup // groups seen in the stretch, in order
	leftover     []*slotGroup // groups with time left over, in order
	stretches    []slotStretch
	order        []int // scratch
}

func (b *slotBuilder) slotOf(t time.Time) int64 {
	ns, d := t.UnixNano(), int64(b.s.Slot)
	k := ns / d
	if ns%d < 0 {
		k--
	}
	return k
}

func (b *slotBuilder) slotStart(k int64) time.Time { return time.Unix(0, k*int64(b.s.Slot)).UTC() }

// add adds the active span [start, end) of piece i, slot by slot.
func (b *slotBuilder) add(i int, start, end time.Time) {
	for start.Before(end) {
		k := b.slotOf(start)
		if k != b.cur {
			if b.cur != noSlot {
				b.endSlot()
				if k > b.cur+1 {
					b.flush(b.slotStart(k), false)
				}
			}
			b.cur = k
			b.entries = b.entries[:0]
			b.first = start
		}
		to := earlier(end, b.slotStart(k+1))
		b.addPart(i, start, to)
		start = to
	}
}

func (b *slotBuilder) addPart(i int, start, end time.Time) {
	p := &b.pieces[i]
	gk := slotGroupKey{p.Project, p.Key}
	g := b.groups[gk]
	if g == nil {
		g = &slotGroup{slotGroupKey: gk, slot: noSlot, stretch: -1}
		b.groups[gk] = g
	}
	if g.stretch != b.stretch {
		g.stretch = b.stretch
		b.touched = append(b.touched, g)
	}
	if g.slot != b.cur {
		g.slot, g.pos = b.cur, len(b.entries)
		if len(b.entries) < cap(b.entries) {
			b.entries = b.entries[:len(b.entries)+1]
			b.entries[g.pos].g, b.entries[g.pos].dur, b.entries[g.pos].parts = g, 0, b.entries[g.pos].parts[:0]
		} else {
			b.entries = append(b.entries, slotEntry{g: g})
		}
	}
	e := &b.entries[g.pos]
	e.dur += end.Sub(start)
	e.parts = append(e.parts, slotPart{i, end.Sub(start)})
	b.last, b.lastGroup = end, g
}

func (b *slotBuilder) prevEnd() time.Time {
	if len(b.out) == 0 {
		return time.Time{}
	}
	return b.out[len(b.out)-1].end
}

// origin is c0: where the slot's layout starts, given the total to lay.
func (b *slotBuilder) origin(total time.Duration) time.Time {
	start := b.slotStart(b.cur)
	c0 := earlier(b.first, start.Add(b.s.Slot-total))
	return later(later(c0, start), b.prevEnd())
}

// finalizeOpen judges the last block, which no slot will continue: shorter
// than MinBlock, it goes and its time is carried.
func (b *slotBuilder) finalizeOpen() {
	b.open = false
	n := len(b.out) - 1
	blk := &b.out[n]
	if d := blk.end.Sub(blk.start); d < b.s.MinBlock {
		blk.g.carry += d
		blk.g.carried = append(blk.g.carried, blk.parts...)
		b.out = b.out[:n]
	}
}

// endSlot lays out the current slot's blocks.
func (b *slotBuilder) endSlot() {
	es := b.entries
	var total time.Duration
	for i := range es {
		total += es[i].dur + es[i].g.carry
	}
	c0 := b.origin(total)
	cont := -1
	if b.open {
		open := &b.out[len(b.out)-1]
		if open.g.slot == b.cur && c0.Sub(open.end) <= b.s.MergeGap {
			cont = open.g.pos
		} else {
			b.finalizeOpen()
		}
	}
	total = 0
	for i := range es {
		e := &es[i]
		if g := e.g; g.carry > 0 {
			e.dur += g.carry
			e.parts = append(e.parts, g.carried...)
			g.carry, g.carried = 0, g.carried[:0]
		}
		total += e.dur
	}
	if cont < 0 {
		c0 = b.origin(total)
	}

	// the continued group, the others by first appearance, the group
	// active at the end of the slot last
	endPos := b.lastGroup.pos
	order := b.order[:0]
	if cont >= 0 {
		order = append(order, cont)
	}
	for i := range es {
		if i != cont && i != endPos {
			order = append(order, i)
		}
	}
	if endPos != cont {
		order = append(order, endPos)
	}
	b.order = order

	cursor := c0
	for j, pos := range order {
		e := &es[pos]
		lastOne := j == len(order)-1
		switch {
		case pos == cont:
			open := &b.out[len(b.out)-1]
			open.end = open.end.Add(e.dur)
			open.parts = append(open.parts, e.parts...)
			cursor = cursor.Add(e.dur)
			if !lastOne {
				b.finalizeOpen()
			}
		case !lastOne && e.dur < b.s.MinBlock:
			e.g.carry += e.dur
			e.g.carried = append(e.g.carried, e.parts...)
		default:
			start, end := cursor, cursor.Add(e.dur)
			if lastOne && pos == endPos && b.last.After(end) {
				start, end = b.last.Add(-e.dur), b.last
			}
			b.out = append(b.out, slotBlock{start: start, end: end, g: e.g, firstSlot: b.cur, parts: append([]slotPart(nil), e.parts...)})
			cursor = end
		}
	}
	b.open = true
}

// flush ends a stretch, at an empty slot (limit is then the start of the
// next active slot) or at the end of the input (final, no limit). The
// last block is judged. What is still carried is added to the group's
// (else the project's) latest block of the stretch, the blocks after it
// moving later, none past limit, so the next stretch is laid out as if it
// were alone. What has no such block, or no room, is left over: a later
// flush adds it to a block of its group or project the same way (it never
// makes or removes a block there) or, once it reaches MinBlock, makes it a
// block of its own at the end of a stretch where the group was active. At
// the end of the input what is still left goes to the latest block of its
// group or project anywhere, and is lost only when there is none. A
// leftover older than slotLeftoverHorizon is given up.
func (b *slotBuilder) flush(limit time.Time, final bool) {
	if b.open {
		b.finalizeOpen()
	}
	lo := b.stretchStart
	todo := len(b.leftover) > 0
	for _, g := range b.touched {
		todo = todo || g.carry > 0
	}
	if todo {
		room := slotNoLimit
		if !final {
			room = max(limit.Sub(b.prevEnd()), 0)
		}
		byGroup, byProject := b.latest(lo)
		ext := map[int]time.Duration{}
		// put adds what fits of d to g's block; it returns the rest.
		put := func(g *slotGroup, d time.Duration, parts []slotPart) time.Duration {
			i, ok := byGroup[g]
			if !ok {
				i, ok = byProject[g.project]
			}
			if !ok || room == 0 {
				return d
			}
			f := min(d, room)
			room -= f
			ext[i] += f
			b.out[i].parts = append(b.out[i].parts, parts...)
			return d - f
		}
		kept := b.leftover[:0]
		for _, g := range b.leftover {
			if rest := put(g, g.left, g.leftParts); rest < g.left {
				g.left, g.leftParts = rest, nil
			}
			if g.left > 0 && limit.Sub(g.leftSince) <= slotLeftoverHorizon {
				kept = append(kept, g)
				continue
			}
			g.left, g.leftParts, g.inLeftover = 0, nil, false
		}
		for _, g := range b.touched {
			if g.carry <= 0 {
				continue
			}
			rest := put(g, g.carry, g.carried)
			if rest == 0 {
				continue
			}
			if !g.inLeftover {
				g.inLeftover, g.leftSince = true, limit
				kept = append(kept, g)
			}
			g.left += rest
			if rest == g.carry {
				g.leftParts = append(g.leftParts, g.carried...)
			}
		}
		b.grow(lo, len(b.out), ext)

		// a project active in the stretch (or any, at the end) whose
		// leftovers reached MinBlock has no block in it (else they went
		// there): they make one, of the project's group with most time left
		for _, g := range kept {
			if g.left == 0 || (g.stretch != b.stretch && !final) {
				continue
			}
			var total time.Duration
			var parts []slotPart
			own := g
			for _, h := range kept {
				if h.project == g.project && h.left > 0 {
					total += h.left
					parts = append(parts, h.leftParts...)
					if h.stretch == b.stretch && h.left > own.left {
						own = h
					}
				}
			}
			if total < b.s.MinBlock {
				continue
			}
			start := later(b.prevEnd(), b.last.Add(-total))
			if end := start.Add(total); final || !end.After(limit) {
				b.out = append(b.out, slotBlock{start: start, end: end, g: own, firstSlot: b.cur, parts: parts})
				for _, h := range kept {
					if h.project == g.project {
						h.left, h.leftParts = 0, nil
					}
				}
			}
		}
		b.leftover = kept[:0] // filtered in place
		for _, g := range kept {
			if g.left > 0 {
				b.leftover = append(b.leftover, g)
			} else {
				g.inLeftover = false
			}
		}
	}
	for _, g := range b.touched {
		g.carry, g.carried = 0, nil
	}
	b.touched = b.touched[:0]
	b.stretches = append(b.stretches, slotStretch{lo, len(b.out)})
	b.stretch++
	b.stretchStart = len(b.out)

	if final && len(b.leftover) > 0 {
		byGroup, byProject := b.latest(0)
		for _, g := range b.leftover {
			i, ok := byGroup[g]
			if !ok {
				i, ok = byProject[g.project]
			}
			if ok {
				k, _ := slices.BinarySearchFunc(b.stretches, i, func(st slotStretch, i int) int { return cmp.Compare(st.end-1, i) })
				st := b.stretches[k]
				room := slotNoLimit
				if st.end < len(b.out) {
					room = b.out[st.end].start.Sub(b.out[st.end-1].end)
				}
				if d := min(g.left, room); d > 0 {
					b.out[i].parts = append(b.out[i].parts, g.leftParts...)
					b.grow(st.start, st.end, map[int]time.Duration{i: d})
				}
			}
			g.left, g.leftParts, g.inLeftover = 0, nil, false
		}
		b.leftover = b.leftover[:0]
	}
}

const slotNoLimit = time.Duration(1<<63 - 1)

// latest finds the latest block of each group and project in out[lo:].
func (b *slotBuilder) latest(lo int) (map[*slotGroup]int, map[int64]int) {
	byGroup, byProject := map[*slotGroup]int{}, map[int64]int{}
	for i := len(b.out) - 1; i >= lo; i-- {
		g := b.out[i].g
		if _, ok := byGroup[g]; !ok {
			byGroup[g] = i
		}
		if _, ok := byProject[g.project]; !ok {
			byProject[g.project] = i
		}
	}
	return byGroup, byProject
}

// grow lengthens the blocks out[i] (lo ≤ i < hi) by ext[i], moving the
// blocks after each later by as much; the caller makes sure it fits.
func (b *slotBuilder) grow(lo, hi int, ext map[int]time.Duration) {
	if len(ext) == 0 {
		return
	}
	from := hi
	for i := range ext {
		from = min(from, i)
	}
	var shift time.Duration
	for i := max(from, lo); i < hi; i++ {
		b.out[i].start = b.out[i].start.Add(shift)
		shift += ext[i]
		b.out[i].end = b.out[i].end.Add(shift)
	}
}

// slotLeftoverHorizon bounds how long a left-over remainder waits for a
// block of its project.
const slotLeftoverHorizon = 24 * time.Hour

// result makes the blocks: id from the group and its first slot, the app
// with most time, notes naming the top apps and titles (as Build's notes,
// after "ActivityWatch: "; a redacted piece has no title, so only its app
// shows).
func (b *slotBuilder) result() []Block {
	out := make([]Block, 0, len(b.out))
	apps := map[string]time.Duration{}
	titles := map[string]time.Duration{}
	seen := map[int]bool{}
	for i := range b.out {
		sb := &b.out[i]
		clear(apps)
		clear(titles)
		clear(seen)
		for _, p := range sb.parts {
			pc := &b.pieces[p.piece]
			apps[pc.App] += p.dur
			if pc.Title != "" {
				titles[pc.Title] += p.dur
			}
			seen[p.piece] = true
		}
		byTime := slotTop(apps, 3)
		for j, a := range byTime {
			if a == "" {
				byTime[j] = "(no app)"
			}
		}
		notes := "ActivityWatch: " + strings.Join(byTime, ", ")
		if ts := slotTop(titles, 3); len(ts) > 0 {
			notes += ": " + strings.Join(ts, "; ")
		}
		if rs := []rune(notes); len(rs) > 1000 {
			notes = string(rs[:999]) + "…"
		}
		out = append(out, Block{
			ID:        slotBlockID(sb.g.slotGroupKey, b.slotStart(sb.firstSlot)),
			Start:     sb.start,
			End:       sb.end,
			ProjectID: sb.g.project,
			App:       byTime[0],
			Notes:     notes,
			Tags:      b.s.Tag,
			Sources:   len(seen),
		})
	}
	return out
}

// slotTop returns up to n keys by descending weight, ties by name (as top,
// without sorting all the keys).
func slotTop(m map[string]time.Duration, n int) []string {
	out := make([]string, 0, n)
	before := func(a, b string) bool { return m[a] > m[b] || (m[a] == m[b] && a < b) }
	for k := range m {
		if len(out) == n && !before(k, out[n-1]) {
			continue
		}
		if len(out) < n {
			out = append(out, k)
		} else {
			out[n-1] = k
		}
		for j := len(out) - 1; j > 0 && before(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func slotBlockID(g slotGroupKey, slot time.Time) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "aw-timetracker-slot|%d|%d|%s", slot.UnixMilli(), g.project, g.key))
	return hex.EncodeToString(sum[:16])
}
