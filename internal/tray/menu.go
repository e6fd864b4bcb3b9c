// Package tray is the tray icon and its menu. The menu is a pure function of
// one Status value (Build), table-tested without a display; the systray
// adapter only applies what Build returns.
package tray

import (
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
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
	PushEnabled      bool // a TimeTracker is set up and no push runs
	PauseChecked     bool
	PauseEnabled     bool
	AutostartChecked bool
	// Pinned is the project pinned now ("" none): the "Working on…" menu
	// offers to stop it.
	Pinned string
	// Away is the item that asks about an unanswered absence ("Away
	// 10:12–11:05 unanswered"); "" hides it.
	Away string
}

// PinSlots is how many projects the "Working on…" menu offers.
const PinSlots = 8

// Build derives the tray from the status.
func Build(st engine.Status, autostart bool, loc *time.Location) Menu {
	m := Menu{SyncEnabled: st.Configured && !st.Syncing, PushEnabled: st.Remote && !st.Pushing && !st.Syncing, PauseChecked: st.Paused,
		PauseEnabled: st.Configured && st.AutoSync, AutostartChecked: autostart}
	text, health := st.Summary(loc)
	m.Status, m.Pinned = text, st.Pinned
	if !st.AwayFrom.IsZero() {
		m.Away = i18n.T("tray.away", "from", i18n.Clock(st.AwayFrom.In(loc)), "to", i18n.Clock(st.AwayTo.In(loc)))
	}
	if st.Pinned != "" { // the first line says what the time goes to
		pin := i18n.T("tray.working_on", "project", st.Pinned)
		if !st.PinnedUntil.IsZero() {
			pin = i18n.T("tray.working_on_until", "project", st.Pinned, "until", i18n.Clock(st.PinnedUntil.In(loc)))
		}
		m.Status = pin + " · " + text
	}
	m.Icon = map[engine.Health]Icon{engine.Healthy: IconIdle, engine.Busy: IconSyncing, engine.Failing: IconError}[health]
	m.Tooltip = "aw-timetracker: " + m.Status
	if st.Paused && st.AutoSync {
		m.Tooltip += " " + i18n.T("tray.paused_note")
	}
	if p := st.PushSummary(loc); p != "" {
		m.Tooltip += "\n" + p
		if st.PushProblem != "" {
			m.Tooltip += ": " + st.PushProblem
		}
	}
	return m
}

// languageChange says whether the settings now choose another language
// than lang, the one the tray speaks, and which. A status read before the
// settings were (not configured) says nothing about it.
func languageChange(lang string, st engine.Status) (string, bool) {
	return st.Language, st.Configured && st.Language != lang
}
