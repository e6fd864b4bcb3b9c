package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
)

// The settings window's selects read what was chosen by position, so they
// work in German as in English.
func TestSettingsInGerman(t *testing.T) {
	if err := i18n.Use("de"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = i18n.Use("en") })
	core := newCore(t)
	s, _, _ := settingsWindow(t, core)
	if !strings.HasPrefix(s.Message.Text, "Willkommen!") || s.SyncButton.Text != "Jetzt synchronisieren" || s.RereadButton.Text != "Letzte 7 Tage erneut lesen" {
		t.Errorf("German settings: %q, %q, %q", s.Message.Text, s.SyncButton.Text, s.RereadButton.Text)
	}
	s.AutoSync.SetChecked(true)
	s.Schedule.SetSelected("Täglich")
	if s.DailyAt.Disabled() {
		t.Error("Täglich leaves the time of day disabled")
	}
	if cfg, _ := s.Config(); cfg.SyncInterval != config.IntervalDaily {
		t.Errorf("Täglich: interval %q", cfg.SyncInterval)
	}

	test.NewTempApp(t)
	r := NewRemote(core, sync, nil)
	r.Load(context.Background())
	setText(r.URL, "https://timetracker.example.com")
	r.Mode.SetSelected("Nachdem ich sie geprüft habe")
	r.GroupBy.SetSelected("Projekt (weniger, längere Blöcke)")
	if c, err := r.Config(); err != nil || c.PushMode != config.PushReview || !c.ByProject {
		t.Errorf("German remote tab: %+v, %v", c, err)
	}

	rt := NewRulesTab(core, sync, nil)
	rt.Action.SetSelected("Schwärzen: Zeit und App behalten, Titel und URL nicht")
	if rt.FormRule().Action != rules.ActionRedact {
		t.Errorf("German action: %q", rt.FormRule().Action)
	}
	if got := RuleLine(rules.Rule{Position: 2, Action: rules.ActionExclude, App: "^Steam$", Title: "x", IgnoreCase: true}); got !=
		"2. ausschließen, wenn App /^Steam$/ und Titel /x/ (ohne Groß-/Kleinschreibung)" {
		t.Errorf("German rule line: %q", got)
	}
	if got := ReviewSummary([]application.Block{{State: application.BlockPending}}); got != "1 Block, 1 wartet auf Prüfung." {
		t.Errorf("German review summary: %q", got)
	}
}
