package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/adrg/xdg"
	"github.com/rs/zerolog"
	"github.com/zalando/go-keyring"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/away"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/control"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/logging"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

const appDir = "aw-timetracker"

// paths are resolved once from the XDG variables.
type paths struct {
	DB, Log, Lock string
}

func resolvePaths() paths {
	return paths{
		DB:   filepath.Join(xdg.DataHome, appDir, "aw-timetracker.db"),
		Log:  filepath.Join(xdg.StateHome, appDir, "aw-timetracker.log"),
		Lock: filepath.Join(xdg.StateHome, appDir, "aw-timetracker.lock"),
	}
}

// cliEnv is what every command gets: streams, paths, a logger, and the
// store and integration service opened on first use.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	paths          paths
	log            zerolog.Logger
	logCloser      io.Closer
	st             *store.Store
	settings       *settings.Owner
	svc            *awsync.Service
	act            *classify.Service
	pushSvc        *push.Service
	app            *application.Core
	language       string // the settings' language in use ("" the system's)
}

// newCLIEnv sets up logging: always to the log file; also to the console
// when stderr is a terminal and the process runs for long (tray, daemon),
// or when AW_TIMETRACKER_LOG asks for it (one-shot commands print their own
// results).
func newCLIEnv(stdin io.Reader, stdout, stderr io.Writer, longRunning bool) (*cliEnv, error) {
	p := resolvePaths()
	var console io.Writer
	if f, ok := stderr.(*os.File); ok && logging.IsTerminal(f) && (longRunning || os.Getenv("AW_TIMETRACKER_LOG") != "") {
		console = stderr
	}
	log, closer, err := logging.New(logging.Options{File: p.Log, Level: os.Getenv("AW_TIMETRACKER_LOG"), Console: console})
	if err != nil {
		return nil, err
	}
	return &cliEnv{stdin: stdin, stdout: stdout, stderr: stderr, paths: p, log: log, logCloser: closer}, nil
}

// service opens the store and builds the integration service.
func (e *cliEnv) service(ctx context.Context) (*awsync.Service, error) {
	if e.svc != nil {
		return e.svc, nil
	}
	st, err := store.Open(ctx, e.paths.DB)
	if err != nil {
		return nil, err
	}
	e.st = st
	e.settings = settings.New(st)
	// The settings may name a language; until they are read (flag errors)
	// the system's holds.
	if s, err := e.settings.Load(ctx); err == nil && s.ActivityWatch.Language != "" {
		if err := i18n.Use(s.ActivityWatch.Language); err != nil {
			e.log.Warn().Err(err).Msg("choosing the language")
		} else {
			e.language = s.ActivityWatch.Language
		}
	}
	e.act = classify.New(st, e.log)
	e.svc = awsync.New(st, e.settings, newSource, e.act, e.log)
	return e.svc, nil
}

// useSavedLanguage speaks the language the settings choose, when there
// are settings: the database is opened only if it exists (a --help on a
// fresh install creates nothing). A failure here is the command's to
// report when it opens the store itself.
func (e *cliEnv) useSavedLanguage(ctx context.Context) {
	if _, err := os.Stat(e.paths.DB); err == nil {
		_, _ = e.service(ctx)
	}
}

// awState opens the integration service and reads its state: the start of
// most commands.
func (e *cliEnv) awState(ctx context.Context) (*awsync.Service, awsync.State, error) {
	svc, err := e.service(ctx)
	if err != nil {
		return nil, awsync.State{}, err
	}
	st, err := svc.State(ctx)
	return svc, st, err
}

// pushService builds the push side on the same store.
func (e *cliEnv) pushService(ctx context.Context) (*push.Service, error) {
	if e.pushSvc != nil {
		return e.pushSvc, nil
	}
	svc, err := e.service(ctx)
	if err != nil {
		return nil, err
	}
	e.pushSvc = push.NewService(push.Deps{Store: e.st, Settings: e.settings, Secrets: tokenStore(), NewClient: newTimeTracker, Lookback: svc,
		Pieces: e.act.Pieces, Log: e.log})
	return e.pushSvc, nil
}

// pushState opens the push service and reads its state.
func (e *cliEnv) pushState(ctx context.Context) (*push.Service, push.State, error) {
	svc, err := e.pushService(ctx)
	if err != nil {
		return nil, push.State{}, err
	}
	st, err := svc.State(ctx)
	return svc, st, err
}

// newEngine is an engine on this process's services. The tray and the
// daemon run its loop (with afterSync: rebuild and auto push); elsewhere
// it works inline in the caller.
func (e *cliEnv) newEngine(ctx context.Context, notify engine.Notifier, afterSync bool, askAway func(from, to time.Time)) (*engine.Engine, error) {
	svc, err := e.service(ctx)
	if err != nil {
		return nil, err
	}
	pushSvc, err := e.pushService(ctx)
	if err != nil {
		return nil, err
	}
	return engine.New(engine.Options{Syncer: svc, Pusher: pushSvc, Rules: e.act, Notifier: notify, AfterSync: afterSync,
		CurrentPin: func(ctx context.Context, now time.Time) (string, time.Time, bool, error) {
			p, name, ok, err := e.st.PinAt(ctx, now)
			return name, p.End, ok, err
		},
		Away: e.unansweredAway, AskAway: askAway}), nil
}

// unansweredAway is the newest absence of the last day still waiting for
// an answer (for the engine's status and the tray).
func (e *cliEnv) unansweredAway(ctx context.Context, now time.Time) (from, to time.Time, asked, ok bool, err error) {
	saved, err := e.settings.Load(ctx)
	if err != nil || saved.ActivityWatch.AwayMinutes <= 0 {
		return from, to, false, false, err
	}
	ps, err := away.Periods(ctx, e.st, now.Add(-24*time.Hour), now, time.Duration(saved.ActivityWatch.AwayMinutes)*time.Minute)
	if err != nil {
		return from, to, false, false, err
	}
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Unanswered() {
			return ps[i].Start, ps[i].End, ps[i].Later, true, nil
		}
	}
	return from, to, false, false, nil
}

// controller is the engine a command or the window process drives,
// decided once: the running app's over the control socket when one
// answers (so a sync never runs twice at once), else one in this process.
func (e *cliEnv) controller(ctx context.Context) (engine.Controller, error) {
	if c, err := control.Dial(ctx, controlSocket()); err == nil {
		e.log.Debug().Msg("driving the running app over the control socket")
		return c, nil
	}
	return e.newEngine(ctx, nil, false, nil)
}

// core is the application layer a command drives, over the controller
// (the running app's engine when one answers, so it hears of settings
// changes; else one in this process).
func (e *cliEnv) core(ctx context.Context) (*application.Core, error) {
	if e.app != nil {
		return e.app, nil
	}
	pushSvc, err := e.pushService(ctx) // opens the ActivityWatch side too
	if err != nil {
		return nil, err
	}
	ctrl, err := e.controller(ctx)
	if err != nil {
		return nil, err
	}
	e.app = application.New(application.Deps{Controller: ctrl, Settings: e.settings, AW: e.svc, Activity: e.act, Push: pushSvc,
		Store: e.st, Login: loginItem(), TrayHost: trayHost})
	return e.app, nil
}

// tokenStore keeps the TimeTracker token in the OS keyring, else in a
// private file under the config folder.
func tokenStore() secret.Store {
	return secret.Store{Service: "aw-timetracker", Keyring: osKeyring{}, Dir: filepath.Join(xdg.ConfigHome, appDir)}
}

// osKeyring is the OS keyring. On Linux it is the Secret Service on the
// session bus; with no session bus there is none, and asking would only
// autolaunch a bus that has no keyring on it.
type osKeyring struct{}

func (osKeyring) usable() error {
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return errors.New("no D-Bus session bus, so no Secret Service keyring")
	}
	return nil
}

func (k osKeyring) Set(service, user, secret string) error {
	if err := k.usable(); err != nil {
		return err
	}
	return keyring.Set(service, user, secret)
}

func (k osKeyring) Get(service, user string) (string, error) {
	if err := k.usable(); err != nil {
		return "", err
	}
	return keyring.Get(service, user)
}

func (k osKeyring) Delete(service, user string) error {
	if err := k.usable(); err != nil {
		return err
	}
	return keyring.Delete(service, user)
}

func newTimeTracker(url, token string, pace *timetracker.Pacer) (push.API, error) {
	return timetracker.New(url, token, 30*time.Second, pace)
}

// newSource connects to the aw-server a config names.
func newSource(cfg config.Config) (awsync.Source, error) {
	return activitywatch.New(cfg.ServerURL, cfg.APIKey, activitywatch.DefaultTimeout)
}

func (e *cliEnv) Close() {
	if e.st != nil {
		e.st.Close()
	}
	e.logCloser.Close()
}

// fail reports a failed command: the fact, then what to do about it.
func (e *cliEnv) fail(err error) int {
	fmt.Fprintln(e.stderr, "aw-timetracker:", explain(err))
	e.log.Error().Err(err).Msg("command failed")
	return exitFailed
}

// dayRange reads --from and --to (local days in loc, --to inclusive) into
// [start, end). Without --to the range ends with today; without --from it
// starts back days before the last day.
func dayRange(from, to string, loc *time.Location, back int) (time.Time, time.Time, error) {
	now := time.Now().In(loc)
	last := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	var err error
	if to != "" {
		if last, err = parseDate(to, loc); err != nil {
			return last, last, fmt.Errorf("--to: %w", err)
		}
	}
	first := time.Date(last.Year(), last.Month(), last.Day()-back, 0, 0, 0, 0, loc)
	if from != "" {
		if first, err = parseDate(from, loc); err != nil {
			return first, first, fmt.Errorf("--from: %w", err)
		}
		if to == "" && back == 0 {
			last = first // one day: --from alone
		}
	}
	// On the local date: a DST day is 23 or 25 hours long.
	end := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, loc)
	if !end.After(first) {
		return first, end, errors.New(i18n.T("cli.date.to_before_from", "to", to, "from", from))
	}
	return first, end, nil
}

// parseDate reads YYYY-MM-DD (a local day in loc) or an RFC 3339 time.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New(i18n.T("cli.date.not_a_date", "value", fmt.Sprintf("%q", s)))
}
