package tray

import (
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/runner"
)

func TestBuild(t *testing.T) {
	loc := time.UTC
	today := time.Now().UTC().Truncate(time.Minute)
	earlier := time.Date(2026, 3, 29, 10, 42, 0, 0, time.UTC)
	ok := runner.Status{Configured: true, Active: true, AutoSync: true}
	with := func(f func(*runner.Status)) runner.Status { s := ok; f(&s); return s }
	tests := []struct {
		name string
		st   runner.Status
		want Menu
	}{
		{"not set up", runner.Status{}, Menu{Status: "Not set up", Icon: IconIdle}},
		{"never synced", ok, Menu{Status: "Not synced yet", SyncEnabled: true, PauseEnabled: true}},
		{"last sync today", with(func(s *runner.Status) { s.LastSync, s.LastNew, s.LastStatus = today, 37, "success" }),
			Menu{Status: "Last sync " + today.Format("15:04") + " · 37 new", SyncEnabled: true, PauseEnabled: true}},
		{"last sync another day", with(func(s *runner.Status) { s.LastSync, s.LastStatus = earlier, "success" }),
			Menu{Status: "Last sync Mar 29 10:42 · 0 new", SyncEnabled: true, PauseEnabled: true}},
		{"syncing", with(func(s *runner.Status) { s.Syncing, s.BucketsDone, s.BucketsTotal = true, 2, 3 }),
			Menu{Status: "Syncing… 2/3 buckets", Icon: IconSyncing, PauseEnabled: true}},
		{"syncing, buckets unknown", with(func(s *runner.Status) { s.Syncing = true }),
			Menu{Status: "Syncing…", Icon: IconSyncing, PauseEnabled: true}},
		{"unreachable", with(func(s *runner.Status) { s.Unreachable, s.LastStatus = true, "error" }),
			Menu{Status: "ActivityWatch not reachable", Icon: IconError, SyncEnabled: true, PauseEnabled: true}},
		{"failed", with(func(s *runner.Status) { s.LastStatus, s.LastSync = "error", earlier }),
			Menu{Status: "Last sync failed · Mar 29 10:42", Icon: IconError, SyncEnabled: true, PauseEnabled: true}},
		{"partial", with(func(s *runner.Status) { s.LastStatus, s.LastSync, s.LastNew = "partial", earlier, 5 }),
			Menu{Status: "Last sync Mar 29 10:42 · 5 new · with errors", Icon: IconError, SyncEnabled: true, PauseEnabled: true}},
		{"inactive", with(func(s *runner.Status) { s.Active = false }),
			Menu{Status: "Not connected: open Settings", Icon: IconError, SyncEnabled: true, PauseEnabled: true}},
		{"paused", with(func(s *runner.Status) { s.Paused = true }),
			Menu{Status: "Not synced yet", SyncEnabled: true, PauseEnabled: true, PauseChecked: true}},
		{"auto sync off: pause disabled", with(func(s *runner.Status) { s.AutoSync = false }),
			Menu{Status: "Not synced yet", SyncEnabled: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Build(tt.st, false, loc)
			tt.want.Tooltip = got.Tooltip // checked below
			if got != tt.want {
				t.Errorf("Build =\n %+v\nwant\n %+v", got, tt.want)
			}
			if got.Tooltip[:len("aw-timetracker: ")] != "aw-timetracker: " {
				t.Errorf("tooltip %q", got.Tooltip)
			}
		})
	}
	if !Build(ok, true, loc).AutostartChecked {
		t.Error("autostart check not shown")
	}
	remote := with(func(s *runner.Status) { s.Remote = true })
	if m := Build(remote, false, loc); !m.PushEnabled {
		t.Error("Push now disabled with a TimeTracker set up")
	}
	if m := Build(with(func(s *runner.Status) { s.Remote, s.Pushing = true, true }), false, loc); m.PushEnabled || m.Status != "Pushing to TimeTracker…" || m.Icon != IconSyncing {
		t.Errorf("pushing: %+v", m)
	}
	if m := Build(with(func(s *runner.Status) { s.Remote, s.PushProblem = true, "bad token" }), false, loc); m.Icon != IconError {
		t.Errorf("push problem: %+v", m)
	}
}
