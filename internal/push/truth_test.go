package push_test

import (
	"context"
	"math"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activity"
	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/integration"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
	"github.com/aw-timetracker/aw-timetracker/internal/ttfake"
)

type lookback int

func (l lookback) LookbackDays(context.Context) int { return int(l) }

// world is generated activity synced into a real database with rules,
// and a push service set up against a fake TimeTracker holding projects.
type world struct {
	st     *store.Store
	act    *activity.Service
	svc    *push.Service
	tt     *ttfake.Server
	remote map[int64]string // remote project id → name
}

// newWorld generates days of activity ending at end (window events of at
// most maxSeconds), syncs them with rs, and sets up a push of lookback
// days whose default project is the first of projects.
func newWorld(t *testing.T, end time.Time, days, maxSeconds int, rs []rules.Rule, projects ...string) *world {
	t.Helper()
	ctx := context.Background()
	fake := awfake.New(awfake.Python, "devbox")
	awfake.GenerateDense(fake, days, end, 7, maxSeconds)
	awhs := httptest.NewServer(fake)
	t.Cleanup(awhs.Close)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &world{st: st, act: activity.New(st, zerolog.Nop()), remote: map[int64]string{}}
	aw := integration.New(st, func(cfg config.Config) (integration.Source, error) {
		return activitywatch.New(cfg.ServerURL, "", 10*time.Second)
	}, w.act, zerolog.Nop())
	cfg := config.Default()
	cfg.ServerURL, cfg.Timezone, cfg.LookbackDays = awhs.URL, "Europe/Berlin", min(days+2, 90)
	if _, err := aw.Setup(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.act.Save(ctx, rs); err != nil {
		t.Fatal(err)
	}
	if _, err := aw.Sync(ctx, integration.SyncRequest{Mode: syncer.Range, From: end.AddDate(0, 0, -days-1), To: end.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	w.tt = ttfake.New("Europe/Berlin")
	w.tt.PerMinute = 1 << 30 // the pacer is tested elsewhere; here only the time counts
	const tok = "tt_truthTRUTHtruthTRUTHtruthTRUTH00"
	w.tt.AddToken(tok, "read:projects", "read:time_entries", "write:time_entries")
	for _, name := range projects {
		w.remote[w.tt.AddProject(name)] = name
	}
	tths := httptest.NewServer(w.tt)
	t.Cleanup(tths.Close)
	w.svc = push.NewService(push.Deps{Store: st, Secrets: secret.Store{Service: "test", Dir: t.TempDir()},
		NewClient: func(u, tok string, pace *timetracker.Pacer) (push.API, error) {
			return timetracker.New(u, tok, 10*time.Second, pace)
		}, Lookback: lookback(days + 2), Pieces: w.act.Pieces, Log: zerolog.Nop(), Now: func() time.Time { return end.Add(2 * time.Hour) }})
	rc := config.DefaultRemote()
	rc.ServerURL, rc.RatePerMinute, rc.RatePerHour = tths.URL, 100000, 1000000
	if _, err := w.svc.Setup(ctx, rc, tok, projects[0]); err != nil {
		t.Fatal(err)
	}
	return w
}

// Per-project time is true on fragmented data (a switch every few seconds
// to a minute): each TimeTracker project's pushed total is within 3 % of
// that project's active time (the report's figure), the total within 2 %.
// Local projects reach the TimeTracker projects of their own names; a
// project kept local is never pushed.
func TestPushedTimePerProjectIsTrue(t *testing.T) {
	ctx := context.Background()
	end := time.Date(2026, 3, 27, 18, 0, 0, 0, time.UTC)
	w := newWorld(t, end, 7, 30, []rules.Rule{ // 5–60 s switches
		{Action: rules.ActionProject, Project: "Development", App: `^(Code|Gnome-terminal)$`},
		{Action: rules.ActionProject, Project: "Chat", Match: `Slack|Telegram`},
		{Action: rules.ActionProject, Project: "Meetings", Match: `zoom`, IgnoreCase: true},
		{Action: rules.ActionProject, Project: "Research", URL: `github\.com|developer\.mozilla\.org`},
		{Action: rules.ActionProject, Project: "Media", URL: `youtube\.com`},
	}, "General", "Development", "Chat", "Meetings", "Research", "Media")
	st, act, svc, tt, remote := w.st, w.act, w.svc, w.tt, w.remote
	mediaProject, _ := st.ProjectByName(ctx, "Media")
	if err := st.SetProjectPush(ctx, mediaProject.ID, false); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Push(ctx)
	if err != nil || res.Failed+res.Conflicts > 0 {
		t.Fatalf("push: %+v %v", res, err)
	}

	checkTotals(t, ctx, act, tt, remote, end)

	// Rules change after the push: Chat's rule goes (its time falls to the
	// default project) and Meetings become private. Pushed blocks follow in
	// place: entries updated or removed, never a second entry for the same
	// time, never an overlap (the fake refuses those, as the server does).
	rs, err := act.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kept []rules.Rule
	for _, r := range rs {
		switch r.Project {
		case "Chat":
		case "Meetings":
			r.Action, r.Project = rules.ActionExclude, ""
			kept = append(kept, r)
		default:
			kept = append(kept, r)
		}
	}
	if _, _, err := act.Save(ctx, kept); err != nil {
		t.Fatal(err)
	}
	posts := tt.Posts()
	res, err = svc.Push(ctx)
	if err != nil || res.Failed+res.Conflicts > 0 || res.Updated+res.Removed == 0 {
		t.Fatalf("push after the rules changed: %+v %v", res, err)
	}
	t.Logf("after the change: %d created, %d updated in place, %d removed (%d posts)", res.Created, res.Updated, res.Removed, tt.Posts()-posts)
	checkTotals(t, ctx, act, tt, remote, end)
	if again, err := svc.Push(ctx); err != nil || again.Created+again.Updated+again.Removed != 0 {
		t.Errorf("a second push changed more: %+v %v", again, err)
	}
}

// checkTotals compares each TimeTracker project's pushed time with that
// project's active time in the report.
func checkTotals(t *testing.T, ctx context.Context, act *activity.Service, tt *ttfake.Server, remote map[int64]string, end time.Time) {
	t.Helper()
	rows, err := act.Report(ctx, end.AddDate(0, 0, -8), end.Add(2*time.Hour), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	for _, p := range report.ByProject(rows) {
		name := "General" // unmatched time goes to the remote default
		if p.Project != nil {
			name = *p.Project
		}
		want[name] += float64(p.Seconds)
	}
	got := map[string]float64{}
	for _, e := range tt.Entries() {
		got[remote[e.ProjectID]] += e.End.Sub(e.Start).Seconds()
	}
	if got["Media"] != 0 {
		t.Errorf("a project kept local was pushed: %.0f s", got["Media"])
	}
	delete(want, "Media")
	var wantTotal, gotTotal float64
	for name, w := range want {
		g := got[name]
		wantTotal, gotTotal = wantTotal+w, gotTotal+g
		off := math.Abs(g-w) / w
		t.Logf("%-12s active %6.0f s, pushed %6.0f s (%.2f %%)", name, w, g, 100*off)
		if off > 0.03 {
			t.Errorf("%s: pushed %.0f s for %.0f s of active time (%.1f %% off, limit 3 %%)", name, g, w, 100*off)
		}
	}
	if off := math.Abs(gotTotal-wantTotal) / wantTotal; off > 0.02 || len(tt.Entries()) < 20 {
		t.Errorf("total: pushed %.0f s in %d entries for %.0f s (%.1f %% off, limit 2 %%)", gotTotal, len(tt.Entries()), wantTotal, 100*off)
	}
}

// Reconciling 60 days reads the server in pages, never per block: a push
// with nothing new costs one read of the projects and one page per 100
// entries, far under TimeTracker's 100 requests a minute.
func TestReconcileReadsInPages(t *testing.T) {
	ctx := context.Background()
	end := time.Date(2026, 3, 27, 18, 0, 0, 0, time.UTC)
	w := newWorld(t, end, 60, 120, nil, "General")
	svc, tt := w.svc, w.tt
	first, err := svc.Push(ctx)
	if err != nil || first.Created < 500 {
		t.Fatalf("first push: %+v %v", first, err)
	}
	before := tt.Requests()
	t0 := time.Now()
	again, err := svc.Push(ctx)
	took := time.Since(t0)
	if err != nil || again.Created+again.Updated+again.Removed != 0 {
		t.Fatalf("second push: %+v %v", again, err)
	}
	n := tt.Requests() - before
	want := 1 + (first.Created+99)/100
	t.Logf("60 days, %d entries on the server: a reconcile with nothing new took %d requests in %v", first.Created, n, took.Round(time.Millisecond))
	if n != want {
		t.Errorf("%d requests, want %d (projects + one page per 100 entries)", n, want)
	}
}
