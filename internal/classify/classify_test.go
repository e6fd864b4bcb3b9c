package classify_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

type env struct {
	st  *store.Store
	act *classify.Service
	aw  *awsync.Service
}

// newEnv is a real database with the ActivityWatch integration set up
// against the fake aw-server's fixtures (zone Europe/Berlin), not synced.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "aw-timetracker.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fake, err := awfake.NewFromFixtures(awfake.Python)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	act := classify.New(st, zerolog.Nop())
	aw := awsync.New(st, settings.New(st), func(cfg config.Config) (awsync.Source, error) {
		return activitywatch.New(cfg.ServerURL, cfg.APIKey, 5*time.Second)
	}, act, zerolog.Nop())
	other, err := st.AddProject(ctx, "Other")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.ServerURL, cfg.Timezone, cfg.DefaultProjectID = hs.URL, "Europe/Berlin", other.ID
	if _, err := aw.Setup(ctx, whole(cfg)); err != nil {
		t.Fatal(err)
	}
	return &env{st: st, act: act, aw: aw}
}

func (e *env) sync(t *testing.T) syncer.Result {
	t.Helper()
	res, err := e.aw.Sync(context.Background(), awsync.SyncRequest{Mode: syncer.Range,
		From: time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC), To: awfake.FixtureSnapshot})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// fileText is the database file and its WAL, as bytes on disk.
func (e *env) fileText(t *testing.T) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{e.st.Path(), e.st.Path() + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func (e *env) projectOf(t *testing.T, app string) map[string]int {
	t.Helper()
	acts, err := e.st.Activities(context.Background(), time.Time{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := e.st.Projects(context.Background())
	names := map[int64]string{0: "(none)"}
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	out := map[string]int{}
	for _, a := range acts {
		if a.App == app {
			out[names[a.ProjectID]]++
		}
	}
	return out
}

var fixtureRules = []rules.Rule{
	{Action: rules.ActionExclude, Match: `KeePassXC|Passwords\.kdbx`},
	{Action: rules.ActionExclude, URL: `^https://mail\.google\.com/`},
	{Action: rules.ActionRedact, App: `^TelegramDesktop$`},
	{Action: rules.ActionExclude, Title: `^ActivityWatch - Google Chrom[e]$`}, // a window: its pages go too (no literal title in the rule itself)
	{Action: rules.ActionProject, Project: "Work > Code", App: `^Code$`},
	{Action: rules.ActionProject, Project: "Meetings", Match: `zoom`, IgnoreCase: true},
	{Action: rules.ActionProject, Project: "Review", URL: `github\.com/.*/pull/`},
}

// Privacy rules act before anything is stored: the text is in neither the
// database file nor its WAL, and excluded time counts nowhere.
func TestPrivacyBeforeStorage(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	if _, _, err := saveAndApply(ctx, e.act, fixtureRules); err != nil {
		t.Fatal(err)
	}
	res := e.sync(t)
	if res.Excluded == 0 || !strings.Contains(res.Message, "Left out") {
		t.Errorf("sync result %+v", res)
	}
	text := e.fileText(t)
	for _, secret := range []string{"Passwords.kdbx", "mail.google.com", "Invoice March 2026", "dev@example.com", "Dev-Stammtisch",
		"ActivityWatch - Google Chrome", "localhost:5600/#/activity"} {
		if bytes.Contains(text, []byte(secret)) {
			t.Errorf("%q is in the database file or its WAL", secret)
		}
	}
	if !bytes.Contains(text, []byte("dst_test.go")) {
		t.Error("ordinary titles are missing: the grep proves nothing")
	}
	if got := e.projectOf(t, "TelegramDesktop"); got["(none)"] != 0 || len(got) == 0 {
		t.Errorf("redacted Telegram time kept with the default project? %v", got)
	}
	if got := e.projectOf(t, "Code"); len(got) != 1 || got["Work > Code"] == 0 {
		t.Errorf("Code entries' projects %v", got)
	}
	rows, err := e.act.Report(ctx, time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC), awfake.FixtureSnapshot, mustZone(t, "Europe/Berlin"))
	if err != nil {
		t.Fatal(err)
	}
	byProject := map[string]int64{}
	for _, p := range report.ByProject(rows) {
		if p.Project != nil {
			byProject[*p.Project] = p.Seconds
		}
	}
	if byProject["Meetings"] == 0 || byProject["Work > Code"] == 0 || byProject["Review"] == 0 || byProject["Other"] == 0 {
		t.Errorf("report by project %v", byProject)
	}
}

// Rules apply to what is already stored whenever they change.
func TestRetroactiveRuleChanges(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.sync(t)
	if got := e.projectOf(t, "Code"); got["Other"] == 0 {
		t.Fatalf("before rules, Code went to %v", got)
	}
	if !bytes.Contains(e.fileText(t), []byte("Nils Frahm")) {
		t.Fatal("fixture title missing before the rule")
	}
	saved, a, err := saveAndApply(ctx, e.act, append([]rules.Rule{{Action: rules.ActionExclude, App: `^Spotify$`}}, fixtureRules...))
	if err != nil {
		t.Fatal(err)
	}
	if a.Excluded == 0 || a.Projects == 0 || a.Redacted == 0 {
		t.Errorf("applied %+v", a)
	}
	if got := e.projectOf(t, "Code"); len(got) != 1 || got["Work > Code"] == 0 {
		t.Errorf("after adding rules, Code went to %v", got)
	}
	text := e.fileText(t)
	for _, secret := range []string{"Nils Frahm", "Passwords.kdbx", "mail.google.com", "Dev-Stammtisch"} {
		if bytes.Contains(text, []byte(secret)) {
			t.Errorf("%q left in the file or WAL after the rule was added", secret)
		}
	}
	// Removing the project rule sends Code back to the default project.
	var kept []rules.Rule
	for _, r := range saved {
		if r.Project != "Work > Code" {
			kept = append(kept, r)
		}
	}
	if _, _, err := saveAndApply(ctx, e.act, kept); err != nil {
		t.Fatal(err)
	}
	if got := e.projectOf(t, "Code"); len(got) != 1 || got["Other"] == 0 {
		t.Errorf("after removing the rule, Code went to %v", got)
	}
	// A sync after the change keeps it so (the rules apply to new events too).
	e.sync(t)
	if bytes.Contains(e.fileText(t), []byte("Nils Frahm")) {
		t.Error("a later sync stored the excluded title")
	}
}

func TestBadRulesChangeNothing(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	if _, _, err := saveAndApply(ctx, e.act, fixtureRules); err != nil {
		t.Fatal(err)
	}
	bad := append(append([]rules.Rule{}, fixtureRules...), rules.Rule{Action: rules.ActionProject, Project: "X", Title: `(unclosed`})
	if _, _, err := saveAndApply(ctx, e.act, bad); err == nil || !strings.Contains(err.Error(), "(unclosed") {
		t.Fatalf("bad regex: %v", err)
	}
	rs, _ := e.act.Rules(ctx)
	if len(rs) != len(fixtureRules) {
		t.Errorf("a refused list changed the rules: %d", len(rs))
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Removing a redact rule gives the text back at the next sync: what was
// read is forgotten, so that sync reads the lookback window again. A rule
// change that only moves time between projects keeps what was read.
func TestRemovingARedactRuleForgetsWhatWasRead(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	redact := rules.Rule{Action: rules.ActionRedact, App: `^TelegramDesktop$`}
	if _, _, err := saveAndApply(ctx, e.act, []rules.Rule{redact, {Action: rules.ActionProject, Project: "Work > Code", App: `^Code$`}}); err != nil {
		t.Fatal(err)
	}
	e.sync(t)
	in := markRead(t, e)
	for _, step := range []struct {
		rules []rules.Rule
		kept  bool
	}{
		{[]rules.Rule{redact}, true},
		{nil, false},
	} {
		if _, _, err := saveAndApply(ctx, e.act, step.rules); err != nil {
			t.Fatal(err)
		}
		cov, err := e.st.Coverages(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c := cov["aw-watcher-window_devbox"]; c.From.IsZero() == step.kept {
			t.Errorf("rules %v: coverage from %v, want kept: %v", step.rules, c.From, step.kept)
		}
	}
}

// whole is an edit that saves cfg as it is, every field.
func whole[T any](cfg T) func(*T) error { return func(c *T) error { *c = cfg; return nil } }

// saveAndApply is what the engine's ApplyRules does after a rules save.
func saveAndApply(ctx context.Context, act *classify.Service, rs []rules.Rule) ([]rules.Rule, classify.Applied, error) {
	saved, err := act.SaveRules(ctx, rs)
	if err != nil {
		return nil, classify.Applied{}, err
	}
	a, err := act.Apply(ctx)
	return saved, a, err
}

// The activity the report and the blocks are made of keeps each event's
// own length, to the microsecond: the entries span whole seconds
// (TimeTracker's end = start + duration_seconds), which would hand up to a
// second an event to its neighbours.
func TestActivityKeepsTheEventsFractions(t *testing.T) {
	e := newEnv(t)
	e.sync(t)
	raw, err := awfake.FixtureFile("events-window.json")
	if err != nil {
		t.Fatal(err)
	}
	var events []struct {
		Timestamp time.Time `json:"timestamp"`
		Duration  float64   `json:"duration"`
	}
	if err := json.Unmarshal(raw, &events); err != nil {
		t.Fatal(err)
	}
	var truth, wholeSecs time.Duration
	for _, ev := range events {
		d := time.Duration(math.Round(ev.Duration*1e6)) * time.Microsecond
		if ev.Timestamp.Before(time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC)) || d <= 0 {
			continue
		}
		truth += d
		wholeSecs += max(d.Truncate(time.Second), time.Second)
	}
	acts, err := e.st.Activities(context.Background(), time.Time{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var got time.Duration
	n := 0
	for _, a := range acts {
		if a.BucketID == "aw-watcher-window_devbox" {
			got += a.End.Sub(a.Start)
			n++
		}
	}
	if n == 0 || got != truth {
		t.Errorf("%d window events hold %s, ActivityWatch's %s (whole seconds would be %s)", n, got, truth, wholeSecs)
	}
	if wholeSecs == truth {
		t.Fatal("the fixture has no fractions: the test shows nothing")
	}
}

// A browser window shown during a redacted page is redacted, and stays so:
// whether the rule came before the first sync or after it, at a sync that
// reads the stored days again, and at a re-apply after an unrelated rule
// change (the page's URL, which decided it, is gone by then) — which also
// must not make the next sync read the lookback window again.
func TestRedactedPagesKeepTheirWindowsRedacted(t *testing.T) {
	ctx := context.Background()
	redact := rules.Rule{Action: rules.ActionRedact, URL: `mail\.google`}
	private := []string{"Invoice March 2026", "dev@example.com", "mail.google.com"}
	gone := func(t *testing.T, e *env, when string) {
		t.Helper()
		text := e.fileText(t)
		for _, s := range private {
			if bytes.Contains(text, []byte(s)) {
				t.Errorf("%s: %q is in the database file or its WAL", when, s)
			}
		}
		if !bytes.Contains(text, []byte("dst_test.go")) {
			t.Fatalf("%s: ordinary titles are missing: the check proves nothing", when)
		}
	}
	t.Run("a page's title rule, after the sync, and an upgraded database", func(t *testing.T) {
		// Gmail$ matches the pages' titles, not the windows' (they end with
		// the browser's name): the windows go through their pages.
		byTitle := []rules.Rule{{Action: rules.ActionRedact, Title: `Gmail$`}, {Action: rules.ActionProject, Project: "Other", URL: `^nomatch$`}}
		e := newEnv(t)
		e.sync(t)
		if _, _, err := saveAndApply(ctx, e.act, byTitle); err != nil {
			t.Fatal(err)
		}
		gone(t, e, "after the title rule")
		e.sync(t)
		gone(t, e, "after a re-read")
		// A database from before the redacting rule was recorded: an
		// unrelated change must not make the next sync read everything again.
		db, err := sql.Open("sqlite3", e.st.Path())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE integration_external_event_links SET redacted_by = ''`); err != nil {
			t.Fatal(err)
		}
		db.Close()
		in := markRead(t, e)
		if _, _, err := saveAndApply(ctx, e.act, append(byTitle, rules.Rule{Action: rules.ActionProject, Project: "Work > Code", App: `^Code$`})); err != nil {
			t.Fatal(err)
		}
		if cov, err := e.st.Coverages(ctx, in.ID); err != nil || cov["aw-watcher-window_devbox"].From.IsZero() {
			t.Errorf("an unrelated change on an upgraded database forgot what was read (%v)", err)
		}
		gone(t, e, "after the change")
	})
	t.Run("rule before the first sync", func(t *testing.T) {
		e := newEnv(t)
		if _, _, err := saveAndApply(ctx, e.act, []rules.Rule{redact}); err != nil {
			t.Fatal(err)
		}
		e.sync(t)
		gone(t, e, "first sync")
	})
	t.Run("rule after the sync, then a re-read and an unrelated change", func(t *testing.T) {
		e := newEnv(t)
		e.sync(t)
		if !bytes.Contains(e.fileText(t), []byte("Invoice March 2026")) {
			t.Fatal("the fixture's mail title is missing before the rule")
		}
		_, a, err := saveAndApply(ctx, e.act, []rules.Rule{redact})
		if err != nil {
			t.Fatal(err)
		}
		if a.Redacted == 0 {
			t.Fatalf("applied %+v", a)
		}
		gone(t, e, "after the rule")
		e.sync(t) // reads the stored days again, as sync --full does
		gone(t, e, "after a re-read")
		in := markRead(t, e)
		_, a, err = saveAndApply(ctx, e.act, []rules.Rule{redact, {Action: rules.ActionProject, Project: "Work > Code", App: `^Code$`}})
		if err != nil {
			t.Fatal(err)
		}
		if a.Redacted != 0 {
			t.Errorf("the unrelated change redacted %d more", a.Redacted)
		}
		cov, err := e.st.Coverages(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cov["aw-watcher-window_devbox"].From.IsZero() {
			t.Error("an unrelated rule change forgot what was read (the next sync reads the lookback window again)")
		}
		gone(t, e, "after the unrelated change")
	})
}

// An exclude rule on pages gives the same result whether it came before
// the sync or after it (and after a re-read): the pages go, a browser
// window showing one keeps its time but not its title.
func TestExcludedPagesTheSameEitherWay(t *testing.T) {
	ctx := context.Background()
	exclude := rules.Rule{Action: rules.ActionExclude, URL: `mail\.google`}
	type outcome struct {
		windows, webs int
		windowTime    time.Duration
	}
	measure := func(t *testing.T, e *env, private bool) outcome {
		t.Helper()
		acts, err := e.st.Activities(ctx, time.Time{}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var o outcome
		for _, a := range acts {
			if strings.Contains(a.BucketID, "web") {
				o.webs++
			} else {
				o.windows++
				o.windowTime += a.End.Sub(a.Start)
			}
		}
		if private && bytes.Contains(e.fileText(t), []byte("Invoice March 2026")) {
			t.Error("an excluded page's title is stored")
		}
		return o
	}
	before := newEnv(t)
	if _, _, err := saveAndApply(ctx, before.act, []rules.Rule{exclude}); err != nil {
		t.Fatal(err)
	}
	before.sync(t)
	first := measure(t, before, true)

	after := newEnv(t)
	after.sync(t)
	all := measure(t, after, false)
	if _, _, err := saveAndApply(ctx, after.act, []rules.Rule{exclude}); err != nil {
		t.Fatal(err)
	}
	applied := measure(t, after, true)
	after.sync(t) // the stored days read again
	reread := measure(t, after, true)

	if first != applied || first != reread {
		t.Errorf("rule before the sync %+v, after it %+v, after a re-read %+v", first, applied, reread)
	}
	if first.windows != all.windows || first.windowTime != all.windowTime || first.webs >= all.webs {
		t.Errorf("windows keep their time, pages go: %+v of %+v", first, all)
	}
}

// markRead records the fixture's window bucket as read (the coverage a
// rule change may forget) and returns the integration.
func markRead(t *testing.T, e *env) store.Integration {
	t.Helper()
	ctx := context.Background()
	in, err := e.st.Integration(ctx, "activitywatch")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := e.st.BeginImport(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AdvanceCursor(ctx, "aw-watcher-window_devbox", time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC), awfake.FixtureSnapshot, ""); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return in
}
