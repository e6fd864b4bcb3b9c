package blocks

import (
	"fmt"
	"math/rand"

	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/span"
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
			in := append([]Piece(nil), pieces...)
			for i := range in {
				in[i].Local = in[i].Project == 3
			}
			bs := BuildSlots(in, s)
			for _, b := range bs {
				if b.ProjectID == 3 {
					t.Fatalf("a block of the local project: %+v", b)
				}
			}
			c, a := coveredByOthers(pieces, bs)
			cov += c[3]
			act += a[3]
		}
		got := 100 * float64(cov) / float64(act)
		t.Logf("byApp %v: %.1f %% of the local project's time under pushed blocks", byApp, got)
		// Blocks laid end to end in each slot covered 41 % of it on these
		// days (a switch every half minute), the slot layout alone 17 %
		// and 27 %; placing the blocks off it (nudge.go) leaves 1.7 % and
		// 1.2 %.
		if limit := map[bool]float64{false: 3, true: 3}[byApp]; got > limit {
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

// workingDay is a day as people work it: stretches of 1 to 15 minutes on
// projects 1 and 2 and on project 3 (kept local, about 15 % of the day),
// glances of 8 to 45 s elsewhere between them (two switches in five),
// short pauses, and lunch.
func workingDay(rng *rand.Rand, day time.Time) []Piece {
	var out []Piece
	t := day.Add(8*time.Hour + time.Duration(rng.Intn(3600))*time.Second)
	stop := t.Add(8*time.Hour + time.Duration(rng.Intn(3600))*time.Second)
	lunch := day.Add(12 * time.Hour)
	for t.Before(stop) {
		if !t.Before(lunch) && t.Before(lunch.Add(45*time.Minute)) {
			t = lunch.Add(45 * time.Minute)
		}
		project := int64(1 + rng.Intn(2))
		if rng.Float64() < 0.17 {
			project = 3
		}
		d := time.Duration(60+rng.Intn(14*60)) * time.Second
		if rng.Float64() < 0.4 { // a glance
			d = time.Duration(8+rng.Intn(38)) * time.Second
		}
		// A stretch is many window events: switches inside the project.
		for end := t.Add(d); t.Before(end); {
			e := span.Earlier(end, t.Add(time.Duration(10+rng.Intn(170))*time.Second))
			out = append(out, Piece{Start: t, End: e, Project: project, App: fmt.Sprintf("app%d", project), Title: "t"})
			t = e
		}
		if rng.Float64() < 0.1 {
			t = t.Add(time.Duration(10+rng.Intn(120)) * time.Second) // a pause
		}
	}
	return out
}

// On days as people work them, a project kept local has its time under
// other projects' blocks less than 3 % of it (the goal), and every
// pushed project's blocks hold exactly its time.
func TestBuildSlotsKeepOffLocalTimeOnWorkingDays(t *testing.T) {
	s := slotTestSettings()
	var cov, act time.Duration
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		pieces := workingDay(rng, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(seed)))
		in := append([]Piece(nil), pieces...)
		own := map[int64]time.Duration{}
		for i := range in {
			in[i].Local = in[i].Project == 3
			if !in[i].Local {
				own[in[i].Project] += in[i].End.Sub(in[i].Start)
			}
		}
		bs := BuildSlots(in, s)
		held := map[int64]time.Duration{}
		for i, b := range bs {
			held[b.ProjectID] += b.Duration()
			if i > 0 && b.Start.Before(bs[i-1].End) {
				t.Fatalf("seed %d: blocks overlap: %+v, %+v", seed, bs[i-1], b)
			}
		}
		for p, d := range own {
			if diff := held[p] - d; diff < -time.Second || diff > time.Second {
				t.Errorf("seed %d: project %d has %s of blocks for %s of time", seed, p, held[p], d)
			}
		}
		c, a := coveredByOthers(pieces, bs)
		cov += c[3]
		act += a[3]
	}
	got := 100 * float64(cov) / float64(act)
	t.Logf("%.2f %% of the local project's time under pushed blocks", got)
	if got >= 3 {
		t.Errorf("%.2f %% of the local project's time is under pushed blocks, want under 3 %%", got)
	}
}
