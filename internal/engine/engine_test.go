package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// fakeService records syncs; each sync blocks until released when gate is set.
type fakeService struct {
	mu       sync.Mutex
	state    awsync.State
	syncs    []syncer.Mode
	running  atomic.Int32
	overlap  atomic.Bool
	gate     chan struct{}
	failWith error
	clock    *fakeClock
	noRecord bool         // fail before recording anything (as a sync that cannot start)
	reads    atomic.Int32 // State calls: database reads in the real service
}

func (f *fakeService) State(context.Context) (awsync.State, error) {
	f.reads.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state, nil
}

func (f *fakeService) Sync(ctx context.Context, req awsync.SyncRequest) (syncer.Result, error) {
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
	if f.noRecord {
		return syncer.Result{}, errors.New("the rules could not be read")
	}
	f.state.LastSyncAt = f.now()
	if f.failWith != nil {
		f.state.LastSyncStatus = store.StatusError
		return syncer.Result{Message: f.failWith.Error()}, f.failWith
	}
	f.state.LastSyncStatus = store.StatusSuccess
	return syncer.Result{Imported: 5, Updated: 2, Message: "Imported 5 events, skipped 0. Updated 2."}, nil
}

func (f *fakeService) now() time.Time {
	if f.clock != nil {
		return f.clock.Now()
	}
	return time.Now()
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

func configured(auto bool) awsync.State {
	cfg := config.Default()
	cfg.AutoSync, cfg.SyncInterval = auto, config.Interval15Min
	st := awsync.State{Config: cfg, Configured: true}
	st.IsActive = true
	return st
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 300; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out: %s", what)
}

// fakeClock is a wall clock the test sets; timers fire when it passes them.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeTimer
	sleeps  int // After calls: turns of the loop
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 28, 8, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps++
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeTimer{c.now.Add(d), ch})
	return ch
}

// Set moves the wall clock to t and fires the timers it passed. Like a
// machine waking from suspend, a jump fires each pending timer once.
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(t) {
			w.ch <- t
			continue
		}
		kept = append(kept, w)
	}
	c.waiters = kept
}

func (c *fakeClock) turns() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sleeps
}

func start(t *testing.T, o Options) (*Engine, context.Context) {
	t.Helper()
	e := New(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	eventually(t, "loop running", e.running.Load)
	return e, ctx
}

func status(e *Engine) Status {
	st, _ := e.Status(context.Background())
	return st
}

func TestSyncNowRequestsCoalesceAndNeverOverlap(t *testing.T) {
	svc := &fakeService{state: configured(false), gate: make(chan struct{})}
	e, ctx := start(t, Options{Syncer: svc, Clock: newFakeClock()})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = e.SyncNow(ctx, SyncRequest{}) }()
	eventually(t, "first sync running", func() bool { return status(e).Syncing })
	if st := status(e); st.Progress.Buckets != 2 || st.Progress.Imported != 5 {
		t.Errorf("progress not shown: %+v", st)
	}
	for i := 0; i < 5; i++ { // clicks while it runs
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = e.SyncNow(ctx, SyncRequest{}) }()
	}
	time.Sleep(30 * time.Millisecond) // let the clicks queue
	close(svc.gate)
	wg.Wait()
	if n := svc.count(); n != 2 || svc.overlap.Load() {
		t.Errorf("%d syncs (want the running one plus one coalesced), overlap %v", n, svc.overlap.Load())
	}
	if st := status(e); st.LastNew != 7 || st.LastStatus != store.StatusSuccess {
		t.Errorf("status after sync: %+v", st)
	}
}

func TestScheduledSyncRunsWhenDueAndPauseStopsIt(t *testing.T) {
	clk := newFakeClock()
	svc := &fakeService{state: configured(true), clock: clk} // never synced: due now
	e, ctx := start(t, Options{Syncer: svc, Clock: clk})
	eventually(t, "scheduled sync", func() bool { return svc.count() == 1 })
	clk.Set(clk.Now().Add(10 * time.Minute))
	time.Sleep(30 * time.Millisecond)
	if svc.count() != 1 || svc.syncs[0] != syncer.Incremental {
		t.Errorf("syncs %v: one incremental sync, then nothing until 15 min later", svc.syncs)
	}
	if next := status(e).NextSync; !next.Equal(clk.Now().Add(5 * time.Minute)) {
		t.Errorf("next sync %v, want 15 min after the first", next)
	}
	clk.Set(clk.Now().Add(5 * time.Minute))
	eventually(t, "second scheduled sync", func() bool { return svc.count() == 2 })
	if err := e.SetPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	if st := status(e); !st.Paused || !st.NextSync.IsZero() {
		t.Errorf("paused status %+v", st)
	}
	clk.Set(clk.Now().Add(2 * time.Hour))
	time.Sleep(30 * time.Millisecond)
	if n := svc.count(); n != 2 {
		t.Errorf("%d syncs while paused", n-2)
	}
	if err := e.SetPaused(ctx, false); err != nil {
		t.Fatal(err)
	}
	eventually(t, "sync after resuming", func() bool { return svc.count() == 3 })
}

// A machine that slept through many due times syncs once when it wakes.
func TestSyncsOnceAfterSleep(t *testing.T) {
	clk := newFakeClock()
	svc := &fakeService{state: configured(true), clock: clk}
	svc.state.LastSyncAt, svc.state.LastSyncStatus = clk.Now().Add(-time.Minute), store.StatusSuccess
	start(t, Options{Syncer: svc, Clock: clk})
	eventually(t, "loop asleep", func() bool { return clk.turns() > 0 })
	clk.Set(clk.Now().Add(10 * time.Hour)) // asleep for 10 hours: 40 missed slots
	eventually(t, "sync on waking", func() bool { return svc.count() == 1 })
	time.Sleep(50 * time.Millisecond)
	if n := svc.count(); n != 1 {
		t.Errorf("%d syncs after waking, want 1", n)
	}
}

// Idle turns of the loop read nothing: the schedule is cached.
func TestIdleLoopReadsNothing(t *testing.T) {
	clk := newFakeClock()
	st := configured(true)
	st.Config.SyncInterval = config.IntervalDaily
	svc := &fakeService{state: st, clock: clk}
	svc.state.LastSyncAt, svc.state.LastSyncStatus = clk.Now(), store.StatusSuccess
	start(t, Options{Syncer: svc, Clock: clk})
	eventually(t, "loop asleep", func() bool { return clk.turns() == 1 })
	reads := svc.reads.Load()
	for i := 2; i <= 30; i++ { // half an hour of minute-long sleeps
		clk.Set(clk.Now().Add(MaxSleep))
		eventually(t, "next turn", func() bool { return clk.turns() == i })
	}
	if n := svc.reads.Load() - reads; n != 0 || svc.count() != 0 {
		t.Errorf("idle loop read the settings %d times and synced %d times", n, svc.count())
	}
}

func TestInactiveNeverSyncs(t *testing.T) {
	clk := newFakeClock()
	st := configured(true)
	st.IsActive = false
	svc := &fakeService{state: st, clock: clk}
	start(t, Options{Syncer: svc, Clock: clk})
	clk.Set(clk.Now().Add(5 * time.Hour))
	time.Sleep(30 * time.Millisecond)
	if svc.count() != 0 {
		t.Errorf("inactive integration synced %d times", svc.count())
	}
}

func TestOneNotificationPerOutage(t *testing.T) {
	down := &activitywatch.UnreachableError{URL: "http://localhost:5600", Err: errors.New("connection refused")}
	svc := &fakeService{state: configured(false), failWith: down}
	n := &notes{}
	e, ctx := start(t, Options{Syncer: svc, Notifier: n, Clock: newFakeClock()})
	for i := 1; i <= 3; i++ {
		if _, err := e.SyncNow(ctx, SyncRequest{}); !errors.As(err, new(*activitywatch.UnreachableError)) {
			t.Fatalf("sync %d: %v", i, err)
		}
	}
	if got := n.all(); len(got) != 1 || got[0] != "aw-timetracker: ActivityWatch not reachable" {
		t.Errorf("notifications %q, want one", got)
	}
	if !status(e).Unreachable {
		t.Error("status does not say unreachable")
	}
	svc.mu.Lock()
	svc.failWith = nil
	svc.mu.Unlock()
	if _, err := e.SyncNow(ctx, SyncRequest{}); err != nil {
		t.Fatal(err)
	}
	svc.mu.Lock()
	svc.failWith = down
	svc.mu.Unlock()
	_, _ = e.SyncNow(ctx, SyncRequest{})
	if got := n.all(); len(got) != 2 {
		t.Errorf("a new outage after recovery should notify again: %q", got)
	}
}

type fakePusher struct {
	mode     config.PushMode
	pushes   atomic.Int32
	rebuilds atomic.Int32
	err      error
	mu       sync.Mutex
	last     store.PushRun
}

func (p *fakePusher) State(context.Context) (push.State, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := push.State{Configured: true, Config: config.DefaultRemote(), LastPush: p.last, Pushed: !p.last.At.IsZero()}
	st.IsActive, st.Config.PushMode = true, p.mode
	return st, nil
}

func (p *fakePusher) Rebuild(context.Context) ([]store.OutboxBlock, error) {
	p.rebuilds.Add(1)
	return nil, nil
}

func (p *fakePusher) Push(context.Context) (push.Result, error) {
	p.pushes.Add(1)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = store.PushRun{At: time.Now(), Status: store.StatusSuccess, Created: 3}
	if p.err != nil {
		p.last.Status, p.last.Message = store.StatusError, p.err.Error()
	}
	return push.Result{Created: 3}, p.err
}

func TestAfterSyncPushesInAutoModeAndRebuildsInReview(t *testing.T) {
	for _, mode := range []config.PushMode{config.PushAuto, config.PushReview} {
		t.Run(string(mode), func(t *testing.T) {
			svc := &fakeService{state: configured(false)}
			p := &fakePusher{mode: mode}
			e, ctx := start(t, Options{Syncer: svc, Pusher: p, Clock: newFakeClock(), AfterSync: true})
			if _, err := e.SyncNow(ctx, SyncRequest{}); err != nil {
				t.Fatal(err)
			}
			wantPushes := int32(0)
			if mode == config.PushAuto {
				wantPushes = 1
			} else if p.rebuilds.Load() != 1 {
				t.Errorf("review mode: %d rebuilds after the sync, want 1", p.rebuilds.Load())
			}
			if p.pushes.Load() != wantPushes {
				t.Errorf("%d pushes after the sync, want %d", p.pushes.Load(), wantPushes)
			}
			out, err := e.PushNow(ctx)
			if err != nil || out.Created != 3 || p.pushes.Load() != wantPushes+1 {
				t.Errorf("push now: %+v %v (%d pushes)", out, err, p.pushes.Load())
			}
			st := status(e)
			if !st.Remote || st.LastPushSent != 3 || st.LastPush.IsZero() {
				t.Errorf("status does not show the push: %+v", st)
			}
			if got := st.PushSummary(time.UTC); got != "Last push "+st.LastPush.UTC().Format("15:04")+" · 3 sent" {
				t.Errorf("push summary %q", got)
			}
		})
	}
}

func TestPushProblemShown(t *testing.T) {
	svc := &fakeService{state: configured(false)}
	p := &fakePusher{mode: config.PushReview, err: errors.New("the token was refused")}
	e, ctx := start(t, Options{Syncer: svc, Pusher: p, Clock: newFakeClock()})
	if _, err := e.PushNow(ctx); err == nil {
		t.Fatal("push error lost")
	}
	if st := status(e); st.PushProblem != "the token was refused" || st.LastPushStatus != store.StatusError {
		t.Errorf("status %+v", st)
	}
}

// Without a running loop (the CLI, a window process with no tray) the
// engine works in the caller's goroutine, one operation at a time.
func TestWithoutLoopRunsInline(t *testing.T) {
	svc := &fakeService{state: configured(false)}
	e := New(Options{Syncer: svc})
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.SyncNow(context.Background(), SyncRequest{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if svc.count() != 3 || svc.overlap.Load() {
		t.Errorf("%d syncs, overlap %v", svc.count(), svc.overlap.Load())
	}
	if _, err := e.PushNow(context.Background()); !errors.Is(err, push.ErrNoRemote) {
		t.Errorf("push without a pusher: %v", err)
	}
}

// A scheduled sync that fails before it records its outcome (or is
// cancelled) is not retried at once, in a loop, but after the retry
// interval; the loop ends with its context.
func TestFailingScheduledSyncDoesNotSpin(t *testing.T) {
	clk := newFakeClock()
	svc := &fakeService{state: configured(true), clock: clk, noRecord: true}
	start(t, Options{Syncer: svc, Clock: clk})
	eventually(t, "first attempt", func() bool { return svc.count() == 1 })
	time.Sleep(50 * time.Millisecond)
	if n := svc.count(); n != 1 {
		t.Fatalf("%d attempts without the clock moving: the loop spins", n)
	}
	clk.Set(clk.Now().Add(16 * time.Minute))
	eventually(t, "retry after the interval", func() bool { return svc.count() == 2 })
}

// Watch gives the status now and after each change, and lets go when its
// context ends.
func TestWatch(t *testing.T) {
	svc := &fakeService{state: configured(false)}
	e, ctx := start(t, Options{Syncer: svc, Clock: newFakeClock()})
	wctx, cancel := context.WithCancel(ctx)
	seen := make(chan Status, 16)
	done := make(chan error, 1)
	go func() { done <- e.Watch(wctx, func(st Status) { seen <- st }) }()
	if st := <-seen; st.Paused {
		t.Fatalf("first status %+v, want the current (not paused)", st)
	}
	if err := e.SetPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	for st := range seen {
		if st.Paused {
			break // the change arrived
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	n := len(e.subs)
	e.mu.Unlock()
	if n != 0 {
		t.Errorf("%d subscribers left after the watch ended", n)
	}
}

// The status says what is pinned, and stops saying it when the pin ends.
func TestStatusShowsThePinUntilItEnds(t *testing.T) {
	clk := newFakeClock()
	until := clk.Now().Add(10 * time.Minute)
	svc := &fakeService{state: configured(false)}
	e, _ := start(t, Options{Syncer: svc, Clock: clk,
		CurrentPin: func(_ context.Context, now time.Time) (string, time.Time, bool, error) {
			return "Client A", until, now.Before(until), nil
		}})
	if st := status(e); st.Pinned != "Client A" || !st.PinnedUntil.Equal(until) {
		t.Fatalf("status %+v, want Client A pinned until %v", st, until)
	}
	clk.Set(until.Add(time.Second))
	eventually(t, "the pin to end in the status", func() bool { return status(e).Pinned == "" })
}

// A new unanswered absence is asked about once, after the sync that found
// it; one the person put off ("later") is not.
func TestAskAwayOncePerAbsence(t *testing.T) {
	clk := newFakeClock()
	from, to := clk.Now().Add(-time.Hour), clk.Now().Add(-10*time.Minute)
	var asked []time.Time
	later := false
	svc := &fakeService{state: configured(false)}
	e, ctx := start(t, Options{Syncer: svc, Clock: clk,
		Away: func(context.Context, time.Time) (time.Time, time.Time, bool, bool, error) {
			return from, to, later, true, nil
		},
		AskAway: func(f, _ time.Time) { asked = append(asked, f) }})
	for i := 0; i < 2; i++ {
		if _, err := e.SyncNow(ctx, SyncRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	if len(asked) != 1 || !asked[0].Equal(from) {
		t.Fatalf("asked %v, want once for %v", asked, from)
	}
	if st := status(e); !st.AwayFrom.Equal(from) || !st.AwayTo.Equal(to) {
		t.Errorf("status away %v-%v", st.AwayFrom, st.AwayTo)
	}
	from, later = from.Add(20*time.Minute), true // another, put off
	if _, err := e.SyncNow(ctx, SyncRequest{}); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 {
		t.Errorf("an absence put off was asked about: %v", asked)
	}
}
