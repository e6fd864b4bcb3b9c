package main

import (
	"os"
	"path/filepath"

	"github.com/adrg/xdg"

	"github.com/aw-timetracker/aw-timetracker/internal/autostart"
)

const appID = "io.github.awtimetracker.app"

// loginItem is the start-at-login entry for this executable.
func loginItem() autostart.Manager {
	exe, err := os.Executable()
	if err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
	}
	home := xdg.ConfigHome
	if d, err := os.UserHomeDir(); err == nil && isDarwin() {
		home = d
	}
	return autostart.Manager{
		Entry: autostart.Entry{ID: appID, Name: "aw-timetracker", Comment: "ActivityWatch activity as time entries",
			Exec: exe, Args: []string{"--background"}},
		Location: autostart.DefaultLocation(home),
	}
}
