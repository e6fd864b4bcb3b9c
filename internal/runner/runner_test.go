package runner

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/integration"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// fakeService records syncs; each sync blocks until released when gate is set.
type fakeService struct {
	mu       sync.Mutex
	state    integration.State
	syncs    []syncer.Mode
	running  atomic.Int32
	overlap  atomic.Bool
	gate     chan struct{}
	failWith error
}

func (f *fakeService) State(context.Context) (integration.State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state, nil
}

func (f *fakeService) Sync(ctx context.Context, req integration.SyncRequest) (syncer.Result, error) {
	if f.running.Add(1) > 1 {
		f.overlap.Store(true)
	}
	defer f.running.Add(-1)
	if req.Progress != nil {
		req.Progress(syncer.Progress{BucketIndex: 1, Buckets: 2, ChunksDone: 1, Chunks: 1, Imported: 5})
	}
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.syncs = append(f.syncs, req.Mode)
	f.state.LastSyncAt = time.Now()
	if f.failWith != nil {
		f.state.LastSyncStatus = "error"
		return syncer.Result{Message: f.failWith.Error()}, f.failWith
	}
	f.state.LastSyncStatus = "success"
	return syncer.Result{Imported: 5, Updated: 2, Message: "Imported 5 events, skipped 0. Updated 2."}, nil
}

func (f *fakeService) SetPaused(_ context.Context, p bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state.Config.Paused = p
	return nil
}

func (f *fakeService) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.syncs)
}

type notes struct {
	mu    sync.Mutex
	texts []string
}

func (n *notes) Notify(title, body string) {
	n.mu.Lock()
	n.texts = append(n.texts, title)
	n.mu.Unlock()
}

func (n *notes) all() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.texts...)
}

func configured(auto bool) integration.State {
	cfg := config.Default()
	cfg.AutoSync, cfg.SyncInterval = auto, config.Interval15Min
	st := integration.State{Config: cfg, Configured: true}
	st.IsActive = true
	return st
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out: %s", what)
}

func TestSyncNowRequestsCoalesceAndNeverOverlap(t *testing.T) {
	svc := &fakeService{state: configured(false), gate: make(chan struct{})}
	r := New(svc, nil, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.Run(ctx)
	r.SyncNow()
	eventually(t, "first sync running", func() bool { return r.Status().Syncing })
	st := r.Status()
	if st.BucketsTotal != 2 || st.Imported != 5 {
		t.Errorf("progress not shown: %+v", st)
	}
	for i := 0; i < 5; i++ { // clicks while it runs
		r.SyncNow()
	}
	close(svc.gate)
	eventually(t, "two syncs", func() bool { return svc.count() == 2 && !r.Status().Syncing })
	time.Sleep(50 * time.Millisecond)
	if n := svc.count(); n != 2 || svc.overlap.Load() {
		t.Errorf("%d syncs (want the running one plus one coalesced), overlap %v", n, svc.overlap.Load())
	}
	if st := r.Status(); st.LastNew != 7 || st.LastStatus != "success" {
		t.Errorf("status after sync: %+v", st)
	}
}

func TestScheduledSyncRunsWhenDueAndPauseStopsIt(t *testing.T) {
	svc := &fakeService{state: configured(true)} // never synced: due now
	r := New(svc, nil, 10*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.Run(ctx)
	eventually(t, "scheduled sync", func() bool { return svc.count() == 1 })
	time.Sleep(100 * time.Millisecond)
	if svc.count() != 1 || svc.syncs[0] != syncer.Incremental {
		t.Errorf("syncs %v: one incremental sync, then nothing until 15 min later", svc.syncs)
	}
	if next := r.Status().NextSync; next.IsZero() {
		t.Error("next sync not shown")
	}
	if err := r.SetPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	if st := r.Status(); !st.Paused || !st.NextSync.IsZero() {
		t.Errorf("paused status %+v", st)
	}
}

func TestOneNotificationPerOutage(t *testing.T) {
	down := &activitywatch.UnreachableError{URL: "http://localhost:5600", Err: errors.New("connection refused")}
	svc := &fakeService{state: configured(false), failWith: down}
	n := &notes{}
	r := New(svc, n, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.Run(ctx)
	for i := 1; i <= 3; i++ {
		if err := r.SyncNowWait(ctx); !errors.As(err, new(*activitywatch.UnreachableError)) {
			t.Fatalf("sync %d: %v", i, err)
		}
	}
	if got := n.all(); len(got) != 1 || got[0] != "aw-timetracker: ActivityWatch not reachable" {
		t.Errorf("notifications %q, want one", got)
	}
	if !r.Status().Unreachable {
		t.Error("status does not say unreachable")
	}
	svc.mu.Lock()
	svc.failWith = nil
	svc.mu.Unlock()
	if err := r.SyncNowWait(ctx); err != nil {
		t.Fatal(err)
	}
	svc.mu.Lock()
	svc.failWith = down
	svc.mu.Unlock()
	_ = r.SyncNowWait(ctx)
	if got := n.all(); len(got) != 2 {
		t.Errorf("a new outage after recovery should notify again: %q", got)
	}
}

type fakePusher struct {
	auto   bool
	pushes atomic.Int32
	err    error
}

func (p *fakePusher) Configured(context.Context) bool { return true }
func (p *fakePusher) AutoPush(context.Context) bool   { return p.auto }
func (p *fakePusher) PushNow(context.Context) (string, error) {
	p.pushes.Add(1)
	return "3 new", p.err
}

func TestPushAfterSyncOnlyInAutoMode(t *testing.T) {
	for _, auto := range []bool{true, false} {
		svc := &fakeService{state: configured(false)}
		p := &fakePusher{auto: auto}
		r := New(svc, nil, time.Hour)
		r.SetPusher(p)
		ctx, cancel := context.WithCancel(context.Background())
		go r.Run(ctx)
		if err := r.SyncNowWait(ctx); err != nil {
			t.Fatal(err)
		}
		want := int32(0)
		if auto {
			want = 1
			eventually(t, "push after sync", func() bool { return p.pushes.Load() == 1 && r.Status().LastPush == "3 new" })
		}
		r.PushNow()
		eventually(t, "push now", func() bool { return p.pushes.Load() == want+1 })
		if !r.Status().Remote {
			t.Error("status does not show the remote")
		}
		cancel()
	}
}
