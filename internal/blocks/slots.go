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
// blocks exactly as long as its active time in the slot, standing where
// that time was. So a project's block time is its active time, by
// construction, except for what MinBlock makes impossible to place (see
// "Short remainders" below). The blocks are then placed again off other
// projects' time, a project kept local above all (nudge.go).
//
// Layout of slot k = [S, S+Slot): the slot's runs (one group's activity
// between others') become segments: a run whose project's stretch is
// shorter than MinBlock leaves the sequence (its time stays its group's),
// runs of one group less than MinBlock apart join, until every stretch is
// long enough; a gap of MinBlock or more (time away, a project left out)
// stays. Each group's time D (active plus carried) is shared among its
// segments by their own time; shares under MinBlock join the group's
// largest segment. With origin c0 = max(P, S, min(F, S+Slot-ΣD)) (P the
// end of the last block laid, F the slot's first active instant, L its
// last) each segment is placed centred where it was, the group active at
// L ending at L, no earlier than the previous block's end, then pulled
// back to end by max(c0+ΣD, L). The first segment continues the last
// block when it is of the same group and the gap c0-P is at most
// MergeGap.
//
// Why blocks never overlap: each starts at or after the end of the one
// before (P for the first), and pulling back keeps each before the next;
// the bound max(c0+ΣD, L) leaves room for all of them after c0. Why they
// stay inside the slot when nothing is carried (c_i = 0, e.g. MinBlock
// 0): by induction P ≤ S, so c0 = F and ΣD ≤ S+Slot-F, hence the bound is
// at most S+Slot; a continued block takes its continuation up to
// MergeGap earlier (TestBuildSlotsInsideSlots). Carried time (below) can
// push the layout past the slot end by at most what is carried (less
// than MinBlock per group); the next slot then starts at P.
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
	"github.com/aw-timetracker/aw-timetracker/internal/span"
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
	// What the block says on the server besides its project: pieces that
	// differ in these never share a block.
	Task        string // a task of the project, by name
	NotBillable bool
	Tags        string // added to Settings.Tag
	// Away marks time the person answered for after being away: its own
	// blocks, noted "Away: NOTE", tagged away.
	Away bool
	// Local is time of a project kept local: no block, and the blocks
	// placed off it where they can be (see nudge.go).
	Local bool
}

// DefaultSlot is the slot length when Settings.Slot is not set.
const DefaultSlot = 15 * time.Minute

// Settings tune BuildSlots.
type Settings struct {
	Slot     time.Duration // slot length, 0 = DefaultSlot; slots are aligned to multiples since the Unix epoch
	MergeGap time.Duration // a group's block continues into the next slot across a gap up to this
	MinBlock time.Duration // no block is shorter; shorter remainders are carried (see above)
	Tag      string        // tags of every block
	// Location gives the days a block never leaves when it moves off a
	// local project's time (the server's days; nil: UTC).
	Location *time.Location
}

// BuildSlots makes the blocks of the pieces: sorted, non-overlapping, none
// shorter than MinBlock, each project's block time its active time save
// for what MinBlock cannot place. Overlapping pieces are clipped (the one
// that starts first keeps its time), so no instant counts twice. The
// pieces are not modified.
func BuildSlots(pieces []Piece, s Settings) []Block {
	if s.Slot <= 0 {
		s.Slot = DefaultSlot
	}
	if s.MinBlock < 0 {
		s.MinBlock = 0
	}
	b := &slotBuilder{s: s, pieces: pieces, groups: map[slotGroupKey]*slotGroup{}, cur: noSlot}
	order := slotOrder(pieces)
	var last time.Time
	var avoid []span.Span
	// The placement (nudge.go) needs every piece's time, only when a
	// project is kept local.
	place := slices.ContainsFunc(pieces, func(p Piece) bool { return p.Local })
	for n := range pieces {
		i := n
		if order != nil {
			i = order[n]
		}
		p := &pieces[i]
		if p.Local {
			if p.End.After(p.Start) {
				avoid = append(avoid, span.Span{Start: p.Start, End: p.End})
			}
			continue
		}
		start, end := p.Start, p.End
		if start.Before(last) {
			start = last
		}
		if !end.After(start) {
			continue
		}
		last = end
		b.add(i, start, end)
		if place {
			b.laid = append(b.laid, laidSpan{g: b.groups[groupKey(p)], s: span.Span{Start: start, End: end}})
		}
	}
	if b.cur != noSlot {
		b.endSlot()
		b.flush(time.Time{}, true)
	}
	if place && len(avoid) > 0 { // placing costs more than the layout: only where a project is kept local
		b.nudge(avoid)
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
	project           int64
	key               string
	task, tags        string
	notBillable, away bool
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
	nth        int // the group's nth block laid in firstSlot
	parts      []slotPart
}

// slotRun is a stretch of one group's activity in the current slot, other
// groups' activity on either side: first as it happened, then, merged
// where the others' was too short to stand (a segment), as it is laid out.
type slotRun struct {
	pos        int           // the group's entry
	start, end time.Time     // where it was
	own        time.Duration // the group's active time in it
	share      time.Duration // the block time it gets
	parts      []slotPart
}

type slotBuilder struct {
	s      Settings
	pieces []Piece
	laid   []laidSpan  // each piece's time as laid, for nudge
	avoid  []span.Span // the local projects' time, for nudge
	groups map[slotGroupKey]*slotGroup
	out    []slotBlock
	open   bool // the last block may still continue into the next slot

	// the current slot
	cur          int64
	entries      []slotEntry
	first, last  time.Time // first and last active instant
	lastGroup    *slotGroup
	runs         []slotRun    // the slot's runs in time order
	segs         []slotRun    // scratch
	stretch      int          // stretches end at an empty slot
	stretchStart int          // index in out of the stretch's first block
	touched      []*slotGroup // groups seen in the stretch, in order
	leftover     []*slotGroup // groups with time left over, in order
	stretches    []slotStretch
	order        []int // scratch
}

// groupKey is the group a piece's time goes to.
func groupKey(p *Piece) slotGroupKey {
	return slotGroupKey{project: p.Project, key: p.Key, task: p.Task, tags: p.Tags, notBillable: p.NotBillable, away: p.Away}
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
			b.runs = b.runs[:0]
			b.first = start
		}
		to := span.Earlier(end, b.slotStart(k+1))
		b.addPart(i, start, to)
		start = to
	}
}

func (b *slotBuilder) addPart(i int, start, end time.Time) {
	p := &b.pieces[i]
	gk := groupKey(p)
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
	part := slotPart{i, end.Sub(start)}
	e.dur += part.dur
	e.parts = append(e.parts, part)
	// a gap of MinBlock or more (time away, or of a project kept out of
	// the blocks) ends a run: the blocks keep it
	if n := len(b.runs); n > 0 && b.runs[n-1].pos == g.pos && (start.Sub(b.runs[n-1].end) < b.s.MinBlock || b.s.MinBlock == 0 && !start.After(b.runs[n-1].end)) {
		r := &b.runs[n-1]
		r.end, r.own = end, r.own+part.dur
		r.parts = append(r.parts, part)
	} else {
		b.runs = append(b.runs, slotRun{pos: g.pos, start: start, end: end, own: part.dur, parts: []slotPart{part}})
	}
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
	c0 := span.Earlier(b.first, start.Add(b.s.Slot-total))
	return span.Later(span.Later(c0, start), b.prevEnd())
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

// endSlot lays out the current slot's blocks: each group's time where
// it was, so a block stands on its own project's time, not another's.
//
// The slot's runs (a group's stretch between other groups' activity) are
// merged into segments: runs shorter than MinBlock are dropped from the
// sequence (their time stays their group's) until every run left is as
// long, neighbours of one group joining. Each group's time (active plus
// carried) is shared among its segments by their own time; a share below
// MinBlock joins the group's largest segment; a group left with less than
// MinBlock and not last is carried, as before. A group with no segment
// left gets one where most of its time was. The segments are laid in
// order, each as near its place as the ones before allow, none past
// max(origin + time, last active instant), so the layout stays inside the
// slot as before; the first continues the last block when it is of the
// same group, within MergeGap.
func (b *slotBuilder) endSlot() {
	es := b.entries
	var total time.Duration
	for i := range es {
		total += es[i].dur + es[i].g.carry
	}
	c0 := b.origin(total)
	for i := range es {
		b.takeCarry(&es[i])
	}
	segs, carried := b.share(b.segments())
	cont := false
	if b.open {
		open := b.out[len(b.out)-1]
		if open.g.slot == b.cur && len(segs) > 0 && es[segs[0].pos].g == open.g && c0.Sub(open.end) <= b.s.MergeGap {
			cont = true
		} else {
			b.finalizeOpen()
			if g := open.g; g.slot == b.cur && g.carry > 0 {
				// what it carried joins the group's time in this slot
				b.takeCarry(&es[g.pos])
				segs, carried = b.share(b.segments())
			}
		}
	}
	for _, sg := range carried {
		g := es[sg.pos].g
		g.carry += sg.share
		g.carried = append(g.carried, sg.parts...)
	}
	total = 0
	for i := range es {
		total += es[i].dur
	}
	if !cont {
		c0 = b.origin(total)
	}

	// the bounds: the layout starts at c0 (a continued block at its own
	// start) and ends by hi
	hi := span.Later(c0.Add(total), b.last)
	first := len(b.out) // index of the slot's first new block
	cursor := c0
	if cont {
		open := &b.out[len(b.out)-1]
		open.end = open.end.Add(segs[0].share)
		open.parts = append(open.parts, segs[0].parts...)
		cursor = span.Later(cursor, open.end)
		segs = segs[1:]
		if len(segs) > 0 {
			b.finalizeOpen()
			first = len(b.out)
		}
	}
	nth := map[*slotGroup]int{}
	for j := range segs {
		sg := &segs[j]
		g := es[sg.pos].g
		// the place: centred on where it was; the group active at the end
		// of the slot ends at that instant, so the next slot can continue it
		mid := sg.start.Add(sg.end.Sub(sg.start) / 2)
		want := mid.Add(-sg.share / 2)
		if j == len(segs)-1 && g == b.lastGroup {
			want = b.last.Add(-sg.share)
		}
		start := span.Later(want, cursor)
		b.out = append(b.out, slotBlock{start: start, end: start.Add(sg.share), g: g, firstSlot: b.cur, nth: nth[g],
			parts: append([]slotPart(nil), sg.parts...)})
		nth[g]++
		cursor = start.Add(sg.share)
	}
	// pull back what went past hi, the blocks before following
	bound := hi
	for i := len(b.out) - 1; i >= first; i-- {
		blk := &b.out[i]
		if blk.end.After(bound) {
			d := blk.end.Sub(bound)
			blk.start, blk.end = blk.start.Add(-d), bound
		}
		bound = blk.start
	}
	b.open = len(b.out) > 0
}

// takeCarry adds what the entry's group carries to its time in the slot.
func (b *slotBuilder) takeCarry(e *slotEntry) {
	if g := e.g; g.carry > 0 {
		e.dur += g.carry
		e.parts = append(e.parts, g.carried...)
		g.carry, g.carried = 0, g.carried[:0]
	}
}

// segments merges the slot's runs: runs of a project's stretch shorter
// than MinBlock leave the sequence and neighbours of one group join, until
// all are as long; a
// group left with none gets back its longest run. Durations are still
// the runs' own time.
func (b *slotBuilder) segments() []slotRun {
	segs := append(b.segs[:0], b.runs...)
	project := func(r slotRun) int64 { return b.entries[r.pos].g.project }
	for {
		// a run is short when its project's stretch around it is: the
		// apps of one project (blocks by app) do not cut each other short
		kept := segs[:0]
		dropped := false
		for i := 0; i < len(segs); {
			j, own := i, time.Duration(0)
			for ; j < len(segs) && project(segs[j]) == project(segs[i]); j++ {
				own += segs[j].own
			}
			for _, r := range segs[i:j] {
				if own < b.s.MinBlock && len(segs) > j-i {
					dropped = true
					continue
				}
				kept = b.appendSeg(kept, r)
			}
			i = j
		}
		segs = kept
		if !dropped || len(segs) == 0 {
			break
		}
	}
	// every group keeps a segment: its longest run, in time order
	have := make([]bool, len(b.entries))
	for _, r := range segs {
		have[r.pos] = true
	}
	for pos := range b.entries {
		if have[pos] {
			continue
		}
		var best *slotRun
		for k := range b.runs {
			if r := &b.runs[k]; r.pos == pos && (best == nil || r.own > best.own) {
				best = r
			}
		}
		at, _ := slices.BinarySearchFunc(segs, best.start, func(r slotRun, t time.Time) int { return r.start.Compare(t) })
		segs = slices.Insert(segs, at, slotRun{pos: pos, start: best.start, end: best.end, own: best.own})
	}
	// the parts follow their runs; a dropped run's go to its group's
	// nearest-in-order segment (the first of the group at or after it)
	for k := range segs {
		segs[k].parts = nil
	}
	for _, r := range b.runs {
		k := b.segFor(segs, r)
		segs[k].parts = append(segs[k].parts, r.parts...)
	}
	b.segs = segs
	return segs
}

// segFor is the segment of r's group that holds r: the group's last one
// starting at or before r, else its first.
func (b *slotBuilder) segFor(segs []slotRun, r slotRun) int {
	at, _ := slices.BinarySearchFunc(segs, r.start, func(s slotRun, t time.Time) int {
		if s.start.After(t) {
			return 1
		}
		return -1
	})
	for k := at - 1; k >= 0; k-- {
		if segs[k].pos == r.pos {
			return k
		}
	}
	for k := at; k < len(segs); k++ {
		if segs[k].pos == r.pos {
			return k
		}
	}
	return -1
}

// joins says whether r continues prev: one group, and less than MinBlock
// between them (a longer gap is kept: time away, or a project left out).
func (b *slotBuilder) joins(prev, r slotRun) bool {
	return prev.pos == r.pos && r.start.Sub(prev.end) < max(b.s.MinBlock, time.Nanosecond)
}

func (b *slotBuilder) appendSeg(segs []slotRun, r slotRun) []slotRun {
	if n := len(segs); n > 0 && b.joins(segs[n-1], r) {
		s := &segs[n-1]
		s.end, s.own = r.end, s.own+r.own
		return segs
	}
	return append(segs, r)
}

// share gives each group's time in the slot (active and carried) to its
// segments by their own time; a share below MinBlock joins the group's
// largest segment; a group with less than MinBlock in all, not last, is
// to be carried (the second result).
func (b *slotBuilder) share(segs []slotRun) (laid, carried []slotRun) {
	es := b.entries
	own, given, left := make([]time.Duration, len(es)), make([]time.Duration, len(es)), make([]int, len(es))
	for {
		clear(own)
		clear(given)
		clear(left)
		for _, sg := range segs {
			own[sg.pos] += sg.own
		}
		for _, sg := range segs {
			left[sg.pos]++
		}
		for k := range segs {
			sg := &segs[k]
			left[sg.pos]--
			if left[sg.pos] == 0 || own[sg.pos] == 0 {
				sg.share = es[sg.pos].dur - given[sg.pos]
			} else {
				sg.share = time.Duration(float64(es[sg.pos].dur) * float64(sg.own) / float64(own[sg.pos]))
			}
			given[sg.pos] += sg.share
		}
		// the smallest too-short share of a group with more than one
		// segment joins that group's largest
		small, big := -1, -1
		for k, sg := range segs {
			if sg.share >= b.s.MinBlock {
				continue
			}
			n := 0
			for _, o := range segs {
				if o.pos == sg.pos {
					n++
				}
			}
			if n > 1 && (small < 0 || sg.share < segs[small].share) {
				small = k
			}
		}
		if small < 0 {
			break
		}
		for k, sg := range segs {
			if k != small && sg.pos == segs[small].pos && (big < 0 || sg.own > segs[big].own) {
				big = k
			}
		}
		segs[big].own += segs[small].own
		segs[big].parts = append(segs[big].parts, segs[small].parts...)
		segs = slices.Delete(segs, small, small+1)
		segs = b.rejoin(segs)
	}
	// a group with too little for a block is carried, unless it is the
	// one active at the end (its block may continue into the next slot)
	kept := segs[:0]
	for k, sg := range segs {
		if sg.share < b.s.MinBlock && (k != len(segs)-1 || es[sg.pos].g != b.lastGroup) {
			carried = append(carried, sg)
			continue
		}
		kept = append(kept, sg)
	}
	return b.rejoin(kept), carried
}

// rejoin joins neighbouring segments of one group, as appendSeg.
func (b *slotBuilder) rejoin(segs []slotRun) []slotRun {
	out := segs[:0]
	for _, sg := range segs {
		if n := len(out); n > 0 && b.joins(out[n-1], sg) {
			o := &out[n-1]
			o.end, o.own, o.share = sg.end, o.own+sg.own, o.share+sg.share
			o.parts = append(o.parts, sg.parts...)
			continue
		}
		out = append(out, sg)
	}
	return out
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
			start := span.Later(b.prevEnd(), b.last.Add(-total))
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

// joinTags is base and extra, comma-separated, without repeats or blanks.
func joinTags(base, extra string) string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.Split(base+","+extra, ",") {
		if t = strings.TrimSpace(t); t != "" && !seen[strings.ToLower(t)] {
			seen[strings.ToLower(t)] = true
			out = append(out, t)
		}
	}
	return strings.Join(out, ",")
}

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
		tags := joinTags(b.s.Tag, sb.g.tags)
		if sb.g.away { // the person's answer, not ActivityWatch's
			notes = "Away"
			if ts := slotTop(titles, 3); len(ts) > 0 {
				notes += ": " + strings.Join(ts, "; ")
			}
			tags = joinTags(tags, "away")
		}
		if rs := []rune(notes); len(rs) > 1000 {
			notes = string(rs[:999]) + "…"
		}
		out = append(out, Block{
			ID:          slotBlockID(sb.g.slotGroupKey, b.slotStart(sb.firstSlot), sb.nth),
			Start:       sb.start,
			End:         sb.end,
			ProjectID:   sb.g.project,
			App:         byTime[0],
			Notes:       notes,
			Tags:        tags,
			Task:        sb.g.task,
			NotBillable: sb.g.notBillable,
			Sources:     len(seen),
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

// slotBlockID names a block by its group, first slot and, for the second
// and later blocks of the group there, their place.
func slotBlockID(g slotGroupKey, slot time.Time, nth int) string {
	in := fmt.Appendf(nil, "aw-timetracker-slot|%d|%d|%s", slot.UnixMilli(), g.project, g.key)
	if g.task != "" || g.tags != "" || g.notBillable || g.away { // else the ids blocks had before these
		in = fmt.Appendf(in, "|%s|%s|%t|%t", g.task, g.tags, g.notBillable, g.away)
	}
	if nth > 0 {
		in = fmt.Appendf(in, "|%d", nth)
	}
	sum := sha256.Sum256(in)
	return hex.EncodeToString(sum[:16])
}
