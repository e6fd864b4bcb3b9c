package push

import (
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func TestReady(t *testing.T) {
	now := time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)
	o := Options{Now: now, Settle: 5 * time.Minute}
	settled, growing := now.Add(-10*time.Minute), now.Add(-time.Minute)
	for _, c := range []struct {
		name          string
		state         store.BlockState
		end, next     time.Time
		send, waiting bool
	}{
		{"approved and settled", store.BlockApproved, settled, time.Time{}, true, false},
		{"approved and growing", store.BlockApproved, growing, time.Time{}, false, true},
		{"sending again after a crash", store.BlockSending, settled, time.Time{}, true, false},
		{"pending approval", store.BlockPending, settled, time.Time{}, false, true},
		{"failed, retry due", store.BlockFailed, settled, now.Add(-time.Second), true, false},
		{"failed, retry later", store.BlockFailed, settled, now.Add(time.Minute), false, false},
		{"failed, no retry", store.BlockFailed, settled, time.Time{}, false, false},
		{"pushed", store.BlockPushed, settled, time.Time{}, false, false},
		{"discarded", store.BlockDiscarded, settled, time.Time{}, false, false},
		{"conflict", store.BlockConflict, settled, time.Time{}, false, false},
	} {
		b := store.OutboxBlock{State: c.state, NextAttempt: c.next}
		b.Start, b.End = c.end.Add(-time.Hour), c.end
		if send, waiting := o.ready(b); send != c.send || waiting != c.waiting {
			t.Errorf("%s: send %v waiting %v, want %v %v", c.name, send, waiting, c.send, c.waiting)
		}
	}
}
