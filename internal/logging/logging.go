// Package logging sets up the app's zerolog logger: a private file under the
// XDG state folder, plus the console when stderr is a terminal. Window titles
// and URLs are logged at debug level only (callers' rule).
package logging

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// MaxSize is the size at which the log file is rotated (once, to .1) when
// it is opened.
const MaxSize = 8 << 20

// Options configure the logger.
type Options struct {
	File    string // "" for no file
	Level   string // debug, info, warn, error; "" is info
	Console io.Writer
}

// New returns the logger and a closer for its file.
func New(o Options) (zerolog.Logger, io.Closer, error) {
	level := zerolog.InfoLevel
	if o.Level != "" {
		l, err := zerolog.ParseLevel(strings.ToLower(o.Level))
		if err != nil || l == zerolog.NoLevel {
			return zerolog.Nop(), nopCloser{}, fmt.Errorf("log level %q is not one of debug, info, warn, error", o.Level)
		}
		level = l
	}
	var writers []io.Writer
	var closer io.Closer = nopCloser{}
	if o.File != "" {
		f, err := openFile(o.File)
		if err != nil {
			return zerolog.Nop(), closer, err
		}
		writers, closer = append(writers, f), f
	}
	if o.Console != nil {
		writers = append(writers, zerolog.ConsoleWriter{Out: o.Console, TimeFormat: time.TimeOnly})
	}
	if len(writers) == 0 {
		return zerolog.Nop(), closer, nil
	}
	return zerolog.New(zerolog.MultiLevelWriter(writers...)).Level(level).With().Timestamp().Logger(), closer, nil
}

func openFile(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating log folder: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > MaxSize {
		_ = os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening log file: %w", err)
	}
	return f, nil
}

// IsTerminal reports whether f is a character device (a terminal).
func IsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
