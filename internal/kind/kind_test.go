package kind_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/kind"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

type crossed struct{ k kind.Kind }

func (c crossed) Error() string   { return "from the tray" }
func (c crossed) Kind() kind.Kind { return c.k }

func TestOf(t *testing.T) {
	for _, c := range []struct {
		err  error
		want kind.Kind
	}{
		{nil, kind.None},
		{errors.New("something else"), kind.None},
		{fmt.Errorf("syncing: %w", awsync.ErrNotSetUp), kind.NotSetUp},
		{push.ErrNoRemote, kind.NoRemote},
		{secret.ErrNotFound, kind.NoToken},
		{push.ErrNoToken, kind.NoToken},
		{&push.SetupFailedError{Reason: "401"}, kind.SetupFailed},
		{fmt.Errorf("block x: %w", push.ErrNoProject), kind.NoProject},
		{fmt.Errorf("%w: 403", push.ErrStopped), kind.PushStopped},
		{&activitywatch.UnreachableError{URL: "http://localhost:5600", Err: errors.New("refused")}, kind.AWUnreachable},
		{&syncer.MissingBucketsError{}, kind.MissingBuckets},
		{kind.ErrNoWindows, kind.NoWindows},
		{context.Canceled, kind.Canceled},
		{&push.NotFoundError{What: "block", Name: "abc"}, kind.NoBlock},
		{&push.NotFoundError{What: "local project", Name: "X"}, kind.NoLocalProject},
		{&push.NotFoundError{What: "TimeTracker project", Name: "X"}, kind.NoTimeTrackerProject},
		{fmt.Errorf("over the socket: %w", crossed{kind.NoRemote}), kind.NoRemote},
	} {
		if got := kind.Of(c.err); got != c.want {
			t.Errorf("Of(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
