package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/godbus/dbus/v5"

	"github.com/aw-timetracker/aw-timetracker/internal/doctor"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

func cmdDoctor(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "doctor", "", i18n.T("cli.about.doctor"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	lines, err := e.diagnose(ctx)
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprint(e.stdout, doctor.Text(lines))
	if doctor.Failed(lines) {
		return exitFailed
	}
	return exitOK
}

// diagnose runs every check on this user's setup.
func (e *cliEnv) diagnose(ctx context.Context) ([]doctor.Line, error) {
	core, err := e.core(ctx)
	if err != nil {
		return nil, err
	}
	return core.Diagnose(ctx)
}

// trayHost says whether a tray icon can be shown: on Linux, whether a
// StatusNotifierWatcher is on the session bus (GNOME Shell has none
// without the AppIndicator extension).
func trayHost(context.Context) (bool, string) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return true, i18n.T("cli.doctor.tray_system")
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false, i18n.T("cli.doctor.tray_no_bus")
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return false, i18n.T("cli.doctor.tray_bus_unreachable", "err", err.Error())
	}
	var owned bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&owned); err != nil {
		return false, i18n.T("cli.doctor.tray_ask_failed", "err", err.Error())
	}
	if owned {
		return true, i18n.T("cli.doctor.tray_watcher")
	}
	if strings.Contains(strings.ToUpper(os.Getenv("XDG_CURRENT_DESKTOP")), "GNOME") {
		return false, i18n.T("cli.doctor.tray_gnome")
	}
	return false, i18n.T("cli.doctor.tray_none")
}
