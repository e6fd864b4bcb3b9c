package push_test

import (
	"context"
	"math"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
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
	act    *classify.Service
	svc    *push.Service
	tt     *ttfake.Server
	remote map[int64]string // remote project id → name
}

// newWorld generates days of activity ending at end (window events of at
// most maxSeconds), syncs them with rs, and sets up a push of lookback
// days whose default project is the first of projects.
func newWorld(t *testing.T, end time.Time, days, maxSeconds int, rs []rules.Rule, projects ...string) *world {
	t.Helper()
	fake := awfake.New(awfake.Python, "devbox")
	awfake.GenerateDense(fake, days, end, 7, maxSeconds)
	return newWorldOf(t, fake, "Europe/Berlin", end, days, rs, projects...)
}

// newWorldOf is newWorld over the data of fake, the app in zone appZone
// (the fake TimeTracker is in Europe/Berlin).
func newWorldOf(t *testing.T, fake *awfake.Server, appZone string, end time.Time, days int, rs []rules.Rule, projects ...string) *world {
	t.Helper()
	ctx := context.Background()
	awhs := httptest.NewServer(fake)
	t.Cleanup(awhs.Close)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &world{st: st, act: classify.New(st, zerolog.Nop()), remote: map[int64]string{}}
	aw := awsync.New(st, settings.New(st), func(cfg config.Config) (awsync.Source, error) {
		return activitywatch.New(cfg.ServerURL, "", 10*time.Second)
	}, w.act, zerolog.Nop())
	cfg := config.Default()
	cfg.ServerURL, cfg.Timezone, cfg.LookbackDays = awhs.URL, appZone, min(days+2, 90)
	if _, err := aw.Setup(ctx, whole(cfg)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.act.SaveRules(ctx, rs); err != nil { // before any activity: nothing to apply yet
		t.Fatal(err)
	}
	if _, err := aw.Sync(ctx, awsync.SyncRequest{Mode: syncer.Range, From: end.AddDate(0, 0, -days-1), To: end.Add(time.Hour)}); err != nil {
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
	if _, err := w.svc.Setup(ctx, whole(rc), tok, projects[0]); err != nil {
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
	if _, err := act.SaveRules(ctx, kept); err != nil {
		t.Fatal(err)
	}
	if _, err := act.Apply(ctx); err != nil {
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
func checkTotals(t *testing.T, ctx context.Context, act *classify.Service, tt *ttfake.Server, remote map[int64]string, end time.Time) {
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

// The night DST ends in Berlin, worked through, pushed by an app in
// another zone (New York) to a server in Berlin: the wall clock runs
// through 02:00–03:00 twice, and TimeTracker, which stores naive times,
// can hold only one of them. The first pass is pushed, the second is
// trimmed (shown as such), nothing ends in conflict or fails, and no
// entry's naive times run backwards or overlap another's.
func TestOctoberNightPushesWithoutConflict(t *testing.T) {
	ctx := context.Background()
	fake := awfake.New(awfake.Python, "devbox")
	win, afk := "aw-watcher-window_devbox", "aw-watcher-afk_devbox"
	fake.AddBucket(awfake.BucketMeta{ID: win, Type: "currentwindow", Client: "aw-watcher-window", Hostname: "devbox"})
	fake.AddBucket(awfake.BucketMeta{ID: afk, Type: "afkstatus", Client: "aw-watcher-afk", Hostname: "devbox"})
	from := time.Date(2026, 10, 24, 23, 30, 0, 0, time.UTC) // 01:30 CEST
	to := from.Add(3 * time.Hour)                           // 03:30 CET
	var evs []awfake.Event
	for at := from; at.Before(to); at = at.Add(time.Minute) {
		evs = append(evs, awfake.Event{Timestamp: at, Duration: 60, Data: []byte(`{"app": "Code", "title": "night.go"}`)})
	}
	if err := fake.Insert(win, evs...); err != nil {
		t.Fatal(err)
	}
	if err := fake.Insert(afk, awfake.Event{Timestamp: from, Duration: to.Sub(from).Seconds(), Data: []byte(`{"status": "not-afk"}`)}); err != nil {
		t.Fatal(err)
	}
	w := newWorldOf(t, fake, "America/New_York", to, 2, nil, "General")
	res, err := w.svc.Push(ctx)
	if err != nil || res.Failed+res.Conflicts > 0 || res.Created == 0 {
		t.Fatalf("push: %+v %v", res, err)
	}
	entries := w.tt.Entries() // naive Berlin times
	var pushed time.Duration
	for i, e := range entries {
		if !e.End.After(e.Start) {
			t.Errorf("entry %d runs backwards: %v → %v", e.ID, e.Start, e.End)
		}
		if i > 0 && e.Start.Before(entries[i-1].End) {
			t.Errorf("entries overlap: %v–%v and %v–%v", entries[i-1].Start, entries[i-1].End, e.Start, e.End)
		}
		pushed += e.End.Sub(e.Start)
	}
	// 3 h worked; the second pass through 02:00–03:00 has no naive times left.
	if pushed != 2*time.Hour {
		t.Errorf("pushed %v in %d entries, want 2h (3h less the repeated hour)", pushed, len(entries))
	}
	st, err := w.svc.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Trimmed != time.Hour {
		t.Errorf("trimmed %v, want the repeated hour shown as trimmed", st.Trimmed)
	}
	if again, err := w.svc.Push(ctx); err != nil || again.Created+again.Updated+again.Removed+again.Conflicts != 0 {
		t.Errorf("a second push changed more: %+v %v", again, err)
	}
}

// whole is an edit that saves cfg as it is, every field.
func whole[T any](cfg T) func(*T) error { return func(c *T) error { *c = cfg; return nil } }
