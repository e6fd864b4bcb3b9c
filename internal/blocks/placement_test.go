package blocks

import (
	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"math/rand"
	"testing"
	"time"
)

// coveredByOthers is, per project, how much of its active time lies under
// blocks of other projects (what a project kept local would see pushed
// over its own time).
func coveredByOthers(pieces []Piece, bs []Block) (covered, active map[int64]time.Duration) {
	covered, active = map[int64]time.Duration{}, map[int64]time.Duration{}
	j := 0
	for _, p := range pieces {
		active[p.Project] += p.End.Sub(p.Start)
		for j > 0 && bs[j-1].End.After(p.Start) {
			j--
		}
		for k := j; k < len(bs) && bs[k].Start.Before(p.End); k++ {
			b := bs[k]
			if b.ProjectID == p.Project || !b.End.After(p.Start) {
				continue
			}
			if lo, hi := span.Later(b.Start, p.Start), span.Earlier(b.End, p.End); hi.After(lo) {
				covered[p.Project] += hi.Sub(lo)
			}
		}
		for j < len(bs) && !bs[j].End.After(p.Start) {
			j++
		}
	}
	return covered, active
}

// With project 3 kept local (its pieces left out of the blocks, as push
// does for a project set to push off), the other projects' blocks stay
// off its time.
func TestBuildSlotsLeaveLocalTimeAlone(t *testing.T) {
	s := slotTestSettings()
	for _, byApp := range []bool{false, true} {
		var cov, act time.Duration
		for seed := int64(1); seed <= 30; seed++ {
			rng := rand.New(rand.NewSource(seed))
			pieces, _ := fragmentedDay(rng, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(seed)), byApp)
			var pushed []Piece
			for _, p := range pieces {
				if p.Project != 3 {
					pushed = append(pushed, p)
				}
			}
			bs := BuildSlots(pushed, s)
			c, a := coveredByOthers(pieces, bs)
			cov += c[3]
			act += a[3]
		}
		got := 100 * float64(cov) / float64(act)
		t.Logf("byApp %v: %.1f %% of the local project's time under pushed blocks", byApp, got)
		// Blocks laid end to end in each slot covered 41 % of it on these
		// days (a switch every half minute); one project's stretches
		// shorter than MinBlock are what is left.
		if limit := map[bool]float64{false: 20, true: 30}[byApp]; got > limit {
			t.Errorf("byApp %v: %.1f %% of the local project's time is under pushed blocks, want under %.0f %%", byApp, got, limit)
		}
	}
}

// Every project's time lies mostly under its own blocks (end to end in
// each slot, 26 to 45 % of it lay under others' on these days).
func TestBuildSlotsPlacement(t *testing.T) {
	s := slotTestSettings()
	for _, byApp := range []bool{false, true} {
		var cov, act [4]time.Duration
		for seed := int64(1); seed <= 30; seed++ {
			rng := rand.New(rand.NewSource(seed))
			pieces, _ := fragmentedDay(rng, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(seed)), byApp)
			bs := BuildSlots(pieces, s)
			c, a := coveredByOthers(pieces, bs)
			for p := int64(1); p <= 3; p++ {
				cov[p] += c[p]
				act[p] += a[p]
			}
		}
		for p := 1; p <= 3; p++ {
			got := 100 * float64(cov[p]) / float64(act[p])
			t.Logf("byApp %v project %d: %.1f %% of its time under other projects' blocks", byApp, p, got)
			if got > 30 {
				t.Errorf("byApp %v project %d: %.1f %% of its time is under other projects' blocks, want under 30 %%", byApp, p, got)
			}
		}
	}
}
