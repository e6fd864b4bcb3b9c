package classify

import (
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// atPins splits pieces (sorted by start, not overlapping) where pins
// (sorted, one at a time) begin and end, and gives each resulting piece
// the project of the pin holding over it (0: none).
func atPins(pieces []timeline.Piece, pins []store.Pin) ([]timeline.Piece, []int64) {
	pinned := make([]int64, 0, len(pieces))
	if len(pins) == 0 {
		return pieces, append(pinned, make([]int64, len(pieces))...)
	}
	out := make([]timeline.Piece, 0, len(pieces)+2*len(pins))
	j := 0
	for _, p := range pieces {
		for j < len(pins) && !pinEnd(pins[j]).After(p.Start) {
			j++ // pins over before this piece
		}
		at := p.Start
		for k := j; k < len(pins) && pins[k].Start.Before(p.End) && at.Before(p.End); k++ {
			in, ok := span.Intersect(span.Span{Start: at, End: p.End}, span.Span{Start: pins[k].Start, End: pinEnd(pins[k])})
			if !ok {
				continue
			}
			if in.Start.After(at) { // before the pin
				out, pinned = appendPart(out, pinned, p, at, in.Start, 0)
			}
			out, pinned = appendPart(out, pinned, p, in.Start, in.End, pins[k].ProjectID)
			at = in.End
		}
		if at.Before(p.End) {
			out, pinned = appendPart(out, pinned, p, at, p.End, 0)
		}
	}
	return out, pinned
}

func appendPart(out []timeline.Piece, pinned []int64, p timeline.Piece, start, end time.Time, project int64) ([]timeline.Piece, []int64) {
	p.Start, p.End = start, end
	return append(out, p), append(pinned, project)
}

// pinEnd is where a pin ends; an open one holds on.
func pinEnd(p store.Pin) time.Time {
	if p.End.IsZero() {
		return time.Unix(1<<40, 0)
	}
	return p.End
}
