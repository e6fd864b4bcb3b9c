package control

import (
	"context"
	"errors"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/kind"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// A failure crosses the socket as its text and its kind (kind.Kind, the
// one list of failures people can act on); the client gets back an error
// of that kind that also unwraps to the core's error, for errors.Is.

func codeOf(err error) string { return string(kind.Of(err)) }

// remoteError keeps the server's text and kind and unwraps to the error
// the kind stands for.
type remoteError struct {
	msg   string
	kind  kind.Kind
	cause error
}

func (e *remoteError) Error() string   { return e.msg }
func (e *remoteError) Unwrap() error   { return e.cause }
func (e *remoteError) Kind() kind.Kind { return e.kind }

func errorOf(code, msg string) error {
	if code == "" {
		return errors.New(msg)
	}
	k := kind.Kind(code)
	return &remoteError{msg: msg, kind: k, cause: causeOf(k, msg)}
}

// causeOf is the core's error a kind stands for, where there is one.
func causeOf(k kind.Kind, msg string) error {
	switch k {
	case kind.NotSetUp:
		return awsync.ErrNotSetUp
	case kind.NoRemote:
		return push.ErrNoRemote
	case kind.NoToken:
		return secret.ErrNotFound
	case kind.SetupFailed:
		return &push.SetupFailedError{Reason: msg}
	case kind.NoProject:
		return push.ErrNoProject
	case kind.PushStopped:
		return push.ErrStopped
	case kind.AWUnreachable:
		return &activitywatch.UnreachableError{Err: errors.New(msg)}
	case kind.MissingBuckets:
		return &syncer.MissingBucketsError{}
	case kind.NoWindows:
		return ErrNoWindows
	case kind.Canceled:
		return context.Canceled
	}
	return nil
}
