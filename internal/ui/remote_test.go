package ui

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/ttfake"
)

const uiToken = "tt_uiuiUIUIuiuiUIUIuiuiUIUIuiuiUIUI"

func TestRemoteTabAndReview(t *testing.T) {
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
	tt := ttfake.New("Europe/Rome")
	tt.AddToken(uiToken, "read:projects", "read:time_entries", "write:time_entries")
	tt.AddProject("Deep work")
	tt.AddProject("Meetings")
	hs := httptest.NewServer(tt)
	defer hs.Close()

	test.NewTempApp(t)
	r := NewRemote(core, sync, nil)
	w := test.NewWindow(r.Content())
	defer w.Close()
	w.Resize(fyne.NewSize(720, 560))
	r.Load(context.Background())
	if !strings.HasPrefix(r.Status.Text, "No TimeTracker set up") {
		t.Errorf("status before setup: %q", r.Status.Text)
	}
	setText(r.URL, hs.URL)
	setText(r.Token, "tt_notnotnotnotnotnotnotnotnotnot00")
	test.Tap(r.SaveButton)
	if !strings.Contains(r.Result.Text, "refused the API token: Token not found") {
		t.Errorf("bad token: %q", r.Result.Text)
	}
	setText(r.Token, uiToken)
	r.Mode.SetSelected(pushModeLabel(config.PushReview))
	test.Tap(r.SaveButton)
	if !strings.HasPrefix(r.Result.Text, "✓ Connected to TimeTracker 5.10.0 (time zone Europe/Rome). Choose a default project") ||
		len(r.Project.Options) != 2 || r.Token.Text != "" {
		t.Fatalf("setup: %q, projects %v", r.Result.Text, r.Project.Options)
	}
	r.Project.SetSelected("Meetings")
	test.Tap(r.SaveButton)
	st, _ := core.RemoteState(context.Background())
	if !st.Active || st.Config.DefaultProjectName != "Meetings" || st.Config.PushMode != config.PushReview {
		t.Fatalf("saved %+v", st.Config)
	}

	// Review the blocks of Friday 27 March.
	berlin, _ := time.LoadLocation("Europe/Berlin")
	rv := NewReview(core, sync)
	rw := test.NewWindow(rv.Content())
	defer rw.Close()
	day := time.Date(2026, 3, 27, 0, 0, 0, 0, berlin)
	rv.Show(day, day.AddDate(0, 0, 1))
	if len(rv.blocks) < 5 || !strings.Contains(rv.Message.Text, "waiting for review") {
		t.Fatalf("%d blocks, %q", len(rv.blocks), rv.Message.Text)
	}
	if _, err := core.AddProject(context.Background(), "Tray"); err != nil {
		t.Fatal(err)
	}
	rv.Show(day, day.AddDate(0, 0, 1))
	rv.List.Select(0)
	setText(rv.Notes, "Planning the tray")
	rv.Project.SetSelected("Tray")
	test.Tap(rv.SaveNotes)
	rv.List.Select(0)
	test.Tap(rv.Approve)
	rv.List.Select(1)
	test.Tap(rv.Discard)
	if rv.blocks[0].Notes != "Planning the tray" || rv.blocks[0].ProjectID == 0 || rv.blocks[0].State != application.BlockApproved || rv.blocks[1].State != application.BlockDiscarded {
		t.Fatalf("after review: %+v / %+v", rv.blocks[0], rv.blocks[1])
	}
	// Push sends exactly the approved block.
	r.PushNow()
	if !strings.HasPrefix(r.Result.Text, "Pushed: 1 new") {
		t.Errorf("push: %q", r.Result.Text)
	}
	// The block's local project "Tray" is mapped to no remote project, so
	// it goes to the default one (Meetings, #2).
	if got := tt.Entries(); len(got) != 1 || got[0].Notes != "Planning the tray" || got[0].ProjectID != 2 {
		t.Errorf("server entries %+v", got)
	}
	test.Tap(rv.ApproveAll)
	for _, b := range rv.blocks {
		if b.State == application.BlockPending {
			t.Fatalf("approve all left %+v", b)
		}
	}
}

// The TimeTracker tab's push line follows pushes made elsewhere (the
// tray, a schedule): a status whose last push changed reads the state
// again.
func TestRemoteTabFollowsPushesElsewhere(t *testing.T) {
	core := newCore(t)
	test.NewTempApp(t)
	r := NewRemote(core, sync, nil)
	w := test.NewWindow(r.Content())
	defer w.Close()
	r.Load(context.Background())
	r.Status.SetText("stale")
	r.ShowStatus(engine.Status{Pushing: true})
	if r.Status.Text != "stale" {
		t.Errorf("read again while the push runs: %q", r.Status.Text)
	}
	r.ShowStatus(engine.Status{LastPush: time.Date(2026, 3, 27, 10, 42, 0, 0, time.UTC)})
	if r.Status.Text == "stale" || !strings.HasPrefix(r.Status.Text, "No TimeTracker set up") {
		t.Errorf("after a push elsewhere: %q", r.Status.Text)
	}
}
