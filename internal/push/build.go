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
func Rebuild(ctx context.Context, st *store.Store, o Options) ([]store.OutboxBlock, error) {
	built, err := buildOnly(ctx, st, o)
	if err != nil {
		return nil, err
	}
	left, err := leftOnServer(ctx, st, o.Since)
	if err != nil {
		return nil, err
	}
	built, skipped := fit(built, o.Taken, left, o.ServerZone, o.Blocks.MinBlock)
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
	from := o.Since.Add(time.Hour)
	if err := reconcileStale(ctx, st, from, o.Now, built, keep); err != nil {
		return nil, err
	}
	if _, err := st.DeleteStaleBlocks(ctx, from, o.Now, keep); err != nil {
		return nil, err
	}
	return built, nil
}

// leftOnServer is what this app has on the server that a rebuild from
// since leaves alone: the entries of blocks starting before it.
func leftOnServer(ctx context.Context, st *store.Store, since time.Time) ([]Span, error) {
	bs, err := st.OutboxBlocks(ctx, since.Add(-24*time.Hour), since, store.BlockPushed, store.BlockSending)
	if err != nil {
		return nil, err
	}
	spans := make([]Span, 0, len(bs))
	for _, b := range bs {
		spans = append(spans, Span{Start: b.Start, End: b.End})
	}
	return spans, nil
}

// reconcileStale keeps the server in step with rebuilt blocks without a
// second entry for the same time: a stale block already on the server
// hands its entry to the new block that overlaps it most (that entry is
// updated in place at the next push); one no new block overlaps is marked
// to be deleted from the server.
func reconcileStale(ctx context.Context, st *store.Store, from, to time.Time, built []store.OutboxBlock, keep map[string]bool) error {
	stale, err := st.StaleRemote(ctx, from, to, keep)
	if err != nil || len(stale) == 0 {
		return err
	}
	current, err := st.OutboxBlocks(ctx, from.Add(-24*time.Hour), time.Time{})
	if err != nil {
		return err
	}
	onServer := map[string]bool{}
	for _, b := range current {
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
func buildOnly(ctx context.Context, st *store.Store, o Options) ([]store.OutboxBlock, error) {
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
		if local[p.ProjectID] {
			continue
		}
		bp := blocks.Piece{Start: p.Start, End: p.End, Project: p.ProjectID, App: p.App, Title: p.Title}
		if !o.ByProject {
			bp.Key = p.App
		}
		in = append(in, bp)
	}
	known, err := st.OutboxBlocks(ctx, o.Since.Add(-24*time.Hour), time.Time{})
	if err != nil {
		return nil, err
	}
	edited := map[string]store.OutboxBlock{}
	for _, k := range known {
		if k.Edited {
			edited[k.ID] = k
		}
	}
	settings := o.Blocks
	var out []store.OutboxBlock
	for _, b := range blocks.BuildSlots(in, settings) {
		ob := store.OutboxBlock{ID: b.ID, Start: b.Start, End: b.End, ProjectID: b.ProjectID, App: b.App,
			Notes: b.Notes, Tags: b.Tags}
		if k, ok := edited[b.ID]; ok {
			// The person's project and notes stay; new times still count.
			ob.ProjectID, ob.Notes = k.ProjectID, k.Notes
		}
		ob.ContentHash = ContentHash(ob)
		out = append(out, ob)
	}
	return out, nil
}
