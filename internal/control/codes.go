package control

import (
	"context"
	"errors"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// errorCode is a failure a caller gives its own advice for; the text
// crosses the socket, the code restores what errors.Is and errors.As see.
type errorCode struct {
	code string
	is   func(error) bool
	err  func(msg string) error
}

func codes() []errorCode {
	return []errorCode{
		{"not_set_up", func(err error) bool { return errors.Is(err, awsync.ErrNotSetUp) },
			func(string) error { return awsync.ErrNotSetUp }},
		{"no_remote", func(err error) bool { return errors.Is(err, push.ErrNoRemote) },
			func(string) error { return push.ErrNoRemote }},
		{"no_token", func(err error) bool { return errors.Is(err, secret.ErrNotFound) },
			func(string) error { return secret.ErrNotFound }},
		{"push_stopped", func(err error) bool { return errors.Is(err, push.ErrStopped) },
			func(string) error { return push.ErrStopped }},
		{"aw_unreachable", func(err error) bool { return errors.As(err, new(*activitywatch.UnreachableError)) },
			func(msg string) error { return &activitywatch.UnreachableError{Err: errors.New(msg)} }},
		{"no_windows", func(err error) bool { return errors.Is(err, ErrNoWindows) },
			func(string) error { return ErrNoWindows }},
		{"canceled", func(err error) bool { return errors.Is(err, context.Canceled) },
			func(string) error { return context.Canceled }},
		{"missing_buckets", func(err error) bool { return errors.As(err, new(*syncer.MissingBucketsError)) },
			func(string) error { return &syncer.MissingBucketsError{} }},
	}
}

func codeOf(err error) string {
	for _, c := range codes() {
		if c.is(err) {
			return c.code
		}
	}
	return ""
}

// remoteError keeps the server's text and unwraps to the error its code
// stands for.
type remoteError struct {
	msg   string
	cause error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.cause }

func errorOf(code, msg string) error {
	for _, c := range codes() {
		if c.code == code {
			return &remoteError{msg: msg, cause: c.err(msg)}
		}
	}
	return errors.New(msg)
}
