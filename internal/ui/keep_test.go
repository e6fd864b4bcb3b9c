package ui

import (
	"context"
	"net/http/httptest"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/ttfake"
)

// A Save of either tab keeps what the tab does not show: the pause set
// from the tray (before the window opened, or while it is open) and the
// rate limits set with remote setup --rate-per-minute/--rate-per-hour.
func TestSaveKeepsWhatTheTabDoesNotShow(t *testing.T) {
	ctx := context.Background()
	aw := fakeAW(t)
	core := newCore(t)
	cfg := config.Default()
	cfg.ServerURL = aw
	if _, err := core.Setup(ctx, application.DefaultConfig(), cfg); err != nil {
		t.Fatal(err)
	}
	tt := ttfake.New("Europe/Rome")
	tt.AddToken(uiToken, "read:projects", "read:time_entries", "write:time_entries")
	tt.AddProject("Deep work")
	hs := httptest.NewServer(tt)
	defer hs.Close()
	rc := config.DefaultRemote()
	rc.ServerURL, rc.RatePerMinute, rc.RatePerHour = hs.URL, 7, 70
	if _, err := core.Push.Setup(ctx, whole(rc), uiToken, "Deep work"); err != nil {
		t.Fatal(err)
	}

	paused := func(when string) {
		t.Helper()
		st, err := core.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Config.Paused {
			t.Errorf("%s: the tray's pause was lost", when)
		}
	}
	rates := func(when string) {
		t.Helper()
		st, err := core.RemoteState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Config.RatePerMinute != 7 || st.Config.RatePerHour != 70 {
			t.Errorf("%s: rate limits %d/min %d/h, want 7 and 70", when, st.Config.RatePerMinute, st.Config.RatePerHour)
		}
	}

	// Paused before the window opens.
	if err := core.SetPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	s, _, _ := settingsWindow(t, core)
	setText(s.Lookback, "12")
	test.Tap(s.SaveButton)
	paused("ActivityWatch tab saved after a pause")
	if st, _ := core.State(ctx); st.Config.LookbackDays != 12 {
		t.Errorf("the tab's own change was not saved: lookback %d", st.Config.LookbackDays)
	}

	// Paused while the window is open (it loaded the unpaused value).
	if err := core.SetPaused(ctx, false); err != nil {
		t.Fatal(err)
	}
	s.Load(ctx)
	if err := core.SetPaused(ctx, true); err != nil {
		t.Fatal(err)
	}
	setText(s.Lookback, "13")
	test.Tap(s.SaveButton)
	paused("ActivityWatch tab loaded before the pause, saved after it")

	r := NewRemote(core, sync, nil)
	w := test.NewWindow(r.Content())
	defer w.Close()
	w.Resize(fyne.NewSize(720, 560))
	r.Load(ctx)
	setText(r.MergeGap, "120")
	test.Tap(r.SaveButton)
	if st, _ := core.RemoteState(ctx); st.Config.MergeGapSeconds != 120 || !st.Active {
		t.Fatalf("the TimeTracker tab's change was not saved: %+v (%s)", st.Config, r.Result.Text)
	}
	rates("TimeTracker tab saved")
	paused("TimeTracker tab saved")

	// And the ActivityWatch tab does not touch the TimeTracker side.
	setText(s.Lookback, "14")
	test.Tap(s.SaveButton)
	rates("ActivityWatch tab saved")
}
