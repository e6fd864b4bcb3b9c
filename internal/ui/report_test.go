package ui

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/palette"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/ttfake"
)

// syncedCore is the real core with the fixture days synced (zone
// Europe/Berlin) and ActivityWatch's categories from the fixture imported.
func syncedCore(t *testing.T) *application.Core {
	t.Helper()
	fake, err := awfake.NewFromFixtures(awfake.Python)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../awfake/testdata/aw/settings-categories.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.LoadSettings(raw); err != nil {
		t.Fatal(err)
	}
	aw := serve(t, fake)
	core := newCore(t)
	ctx := context.Background()
	cfg := config.Default()
	cfg.ServerURL, cfg.Timezone = aw, "Europe/Berlin"
	if _, err := core.Setup(ctx, application.DefaultConfig(), cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := core.SyncNow(ctx, engine.SyncRequest{}); err != nil {
		t.Fatal(err)
	}
	plan, err := core.PlanImport(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := core.ImportCategories(ctx, plan); err != nil {
		t.Fatal(err)
	}
	return core
}

func TestReportWindow(t *testing.T) {
	core := syncedCore(t)
	test.NewTempApp(t)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	var exported bytes.Buffer
	r := NewReport(core, sync, berlin, func(write func(io.Writer) error) { _ = write(&exported) })
	w := test.NewWindow(r.Content())
	defer w.Close()
	w.Resize(fyne.NewSize(900, 640))
	r.ShowWeek(time.Date(2026, 3, 27, 12, 0, 0, 0, berlin))
	if r.Title.Text != "Week 13, 23 March – 29 March 2026" || r.Week == nil || len(r.Week.Projects) < 5 {
		t.Fatalf("title %q, week %+v", r.Title.Text, r.Week)
	}
	if !strings.HasPrefix(r.Totals.Text, "Week total 3h 40m: 0s pushed to TimeTracker, 3h 40m waiting, 0s kept local.") {
		t.Errorf("totals %q", r.Totals.Text)
	}
	segs := r.Bars.Segments()
	if len(segs) < 5 {
		t.Fatalf("%d bar segments", len(segs))
	}
	for _, s := range segs {
		if s.From < 0 || s.To > 1.0000001 || s.To <= s.From {
			t.Errorf("segment %+v out of the chart", s)
		}
	}
	// ActivityWatch hands "Work"'s green down to all its children: here
	// they are shades of it, told apart, all readable on both themes.
	colors := map[string]string{}
	for _, l := range r.Week.Projects {
		if l.Project != nil {
			colors[*l.Project] = l.Color
		}
	}
	goC, awC := colors["Work > Programming > Go"], colors["Work > Programming > ActivityWatch"]
	if goC == "" || awC == "" || palette.Distance(goC, awC) < 8 {
		t.Errorf("Go %s and ActivityWatch %s are not told apart", goC, awC)
	}
	for p, c := range colors {
		if palette.Contrast(c, "#FFFFFF") < palette.MinContrast || palette.Contrast(c, "#171718") < palette.MinContrast {
			t.Errorf("%s: %s is hard to see on a light or dark background", p, c)
		}
	}
	// The value axis is of round steps over the busiest day (Friday, 2h 53m).
	if top, step := r.Bars.Axis(); step != time.Hour || top != 3*time.Hour {
		t.Errorf("axis to %s in steps of %s, want 3h in 1h", top, step)
	}
	// A tap on Friday's bar opens that day.
	var opened time.Time
	r.OpenDay = func(d time.Time) { opened = d }
	barW := (r.Bars.Size().Width - axisW) / 7
	test.TapAt(r.Bars, fyne.NewPos(axisW+barW*4.5, r.Bars.Size().Height/2))
	if want := time.Date(2026, 3, 27, 0, 0, 0, 0, berlin); !opened.Equal(want) {
		t.Errorf("a tap on Friday's bar opened %v, want %v", opened, want)
	}
	// Hovering a bar says what the day holds.
	r.Bars.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(axisW+barW*4.5, 50)}})
	if got := r.Bars.HoverText(); !strings.HasPrefix(got, "Friday, 27 March 2026: 2h 53m (Work > Programming > Go 1h 32m, ") {
		t.Errorf("hover over Friday: %q", got)
	}
	r.Bars.MouseOut()
	if got := r.Bars.HoverText(); got != "" {
		t.Errorf("hover after the pointer left: %q", got)
	}
	opened = time.Time{}
	test.TapAt(r.Bars, fyne.NewPos(axisW+barW*0.5, r.Bars.Size().Height/2))
	if !opened.IsZero() {
		t.Errorf("a tap on Monday (no time) opened %v", opened)
	}
	test.AssertRendersToMarkup(t, "report_2026-w13.xml", w.Canvas())
	test.Tap(r.Export)
	if lines := strings.Split(strings.TrimSpace(exported.String()), "\n"); len(lines) != len(r.Week.Projects)+2 {
		t.Errorf("export: %d lines\n%s", len(lines), exported.String())
	}
	test.Tap(r.Next)
	if r.Title.Text != "Week 14, 30 March – 5 April 2026" || r.Totals.Text != "No active time this week." {
		t.Errorf("next week: %q %q", r.Title.Text, r.Totals.Text)
	}

	// The month holding the shown week: a bar a day, a column an ISO week,
	// the same total as the fixture week (all of March's activity is in it).
	test.Tap(r.Prev)
	weekTotal := r.Week.Total
	r.Span.SetSelected("Month")
	if r.Title.Text != "March 2026" || len(r.Week.Days) != 31 || len(r.Week.Columns) != 6 || r.Week.Total != weekTotal {
		t.Fatalf("month: %q, %d days, %d columns, total %d (week %d)", r.Title.Text, len(r.Week.Days), len(r.Week.Columns), r.Week.Total, weekTotal)
	}
	if r.Prev.Text != "◀ Previous month" || r.ThisWeek.Text != "This month" || !strings.HasPrefix(r.Totals.Text, "Month total 3h 40m") {
		t.Errorf("month labels: %q %q %q", r.Prev.Text, r.ThisWeek.Text, r.Totals.Text)
	}
	for _, s := range r.Bars.Segments() {
		if s.Day < 0 || s.Day >= 31 || s.To > 1.0000001 || s.To <= s.From {
			t.Errorf("month segment %+v", s)
		}
	}
	test.AssertRendersToMarkup(t, "report_2026-03.xml", w.Canvas())
	exported.Reset()
	test.Tap(r.Export)
	if head, _, _ := strings.Cut(exported.String(), "\n"); !strings.HasPrefix(head, "project,2026-03-01,") || !strings.HasSuffix(head, ",2026-03-31,total_seconds") {
		t.Errorf("month export header %q", head)
	}
	test.Tap(r.Next)
	if r.Title.Text != "April 2026" || r.Totals.Text != "No active time this month." {
		t.Errorf("next month: %q %q", r.Title.Text, r.Totals.Text)
	}
	r.Span.SetSelected("Week")
	if r.Title.Text != "Week 14, 30 March – 5 April 2026" || r.Next.Text != "Next week ▶" {
		t.Errorf("back to a week: %q %q", r.Title.Text, r.Next.Text)
	}
}

// Loads run off the UI goroutine and may answer out of order: only the
// last period asked for is shown (1 June 2026 is a Monday, so the month
// and the week start at the same instant).
func TestReportShowsOnlyTheLastAsked(t *testing.T) {
	core := syncedCore(t)
	test.NewTempApp(t)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	var queued []func(context.Context)
	r := NewReport(core, func(work func(context.Context)) { queued = append(queued, work) }, berlin, func(func(io.Writer) error) {})
	w := test.NewWindow(r.Content())
	defer w.Close()
	r.ShowMonth(time.Date(2026, 6, 10, 12, 0, 0, 0, berlin))
	r.ShowWeek(time.Date(2026, 6, 1, 12, 0, 0, 0, berlin))
	if len(queued) != 2 {
		t.Fatalf("%d loads queued", len(queued))
	}
	queued[1](context.Background()) // the week answers first,
	queued[0](context.Background()) // the month last
	if r.Title.Text != "Week 23, 1 June – 7 June 2026" || r.Week == nil || r.Week.Unit != "week" || r.Next.Text != "Next week ▶" {
		t.Errorf("shown: %q (%+v), next %q", r.Title.Text, r.Week, r.Next.Text)
	}
}

// TestScreenshots renders every window and tab with the fixture data to
// PNG files, at the windows' real sizes, in each language: `make
// screenshots` runs it with AWTT_SCREENSHOTS set to the folder to write
// to (a folder a language).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("AWTT_SCREENSHOTS")
	if dir == "" {
		t.Skip("AWTT_SCREENSHOTS is not set (make screenshots sets it)")
	}
	core := syncedCore(t)
	test.NewTempApp(t)
	connectRemote(t, core) // blocks to review in the pictures
	defer func() { _ = i18n.Use("en") }()
	for _, l := range i18n.Languages() {
		if err := i18n.Use(l); err != nil {
			t.Fatal(err)
		}
		screenshots(t, core, filepath.Join(dir, l))
	}
}

// connectRemote sets a fake TimeTracker up through the TimeTracker tab,
// in review mode, with a default project.
func connectRemote(t *testing.T, core *application.Core) {
	t.Helper()
	tt := ttfake.New("Europe/Berlin")
	tt.AddToken(uiToken, "read:projects", "read:time_entries", "write:time_entries")
	tt.AddProject("Client work")
	hs := httptest.NewServer(tt)
	t.Cleanup(hs.Close)
	r := NewRemote(core, sync, nil)
	w := test.NewWindow(r.Content())
	defer w.Close()
	r.Load(context.Background())
	setText(r.URL, hs.URL)
	setText(r.Token, uiToken)
	r.Mode.SetSelected(pushModeLabel(config.PushReview))
	test.Tap(r.SaveButton)
	r.Project.SetSelected("Client work")
	test.Tap(r.SaveButton)
	if st, _ := core.RemoteState(context.Background()); !st.Active {
		t.Fatalf("the fake TimeTracker is not set up: %q", r.Result.Text)
	}
}

func screenshots(t *testing.T, core *application.Core, dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	day := time.Date(2026, 3, 27, 12, 0, 0, 0, berlin)
	shot := func(name string, content fyne.CanvasObject, size fyne.Size, show func()) {
		t.Helper()
		w := test.NewWindow(content)
		defer w.Close()
		w.Resize(size)
		if show != nil {
			show()
		}
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	s := NewSettings(core, sync, nil)
	rm := NewRemote(core, sync, nil)
	rt := NewRulesTab(core, sync, nil)
	settingsTabs := container.NewAppTabs(container.NewTabItem(i18n.T("window.tab.activitywatch"), s.Content()),
		container.NewTabItem(i18n.T("window.tab.timetracker"), rm.Content()), container.NewTabItem(i18n.T("window.tab.rules"), rt.Content()))
	shot("settings-activitywatch", settingsTabs, fyne.NewSize(720, 720), func() { s.Load(ctx); rm.Load(ctx); rt.Load(ctx) })
	settingsTabs.SelectIndex(1)
	shot("settings-timetracker", settingsTabs, fyne.NewSize(720, 720), nil)
	settingsTabs.SelectIndex(2)
	shot("settings-rules", settingsTabs, fyne.NewSize(720, 720), func() { rt.List.Select(3) })
	v := NewEntries(core, sync, berlin, func(func(io.Writer) error) {})
	shot("entries-2026-03-27", v.Content(), fyne.NewSize(900, 600), func() { v.ShowDay(day); v.DayView.Select(2) })
	v.Tabs.SelectIndex(1)
	shot("entries-2026-03-27-raw", v.Content(), fyne.NewSize(900, 600), nil)
	rv := NewReview(core, sync)
	shot("review-2026-03-27", rv.Content(), fyne.NewSize(900, 600), func() { rv.Show(day, day.AddDate(0, 0, 1)) })
	r := NewReport(core, sync, berlin, func(func(io.Writer) error) {})
	shot("report-2026-w13", r.Content(), fyne.NewSize(900, 640), func() { r.ShowWeek(day) })
	shot("report-2026-03", r.Content(), fyne.NewSize(900, 640), func() { r.ShowMonth(day) })
	aw := NewAway(core, sync, berlin, nil)
	aw.now = func() time.Time { return awfake.FixtureSnapshot }
	shot("away", aw.Content(), fyne.NewSize(520, 300), func() {
		aw.Load(ctx)
		aw.Project.SetSelected(aw.Project.Options[0])
		aw.Note.SetText("Standup with ACME")
	})
}

func TestSyncNote(t *testing.T) {
	for _, tt := range []struct {
		st   engine.Status
		want string
	}{
		{engine.Status{}, ""},
		{engine.Status{Syncing: true}, "A sync is still filling this week: figures will grow."},
		{engine.Status{Syncing: true, Progress: engine.Progress{BucketIndex: 2, Buckets: 3, Imported: 4500}},
			"A sync is still filling this week (bucket 2 of 3, 4500 events so far): figures will grow."},
	} {
		if got := syncNote(tt.st, false); got != tt.want {
			t.Errorf("%+v: %q", tt.st, got)
		}
	}
}

// Switching between week and month keeps to the time shown: a week goes
// to the month of its Thursday, a month to today's week when today is in
// it, else to its first week.
func TestReportSwitchesToTheRightPeriod(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	r := &Report{loc: berlin}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, berlin) }
	for _, tc := range []struct {
		name       string
		start, now time.Time
		month      bool
		wantMonth  time.Month
	}{
		{"week 49 is December's", time.Date(2026, 11, 30, 0, 0, 0, 0, berlin), day(2026, 12, 4), true, time.December},
		{"week 48 is November's", time.Date(2026, 11, 23, 0, 0, 0, 0, berlin), day(2026, 12, 4), true, time.November},
		{"week 1 of 2027 is January's", time.Date(2027, 1, 4, 0, 0, 0, 0, berlin), day(2026, 12, 4), true, time.January},
	} {
		r.start = tc.start
		if got := report.MonthStart(r.switchTo(tc.month, tc.now), berlin).Month(); got != tc.wantMonth {
			t.Errorf("%s: %s", tc.name, got)
		}
	}
	r.start = time.Date(2026, 12, 1, 0, 0, 0, 0, berlin)
	if got := report.ISOWeek(r.switchTo(false, day(2026, 12, 17)), berlin); !got.Equal(time.Date(2026, 12, 14, 0, 0, 0, 0, berlin)) {
		t.Errorf("December with today the 17th: week of %v, want the 14th", got)
	}
	if got := report.ISOWeek(r.switchTo(false, day(2027, 2, 3)), berlin); !got.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, berlin)) {
		t.Errorf("December seen in February: week of %v, want the one of the 1st", got)
	}
}
