package tray

import (
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func TestBuild(t *testing.T) {
	loc := time.UTC
	today := time.Now().UTC().Truncate(time.Minute)
	earlier := time.Date(2026, 3, 29, 10, 42, 0, 0, time.UTC)
	ok := engine.Status{Configured: true, Active: true, AutoSync: true}
	with := func(f func(*engine.Status)) engine.Status { s := ok; f(&s); return s }
	tests := []struct {
		name string
		st   engine.Status
		want Menu
	}{
		{"not set up", engine.Status{}, Menu{Status: "Not set up", Icon: IconIdle}},
		{"never synced", ok, Menu{Status: "Not synced yet", SyncEnabled: true, PauseEnabled: true}},
		{"last sync today", with(func(s *engine.Status) { s.LastSync, s.LastNew, s.LastStatus = today, 37, store.StatusSuccess }),
			Menu{Status: "Last sync " + today.Format("15:04") + " · 37 new", SyncEnabled: true, PauseEnabled: true}},
		{"last sync another day", with(func(s *engine.Status) { s.LastSync, s.LastStatus = earlier, store.StatusSuccess }),
			Menu{Status: "Last sync Mar 29 10:42 · 0 new", SyncEnabled: true, PauseEnabled: true}},
		{"syncing", with(func(s *engine.Status) {
			s.Syncing, s.Progress = true, engine.Progress{BucketIndex: 3, Buckets: 3, ChunksDone: 1, Chunks: 4}
		}),
			Menu{Status: "Syncing… 2/3 buckets", Icon: IconSyncing, PauseEnabled: true}},
		{"syncing, buckets unknown", with(func(s *engine.Status) { s.Syncing = true }),
			Menu{Status: "Syncing…", Icon: IconSyncing, PauseEnabled: true}},
		{"unreachable", with(func(s *engine.Status) { s.Unreachable, s.LastStatus = true, store.StatusError }),
			Menu{Status: "ActivityWatch not reachable", Icon: IconError, SyncEnabled: true, PauseEnabled: true}},
		{"failed", with(func(s *engine.Status) { s.LastStatus, s.LastSync = store.StatusError, earlier }),
			Menu{Status: "Last sync failed · Mar 29 10:42", Icon: IconError, SyncEnabled: true, PauseEnabled: true}},
		{"partial", with(func(s *engine.Status) { s.LastStatus, s.LastSync, s.LastNew = store.StatusPartial, earlier, 5 }),
			Menu{Status: "Last sync Mar 29 10:42 · 5 new · with errors", Icon: IconError, SyncEnabled: true, PauseEnabled: true}},
		{"inactive", with(func(s *engine.Status) { s.Active = false }),
			Menu{Status: "Not connected: open Settings", Icon: IconError, SyncEnabled: true, PauseEnabled: true}},
		{"paused", with(func(s *engine.Status) { s.Paused = true }),
			Menu{Status: "Not synced yet", SyncEnabled: true, PauseEnabled: true, PauseChecked: true}},
		{"auto sync off: pause disabled", with(func(s *engine.Status) { s.AutoSync = false }),
			Menu{Status: "Not synced yet", SyncEnabled: true}},
		{"working on a pinned project, until a time", with(func(s *engine.Status) {
			s.Pinned, s.PinnedUntil = "Client A", time.Date(2026, 3, 29, 17, 0, 0, 0, time.UTC)
		}), Menu{Status: "Working on Client A until 17:00 · Not synced yet", SyncEnabled: true, PauseEnabled: true, Pinned: "Client A"}},
		{"working on, until unpinned", with(func(s *engine.Status) { s.Pinned = "Meeting" }),
			Menu{Status: "Working on Meeting · Not synced yet", SyncEnabled: true, PauseEnabled: true, Pinned: "Meeting"}},
		{"an absence waits for an answer", with(func(s *engine.Status) {
			s.AwayFrom, s.AwayTo = time.Date(2026, 3, 29, 10, 12, 0, 0, time.UTC), time.Date(2026, 3, 29, 11, 5, 0, 0, time.UTC)
		}), Menu{Status: "Not synced yet", SyncEnabled: true, PauseEnabled: true, Away: "Away 10:12–11:05 unanswered…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Build(tt.st, false, loc)
			tt.want.Tooltip = "aw-timetracker: " + tt.want.Status
			if tt.want.PauseChecked {
				tt.want.Tooltip += " (auto sync paused)"
			}
			if got != tt.want {
				t.Errorf("Build =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
	if !Build(ok, true, loc).AutostartChecked {
		t.Error("autostart check not shown")
	}
	remote := with(func(s *engine.Status) { s.Remote = true })
	if m := Build(remote, false, loc); !m.PushEnabled {
		t.Error("Push now disabled with a TimeTracker set up")
	}
	if m := Build(with(func(s *engine.Status) { s.Remote, s.Pushing = true, true }), false, loc); m.PushEnabled || m.Status != "Pushing to TimeTracker…" || m.Icon != IconSyncing {
		t.Errorf("pushing: %+v", m)
	}
	pushed := with(func(s *engine.Status) {
		s.Remote, s.LastSync, s.LastNew, s.LastStatus = true, earlier, 4, store.StatusSuccess
		s.LastPush, s.LastPushSent, s.LastPushStatus = earlier, 3, store.StatusSuccess
	})
	if m := Build(pushed, false, loc); m.Tooltip != "aw-timetracker: Last sync Mar 29 10:42 · 4 new\nLast push Mar 29 10:42 · 3 sent" {
		t.Errorf("tooltip with a push: %q", m.Tooltip)
	}
	stopped := with(func(s *engine.Status) {
		s.Remote, s.PushProblem, s.LastPush, s.LastPushStatus = true, "the token was refused", earlier, store.StatusError
	})
	if m := Build(stopped, false, loc); m.Icon != IconError || m.Status != "Push to TimeTracker stopped" ||
		m.Tooltip != "aw-timetracker: Push to TimeTracker stopped\nLast push failed · Mar 29 10:42: the token was refused" {
		t.Errorf("push problem: %+v", m)
	}
}

// The tray follows a language chosen in the settings while it runs; a
// status from before the settings were read changes nothing.
func TestLanguageChange(t *testing.T) {
	for _, tt := range []struct {
		name   string
		speaks string
		st     engine.Status
		to     string
		change bool
	}{
		{"the same", "de", engine.Status{Configured: true, Language: "de"}, "de", false},
		{"German chosen", "", engine.Status{Configured: true, Language: "de"}, "de", true},
		{"back to the system's", "de", engine.Status{Configured: true}, "", true},
		{"not read yet", "de", engine.Status{}, "", false},
	} {
		to, change := languageChange(tt.speaks, tt.st)
		if change != tt.change || change && to != tt.to {
			t.Errorf("%s: %q, %v", tt.name, to, change)
		}
	}
}
