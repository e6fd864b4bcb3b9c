package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/autostart"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// fixtureSyncs makes Sync Now read the fixture days (March 2026): Sync
// Now reads the lookback window before the real now.
type fixtureSyncs struct {
	*awsync.Service
	modes *[]syncer.Mode // what was asked for
}

func (f fixtureSyncs) Sync(ctx context.Context, req awsync.SyncRequest) (syncer.Result, error) {
	*f.modes = append(*f.modes, req.Mode)
	if req.Mode == syncer.Now || req.Mode == syncer.Reread {
		req.Mode, req.From, req.To = syncer.Range, time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC), awfake.FixtureSnapshot
	}
	return f.Service.Sync(ctx, req)
}

// newCore is the real adapter over the real core (SQLite file, services,
// an engine in this process, login item in a temp folder), as the window
// process wires it when no tray runs.
func newCore(t *testing.T) *application.Core {
	t.Helper()
	core, _ := newRecordingCore(t)
	return core
}

// newRecordingCore is newCore that also returns the modes of the syncs run.
func newRecordingCore(t *testing.T) (*application.Core, *[]syncer.Mode) {
	t.Helper()
	modes := &[]syncer.Mode{}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "aw-timetracker.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	act := classify.New(st, zerolog.Nop())
	owner := settings.New(st)
	svc := awsync.New(st, owner, func(cfg config.Config) (awsync.Source, error) {
		return activitywatch.New(cfg.ServerURL, cfg.APIKey, 2*time.Second)
	}, act, zerolog.Nop())
	pushSvc := push.NewService(push.Deps{Store: st, Settings: owner, Secrets: secret.Store{Service: "test", Dir: t.TempDir()},
		NewClient: func(url, token string, pace *timetracker.Pacer) (push.API, error) {
			return timetracker.New(url, token, 2*time.Second, pace)
		}, Lookback: svc, Pieces: act.Pieces, Log: zerolog.Nop(), Now: func() time.Time { return awfake.FixtureSnapshot }})
	core := application.New(application.Deps{Controller: engine.New(engine.Options{Syncer: fixtureSyncs{svc, modes}, Pusher: pushSvc, Rules: act}),
		Settings: owner, AW: svc, Activity: act, Push: pushSvc, Store: st,
		Now: func() time.Time { return awfake.FixtureSnapshot },
		Login: autostart.Manager{
			Entry:    autostart.Entry{ID: "io.github.awtimetracker.app", Name: "aw-timetracker", Exec: "/usr/bin/aw-timetracker", Args: []string{"--background"}},
			Location: autostart.DefaultLocation(t.TempDir())}})
	t.Cleanup(core.Close)
	return core, modes
}

func configured(t *testing.T, core *application.Core) bool {
	t.Helper()
	st, err := core.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Configured
}

func sync(work func(context.Context)) { work(context.Background()) }

func fakeAW(t *testing.T) string {
	fake, err := awfake.NewFromFixtures(awfake.Python)
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, fake)
}

// serve runs an aw-server fake for the test and returns its URL.
func serve(t *testing.T, fake *awfake.Server) string {
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	return hs.URL
}

func deadURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + ln.Addr().String()
	ln.Close()
	return u
}

func settingsWindow(t *testing.T, core *application.Core) (*Settings, fyne.Window, *bool) {
	test.NewTempApp(t)
	closed := false
	s := NewSettings(core, sync, func() { closed = true })
	w := test.NewWindow(s.Content())
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(720, 640))
	s.Load(context.Background())
	return s, w, &closed
}

func setText(e *keyEntry, text string) {
	e.SetText("")
	test.Type(e, text)
}

func TestSettingsValidationNamesEachField(t *testing.T) {
	core := newCore(t)
	s, _, _ := settingsWindow(t, core)
	if !strings.HasPrefix(s.Message.Text, "Welcome!") {
		t.Errorf("first run message: %q", s.Message.Text)
	}
	setText(s.URL, "localhost:5600")
	setText(s.Lookback, "0")
	setText(s.Zone, "Mars/Olympus")
	setText(s.Override, `["unclosed"`)
	test.Tap(s.SaveButton)
	for _, want := range []string{`lookback days: 0 is out of range: choose 1 to 90`, `server URL: "localhost:5600" is not a server URL`,
		`time zone: "Mars/Olympus" is not a known time zone`, "bucket IDs:"} {
		if !strings.Contains(s.Message.Text, want) {
			t.Errorf("message lacks %q: %q", want, s.Message.Text)
		}
	}
	if configured(t, core) {
		t.Error("an invalid form was saved")
	}
	for _, e := range []*keyEntry{s.URL, s.Lookback, s.Zone, s.Override} {
		if e.Validate() == nil {
			t.Errorf("entry %q shows no inline error", e.Text)
		}
	}
	setText(s.Lookback, "91")
	if err := s.Lookback.Validate(); err == nil || !strings.Contains(err.Error(), "91 is out of range") {
		t.Errorf("lookback 91: %v", err)
	}
}

func TestSettingsTestButton(t *testing.T) {
	aw := fakeAW(t)
	core := newCore(t)
	s, _, _ := settingsWindow(t, core)

	setText(s.URL, aw)
	test.Tap(s.TestButton)
	if s.TestResult.Text != "✓ Connected to ActivityWatch v0.13.2 on devbox; 3 bucket(s) to import." {
		t.Errorf("up: %q", s.TestResult.Text)
	}
	if len(s.Buckets.Options) != 5 || strings.Join(s.Buckets.Selected, ",") != "aw-watcher-web-chrome_devbox,aw-watcher-web-firefox,aw-watcher-window_devbox" {
		t.Errorf("buckets %v, ticked %v", s.Buckets.Options, s.Buckets.Selected)
	}

	setText(s.Override, "nope, nada")
	test.Tap(s.TestButton)
	if !strings.Contains(s.TestResult.Text, "✗ None of the configured bucket_ids exist. Available: ['aw-watcher-afk_devbox',") ||
		!strings.Contains(s.TestResult.Text, "Tick buckets above") {
		t.Errorf("missing buckets: %q", s.TestResult.Text)
	}

	dead := deadURL(t)
	setText(s.Override, "")
	setText(s.URL, dead)
	test.Tap(s.TestButton)
	if s.TestResult.Text != "✗ ActivityWatch is not reachable at "+dead+" (is aw-server running?)" {
		t.Errorf("down: %q", s.TestResult.Text)
	}
}

func TestSettingsSaveAndKeys(t *testing.T) {
	aw := fakeAW(t)
	core := newCore(t)
	s, _, closed := settingsWindow(t, core)
	setText(s.URL, aw)
	test.Tap(s.TestButton)
	// Unticking the legacy Firefox bucket writes an explicit list.
	s.Buckets.SetSelected([]string{"aw-watcher-web-chrome_devbox", "aw-watcher-window_devbox"})
	if s.Override.Text != "aw-watcher-web-chrome_devbox, aw-watcher-window_devbox" {
		t.Errorf("override from ticks: %q", s.Override.Text)
	}
	setText(s.NewProject, "Client A")
	test.Tap(s.AddProjectButton)
	if s.Project.Selected != "Client A" {
		t.Errorf("new project not selected: %q (%s)", s.Project.Selected, s.Message.Text)
	}
	setText(s.Lookback, "14")
	s.AutoSync.SetChecked(true)
	s.Schedule.SetSelected("Daily")
	setText(s.DailyAt, "08:30")
	setText(s.Zone, "Europe/Berlin")
	test.Tap(s.Autostart)

	// Enter in any field saves.
	s.Zone.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !configured(t, core) || !strings.HasPrefix(s.Message.Text, "Saved. Connected") {
		t.Fatalf("save: message %q", s.Message.Text)
	}
	st, _ := core.State(context.Background())
	c := st.Config
	if !st.Active || c.ServerURL != aw || c.LookbackDays != 14 || c.SyncInterval != config.IntervalDaily || c.DailyAt != "08:30" ||
		!c.AutoSync || c.Timezone != "Europe/Berlin" || c.BucketIDs != "aw-watcher-web-chrome_devbox, aw-watcher-window_devbox" || c.DefaultProjectID == 0 {
		t.Errorf("saved %+v active %v", c, st.Active)
	}
	if !core.Login.Enabled() {
		t.Error("start at login not enabled")
	}
	if s.RereadButton.Text != "Re-read last 14 days" {
		t.Errorf("re-read button says %q after saving a lookback of 14", s.RereadButton.Text)
	}

	// Saving against a dead server keeps the settings, inactive, and says why.
	setText(s.URL, deadURL(t))
	test.Tap(s.SaveButton)
	st, _ = core.State(context.Background())
	if st.Active || !strings.HasPrefix(s.Message.Text, "Saved, but not active: ActivityWatch is not reachable") {
		t.Errorf("dead server: active %v, message %q", st.Active, s.Message.Text)
	}

	// Escape closes from any field.
	s.Lookback.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !*closed {
		t.Error("Escape did not close")
	}
}

func TestEntriesWindow(t *testing.T) {
	aw := fakeAW(t)
	core := newCore(t)
	cfg := config.Default()
	cfg.ServerURL, cfg.Timezone = aw, "Europe/Berlin"
	if _, err := core.Setup(context.Background(), application.DefaultConfig(), cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := core.SyncNow(context.Background(), engine.SyncRequest{}); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	var exported bytes.Buffer
	v := NewEntries(core, sync, berlin, func(write func(io.Writer) error) { _ = write(&exported) })
	w := test.NewWindow(v.Content())
	defer w.Close()
	w.Resize(fyne.NewSize(900, 600))

	v.ShowDay(time.Date(2026, 3, 29, 12, 0, 0, 0, berlin)) // the 23-hour DST day
	// The footer gives the day's active time (window time when not away,
	// each second once), not the 6h 30m the overlapping entries add up to.
	if v.DayLabel.Text != "Sunday, 29 March 2026" || v.Total.Text != "Active 33m (no project 33m) · 24 entries" {
		t.Errorf("day %q total %q", v.DayLabel.Text, v.Total.Text)
	}
	// The bar shows the day's blocks on the hours they span (at least
	// four), in real time: from midnight CET on a DST day, so its four
	// hours reach 05:00 CEST.
	spans := v.Bar.Spans()
	blocks := v.DayView.blocks
	if len(spans) == 0 || len(spans) != len(blocks) {
		t.Fatalf("%d spans for %d blocks", len(spans), len(blocks))
	}
	midnight := time.Date(2026, 3, 29, 0, 0, 0, 0, berlin)
	last := blocks[len(blocks)-1].End
	if want := last.Sub(midnight).Seconds() / (4 * 3600); math.Abs(spans[len(spans)-1][1]-want) > 0.0001 {
		t.Errorf("the last block ends at %v of the bar, want %v (%s)", spans[len(spans)-1][1], want, last.In(berlin))
	}
	for i, sp := range spans {
		if sp[0] < 0 || sp[1] < sp[0] || i > 0 && sp[0] < spans[i-1][1] {
			t.Errorf("span %d %v overlaps or runs backwards", i, sp)
		}
	}
	if _, labels := v.Bar.Hours(); strings.Join(labels, " ") != "00:00 01:00 03:00 04:00 05:00" {
		t.Errorf("hours %v: the DST day has no 02:00", labels)
	}
	// The blocks hold the day's active time, as the footer says.
	var active time.Duration
	for _, b := range v.DayView.blocks {
		active += b.Active
	}
	if active.Truncate(time.Minute) != 33*time.Minute {
		t.Errorf("the blocks hold %s, the footer says 33m", active)
	}
	test.AssertRendersToMarkup(t, "entries_2026-03-29.xml", w.Canvas())

	test.Tap(v.Prev)
	if v.DayLabel.Text != "Saturday, 28 March 2026" || v.Total.Text != "Active 13m (no project 13m) · 5 entries" {
		t.Errorf("previous day %q %q", v.DayLabel.Text, v.Total.Text)
	}
	test.Tap(v.Export)
	lines := strings.Split(strings.TrimSpace(exported.String()), "\n")
	if len(lines) != 6 || lines[0] != "id,start_time,end_time,duration_seconds,project,notes,source,bucket" || v.Message.Text != "Exported 5 entries." {
		t.Errorf("export: %d lines, message %q\n%s", len(lines), v.Message.Text, exported.String())
	}
	test.Tap(v.Next)
	test.Tap(v.Next)
	if v.Total.Text != "Active 0s · 0 entries" {
		t.Errorf("empty day: %q", v.Total.Text)
	}
	test.Tap(v.Export)
	if v.Message.Text != "Nothing to export for this day." {
		t.Errorf("empty export: %q", v.Message.Text)
	}
}

// After Test, a server with categories gets an offer to import them that
// says what it creates; importing saves the rules and applies them.
func TestSettingsOffersCategoryImport(t *testing.T) {
	fake, err := awfake.NewFromFixtures(awfake.Python)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	core := newCore(t)
	s, _, _ := settingsWindow(t, core)
	setText(s.URL, hs.URL)
	test.Tap(s.TestButton)
	if s.importRow.Visible() {
		t.Errorf("offer shown for a server without categories: %q", s.ImportOffer.Text)
	}
	raw, err := os.ReadFile("../awfake/testdata/aw/settings-categories.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.LoadSettings(raw); err != nil {
		t.Fatal(err)
	}
	test.Tap(s.TestButton)
	if !s.importRow.Visible() || !strings.HasPrefix(s.ImportOffer.Text, "ActivityWatch has 22 categories. Importing them makes 22 new rules and 22 projects (") {
		t.Fatalf("offer: visible %v %q", s.importRow.Visible(), s.ImportOffer.Text)
	}
	test.Tap(s.ImportButton)
	if !strings.HasPrefix(s.ImportOffer.Text, "✓ Imported 22 rules") {
		t.Errorf("after import: %q", s.ImportOffer.Text)
	}
	rs, err := core.Activity.Rules(context.Background())
	if err != nil || len(rs) != 22 {
		t.Fatalf("%d rules saved, %v", len(rs), err)
	}
	test.Tap(s.TestButton)
	if s.importRow.Visible() {
		t.Errorf("offer shown again with nothing new: %q", s.ImportOffer.Text)
	}
}

func TestSettingsDiagnose(t *testing.T) {
	aw := fakeAW(t)
	core := newCore(t)
	cfg := config.Default()
	cfg.ServerURL = aw
	if _, err := core.Setup(context.Background(), application.DefaultConfig(), cfg); err != nil {
		t.Fatal(err)
	}
	s, _, _ := settingsWindow(t, core)
	test.Tap(s.DiagnoseButton)
	for _, w := range []string{"✓ ActivityWatch: v0.13.2 on devbox", "✗ Last sync: never — run Sync Now", "✓ Database:", "✓ TimeTracker: not set up"} {
		if !strings.Contains(s.Message.Text, w) {
			t.Errorf("diagnose lacks %q:\n%s", w, s.Message.Text)
		}
	}
}

// Sync Now reads what is new; re-reading the window is its own button.
func TestSettingsSyncNowAndReread(t *testing.T) {
	aw := fakeAW(t)
	core, modes := newRecordingCore(t)
	s, _, _ := settingsWindow(t, core)
	setText(s.URL, aw)
	test.Tap(s.SaveButton)
	s.RefreshStatus(context.Background()) // the window watches the status
	*modes = nil
	test.Tap(s.SyncButton)
	test.Tap(s.RereadButton)
	if fmt.Sprint(*modes) != fmt.Sprint([]syncer.Mode{syncer.Now, syncer.Reread}) {
		t.Errorf("syncs asked for: %v, want Sync Now then Reread", *modes)
	}
	if s.RereadButton.Text != "Re-read last 7 days" || s.RereadButton.Disabled() {
		t.Errorf("re-read button %q disabled=%v", s.RereadButton.Text, s.RereadButton.Disabled())
	}
	if !strings.HasPrefix(s.StatusLine.Text, "Last sync") {
		t.Errorf("status line after the syncs: %q", s.StatusLine.Text)
	}
}

// whole is an edit that saves cfg as it is, every field.
func whole[T any](cfg T) func(*T) error { return func(c *T) error { *c = cfg; return nil } }
