//go:build !darwin && !windows

package autostart

import (
	"os"
	"path/filepath"
	"strings"
)

// DefaultLocation is $XDG_CONFIG_HOME/autostart.
func DefaultLocation(configHome string) string { return filepath.Join(configHome, "autostart") }

func (m Manager) path() string { return filepath.Join(m.Location, "aw-timetracker.desktop") }

// Enable writes the autostart file.
func (m Manager) Enable() error { return writeAtomic(m.path(), []byte(DesktopFile(m.Entry))) }

// Disable removes it.
func (m Manager) Disable() error { return removeIfExists(m.path()) }

// Enabled reports whether the file exists and is not disabled.
func (m Manager) Enabled() bool {
	b, err := os.ReadFile(m.path())
	if err != nil {
		return false
	}
	s := string(b)
	return !strings.Contains(s, "\nHidden=true") && !strings.Contains(s, "X-GNOME-Autostart-enabled=false")
}

// Where names the login item for people.
func (m Manager) Where() string { return m.path() }
