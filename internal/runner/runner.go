// Package runner is the always-on part of the app: it runs scheduled syncs
// and Sync Now requests one at a time, keeps the status the tray shows, and
// raises one notification per outage. The tray process and the headless
// daemon both run it.
package runner

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/integration"
	"github.com/aw-timetracker/aw-timetracker/internal/scheduler"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// Service is the integration the runner drives.
type Service interface {
	State(ctx context.Context) (integration.State, error)
	Sync(ctx context.Context, req integration.SyncRequest) (syncer.Result, error)
	SetPaused(ctx context.Context, paused bool) error
}

// Notifier shows a desktop notification; failures are the notifier's to log.
type Notifier interface {
	Notify(title, body string)
}

// Status is what the tray and the settings window show.
type Status struct {
	Configured   bool      `json:"configured"`
	Active       bool      `json:"active"`
	AutoSync     bool      `json:"auto_sync"`
	Paused       bool      `json:"paused"`
	Syncing      bool      `json:"syncing"`
	BucketsDone  int       `json:"buckets_done"`
	BucketsTotal int       `json:"buckets_total"`
	Imported     int       `json:"imported"` // of the running sync so far
	LastSync     time.Time `json:"last_sync"`
	LastNew      int       `json:"last_new"` // imported + updated by the last sync
	LastStatus   string    `json:"last_status"`
	LastError    string    `json:"last_error"`
	Unreachable  bool      `json:"unreachable"`
	NextSync     time.Time `json:"next_sync"`
	Remote       bool      `json:"remote"` // a central TimeTracker is set up
	Pushing      bool      `json:"pushing"`
	LastPush     string    `json:"last_push"`    // one line: what the last push did
	PushProblem  string    `json:"push_problem"` // why pushing stopped, if it did
}

// Pusher pushes timesheet blocks after syncs and on request.
type Pusher interface {
	Configured(ctx context.Context) bool
	AutoPush(ctx context.Context) bool
	PushNow(ctx context.Context) (summary string, err error)
}

// Runner coordinates syncs.
type Runner struct {
	svc    Service
	notify Notifier
	now    func() time.Time
	tick   time.Duration

	kick     chan syncer.Mode
	push     Pusher
	pushKick chan struct{}

	mu          sync.Mutex
	waiters     []chan error // SyncNowWait callers, released by the next Sync Now
	pushWaiters []chan struct{}
	status      Status
	subs        []func(Status)
	inOutage    bool
}

// New returns a runner; tick is how often the schedule is checked.
func New(svc Service, notify Notifier, tick time.Duration) *Runner {
	return &Runner{svc: svc, notify: notify, now: time.Now, tick: tick, kick: make(chan syncer.Mode, 1), pushKick: make(chan struct{}, 1)}
}

// SetPusher adds pushing: after each successful sync when the push mode is
// auto, and on PushNow.
func (r *Runner) SetPusher(p Pusher) { r.push = p }

// PushNow asks for a push (coalesced like SyncNow).
func (r *Runner) PushNow() {
	select {
	case r.pushKick <- struct{}{}:
	default:
	}
}

// PushNowWait pushes and waits until that push has finished.
func (r *Runner) PushNowWait(ctx context.Context) {
	done := make(chan struct{}, 1)
	r.mu.Lock()
	r.pushWaiters = append(r.pushWaiters, done)
	r.mu.Unlock()
	r.PushNow()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (r *Runner) runPush(ctx context.Context) {
	if r.push == nil || !r.push.Configured(ctx) {
		return
	}
	r.update(func(s *Status) { s.Pushing = true })
	summary, err := r.push.PushNow(ctx)
	problem := ""
	if err != nil {
		problem = err.Error()
	}
	r.update(func(s *Status) { s.Pushing, s.LastPush, s.PushProblem = false, summary, problem })
}

// Subscribe registers f to be called (from the runner's goroutine) after
// every status change.
func (r *Runner) Subscribe(f func(Status)) {
	r.mu.Lock()
	r.subs = append(r.subs, f)
	r.mu.Unlock()
}

// Status returns the current status.
func (r *Runner) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

func (r *Runner) update(f func(*Status)) {
	r.mu.Lock()
	f(&r.status)
	st, subs := r.status, append([]func(Status){}, r.subs...)
	r.mu.Unlock()
	for _, s := range subs {
		s(st)
	}
}

// SyncNow asks for a Sync Now. Requests made while a sync runs are
// coalesced into at most one more run.
func (r *Runner) SyncNow() {
	select {
	case r.kick <- syncer.Full:
	default:
	}
}

// SyncNowWait asks for a Sync Now and waits until a sync that started after
// the request has finished; it returns that sync's error.
func (r *Runner) SyncNowWait(ctx context.Context) error {
	done := make(chan error, 1)
	r.mu.Lock()
	r.waiters = append(r.waiters, done)
	r.mu.Unlock()
	r.SyncNow()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Reload re-reads the settings (after they changed elsewhere).
func (r *Runner) Reload(ctx context.Context) { r.refresh(ctx) }

// SetPaused pauses or resumes automatic syncs; it is saved with the settings.
func (r *Runner) SetPaused(ctx context.Context, paused bool) error {
	if err := r.svc.SetPaused(ctx, paused); err != nil {
		return err
	}
	r.refresh(ctx)
	return nil
}

func (r *Runner) refresh(ctx context.Context) scheduler.State {
	st, err := r.svc.State(ctx)
	if err != nil {
		r.update(func(s *Status) { s.LastError = err.Error() })
		return scheduler.State{}
	}
	ss := scheduler.State{Config: st.Config, Active: st.Configured && st.IsActive, Paused: st.Config.Paused,
		LastSync: st.LastSyncAt, LastFailed: st.LastSyncStatus == "error"}
	next, ok := scheduler.Next(st.Config, st.LastSyncAt, ss.LastFailed)
	remote := r.push != nil && r.push.Configured(ctx)
	r.update(func(s *Status) {
		s.Remote = remote
		s.Configured, s.Active, s.AutoSync, s.Paused = st.Configured, st.IsActive, st.Config.AutoSync, st.Config.Paused
		s.LastSync, s.LastStatus, s.LastError = st.LastSyncAt, st.LastSyncStatus, st.LastError
		s.NextSync = time.Time{}
		if ok && ss.Active && !ss.Paused {
			s.NextSync = next
		}
	})
	return ss
}

// Run checks the schedule every tick and serves Sync Now requests until ctx
// ends. Syncs never overlap: they run on this goroutine.
func (r *Runner) Run(ctx context.Context) {
	t := time.NewTicker(r.tick)
	defer t.Stop()
	for {
		ss := r.refresh(ctx)
		if ss.Active && !ss.Paused {
			if due, ok := scheduler.Next(ss.Config, ss.LastSync, ss.LastFailed); ok && !r.now().Before(due) {
				r.afterSync(ctx, r.runSync(ctx, syncer.Incremental))
				continue
			}
		}
		select {
		case <-ctx.Done():
			return
		case mode := <-r.kick:
			r.mu.Lock()
			waiters := r.waiters
			r.waiters = nil
			r.mu.Unlock()
			err := r.runSync(ctx, mode)
			for _, w := range waiters {
				w <- err
			}
			r.afterSync(ctx, err)
		case <-r.pushKick:
			r.mu.Lock()
			waiters := r.pushWaiters
			r.pushWaiters = nil
			r.mu.Unlock()
			r.runPush(ctx)
			for _, w := range waiters {
				w <- struct{}{}
			}
		case <-t.C:
		}
	}
}

// afterSync pushes when the push mode is auto and the sync worked.
func (r *Runner) afterSync(ctx context.Context, err error) {
	if err == nil && r.push != nil && r.push.Configured(ctx) && r.push.AutoPush(ctx) {
		r.runPush(ctx)
	}
}

func (r *Runner) runSync(ctx context.Context, mode syncer.Mode) error {
	r.update(func(s *Status) { s.Syncing, s.BucketsDone, s.BucketsTotal, s.Imported = true, 0, 0, 0 })
	res, err := r.svc.Sync(ctx, integration.SyncRequest{Mode: mode, Progress: func(p syncer.Progress) {
		r.update(func(s *Status) {
			s.BucketsDone, s.BucketsTotal, s.Imported = p.BucketIndex-1, p.Buckets, p.Imported
			if p.ChunksDone == p.Chunks {
				s.BucketsDone = p.BucketIndex
			}
		})
	}})
	var unreachable *activitywatch.UnreachableError
	down := errors.As(err, &unreachable)
	r.update(func(s *Status) {
		s.Syncing = false
		s.Unreachable = down
		if err == nil {
			s.LastNew = res.Imported + res.Updated
		}
	})
	r.refresh(ctx)
	r.mu.Lock()
	starting := err != nil && !r.inOutage && !errors.Is(err, integration.ErrNotSetUp) && ctx.Err() == nil
	r.inOutage = err != nil
	r.mu.Unlock()
	if starting && r.notify != nil {
		title := "aw-timetracker: sync failed"
		if down {
			title = "aw-timetracker: ActivityWatch not reachable"
		}
		r.notify.Notify(title, res.Message)
	}
	return err
}
