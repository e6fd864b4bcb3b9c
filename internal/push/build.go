package push

// Building the outbox: blocks from the classified pieces, fitted around
// the server's entries, stale ones reconciled.

import (
	"context"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/blocks"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// Rebuild builds the blocks of [Since, Now) and stores them in the outbox.
// The outbox is read once: what the person edited, what this app has on
// the server before the range, and what is stale once the range is built
// again all come from that read (the writes in between touch only blocks
// built again, and the stale ones are not).
func Rebuild(ctx context.Context, st *store.Store, o Options) ([]store.OutboxBlock, error) {
	known, err := readKnown(ctx, st, o)
	if err != nil {
		return nil, err
	}
	return rebuildFrom(ctx, st, o, known)
}

// readKnown is the read Rebuild starts from: every block from a day
// before the range on (a block is never longer than a day).
func readKnown(ctx context.Context, st *store.Store, o Options) ([]store.OutboxBlock, error) {
	return st.OutboxBlocks(ctx, o.Since.Add(-24*time.Hour), time.Time{})
}

// rebuildFrom is Rebuild from known, the outbox as readKnown read it.
func rebuildFrom(ctx context.Context, st *store.Store, o Options, known []store.OutboxBlock) ([]store.OutboxBlock, error) {
	built, err := buildOnly(ctx, st, o, known)
	if err != nil {
		return nil, err
	}
	built, skipped := fit(built, o.Taken, leftOnServer(known, o.Since), o.ServerZone, o.Blocks.MinBlock)
	keep := make(map[string]bool, len(built)+len(skipped))
	for _, ob := range built {
		if err := st.UpsertBlock(ctx, ob, o.InitialState()); err != nil {
			return nil, err
		}
		keep[ob.ID] = true
	}
	for _, ob := range skipped {
		if err := st.UpsertBlock(ctx, ob, store.BlockTaken); err != nil {
			return nil, err
		}
		keep[ob.ID] = true
	}
	// Blocks of the range not built again are stale (their time moved to
	// other blocks, or was excluded); the first hour is left alone, where
	// a block may have begun before the range.
	onServer, local := stale(known, o.Since.Add(time.Hour), o.Now, keep)
	if err := reconcileStale(ctx, st, onServer, built, known); err != nil {
		return nil, err
	}
	return built, st.DeleteBlocks(ctx, local)
}

// stale sorts the known blocks starting in [from, to) that were not built
// again: those with an entry on the server (whatever their state: a
// changed block waiting to be pushed again still owns its entry), and the
// ids of those that never reached it, which go.
func stale(known []store.OutboxBlock, from, to time.Time, keep map[string]bool) (onServer []store.OutboxBlock, local []string) {
	for _, b := range known {
		if keep[b.ID] || b.Start.Before(from) || !b.Start.Before(to) {
			continue
		}
		switch {
		case b.State == store.BlockRetract, b.State == store.BlockSending, b.State == store.BlockChanged, b.State == store.BlockDeleted:
		case b.RemoteID != 0:
			onServer = append(onServer, b)
		case b.State != store.BlockPushed:
			local = append(local, b.ID)
		}
	}
	return onServer, local
}

// leftOnServer is what this app has on the server that a rebuild from
// since leaves alone: the entries of blocks starting in the day before it.
func leftOnServer(known []store.OutboxBlock, since time.Time) []Span {
	var spans []Span
	for _, b := range known {
		if b.Start.Before(since) && (b.State == store.BlockPushed || b.State == store.BlockSending) {
			spans = append(spans, Span{Start: b.Start, End: b.End})
		}
	}
	return spans
}

// reconcileStale keeps the server in step with rebuilt blocks without a
// second entry for the same time: a stale block already on the server
// hands its entry to the new block that overlaps it most (that entry is
// updated in place at the next push); one no new block overlaps is marked
// to be deleted from the server.
func reconcileStale(ctx context.Context, st *store.Store, stale, built, known []store.OutboxBlock) error {
	if len(stale) == 0 {
		return nil
	}
	onServer := map[string]bool{}
	for _, b := range known {
		if b.RemoteID != 0 {
			onServer[b.ID] = true
		}
	}
	for _, s := range stale {
		best, bestLen := "", time.Duration(0)
		for _, n := range built {
			if onServer[n.ID] {
				continue
			}
			if l := span.Overlap(span.Span{Start: s.Start, End: s.End}, span.Span{Start: n.Start, End: n.End}); l > bestLen {
				best, bestLen = n.ID, l
			}
		}
		if best == "" {
			if err := st.SetBlockState(ctx, s.ID, store.BlockRetract, "", time.Time{}); err != nil {
				return err
			}
			continue
		}
		if err := st.AdoptRemote(ctx, s, best); err != nil {
			return err
		}
		onServer[best] = true
	}
	return nil
}

// Pieces reads the classified active time of [from, to): the rules decide
// each piece's project, excluded time is gone (classify.Service.Pieces).
type Pieces func(ctx context.Context, from, to time.Time, cutAFK bool) ([]classify.Piece, error)

// buildOnly builds the blocks without storing them: each piece of active
// time on its project, laid out per slot so every project keeps its time
// (blocks.BuildSlots). Projects kept local are left out; blocks the person
// edited keep their project and notes.
func buildOnly(ctx context.Context, st *store.Store, o Options, known []store.OutboxBlock) ([]store.OutboxBlock, error) {
	pieces, err := o.Pieces(ctx, o.Since, o.Now, o.CutAFK)
	if err != nil {
		return nil, err
	}
	projects, err := st.Projects(ctx)
	if err != nil {
		return nil, err
	}
	local := map[int64]bool{}
	for _, p := range projects {
		if !p.Push {
			local[p.ID] = true
		}
	}
	in := make([]blocks.Piece, 0, len(pieces))
	for _, p := range pieces {
		// A local project's time makes no block; the blocks keep off it.
		bp := blocks.Piece{Start: p.Start, End: p.End, Project: p.ProjectID, App: p.App, Title: p.Title,
			Task: p.Task, NotBillable: p.NotBillable, Tags: p.Tags, Away: p.Away, Local: local[p.ProjectID]}
		if !o.ByProject {
			bp.Key = p.App
		}
		in = append(in, bp)
	}
	edited := map[string]store.OutboxBlock{}
	for _, k := range known {
		if k.Edited {
			edited[k.ID] = k
		}
	}
	settings := o.Blocks
	settings.Location = o.ServerZone
	var out []store.OutboxBlock
	for _, b := range blocks.BuildSlots(in, settings) {
		ob := store.OutboxBlock{ID: b.ID, Start: b.Start, End: b.End, ProjectID: b.ProjectID, App: b.App,
			Notes: b.Notes, Tags: b.Tags, Task: b.Task, NotBillable: b.NotBillable}
		if k, ok := edited[b.ID]; ok {
			// The person's project and notes stay; new times still count.
			ob.ProjectID, ob.Notes = k.ProjectID, k.Notes
		}
		ob.ContentHash = ContentHash(ob)
		out = append(out, ob)
	}
	return out, nil
}
