package ui

import (
	"errors"

	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// explain is an error as a window shows it: the fact from the core, and
// what to do in this app's own words (the CLI says it its way).
func explain(err error) string {
	if err == nil {
		return ""
	}
	var nf *push.NotFoundError
	var sf *push.SetupFailedError
	switch {
	case errors.As(err, &sf):
		return err.Error() + ": open Settings → TimeTracker, enter the API token and Save."
	case errors.As(err, new(*syncer.MissingBucketsError)):
		return err.Error() + " Tick buckets above or clear Bucket IDs for the defaults."
	case errors.Is(err, awsync.ErrNotSetUp):
		return err.Error() + ": open Settings → ActivityWatch, enter the server URL and Save."
	case errors.Is(err, push.ErrNoRemote):
		return err.Error() + ": open Settings → TimeTracker to connect one."
	case errors.Is(err, secret.ErrNotFound), errors.Is(err, push.ErrNoToken):
		return err.Error() + ": enter the API token in Settings → TimeTracker and Save."
	case errors.Is(err, push.ErrNoProject):
		return err.Error() + ": choose a default project in Settings → TimeTracker."
	case errors.As(err, &nf) && nf.What == "local project":
		return err.Error() + ": add it in Settings → ActivityWatch (Default project → Add)."
	}
	return err.Error()
}
