package doctor

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

type fakeAW struct {
	st      awsync.State
	res     awsync.TestResult
	testErr error
}

func (f fakeAW) State(context.Context) (awsync.State, error) { return f.st, nil }
func (f fakeAW) Test(context.Context, config.Config) (awsync.TestResult, error) {
	return f.res, f.testErr
}

type fakeRemote struct {
	chk push.Check
	err error
}

func (f fakeRemote) Diagnose(context.Context) (push.Check, error) { return f.chk, f.err }

type fakeDB struct {
	path string
	err  error
}

func (f fakeDB) Path() string                         { return f.path }
func (f fakeDB) IntegrityCheck(context.Context) error { return f.err }

type fakeLogin bool

func (l fakeLogin) Enabled() bool { return bool(l) }
func (l fakeLogin) Where() string { return "~/.config/autostart/aw-timetracker.desktop" }

func TestRun(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	set := awsync.State{Config: config.Default(), Configured: true}
	set.LastSyncAt, set.LastSyncStatus = now.Add(-20*time.Minute), store.StatusSuccess
	up := awsync.TestResult{Info: activitywatch.Info{Version: "v0.13.2", Hostname: "devbox"}, Selected: []string{"aw-watcher-window_devbox"}}
	full := push.Check{Configured: true, ServerURL: "https://tt.example.com", Info: timetracker.Info{AppVersion: "5.10.0", Timezone: "Europe/Rome"},
		Scopes: []string{"read:projects", "read:time_entries", "write:time_entries"}, TokenStore: "keyring"}
	db := fakeDB{path: filepath.Join(t.TempDir(), "aw-timetracker.db")}
	tray := func(context.Context) (bool, string) { return true, "a StatusNotifierWatcher is on the session bus" }
	noTray := func(context.Context) (bool, string) {
		return false, "GNOME Shell shows no tray icons without the AppIndicator extension"
	}
	tests := []struct {
		name   string
		d      Deps
		failed bool
		want   []string
	}{
		{"all fine", Deps{AW: fakeAW{st: set, res: up}, Remote: fakeRemote{chk: full}, DB: db, Tray: tray, Login: fakeLogin(true)}, false, []string{
			"✓ ActivityWatch: v0.13.2 on devbox at http://localhost:5600",
			"✓ Buckets: aw-watcher-window_devbox",
			"✓ Last sync: 20 min ago (success)",
			"✓ Tray: a StatusNotifierWatcher is on the session bus",
			"✓ Start at login: on (~/.config/autostart/aw-timetracker.desktop)",
			"✓ TimeTracker: 5.10.0 at https://tt.example.com (time zone Europe/Rome)",
			"✓ Token scopes: read:projects, read:time_entries, write:time_entries",
			"✓ Token kept in: keyring",
		}},
		{"ActivityWatch down", Deps{AW: fakeAW{st: set, testErr: errors.New("ActivityWatch is not reachable at http://localhost:5600 (is aw-server running?)")},
			Remote: fakeRemote{chk: push.Check{}}, DB: db}, true, []string{
			"✗ ActivityWatch: ActivityWatch is not reachable at http://localhost:5600 (is aw-server running?) — start ActivityWatch",
			"✓ TimeTracker: not set up (pushing is off)",
		}},
		{"no tray on GNOME, a scope missing", Deps{AW: fakeAW{st: set, res: up}, DB: db, Tray: noTray,
			Remote: fakeRemote{chk: push.Check{Configured: true, ServerURL: "u", Scopes: []string{"read:*"}, TokenStore: "/x/token-1"}}}, true, []string{
			"✗ Tray: GNOME Shell shows no tray icons without the AppIndicator extension — use aw-timetracker daemon",
			"✗ Token scopes: read:* — give the token write:time_entries",
			"✓ Token kept in: /x/token-1",
		}},
		{"damaged database", Deps{AW: fakeAW{st: awsync.State{Config: config.Default()}}, DB: fakeDB{path: db.path, err: errors.New("damaged")}}, true, []string{
			"✗ ActivityWatch: not set up",
			"✗ Database: damaged — move the database aside",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.d.Now = func() time.Time { return now }
			lines := Run(context.Background(), tt.d)
			text := Text(lines)
			if Failed(lines) != tt.failed {
				t.Errorf("failed = %v\n%s", Failed(lines), text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in\n%s", w, text)
				}
			}
		})
	}
}
