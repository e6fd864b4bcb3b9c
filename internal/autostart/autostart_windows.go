//go:build windows

package autostart

import (
	"fmt"

	"golang.org/x/sys/windows/registry"
)

const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// DefaultLocation is the per-user Run key.
func DefaultLocation(string) string { return runKey }

// Enable sets the Run value.
func (m Manager) Enable() error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, m.Location, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("opening HKCU\\%s: %w", m.Location, err)
	}
	defer k.Close()
	return k.SetStringValue(m.Entry.Name, RunValue(m.Entry))
}

// Disable deletes it.
func (m Manager) Disable() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, m.Location, registry.SET_VALUE)
	if err != nil {
		return nil // no key, no value
	}
	defer k.Close()
	if err := k.DeleteValue(m.Entry.Name); err != nil && err != registry.ErrNotExist {
		return fmt.Errorf("removing the login item: %w", err)
	}
	return nil
}

// Enabled reports whether the Run value exists.
func (m Manager) Enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, m.Location, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	_, _, err = k.GetStringValue(m.Entry.Name)
	return err == nil
}

// Where names the login item for people.
func (m Manager) Where() string { return `HKCU\` + m.Location + `\` + m.Entry.Name }
