// Package tray is the tray icon and its menu. The menu is a pure function of
// one Status value (Build), table-tested without a display; the systray
// adapter only applies what Build returns.
package tray

import (
	"fmt"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/runner"
)

// Icon is which tray icon to show.
type Icon int

const (
	IconIdle Icon = iota
	IconSyncing
	IconError
)

// Menu is everything the tray shows for one state.
type Menu struct {
	Status           string // first, disabled line
	Tooltip          string
	Icon             Icon
	SyncEnabled      bool
	PauseChecked     bool
	PauseEnabled     bool
	AutostartChecked bool
}

// Build derives the tray from the status.
func Build(st runner.Status, autostart bool, loc *time.Location) Menu {
	m := Menu{Icon: IconIdle, SyncEnabled: st.Configured && !st.Syncing, PauseChecked: st.Paused,
		PauseEnabled: st.Configured && st.AutoSync, AutostartChecked: autostart}
	switch {
	case !st.Configured:
		m.Status = "Not set up"
	case st.Syncing:
		m.Icon = IconSyncing
		m.Status = "Syncing…"
		if st.BucketsTotal > 0 {
			m.Status = fmt.Sprintf("Syncing… %d/%d buckets", st.BucketsDone, st.BucketsTotal)
		}
	case st.Unreachable:
		m.Icon = IconError
		m.Status = "ActivityWatch not reachable"
	case st.LastStatus == "error":
		m.Icon = IconError
		m.Status = "Last sync failed"
		if !st.LastSync.IsZero() {
			m.Status += " · " + clock(st.LastSync, loc)
		}
	case !st.LastSync.IsZero():
		m.Status = fmt.Sprintf("Last sync %s · %d new", clock(st.LastSync, loc), st.LastNew)
		if st.LastStatus == "partial" {
			m.Icon = IconError
			m.Status += " · with errors"
		}
	case !st.Active:
		m.Icon = IconError
		m.Status = "Not connected: open Settings"
	default:
		m.Status = "Not synced yet"
	}
	m.Tooltip = "aw-timetracker: " + m.Status
	if st.Paused && st.AutoSync {
		m.Tooltip += " (auto sync paused)"
	}
	return m
}

// clock shows a time of day, with the date when it is not today.
func clock(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	now := time.Now().In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}
