package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aw-timetracker/aw-timetracker/internal/control"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/instance"
)

func cmdDaemon(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "daemon", "", i18n.T("cli.about.daemon"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	lock, err := instance.Acquire(e.paths.Lock)
	if errors.Is(err, instance.ErrRunning) {
		fmt.Fprintln(e.stderr, "aw-timetracker daemon:", i18n.T("cli.daemon.running"))
		return exitFailed
	}
	if err != nil {
		return e.fail(err)
	}
	defer lock.Release()
	_, st, err := e.awState(ctx)
	if err != nil {
		return e.fail(err)
	}
	if !st.Configured || !st.IsActive || !st.Config.AutoSync {
		fmt.Fprintln(e.stderr, "aw-timetracker daemon:", i18n.T("cli.daemon.waiting"))
	}
	eng, err := e.newEngine(ctx, logNotifier{e}, true, nil) // no windows: the notice goes to the log
	if err != nil {
		return e.fail(err)
	}
	closeSocket, err := control.Listen(ctx, controlSocket(), eng, nil)
	if err != nil {
		return e.fail(err)
	}
	defer closeSocket()
	e.log.Info().Msg("daemon started")
	keepResidentSmall(ctx, eng, e.log)
	eng.Run(ctx)
	e.log.Info().Msg("daemon stopped")
	return exitOK
}

// logNotifier is the daemon's notifier: a headless machine has no desktop.
type logNotifier struct{ e *cliEnv }

func (n logNotifier) Notify(title, body string) {
	n.e.log.Warn().Str("title", title).Str("detail", body).Msg("sync problem")
}
