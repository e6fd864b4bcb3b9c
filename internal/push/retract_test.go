package push

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// A block whose time is excluded is retracted (its entry deleted, the
// block forgotten); when the exclusion goes, the same block (same id) is
// built again and must get a new entry of its own. Its create must not be
// answered with the entry this app deleted (an idempotent replay of the
// key it was first created with): the block would hold the id of an entry
// that is gone, and the next push would take that for a person's deletion
// ("it is theirs now"), leave its time empty and count it as lost to
// entries already on the server. Built again before the push that would
// remove its entry, it keeps that entry.
func TestRetractedBlockBuiltAgainIsNotTakenForAPersonsDeletion(t *testing.T) {
	for _, tc := range []struct {
		name string
		kept bool // the block's entry stays on the server throughout
		// exclude excludes the block's time (hide), then brings it back
		// (show), doing what the person's commands would in between.
		exclude func(t *testing.T, ctx context.Context, svc *Service, hide, show func())
	}{
		{"removed by a push, back at the next", false, func(t *testing.T, ctx context.Context, svc *Service, hide, show func()) {
			hide()
			if res, err := svc.Push(ctx); err != nil || res.Removed != 1 {
				t.Fatalf("push with the block's time excluded: %+v %v (want 1 entry removed)", res, err)
			}
			show()
		}},
		{"marked by a rebuild, back before the push: its entry stays", true, func(t *testing.T, ctx context.Context, svc *Service, hide, show func()) {
			hide()
			if _, err := svc.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			show()
			if _, err := svc.Push(ctx); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			hs := httptest.NewServer(e.fake)
			t.Cleanup(hs.Close)
			var hidden atomic.Pointer[store.OutboxBlock] // the block whose time is excluded, for now
			pieces := classify.New(e.st, zerolog.Nop()).Pieces
			svc := NewService(Deps{Store: e.st, Secrets: secret.Store{Service: "test", Dir: t.TempDir()},
				NewClient: func(u, tok string, pace *timetracker.Pacer) (API, error) {
					return timetracker.New(u, tok, 5*time.Second, pace)
				}, Lookback: days(3), Log: zerolog.Nop(), Now: func() time.Time { return snapshot.Add(time.Hour) },
				Pieces: func(ctx context.Context, from, to time.Time, cutAFK bool) ([]classify.Piece, error) {
					ps, err := pieces(ctx, from, to, cutAFK)
					h := hidden.Load()
					if err != nil || h == nil {
						return ps, err
					}
					var kept []classify.Piece // an exclude rule over the block's time
					for _, p := range ps {
						if !(p.End.After(h.Start) && p.Start.Before(h.End)) {
							kept = append(kept, p)
						}
					}
					return kept, nil
				}})
			cfg := config.DefaultRemote()
			cfg.ServerURL = hs.URL
			if _, err := svc.Setup(ctx, whole(cfg), token, "Deep work"); err != nil {
				t.Fatal(err)
			}
			if res, err := svc.Push(ctx); err != nil || res.Created < 5 {
				t.Fatalf("first push: %+v %v", res, err)
			}
			pushed, err := svc.Blocks(ctx, time.Time{}, time.Time{}, store.BlockPushed)
			if err != nil || len(pushed) < 5 {
				t.Fatalf("%d pushed blocks, %v", len(pushed), err)
			}
			target := pushed[3]
			onServer := func(id int64) bool {
				for _, en := range e.fake.Entries() {
					if en.ID == id {
						return true
					}
				}
				return false
			}
			if !onServer(target.RemoteID) {
				t.Fatalf("block %s: entry %d not on the server", target.ID[:10], target.RemoteID)
			}

			tc.exclude(t, ctx, svc, func() { hidden.Store(&target) }, func() { hidden.Store(nil) })
			if on := onServer(target.RemoteID); on != tc.kept {
				t.Fatalf("entry %d of the excluded block on the server: %v, want %v", target.RemoteID, on, tc.kept)
			}

			// The same block is built and pushed again: as a new entry, or
			// in the entry it kept.
			want := 1
			if tc.kept {
				want = 0
			}
			if res, err := svc.Push(ctx); err != nil || res.Created != want {
				t.Fatalf("push with the time back: %+v %v (want %d created)", res, err, want)
			}
			again, err := e.st.OutboxBlock(ctx, target.ID)
			if err != nil {
				t.Fatal(err)
			}
			if again.State != store.BlockPushed || again.RemoteID == 0 || !onServer(again.RemoteID) || tc.kept && again.RemoteID != target.RemoteID {
				t.Errorf("block %s back: %s, remote id %d (on the server: %v; the deleted entry was %d)",
					again.ID[:10], again.State, again.RemoteID, onServer(again.RemoteID), target.RemoteID)
			}

			// Nobody touched the server: the next push finds everything as it wrote it.
			if res, err := svc.Push(ctx); err != nil || res.Created+res.Updated+res.Removed+res.Conflicts != 0 {
				t.Errorf("a push after nothing changed: %+v %v", res, err)
			}
			final, _ := e.st.OutboxBlock(ctx, target.ID)
			if final.State != store.BlockPushed || final.Trimmed != 0 {
				t.Errorf("own entry taken for a person's: block %s is %s, trimmed %v", final.ID[:10], final.State, final.Trimmed)
			}
			if st, _ := svc.State(ctx); st.Trimmed != 0 {
				t.Errorf("remote status: %v lost from %d blocks to entries already on the server; nobody made any", st.Trimmed, st.TrimmedBlocks)
			}
			assertNoOverlap(t, e.fake.Entries())
		})
	}
}
