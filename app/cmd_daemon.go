package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/control"
	"github.com/aw-timetracker/aw-timetracker/internal/instance"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/runner"
)

// schedulerTick is how often the schedule is checked against the wall clock.
const schedulerTick = 30 * time.Second

func cmdDaemon(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "daemon", "", "Runs automatic syncs on the configured schedule with no GUI, until stopped\n"+
		"(Ctrl-C or SIGTERM). Only one aw-timetracker app or daemon runs per user.")
	if done, code := parseFlags(fs, args); done {
		return code
	}
	lock, err := instance.Acquire(e.paths.Lock)
	if errors.Is(err, instance.ErrRunning) {
		fmt.Fprintln(e.stderr, "aw-timetracker daemon: another aw-timetracker app or daemon is already running for this user; it does the syncing.")
		return exitFailed
	}
	if err != nil {
		return e.fail(err)
	}
	defer lock.Release()
	svc, err := e.service(ctx)
	if err != nil {
		return e.fail(err)
	}
	st, err := svc.State(ctx)
	if err != nil {
		return e.fail(err)
	}
	if !st.Configured || !st.IsActive || !st.Config.AutoSync {
		fmt.Fprintln(e.stderr, "aw-timetracker daemon: auto sync is off or the integration is inactive; waiting for settings to change (aw-timetracker setup --auto-sync hourly).")
	}
	run := runner.New(svc, logNotifier{e}, schedulerTick)
	pushSvc, err := e.pushService(ctx)
	if err != nil {
		return e.fail(err)
	}
	run.SetPusher(pusher{svc: pushSvc, lookback: func() int { return lookbackDays(ctx, e) }})
	closeSocket, err := control.Listen(ctx, controlSocket(), controlHandler(run, nil))
	if err != nil {
		return e.fail(err)
	}
	defer closeSocket()
	e.log.Info().Msg("daemon started")
	keepResidentSmall(ctx, run, e.log)
	run.Run(ctx)
	e.log.Info().Msg("daemon stopped")
	return exitOK
}

// controlHandler answers the control socket for a running runner. show
// opens a window; nil means this process has none (the daemon).
func controlHandler(run *runner.Runner, show func(string) error) control.Handler {
	return func(ctx context.Context, req control.Request) control.Response {
		switch req.Cmd {
		case "ping":
		case "show":
			if show == nil {
				return control.Response{Error: "the daemon has no windows; stop it and start the tray app, or use the CLI"}
			}
			if req.Window != "settings" && req.Window != "entries" {
				return control.Response{Error: fmt.Sprintf("no window %q", req.Window)}
			}
			if err := show(req.Window); err != nil {
				return control.Response{Error: err.Error()}
			}
		case "sync":
			if !req.Wait {
				run.SyncNow()
				break
			}
			if err := run.SyncNowWait(ctx); err != nil {
				return control.Response{Error: err.Error()}
			}
		case "push":
			if !req.Wait {
				run.PushNow()
				break
			}
			run.PushNowWait(ctx)
			b, _ := json.Marshal(run.Status())
			return control.Response{OK: true, Status: b}
		case "reload":
			run.Reload(ctx)
		case "status":
			b, _ := json.Marshal(run.Status())
			return control.Response{OK: true, Status: b}
		default:
			return control.Response{Error: "unknown command " + req.Cmd}
		}
		return control.Response{OK: true}
	}
}

// pusher lets the runner push after syncs and on request.
type pusher struct {
	svc      *push.Service
	lookback func() int
}

func (p pusher) Configured(ctx context.Context) bool {
	_, active, err := p.svc.Settings(ctx)
	return err == nil && active
}

func (p pusher) AutoPush(ctx context.Context) bool {
	cfg, _, err := p.svc.Settings(ctx)
	return err == nil && cfg.PushMode == config.PushAuto
}

func (p pusher) PushNow(ctx context.Context) (string, error) {
	res, err := p.svc.Push(ctx, p.lookback())
	return fmt.Sprintf("%d new, %d updated, %d failed, %d in conflict, %d waiting", res.Created, res.Updated, res.Failed, res.Conflicts, res.Waiting), err
}

// logNotifier is the daemon's notifier: a headless machine has no desktop.
type logNotifier struct{ e *cliEnv }

func (n logNotifier) Notify(title, body string) {
	n.e.log.Warn().Str("title", title).Str("detail", body).Msg("sync problem")
}
