package classify

import (
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// atPins splits pieces (sorted by start, not overlapping) where pins
// (sorted, one at a time) begin and end, and gives each resulting piece
// the pin holding over it (nil: none).
func atPins(pieces []timeline.Piece, pins []store.Pin) ([]timeline.Piece, []*store.Pin) {
	pinned := make([]*store.Pin, 0, len(pieces))
	if len(pins) == 0 {
		return pieces, append(pinned, make([]*store.Pin, len(pieces))...)
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
				out, pinned = appendPart(out, pinned, p, at, in.Start, nil)
			}
			out, pinned = appendPart(out, pinned, p, in.Start, in.End, &pins[k])
			at = in.End
		}
		if at.Before(p.End) {
			out, pinned = appendPart(out, pinned, p, at, p.End, nil)
		}
	}
	return out, pinned
}

func appendPart(out []timeline.Piece, pinned []*store.Pin, p timeline.Piece, start, end time.Time, pin *store.Pin) ([]timeline.Piece, []*store.Pin) {
	p.Start, p.End = start, end
	return append(out, p), append(pinned, pin)
}

// pinEnd is where a pin ends; an open one holds on.
func pinEnd(p store.Pin) time.Time {
	if p.End.IsZero() {
		return time.Unix(1<<40, 0)
	}
	return p.End
}
