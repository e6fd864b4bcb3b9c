// Package engine is the always-on part of the app: it owns the schedule,
// syncs from ActivityWatch, pushes to TimeTracker, their state and the
// notifications. The tray process and the headless daemon run one; the
// windows and the CLI reach it through Controller, either in-process or
// over the control socket (internal/control), so a sync or a push never
// runs twice at once.
package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/scheduler"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// Controller is how the tray, the windows, the CLI and the daemon drive
// the app. *Engine implements it in-process; control.Client over the
// socket.
type Controller interface {
	// SyncNow syncs and returns when a sync that started after the call
	// has finished. Calls made while a sync runs share one more run.
	SyncNow(ctx context.Context, req SyncRequest) (SyncOutcome, error)
	// PushNow rebuilds the outbox and pushes what is ready.
	PushNow(ctx context.Context) (PushOutcome, error)
	Status(ctx context.Context) (Status, error)
	// Reload re-reads the settings after they changed elsewhere.
	Reload(ctx context.Context) error
	// SetPaused pauses or resumes automatic syncs (saved with the settings).
	SetPaused(ctx context.Context, paused bool) error
	// ApplyRules applies the saved rules to all stored activity and
	// rebuilds the blocks, between syncs and pushes, never beside one.
	ApplyRules(ctx context.Context) (classify.Applied, error)
	// Watch calls f with the status now and after every change until ctx
	// ends (f runs on a goroutine of the engine's; keep it short).
	Watch(ctx context.Context, f func(Status)) error
}

// SyncRequest says what to sync; the zero value is Sync Now.
type SyncRequest struct {
	Mode     syncer.Mode `json:"mode"`
	From, To time.Time   // Range only
}

// SyncOutcome is what a sync did.
type SyncOutcome struct {
	Message  string        `json:"message"`
	Imported int           `json:"imported"`
	Updated  int           `json:"updated"`
	Skipped  int           `json:"skipped"`
	Errors   []string      `json:"errors,omitempty"`
	Buckets  []BucketCount `json:"buckets,omitempty"`
	// From and To are the range read (the earliest start of any bucket's).
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// BucketCount is one bucket's share of a sync.
type BucketCount struct {
	Bucket                     string `json:"bucket"`
	Imported, Updated, Skipped int
}

// PushOutcome is what a push did.
type PushOutcome struct {
	Created   int      `json:"created"`
	Updated   int      `json:"updated"`
	Failed    int      `json:"failed"`
	Conflicts int      `json:"conflicts"`
	Waiting   int      `json:"waiting"`
	Removed   int      `json:"removed"` // server entries no block stands for any more
	Errors    []string `json:"errors,omitempty"`
}

// Syncer is the ActivityWatch integration the engine drives.
type Syncer interface {
	State(ctx context.Context) (awsync.State, error)
	Sync(ctx context.Context, req awsync.SyncRequest) (syncer.Result, error)
	SetPaused(ctx context.Context, paused bool) error
}

// Pusher is the TimeTracker side.
type Pusher interface {
	State(ctx context.Context) (push.State, error)
	Rebuild(ctx context.Context) ([]store.OutboxBlock, error)
	Push(ctx context.Context) (push.Result, error)
}

// Rules re-decide stored activity after the rules changed.
type Rules interface {
	Apply(ctx context.Context) (classify.Applied, error)
	Checkpoint(ctx context.Context) error
}

// Notifier shows a desktop notification; failures are the notifier's to log.
type Notifier interface {
	Notify(title, body string)
}

// Clock is the wall clock and the timer the loop sleeps on (injected in
// tests to simulate sleep and resume).
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// MaxSleep bounds how long the loop sleeps between looks at the wall
// clock. Timers stop while a machine is suspended, so a due time passed in
// sleep is noticed at most this long after waking.
const MaxSleep = time.Minute

// Options configure an engine.
type Options struct {
	Syncer   Syncer
	Pusher   Pusher   // nil: no TimeTracker side
	Rules    Rules    // nil: rules cannot change here
	Notifier Notifier // nil: no notifications
	Clock    Clock    // nil: the real one
	// AfterSync rebuilds the outbox after every successful sync and pushes
	// in auto mode: what the tray and the daemon do. One-shot CLI syncs
	// leave it off (push is its own command there).
	AfterSync bool
	// CurrentPin says what is pinned at now ("working on", for the status);
	// nil: pins are not shown.
	CurrentPin func(ctx context.Context, now time.Time) (project string, until time.Time, ok bool, err error)
	// Away is the newest absence still waiting for an answer (asked: the
	// person said "later"); nil: absences are not shown. AskAway is called
	// once for each new one not asked about yet, after the sync that found
	// it (the tray opens the prompt); the notifier tells of it too.
	Away    func(ctx context.Context, now time.Time) (from, to time.Time, asked, ok bool, err error)
	AskAway func(from, to time.Time)
}

// Engine runs syncs and pushes one at a time and keeps their status.
type Engine struct {
	o     Options
	clock Clock

	work      sync.Mutex // held for a whole sync or push
	running   atomic.Bool
	refreshed atomic.Bool // the settings were read at least once
	notify    sync.Mutex  // status changes reach subscribers in order
	wake      chan struct{}

	mu           sync.Mutex
	jobs         []job
	status       Status
	subs         map[int]func(Status)
	subList      []func(Status) // subs' values, rebuilt when they change
	awayAsked    bool           // the absence the status shows was put off ("later")
	awayNotified time.Time      // the start of the last absence asked about
	nextSub      int
	inOutage     bool
	sched        schedule
	lastPush     PushOutcome
	lastPushErr  error
}

// schedule is what the loop needs from the settings, cached so an idle
// tick reads no database and allocates nothing: the next due time is
// worked out (zone files and all) when the schedule changes, not per tick.
type schedule struct {
	cfg        config.Config
	active     bool
	lastSync   time.Time
	lastFailed bool
	due        time.Time
	scheduled  bool // due is set: something is scheduled
}

// withDue returns sc with its next due time worked out.
func (sc schedule) withDue() schedule {
	sc.due, sc.scheduled = time.Time{}, false
	if sc.active && !sc.cfg.Paused {
		sc.due, sc.scheduled = scheduler.Next(sc.cfg, sc.lastSync, sc.lastFailed)
	}
	return sc
}

type job struct {
	push bool
	req  SyncRequest
	done chan result
}

type result struct {
	sync SyncOutcome
	push PushOutcome
	err  error
}

// New returns an engine; Run starts its loop.
func New(o Options) *Engine {
	c := o.Clock
	if c == nil {
		c = realClock{}
	}
	return &Engine{o: o, clock: c, wake: make(chan struct{}, 1)}
}

var _ Controller = (*Engine)(nil)

// Subscribe registers f to be called after every status change (from the
// goroutine that changed it); the returned func stops it.
func (e *Engine) Subscribe(f func(Status)) (cancel func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.subs == nil {
		e.subs = map[int]func(Status){}
	}
	id := e.nextSub
	e.nextSub++
	e.subs[id] = f
	e.listSubs()
	return func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.subs, id)
		e.listSubs()
	}
}

// listSubs rebuilds subList (e.mu held): a status change then calls them
// without allocating.
func (e *Engine) listSubs() {
	e.subList = make([]func(Status), 0, len(e.subs))
	for id := range e.nextSub {
		if f, ok := e.subs[id]; ok {
			e.subList = append(e.subList, f) // in the order they came
		}
	}
}

// Watch is Controller.Watch in this process.
func (e *Engine) Watch(ctx context.Context, f func(Status)) error {
	changes := make(chan Status, 1)
	stop := e.Subscribe(func(st Status) {
		select { // the newest status replaces one not yet taken
		case <-changes:
		default:
		}
		changes <- st
	})
	defer stop()
	// Subscribed first, then read: a change in between is not lost.
	st, err := e.Status(ctx)
	if err != nil {
		return err
	}
	f(st)
	for {
		select {
		case <-ctx.Done():
			return nil
		case st := <-changes:
			f(st)
		}
	}
}

// Status returns the current status. An engine whose loop does not run
// (a window process without a tray) reads the settings on first use.
func (e *Engine) Status(ctx context.Context) (Status, error) {
	if !e.running.Load() && !e.refreshed.Load() {
		if err := e.refresh(ctx); err != nil {
			return Status{}, err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status, nil
}

func (e *Engine) update(f func(*Status)) {
	e.notify.Lock() // held while subscribers run, so they see changes in order
	defer e.notify.Unlock()
	e.mu.Lock()
	before := e.status
	f(&e.status)
	st, changed := e.status, !before.equal(e.status)
	subs := e.subList
	e.mu.Unlock()
	if !changed {
		return
	}
	for _, s := range subs {
		s(st)
	}
}

// SyncNow syncs: through the loop when it runs (so requests coalesce),
// else right here.
func (e *Engine) SyncNow(ctx context.Context, req SyncRequest) (SyncOutcome, error) {
	if !e.running.Load() {
		e.work.Lock()
		defer e.work.Unlock()
		return e.runSync(ctx, req)
	}
	r, err := e.enqueue(ctx, job{req: req})
	if err != nil {
		return SyncOutcome{}, err
	}
	return r.sync, r.err
}

// PushNow pushes: through the loop when it runs, else right here.
func (e *Engine) PushNow(ctx context.Context) (PushOutcome, error) {
	if !e.running.Load() {
		e.work.Lock()
		defer e.work.Unlock()
		return e.runPush(ctx)
	}
	r, err := e.enqueue(ctx, job{push: true})
	if err != nil {
		return PushOutcome{}, err
	}
	return r.push, r.err
}

func (e *Engine) enqueue(ctx context.Context, j job) (result, error) {
	j.done = make(chan result, 1)
	e.mu.Lock()
	e.jobs = append(e.jobs, j)
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
	select {
	case r := <-j.done:
		return r, nil
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

// ApplyRules applies the saved rules to everything stored, rebuilds the
// blocks (pushed ones are updated at the next push) and scrubs removed
// text from the WAL, holding the work lock: a sync that read the old rules
// has finished, and no push sends blocks while they are rebuilt.
func (e *Engine) ApplyRules(ctx context.Context) (classify.Applied, error) {
	if e.o.Rules == nil {
		return classify.Applied{}, errors.New("this engine has no rules")
	}
	e.work.Lock()
	defer e.work.Unlock()
	a, err := e.o.Rules.Apply(ctx)
	if err != nil {
		return a, err
	}
	if e.o.Pusher != nil {
		if _, err := e.o.Pusher.Rebuild(ctx); err != nil && !errors.Is(err, push.ErrNoRemote) {
			return a, err
		}
	}
	if err := e.o.Rules.Checkpoint(ctx); err != nil {
		return a, err
	}
	return a, e.refresh(ctx)
}

// Reload re-reads the settings (after they changed elsewhere).
func (e *Engine) Reload(ctx context.Context) error {
	err := e.refresh(ctx)
	select {
	case e.wake <- struct{}{}: // the schedule may have moved
	default:
	}
	return err
}

// SetPaused pauses or resumes automatic syncs; it is saved with the settings.
func (e *Engine) SetPaused(ctx context.Context, paused bool) error {
	if err := e.o.Syncer.SetPaused(ctx, paused); err != nil {
		return err
	}
	return e.Reload(ctx)
}

// refresh reads the settings and the last outcomes into the status and
// the cached schedule.
func (e *Engine) refresh(ctx context.Context) error {
	st, err := e.o.Syncer.State(ctx)
	if err != nil {
		e.update(func(s *Status) { s.LastError = err.Error() })
		return err
	}
	var ps push.State
	if e.o.Pusher != nil {
		if ps, err = e.o.Pusher.State(ctx); err != nil {
			e.update(func(s *Status) { s.PushProblem = err.Error() })
		}
	}
	e.refreshed.Store(true)
	sc := schedule{cfg: st.Config, active: st.Configured && st.IsActive, lastSync: st.LastSyncAt,
		lastFailed: st.LastSyncStatus == store.StatusError}.withDue()
	e.mu.Lock()
	e.sched = sc
	e.mu.Unlock()
	next, ok := sc.due, sc.scheduled
	var pinned string
	var pinnedUntil time.Time
	if e.o.CurrentPin != nil {
		var held bool
		if pinned, pinnedUntil, held, err = e.o.CurrentPin(ctx, e.clock.Now()); err != nil || !held {
			pinned, pinnedUntil = "", time.Time{}
		}
	}
	var awayFrom, awayTo time.Time
	var awayAsked bool
	if e.o.Away != nil {
		var held bool
		if awayFrom, awayTo, awayAsked, held, err = e.o.Away(ctx, e.clock.Now()); err != nil || !held {
			awayFrom, awayTo, awayAsked = time.Time{}, time.Time{}, false
		}
	}
	e.mu.Lock()
	e.awayAsked = awayAsked
	e.mu.Unlock()
	e.update(func(s *Status) {
		s.AwayFrom, s.AwayTo = awayFrom, awayTo
		s.Pinned, s.PinnedUntil = pinned, pinnedUntil
		s.Configured, s.Active, s.AutoSync, s.Paused = st.Configured, st.IsActive, st.Config.AutoSync, st.Config.Paused
		s.Language = st.Config.Language
		s.LastSync, s.LastStatus, s.LastError = st.LastSyncAt, st.LastSyncStatus, st.LastError
		s.NextSync = time.Time{}
		if ok {
			s.NextSync = next
		}
		s.Remote, s.PushMode = ps.Configured && ps.IsActive, ps.Config.PushMode
		if ps.Pushed {
			s.LastPush, s.LastPushSent, s.LastPushStatus = ps.LastPush.At, ps.LastPush.Sent(), ps.LastPush.Status
			s.PushProblem = ""
			if ps.LastPush.Status == store.StatusError {
				s.PushProblem = ps.LastPush.Message
			}
		}
	})
	return nil
}

// askAway asks about an absence the status shows for the first time (not
// one the person put off with "later"): a notification and the prompt.
func (e *Engine) askAway() {
	e.mu.Lock()
	from, to, asked := e.status.AwayFrom, e.status.AwayTo, e.awayAsked
	isNew := !from.IsZero() && !from.Equal(e.awayNotified) && !asked
	if isNew {
		e.awayNotified = from
	}
	e.mu.Unlock()
	if !isNew {
		return
	}
	if e.o.Notifier != nil {
		e.o.Notifier.Notify(i18n.T("notify.away_title", "from", i18n.Clock(from.Local()), "to", i18n.Clock(to.Local())), i18n.T("notify.away_body"))
	}
	if e.o.AskAway != nil {
		e.o.AskAway(from, to)
	}
}

// pinnedUntil is when the pin the status shows ends (zero: none, or open).
func (e *Engine) pinnedUntil() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.status.Pinned == "" {
		return time.Time{}
	}
	return e.status.PinnedUntil
}

// Run serves SyncNow and PushNow and runs the scheduled syncs until ctx
// ends. Syncs and pushes never overlap: they run on this goroutine. An
// idle turn compares the clock with the cached due time and sleeps again.
func (e *Engine) Run(ctx context.Context) {
	e.running.Store(true)
	defer e.running.Store(false)
	_ = e.refresh(ctx)
	for {
		e.mu.Lock()
		sc := e.sched
		e.mu.Unlock()
		now := e.clock.Now()
		due, ok := sc.due, sc.scheduled
		if ok && !now.Before(due) {
			if ctx.Err() != nil {
				e.failPending(ctx.Err())
				return
			}
			e.work.Lock()
			_, err := e.runSync(ctx, SyncRequest{Mode: syncer.Incremental})
			e.afterSync(ctx, err)
			e.work.Unlock()
			e.mu.Lock()
			if e.sched.lastSync.Before(now) {
				// The sync recorded nothing (it failed before it could, or
				// was cancelled): count the attempt, so the next one waits
				// for the retry interval instead of starting at once.
				e.sched.lastSync, e.sched.lastFailed = now, true
				e.sched = e.sched.withDue()
			}
			e.mu.Unlock()
			continue
		}
		sleep := MaxSleep
		if ok && due.Sub(now) < sleep {
			sleep = due.Sub(now)
		}
		if until := e.pinnedUntil(); !until.IsZero() {
			if !now.Before(until) { // the pin ended: the status says so
				e.update(func(s *Status) { s.Pinned, s.PinnedUntil = "", time.Time{} })
				_ = e.refresh(ctx) // a pin that follows shows
				continue
			}
			sleep = min(sleep, until.Sub(now))
		}
		select {
		case <-ctx.Done():
			e.failPending(ctx.Err())
			return
		case <-e.wake:
			e.serve(ctx)
		case <-e.clock.After(sleep):
		}
	}
}

// serve runs the queued requests: one sync per distinct request (clicks
// while a sync ran share it), then one push for all push requests.
func (e *Engine) serve(ctx context.Context) {
	e.mu.Lock()
	jobs := e.jobs
	e.jobs = nil
	e.mu.Unlock()
	e.work.Lock()
	defer e.work.Unlock()
	var pushes []job
	done := map[SyncRequest]result{}
	for _, j := range jobs {
		if j.push {
			pushes = append(pushes, j)
			continue
		}
		key := SyncRequest{Mode: j.req.Mode, From: j.req.From.UTC(), To: j.req.To.UTC()}
		r, ok := done[key]
		if !ok {
			r.sync, r.err = e.runSync(ctx, j.req)
			pushed := e.afterSync(ctx, r.err)
			done[key] = r
			if pushed {
				// An auto push just ran: a waiting Push now needs no second one.
				out, perr := e.lastPushOutcome()
				for _, p := range pushes {
					p.done <- result{push: out, err: perr}
				}
				pushes = nil
			}
		}
		j.done <- r
	}
	if len(pushes) > 0 {
		var r result
		r.push, r.err = e.runPush(ctx)
		for _, p := range pushes {
			p.done <- r
		}
	}
}

func (e *Engine) failPending(err error) {
	e.mu.Lock()
	jobs := e.jobs
	e.jobs = nil
	e.mu.Unlock()
	for _, j := range jobs {
		j.done <- result{err: err}
	}
}

// afterSync rebuilds the outbox and pushes in auto mode when the sync
// worked; it reports whether it pushed.
func (e *Engine) afterSync(ctx context.Context, err error) bool {
	if err != nil || !e.o.AfterSync || e.o.Pusher == nil {
		return false
	}
	e.mu.Lock()
	remote, mode := e.status.Remote, e.status.PushMode
	e.mu.Unlock()
	if !remote {
		return false
	}
	if mode == config.PushAuto {
		_, _ = e.runPush(ctx) // a push rebuilds first; its outcome is in the status
		return true
	}
	if _, err := e.o.Pusher.Rebuild(ctx); err != nil {
		e.update(func(s *Status) { s.PushProblem = err.Error() })
	}
	return false
}

func (e *Engine) lastPushOutcome() (PushOutcome, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lastPush, e.lastPushErr
}

func (e *Engine) runPush(ctx context.Context) (PushOutcome, error) {
	if e.o.Pusher == nil {
		return PushOutcome{}, push.ErrNoRemote
	}
	e.update(func(s *Status) { s.Pushing = true })
	res, err := e.o.Pusher.Push(ctx)
	out := PushOutcome{Created: res.Created, Updated: res.Updated, Failed: res.Failed, Conflicts: res.Conflicts,
		Waiting: res.Waiting, Removed: res.Removed, Errors: res.Errors}
	e.mu.Lock()
	e.lastPush, e.lastPushErr = out, err
	e.mu.Unlock()
	e.update(func(s *Status) { s.Pushing = false })
	_ = e.refresh(ctx) // the recorded outcome, the outbox
	if err != nil && !errors.Is(err, push.ErrNoRemote) {
		e.update(func(s *Status) { s.PushProblem = err.Error() })
	}
	return out, err
}

func (e *Engine) runSync(ctx context.Context, req SyncRequest) (SyncOutcome, error) {
	e.update(func(s *Status) { s.Syncing, s.Progress = true, Progress{} })
	res, err := e.o.Syncer.Sync(ctx, awsync.SyncRequest{Mode: req.Mode, From: req.From, To: req.To,
		Progress: func(p syncer.Progress) {
			e.update(func(s *Status) {
				s.Progress = Progress{Bucket: p.Bucket, BucketIndex: p.BucketIndex, Buckets: p.Buckets, ChunksDone: p.ChunksDone,
					Chunks: p.Chunks, Imported: p.Imported, Updated: p.Updated, Skipped: p.Skipped}
			})
		}})
	var unreachable *activitywatch.UnreachableError
	down := errors.As(err, &unreachable)
	e.update(func(s *Status) {
		s.Syncing = false
		s.Unreachable = down
		if err == nil {
			s.LastNew = res.Imported + res.Updated
		}
	})
	_ = e.refresh(ctx)
	e.askAway()
	e.mu.Lock()
	starting := err != nil && !e.inOutage && !errors.Is(err, awsync.ErrNotSetUp) && ctx.Err() == nil
	e.inOutage = err != nil
	e.mu.Unlock()
	if starting && e.o.Notifier != nil {
		title := i18n.T("notify.sync_failed")
		if down {
			title = i18n.T("notify.unreachable")
		}
		e.o.Notifier.Notify(title, res.Message)
	}
	out := SyncOutcome{Message: res.Message, Imported: res.Imported, Updated: res.Updated, Skipped: res.Skipped, Errors: res.Errors,
		From: res.From, To: res.To}
	for _, b := range res.Buckets {
		out.Buckets = append(out.Buckets, BucketCount{Bucket: b.Bucket, Imported: b.Imported, Updated: b.Updated, Skipped: b.Skipped})
	}
	return out, err
}
