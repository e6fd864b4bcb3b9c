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
	"github.com/godbus/dbus/v5"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/control"
	"github.com/aw-timetracker/aw-timetracker/internal/desktop"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/instance"
	"github.com/aw-timetracker/aw-timetracker/internal/tray"
)

func isDarwin() bool { return runtime.GOOS == "darwin" }

// controlSocket is the per-user control socket path.
func controlSocket() string {
	return filepath.Join(xdg.RuntimeDir, appDir, "control.sock")
}

// runDesktop is the tray process: fyne.io/systray for the icon and menu (no
// GL context, no 60 Hz loop), the runner for syncs, the control socket, and
// the Fyne windows in a child process started on demand.
func runDesktop(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	background := len(args) > 0 && args[0] == "--background"
	if len(args) > 1 || (len(args) == 1 && !background) {
		fmt.Fprintf(stderr, "aw-timetracker: unexpected argument %q; see 'aw-timetracker help'\n", args[len(args)-1])
		return exitUsage
	}
	if msg := desktopMissing(); msg != "" {
		fmt.Fprintln(stderr, "aw-timetracker:", msg)
		return exitFailed
	}
	env, err := newCLIEnv(nil, stdout, stderr, true)
	if err != nil {
		fmt.Fprintln(stderr, "aw-timetracker:", err)
		return exitFailed
	}
	defer env.Close()
	socket := controlSocket()
	lock, err := instance.Acquire(env.paths.Lock)
	if errors.Is(err, instance.ErrRunning) {
		return showInRunning(ctx, socket, stdout, stderr)
	}
	if err != nil {
		return env.fail(err)
	}
	defer lock.Release()
	_, st, err := env.awState(ctx)
	if err != nil {
		return env.fail(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	notifier := desktop.Notifier{Log: env.log}
	windows := newWindowProcess(env.log)
	defer windows.Close()
	// Back from an absence worth asking about: the prompt opens.
	eng, err := env.newEngine(ctx, notifier, true, func(time.Time, time.Time) { _ = windows.Show("away") })
	if err != nil {
		return env.fail(err)
	}
	login := loginItem()
	pushSvc, err := env.pushService(ctx)
	if err != nil {
		return env.fail(err)
	}
	core := application.New(application.Deps{Controller: eng, Settings: env.settings, AW: env.svc, Activity: env.act, Push: pushSvc,
		Store: env.st, Login: login, TrayHost: trayHost})
	defer core.Close()
	t := tray.New(eng, tray.Actions{
		ShowEntries:      func() { _ = windows.Show("entries") },
		ShowReport:       func() { _ = windows.Show("report") },
		ShowSettings:     func() { _ = windows.Show("settings") },
		ShowAway:         func() { _ = windows.Show("away") },
		AutostartEnabled: login.Enabled,
		SetAutostart: func(on bool) {
			var err error
			if on {
				err = login.Enable()
			} else {
				err = login.Disable()
			}
			if err != nil {
				notifier.Notify(i18n.T("notify.autostart_failed"), err.Error())
			}
		},
		OpenDataFolder: func() { openLogged(env, filepath.Dir(env.paths.DB)) },
		OpenLogFile:    func() { openLogged(env, env.paths.Log) },
		Quit:           cancel,
		Failed: func(what string, err error) {
			env.log.Warn().Err(err).Str("action", what).Msg("tray action failed")
		},
		PinChoices: func() []string {
			names, err := env.st.RecentProjects(ctx, tray.PinSlots)
			if err != nil {
				env.log.Warn().Err(err).Msg("listing projects for Working on…")
			}
			return names
		},
		Pin: func(project string) error {
			_, err := core.Pin(ctx, application.PinRequest{Project: project})
			return err
		},
		Unpin: func() error {
			_, err := core.Unpin(ctx)
			return err
		},
	}, st.Config.Location(), env.language)
	eng.Subscribe(t.Update)

	closeSocket, err := control.Listen(ctx, socket, eng, windows.Show)
	if err != nil {
		return env.fail(err)
	}
	defer closeSocket()

	go eng.Run(ctx)
	keepResidentSmall(ctx, eng, env.log)
	if !st.Configured && !background {
		windows.Show("settings") // first run: the person has to set it up
	}
	env.log.Info().Bool("background", background).Msg("tray app started")
	t.Run(ctx) // blocks on the main goroutine until Quit or a signal
	env.log.Info().Msg("tray app stopped")
	return exitOK
}

// desktopMissing explains why the tray cannot run here, or returns "".
func desktopMissing() string {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return ""
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return "no display found (DISPLAY and WAYLAND_DISPLAY are unset): the tray app needs a desktop session. On a headless machine run 'aw-timetracker daemon' for automatic syncs."
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return "no D-Bus session bus, so no tray icon can be shown (" + err.Error() + "). Run 'aw-timetracker daemon' for automatic syncs without a tray."
	}
	_ = conn // shared connection: systray uses it too
	return ""
}

// showInRunning asks the running instance to show its settings window.
func showInRunning(ctx context.Context, socket string, stdout, stderr io.Writer) int {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := (control.Client{Path: socket}).ShowWindow(cctx, "settings"); err != nil {
		fmt.Fprintf(stderr, "aw-timetracker is already running for this user, but did not answer (%v). If it is 'aw-timetracker daemon', stop it first to use the tray app.\n", err)
		return exitFailed
	}
	fmt.Fprintln(stdout, "aw-timetracker is already running; its settings window was opened.")
	return exitOK
}

func openLogged(env *cliEnv, path string) {
	if err := desktop.Open(path); err != nil {
		env.log.Warn().Err(err).Msg("opening a folder or file")
	}
}
