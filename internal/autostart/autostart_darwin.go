//go:build darwin

package autostart

import (
	"os"
	"path/filepath"
)

// DefaultLocation is ~/Library/LaunchAgents.
func DefaultLocation(home string) string { return filepath.Join(home, "Library", "LaunchAgents") }

func (m Manager) path() string { return filepath.Join(m.Location, m.Entry.ID+".plist") }

// Enable writes the LaunchAgent; it takes effect at the next login.
func (m Manager) Enable() error { return writeAtomic(m.path(), []byte(LaunchAgent(m.Entry))) }

// Disable removes it.
func (m Manager) Disable() error { return removeIfExists(m.path()) }

// Enabled reports whether the LaunchAgent exists.
func (m Manager) Enabled() bool {
	_, err := os.Stat(m.path())
	return err == nil
}

// Where names the login item for people.
func (m Manager) Where() string { return m.path() }
