package report

import (
	"sort"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// Part is a piece of active time with the project it went to.
type Part struct {
	timeline.Piece
	ProjectID int64  // 0: no project
	Project   string // "" for none
}

// DayBlock is a stretch of the day spent on one project, as a person
// remembers it: "09:02–10:15 on Go". Parts are every piece in it, the
// short visits elsewhere it absorbed included.
type DayBlock struct {
	Start, End time.Time
	ProjectID  int64
	Project    string
	Parts      []Part
}

// Active is the block's active time: every part's, absorbed ones included.
func (b DayBlock) Active() time.Duration {
	var d time.Duration
	for _, p := range b.Parts {
		d += p.End.Sub(p.Start)
	}
	return d
}

// Own is the time of the block's project in it.
func (b DayBlock) Own() time.Duration {
	var d time.Duration
	for _, p := range b.Parts {
		if p.ProjectID == b.ProjectID {
			d += p.End.Sub(p.Start)
		}
	}
	return d
}

// Default bounds of DayBlocks: a pause longer than BlockGap ends a block;
// a visit elsewhere shorter than BlockAbsorb is folded into the block
// around it (a glance at the chat is not a block of its own).
const (
	BlockGap    = 5 * time.Minute
	BlockAbsorb = time.Minute
)

// DayBlocks lays parts out as blocks by project: parts of one project
// with pauses of at most gap between them make one block; a block of less
// than absorb active time within gap of a neighbour goes into it (into
// the one it sits between when both neighbours are one project, else the
// longer neighbour). Blocks do not overlap and are in time order; every
// part is in exactly one.
func DayBlocks(parts []Part, gap, absorb time.Duration) []DayBlock {
	ps := make([]Part, 0, len(parts))
	for _, p := range parts {
		if p.End.After(p.Start) {
			ps = append(ps, p)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Start.Before(ps[j].Start) })
	var bs []DayBlock
	for _, p := range ps {
		if n := len(bs); n > 0 && bs[n-1].ProjectID == p.ProjectID && !p.Start.After(bs[n-1].End.Add(gap)) {
			bs[n-1].Parts = append(bs[n-1].Parts, p)
			bs[n-1].End = span.Later(bs[n-1].End, p.End)
			continue
		}
		bs = append(bs, DayBlock{Start: p.Start, End: p.End, ProjectID: p.ProjectID, Project: p.Project, Parts: []Part{p}})
	}
	near := func(a, b DayBlock) bool { return !b.Start.After(a.End.Add(gap)) }
	// into merges bs[from] into bs[to] (neighbours), keeping bs[to]'s project.
	into := func(from, to int) {
		lo, hi := min(from, to), max(from, to)
		m := bs[to]
		m.Start, m.End = bs[lo].Start, span.Later(bs[lo].End, bs[hi].End)
		m.Parts = append(append([]Part{}, bs[lo].Parts...), bs[hi].Parts...)
		bs[lo] = m
		bs = append(bs[:hi], bs[hi+1:]...)
	}
	for changed := true; changed; {
		changed = false
		for i := range bs {
			prev := i > 0 && near(bs[i-1], bs[i])
			next := i+1 < len(bs) && near(bs[i], bs[i+1])
			if prev && bs[i-1].ProjectID == bs[i].ProjectID { // made neighbours by an absorption
				into(i, i-1)
				changed = true
				break
			}
			if bs[i].Active() >= absorb {
				continue
			}
			switch {
			case prev && next && bs[i-1].ProjectID == bs[i+1].ProjectID:
				into(i, i-1) // the next pass joins i-1 and what was i+1
			case prev && (!next || bs[i-1].Active() >= bs[i+1].Active()):
				into(i, i-1)
			case next:
				into(i, i+1)
			default:
				continue // on its own: a short block is still a block
			}
			changed = true
			break
		}
	}
	return bs
}
