// Package kind names the failures a person can do something about, so
// each face (the CLI, the windows) words its advice once per kind, and the
// control socket carries the kind across with the text.
package kind

import (
	"context"
	"errors"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// Kind is a failure's kind; "" is none of them. The values are the
// control socket's error codes: keep them stable.
type Kind string

// The kinds.
const (
	None                 Kind = ""
	NotSetUp             Kind = "not_set_up"      // ActivityWatch never set up
	NoRemote             Kind = "no_remote"       // no TimeTracker set up
	NoToken              Kind = "no_token"        // no TimeTracker API token stored or given
	SetupFailed          Kind = "setup_failed"    // the last TimeTracker setup failed its check
	NoProject            Kind = "no_project"      // blocks without a TimeTracker project
	PushStopped          Kind = "push_stopped"    // the server refused the token mid-push
	AWUnreachable        Kind = "aw_unreachable"  // aw-server does not answer
	MissingBuckets       Kind = "missing_buckets" // configured bucket ids the server lacks
	NoWindows            Kind = "no_windows"      // the running app is the daemon
	Canceled             Kind = "canceled"
	NoBlock              Kind = "no_block"          // no outbox block by that id
	NoLocalProject       Kind = "no_local_project"  // no local project by that name
	NoTimeTrackerProject Kind = "no_remote_project" // no TimeTracker project by that name
	NoTask               Kind = "no_task"           // a rule's task its TimeTracker project does not have
)

// Kinded is an error that knows its kind (one that crossed the socket).
type Kinded interface{ Kind() Kind }

// Of is err's kind.
func Of(err error) Kind {
	if err == nil {
		return None
	}
	var k Kinded
	if errors.As(err, &k) {
		return k.Kind()
	}
	var nf *push.NotFoundError
	var sf *push.SetupFailedError
	switch {
	case errors.As(err, new(*push.UnknownTaskError)):
		return NoTask
	case errors.As(err, &sf):
		return SetupFailed
	case errors.Is(err, awsync.ErrNotSetUp):
		return NotSetUp
	case errors.Is(err, push.ErrNoRemote):
		return NoRemote
	case errors.Is(err, secret.ErrNotFound), errors.Is(err, push.ErrNoToken):
		return NoToken
	case errors.Is(err, push.ErrNoProject):
		return NoProject
	case errors.Is(err, push.ErrStopped):
		return PushStopped
	case errors.As(err, new(*activitywatch.UnreachableError)):
		return AWUnreachable
	case errors.As(err, new(*syncer.MissingBucketsError)):
		return MissingBuckets
	case errors.Is(err, ErrNoWindows):
		return NoWindows
	case errors.Is(err, context.Canceled):
		return Canceled
	case errors.As(err, &nf):
		switch nf.What {
		case "block":
			return NoBlock
		case "local project":
			return NoLocalProject
		case "TimeTracker project":
			return NoTimeTrackerProject
		}
	}
	return None
}

// ErrNoWindows is the daemon's answer to a request to open a window.
var ErrNoWindows = errors.New("the running aw-timetracker is the daemon, which has no windows")
