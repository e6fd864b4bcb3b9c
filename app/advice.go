package main

import (
	"errors"

	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/control"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
)

// explain is an error as the terminal shows it: the fact from the core,
// then what to type about it (the windows say it their own way).
func explain(err error) string {
	var nf *push.NotFoundError
	var sf *push.SetupFailedError
	switch {
	case errors.As(err, &sf):
		return err.Error() + ": run `aw-timetracker remote setup` again, with the token on standard input"
	case err == nil:
		return ""
	case errors.Is(err, awsync.ErrNotSetUp):
		return err.Error() + ": run `aw-timetracker setup --aw-url http://localhost:5600` (or open Settings in the tray app)"
	case errors.Is(err, push.ErrNoRemote):
		return err.Error() + ": run `aw-timetracker remote setup --url URL`"
	case errors.Is(err, secret.ErrNotFound), errors.Is(err, push.ErrNoToken):
		return err.Error() + ": pass it to `aw-timetracker remote setup` on standard input"
	case errors.Is(err, push.ErrNoProject):
		return err.Error() + ": run `aw-timetracker remote setup --project NAME`"
	case errors.Is(err, control.ErrNoWindows):
		return err.Error() + ": stop it and start the tray app, or use the CLI"
	case errors.As(err, &nf):
		switch nf.What {
		case "block":
			return err.Error() + " (see `aw-timetracker blocks list`)"
		case "local project":
			return err.Error() + " (see `aw-timetracker projects list`; add one with `aw-timetracker projects add NAME`)"
		case "TimeTracker project":
			return err.Error() + " (see `aw-timetracker remote projects`)"
		}
	}
	return err.Error()
}
