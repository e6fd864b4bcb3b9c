// Package instance keeps one syncing process per user: the first process to
// take the lock file runs, later ones are told it is held. The OS drops the
// lock when the holder exits, even on kill -9.
package instance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrRunning means another process holds the lock.
var ErrRunning = errors.New("aw-timetracker is already running")

// Lock is a held instance lock.
type Lock struct{ f *os.File }

// Acquire takes the lock at path without waiting.
func Acquire(path string) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating lock folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening lock file: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, ErrRunning
	}
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	return &Lock{f: f}, nil
}

// Release drops the lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
