// Package awsync is the ActivityWatch integration as TimeTracker
// defines it: settings saved with a connection test, Sync Now and scheduled syncs,
// and their recorded status. The CLI, the tray app and the daemon all drive
// it; it needs no display.
package awsync

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/away"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// Provider is the integrations.provider value.
const Provider = settings.ActivityWatch

// Source is what the integration needs from an aw-server.
type Source interface {
	syncer.Source
	Info(ctx context.Context) (activitywatch.Info, error)
	BaseURL() string
}

// SourceFactory connects to the server a config names.
type SourceFactory func(cfg config.Config) (Source, error)

// Rules decide each new event's project and privacy before it is stored,
// and the project of a note someone gave aw-watcher-afk-prompt.
type Rules interface {
	Classifier(ctx context.Context) (syncer.Classifier, error)
	RuleProject(ctx context.Context, note string) (int64, error)
}

// Service runs the integration over one store.
type Service struct {
	store     *store.Store
	settings  *settings.Owner
	newSource SourceFactory
	rules     Rules
	log       zerolog.Logger
	now       func() time.Time
	syncMu    sync.Mutex // one sync at a time in this process
}

// New returns a service whose settings owner is owner; rules nil files
// every entry under the default project.
func New(st *store.Store, owner *settings.Owner, newSource SourceFactory, rules Rules, log zerolog.Logger) *Service {
	return &Service{store: st, settings: owner, newSource: newSource, rules: rules, log: log, now: time.Now}
}

// State is the saved settings and status.
type State struct {
	Config     config.Config
	Configured bool
	store.Integration
}

// State reads the settings; a fresh install returns the defaults.
func (s *Service) State(ctx context.Context) (State, error) {
	in, err := s.store.Integration(ctx, Provider)
	if errors.Is(err, store.ErrNotConfigured) {
		return State{Config: config.Default()}, nil
	}
	if err != nil {
		return State{}, err
	}
	cfg, err := config.Decode(in.Config)
	if err != nil {
		return State{}, &textError{i18n.T("core.awsync.settings_unreadable", "err", err.Error()), err}
	}
	return State{Config: cfg, Configured: true, Integration: in}, nil
}

// TestResult is what a connection test found.
type TestResult struct {
	Info     activitywatch.Info
	Buckets  []activitywatch.Bucket
	Selected []string // the buckets a sync would import
	Missing  []string // configured ids the server does not have
}

// Message is the one-line summary shown after a successful test, in the
// current language.
func (r TestResult) Message() string {
	if len(r.Missing) > 0 {
		return i18n.N("core.awsync.connected_missing", len(r.Selected), "version", r.Info.Version, "host", r.Info.Hostname,
			"missing", fmt.Sprint(r.Missing))
	}
	return i18n.N("core.awsync.connected", len(r.Selected), "version", r.Info.Version, "host", r.Info.Hostname)
}

// Test checks the server a config names: reachable, an aw-server, and the
// bucket selection resolves.
func (s *Service) Test(ctx context.Context, cfg config.Config) (TestResult, error) {
	var res TestResult
	src, err := s.newSource(cfg)
	if err != nil {
		return res, err
	}
	if res.Info, err = src.Info(ctx); err != nil {
		return res, err
	}
	if res.Buckets, err = src.Buckets(ctx); err != nil {
		return res, err
	}
	ids, err := config.ParseBucketIDs(cfg.BucketIDs)
	if err != nil {
		return res, err
	}
	if res.Selected, err = syncer.SelectBuckets(res.Buckets, ids); err != nil {
		return res, err
	}
	have := map[string]bool{}
	for _, b := range res.Buckets {
		have[b.ID] = true
	}
	for _, id := range ids {
		if !have[id] {
			res.Missing = append(res.Missing, id)
		}
	}
	return res, nil
}

// Edit changes the fields of a config that one form or command owns; it
// is applied to the settings as stored, so fields it leaves alone (a
// pause set from the tray) keep their value.
type Edit func(*config.Config) error

// Setup is the settings form's Save: edit the stored settings, validate,
// test, save, and mark active on success. On a failed test the settings
// are still saved, inactive, with the reason as last_error; the error is
// returned.
func (s *Service) Setup(ctx context.Context, edit Edit) (TestResult, error) {
	cur, err := s.settings.Load(ctx)
	if err != nil {
		return TestResult{}, err
	}
	cfg := cur.ActivityWatch
	if err := s.edit(ctx, edit, &cfg); err != nil {
		return TestResult{}, err
	}
	// The test talks to the network, so it runs before the transaction.
	res, testErr := s.Test(ctx, cfg)
	_, err = s.settings.Update(ctx, func(st *settings.Settings) error {
		if err := s.edit(ctx, edit, &st.ActivityWatch); err != nil {
			return err
		}
		st.Checked(settings.ActivityWatch, testErr)
		return nil
	})
	if err != nil {
		return res, err
	}
	s.log.Info().Bool("active", testErr == nil).Str("schedule", cfg.ScheduleLabel()).Msg("settings saved")
	return res, testErr
}

// edit applies e to cfg and checks the result.
func (s *Service) edit(ctx context.Context, e Edit, cfg *config.Config) error {
	if err := e(cfg); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	cfg.ServerURL = mustURL(cfg.ServerURL)
	if cfg.DefaultProjectID != 0 {
		if _, err := s.store.ProjectByID(ctx, cfg.DefaultProjectID); err != nil {
			return &textError{i18n.T("core.awsync.default_project", "err", err.Error()), err}
		}
	}
	return nil
}

func mustURL(s string) string {
	u, err := activitywatch.ParseServerURL(s)
	if err != nil {
		return s
	}
	return u.String()
}

// SetPaused pauses or resumes automatic syncs without re-testing the
// connection.
func (s *Service) SetPaused(ctx context.Context, paused bool) error {
	_, err := s.settings.Update(ctx, func(st *settings.Settings) error {
		if !st.Saved(settings.ActivityWatch) {
			return ErrNotSetUp
		}
		st.ActivityWatch.Paused = paused
		return nil
	})
	if err == nil {
		s.log.Info().Bool("paused", paused).Msg("auto sync pause changed")
	}
	return err
}

// LookbackDays is the configured lookback (the default before setup):
// how far back pushed blocks reach too.
func (s *Service) LookbackDays(ctx context.Context) int {
	st, err := s.State(ctx)
	if err != nil || st.Config.LookbackDays == 0 {
		return config.DefaultLookback
	}
	return st.Config.LookbackDays
}

// ErrNotSetUp means Sync was called before Setup.
var ErrNotSetUp = errors.New("ActivityWatch is not set up yet")

// SyncRequest says what to sync.
type SyncRequest struct {
	Mode     syncer.Mode
	From, To time.Time // Range only
	Progress func(syncer.Progress)
}

// Sync runs one sync and records its outcome (last_sync_at, status, error).
// A sync started while another runs in this process waits for it.
func (s *Service) Sync(ctx context.Context, req SyncRequest) (syncer.Result, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	st, err := s.State(ctx)
	if err != nil {
		return syncer.Result{}, err
	}
	if !st.Configured {
		return syncer.Result{Message: i18n.T("core.awsync.not_set_up")}, ErrNotSetUp
	}
	ids, err := config.ParseBucketIDs(st.Config.BucketIDs)
	if err != nil {
		return syncer.Result{Message: err.Error()}, err
	}
	src, err := s.newSource(st.Config)
	if err != nil {
		return syncer.Result{Message: err.Error()}, err
	}
	var classify syncer.Classifier
	if s.rules != nil {
		if classify, err = s.rules.Classifier(ctx); err != nil {
			return syncer.Result{Message: err.Error()}, err
		}
	}
	started := s.now()
	opt := syncer.Options{Classify: classify, IntegrationID: st.ID, Mode: req.Mode, From: req.From, To: req.To,
		LookbackDays: st.Config.LookbackDays, BucketIDs: ids, Location: st.Config.Location(),
		ProjectID: st.Config.DefaultProjectID, Now: started, Progress: req.Progress,
		ReadAFK: true} // AFK status feeds the timesheet blocks
	s.log.Info().Str("mode", modeName(req.Mode)).Msg("sync started")
	res, runErr := syncer.Run(ctx, src, syncer.Importer(s.store), opt)
	if runErr == nil {
		s.importPrompt(ctx, src, opt, res.ServerBuckets)
	}
	if now, err := s.State(context.WithoutCancel(ctx)); err == nil && now.Config.ServerURL != st.Config.ServerURL {
		// Another server was saved while this one was read: what this run
		// recorded as read says nothing about the new one.
		if err := s.store.ForgetCoverage(context.WithoutCancel(ctx), st.ID); err != nil && runErr == nil {
			runErr = err
		}
	}
	status, lastErr := res.Status(), ""
	if runErr != nil {
		status, lastErr = store.StatusError, runErr.Error()
		if res.Message == "" {
			res.Message = runErr.Error()
		}
	} else if len(res.Errors) > 0 {
		lastErr = joinFirst(res.Errors, 3)
	}
	if ctx.Err() == nil || runErr == nil {
		if err := s.store.RecordSync(context.WithoutCancel(ctx), st.ID, s.now(), status, lastErr); err != nil && runErr == nil {
			runErr = err
		}
	}
	ev := s.log.Info()
	if runErr != nil {
		ev = s.log.Warn().Err(runErr)
	}
	ev.Int("imported", res.Imported).Int("updated", res.Updated).Int("skipped", res.Skipped).
		Int("errors", len(res.Errors)).Dur("took", s.now().Sub(started)).Msg("sync finished")
	for _, e := range res.Errors {
		// Error texts can quote a window title: debug only.
		s.log.Debug().Str("error", e).Msg("sync error")
	}
	return res, runErr
}

// importPrompt reads the answers aw-watcher-afk-prompt holds (best
// effort: a failure is logged, the sync stands): of the last day, or the
// whole window when a sync reads it all, or a backfill's range.
func (s *Service) importPrompt(ctx context.Context, src Source, opt syncer.Options, ids []string) {
	buckets := away.PromptBuckets(ids)
	if len(buckets) == 0 {
		return
	}
	from, to := opt.Now.Add(-24*time.Hour), opt.Now
	switch opt.Mode {
	case syncer.Reread:
		from = opt.Now.AddDate(0, 0, -opt.LookbackDays)
	case syncer.Range:
		from, to = opt.From, opt.To
	}
	n, err := away.ImportPrompt(ctx, src, s.store, buckets, from, to, func(note string) int64 {
		if s.rules == nil {
			return 0
		}
		p, _ := s.rules.RuleProject(ctx, note)
		return p
	})
	if err != nil {
		s.log.Warn().Err(err).Msg("reading aw-watcher-afk-prompt's answers")
		return
	}
	if n > 0 {
		s.log.Info().Int("answers", n).Msg("read answers from aw-watcher-afk-prompt")
	}
}

// textError is an error's text in the current language; the error it
// wraps stays for errors.Is and errors.As.
type textError struct {
	text string
	err  error
}

func (e *textError) Error() string { return e.text }
func (e *textError) Unwrap() error { return e.err }

func joinFirst(errs []string, n int) string {
	if len(errs) > n {
		errs = errs[:n]
	}
	out := ""
	for i, e := range errs {
		if i > 0 {
			out += "; "
		}
		out += e
	}
	return out
}

func modeName(m syncer.Mode) string {
	switch m {
	case syncer.Incremental:
		return "scheduled"
	case syncer.Range:
		return "range"
	case syncer.Reread:
		return "re-read"
	}
	return "sync-now"
}
