package syncer_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

var rome = mustZone("Europe/Rome")
var berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// openStore opens a real SQLite file with one integration row.
func openStore(t testing.TB, path string) (*store.Store, int64) {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "aw-timetracker.db")
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	id, err := st.SaveIntegration(context.Background(), "activitywatch", "ActivityWatch", json.RawMessage(`{}`), true, "")
	if err != nil {
		t.Fatal(err)
	}
	return st, id
}

// cannedSource serves fixed event bodies whatever the range: for the
// mapping rules, where exact timestamp strings matter.
type cannedSource struct {
	buckets map[string]string // id → JSON array of events
	fail    map[string]error
}

func (c cannedSource) Buckets(context.Context) ([]activitywatch.Bucket, error) {
	var out []activitywatch.Bucket
	for id := range c.buckets {
		out = append(out, activitywatch.Bucket{ID: id})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (c cannedSource) EventPage(_ context.Context, bucket string, start, end time.Time, _ int) (activitywatch.Page, error) {
	if err := c.fail[bucket]; err != nil {
		return activitywatch.Page{}, err
	}
	return activitywatch.NewPage("canned", "/api/0/buckets/"+bucket+"/events", []byte(c.buckets[bucket]))
}

type row struct {
	UID, Start, End, Notes, Source string
	Duration                       int64
	Project                        *int64
}

func rows(t *testing.T, st *store.Store) []row {
	t.Helper()
	rs, err := rawDB(t, st).Query(`SELECT l.external_uid, e.start_time, e.end_time, e.notes, e.source, e.duration_seconds, e.project_id
		FROM time_entries e JOIN integration_external_event_links l ON l.time_entry_id = e.id ORDER BY e.start_utc, l.external_uid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.UID, &r.Start, &r.End, &r.Notes, &r.Source, &r.Duration, &r.Project); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	var entries int
	rawDB(t, st).QueryRow(`SELECT count(*) FROM time_entries`).Scan(&entries)
	if entries != len(out) {
		t.Fatalf("%d entries but %d linked", entries, len(out))
	}
	return out
}

func TestSeedAcceptance(t *testing.T) {
	ctx := context.Background()
	src := cannedSource{buckets: map[string]string{
		"aw-watcher-window_testhost": `[
			{"id": 1, "timestamp": "2024-01-15T10:00:00.000000Z", "duration": 300.0, "data": {"app": "Chrome", "title": "Inbox"}},
			{"id": 2, "timestamp": "2024-10-27T00:59:50Z", "duration": 20, "data": {"app": "Code", "title": "fall back"}},
			{"id": 3, "timestamp": "2024-03-31T00:59:50Z", "duration": 20, "data": {"app": "Code", "title": "spring forward"}},
			{"id": 4, "timestamp": "2024-02-01T08:00:00Z", "duration": 0, "data": {"title": "only title"}},
			{"id": 5, "timestamp": "2024-02-01T08:01:00Z", "duration": -3, "data": {}},
			{"id": 6, "timestamp": "2024-02-01T08:02:00Z", "duration": 0.9, "data": {"app": "A"}},
			{"id": 7, "timestamp": "2024-02-01T08:03:00Z", "duration": null, "data": {"app": "B"}},
			{"id": 8, "timestamp": "2024-02-01T08:04:00Z", "data": {"app": "C"}},
			{"id": 9, "timestamp": "2024-02-01T08:05:00Z", "duration": "abc", "data": {"app": "D"}},
			{"id": 10, "timestamp": "2024-02-01T08:06:00Z", "duration": 300.9, "data": {"app": "E"}},
			{"id": 11, "timestamp": "2024-02-01T08:16:00Z", "duration": "300.5", "data": {"app": "F"}},
			{"id": 12, "duration": 5, "data": {"app": "no timestamp"}},
			{"id": 13, "timestamp": "", "duration": 5, "data": {}},
			{"id": 14, "timestamp": 1234, "duration": 5, "data": {}},
			{"id": 15, "timestamp": "not a time", "duration": 5, "data": {}},
			{"id": 16, "timestamp": "2024-02-01T09:00:00Z", "duration": 5, "data": {"app": "G", "title": 7}}
		]`,
		"aw-watcher-web-chrome_host": `[{"id": 20, "timestamp": "2024-07-01T08:00:00Z", "duration": 12.7, "data": {"url": "https://github.com/", "title": "GitHub"}},
			{"id": 21, "timestamp": "2024-07-01T08:01:00Z", "duration": 3, "data": {"url": "https://only.url/"}}]`,
		"aw-watcher-afk_testhost": `[{"id": 30, "timestamp": "2024-07-01T08:00:00Z", "duration": 600, "data": {"status": "afk"}}]`,
	}}
	st, id := openStore(t, "")
	project, _ := st.AddProject(ctx, "Client A")
	opt := syncer.Options{IntegrationID: id, Mode: syncer.Range, From: time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 10, 28, 0, 0, 0, 0, time.UTC), Location: rome, ProjectID: project.ID}
	res, err := syncer.Run(ctx, src, syncer.Importer(st), opt)
	if err != nil {
		t.Fatal(err)
	}
	// afk is not a default bucket; 3 skipped (no/empty/non-string timestamp);
	// 2 errors (unparseable timestamp, non-string title), not counted skipped.
	if res.Imported != 13 || res.Skipped != 3 || len(res.Errors) != 2 || res.Message != "Imported 13 events, skipped 3. Errors: 2." {
		t.Fatalf("result = %+v", res)
	}
	if !strings.HasPrefix(res.Errors[0], "Event not a time: ") || res.Errors[1] != "Event 2024-02-01T09:00:00Z: data.title is not a string" {
		t.Errorf("errors = %q", res.Errors)
	}
	got := map[string]row{}
	for _, r := range rows(t, st) {
		got[r.UID] = r
		if r.Source != "auto" || r.Project == nil || *r.Project != project.ID {
			t.Errorf("entry %s: source %s project %v", r.UID, r.Source, r.Project)
		}
	}
	want := []row{
		{UID: "aw-watcher-window_testhost|2024-01-15T10:00:00.000000+00:00|300|a9634d83f9a76621", Notes: "ActivityWatch: Chrome - Inbox",
			Start: "2024-01-15T11:00:00.000+01:00", End: "2024-01-15T11:05:00.000+01:00", Duration: 300},
		{UID: "aw-watcher-web-chrome_host|2024-07-01T08:00:00+00:00|12|f8e3815cf45d97ce", Notes: "https://github.com/ - GitHub",
			Start: "2024-07-01T10:00:00.000+02:00", End: "2024-07-01T10:00:12.000+02:00", Duration: 12},
		// Fall-back hour: imported (the seed skips it), unambiguous offsets.
		{UID: "aw-watcher-window_testhost|2024-10-27T00:59:50+00:00|20|" + syncer.DataHash(activitywatch.Fields{App: "Code", Title: "fall back"}),
			Notes: "ActivityWatch: Code - fall back", Start: "2024-10-27T02:59:50.000+02:00", End: "2024-10-27T02:00:10.000+01:00", Duration: 20},
		{UID: "aw-watcher-window_testhost|2024-03-31T00:59:50+00:00|20|" + syncer.DataHash(activitywatch.Fields{App: "Code", Title: "spring forward"}),
			Notes: "ActivityWatch: Code - spring forward", Start: "2024-03-31T01:59:50.000+01:00", End: "2024-03-31T03:00:10.000+02:00", Duration: 20},
		{UID: "aw-watcher-window_testhost|2024-02-01T08:00:00+00:00|1|" + syncer.DataHash(activitywatch.Fields{Title: "only title"}),
			Notes: "ActivityWatch: (no app/title)", Start: "2024-02-01T09:00:00.000+01:00", End: "2024-02-01T09:00:01.000+01:00", Duration: 1},
		{UID: "aw-watcher-window_testhost|2024-02-01T08:01:00+00:00|1|b99834bc19bbad24", Notes: "ActivityWatch: (no app/title)",
			Start: "2024-02-01T09:01:00.000+01:00", End: "2024-02-01T09:01:01.000+01:00", Duration: 1},
		{UID: "aw-watcher-web-chrome_host|2024-07-01T08:01:00+00:00|3|" + syncer.DataHash(activitywatch.Fields{URL: "https://only.url/"}),
			Notes: "https://only.url/", Start: "2024-07-01T10:01:00.000+02:00", End: "2024-07-01T10:01:03.000+02:00", Duration: 3},
	}
	for _, w := range want {
		g, ok := got[w.UID]
		if !ok {
			t.Errorf("no entry with uid %s", w.UID)
			continue
		}
		if g.Notes != w.Notes || g.Start != w.Start || g.End != w.End || g.Duration != w.Duration {
			t.Errorf("entry %s = %+v\nwant %+v", w.UID, g, w)
		}
	}
	durations := map[string]int64{"A": 1, "B": 1, "C": 1, "D": 1, "E": 300, "F": 300}
	for _, r := range got {
		for app, d := range durations {
			if r.Notes == "ActivityWatch: "+app && r.Duration != d {
				t.Errorf("%s: duration %d, want %d", app, r.Duration, d)
			}
		}
	}

	// Idempotency: the same sync again imports nothing.
	res, err = syncer.Run(ctx, src, syncer.Importer(st), opt)
	if err != nil || res.Imported != 0 || res.Updated != 0 || res.Skipped != 16 || len(rows(t, st)) != 13 {
		t.Fatalf("second run = %+v, %v", res, err)
	}
}

func TestBucketSelectionOutcomes(t *testing.T) {
	ctx := context.Background()
	st, id := openStore(t, "")
	only := cannedSource{buckets: map[string]string{"aw-watcher-afk_h": `[]`, "aw-watcher-vscode_h": `[]`}}
	res, err := syncer.Run(ctx, only, syncer.Importer(st), syncer.Options{IntegrationID: id})
	if err != nil || !res.Success || res.Message != syncer.NoDefaultBuckets() {
		t.Errorf("no default buckets: %+v, %v", res, err)
	}
	res, err = syncer.Run(ctx, only, syncer.Importer(st), syncer.Options{IntegrationID: id, BucketIDs: []string{"x"}})
	if err == nil || res.Success || !strings.HasPrefix(res.Message, "None of the configured bucket_ids exist. Available: ['aw-watcher-afk_h', 'aw-watcher-vscode_h'].") {
		t.Errorf("missing configured buckets: %+v, %v", res, err)
	}
}

func TestFailingBucketIsReportedOthersImport(t *testing.T) {
	ctx := context.Background()
	st, id := openStore(t, "")
	src := cannedSource{
		buckets: map[string]string{
			"aw-watcher-window_h":     `[{"id": 1, "timestamp": "2024-01-15T10:00:00Z", "duration": 5, "data": {"app": "A", "title": "t"}}]`,
			"aw-watcher-web-chrome_h": `[]`,
		},
		fail: map[string]error{"aw-watcher-web-chrome_h": &activitywatch.APIError{Status: 500, Message: "Internal Server Error"}},
	}
	res, err := syncer.Run(ctx, src, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Range, From: time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 1, 16, 0, 0, 0, 0, time.UTC)})
	if err != nil || !res.Success || res.Status() != "partial" || res.Imported != 1 ||
		len(res.Errors) != 1 || res.Errors[0] != "Bucket aw-watcher-web-chrome_h: ActivityWatch answered 500: Internal Server Error" ||
		res.Message != "Imported 1 events, skipped 0. Errors: 1." {
		t.Errorf("result = %+v, %v", res, err)
	}
}

// fixture sync helpers: real HTTP against the fake aw-server.

type fixture struct {
	fake   *awfake.Server
	client *activitywatch.Client
}

func newFixture(t *testing.T, f awfake.Flavour) fixture {
	t.Helper()
	fake, err := awfake.NewFromFixtures(f)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	c, err := activitywatch.New(hs.URL, "", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{fake, c}
}

var snapshot = awfake.FixtureSnapshot

func syncNowOpts(id int64, now time.Time, lookback int) syncer.Options {
	return syncer.Options{IntegrationID: id, Mode: syncer.Now, LookbackDays: lookback, Location: berlin, Now: now}
}

// cleanImport is what one uninterrupted Sync Now at the snapshot stores.
func cleanImport(t *testing.T, fx fixture) []row {
	st, id := openStore(t, "")
	res, err := syncer.Run(context.Background(), fx.client, syncer.Importer(st), syncNowOpts(id, snapshot, 3))
	if err != nil || res.Imported != 231 || len(res.Errors) != 0 {
		t.Fatalf("clean import = %+v, %v", res, err)
	}
	return rows(t, st)
}

func TestFixturesImportOnceThenGrow(t *testing.T) {
	for _, flavour := range []awfake.Flavour{awfake.Python, awfake.Rust} {
		t.Run(fmt.Sprint(flavour), func(t *testing.T) {
			ctx := context.Background()
			fx := newFixture(t, flavour)
			st, id := openStore(t, "")
			res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot, 3))
			if err != nil || res.Imported != 231 || res.Skipped != 0 {
				t.Fatalf("first sync = %+v, %v", res, err)
			}
			byBucket := map[string]int{}
			for _, b := range res.Buckets {
				byBucket[b.Bucket] = b.Imported
			}
			if byBucket["aw-watcher-window_devbox"] != 147 || byBucket["aw-watcher-web-chrome_devbox"] != 80 || byBucket["aw-watcher-web-firefox"] != 4 || len(byBucket) != 3 {
				t.Errorf("per bucket = %v (want window 147, chrome 80, legacy firefox 4; no afk, vscode)", byBucket)
			}
			// Sync Now again with nothing new reads nothing: the bucket list
			// says no bucket's newest event changed.
			res, err = syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot.Add(time.Second), 3))
			if err != nil || res.Imported != 0 || res.Updated != 0 || res.Skipped != 0 {
				t.Fatalf("second sync = %+v, %v", res, err)
			}
			reread := syncNowOpts(id, snapshot.Add(2*time.Second), 3)
			reread.Mode = syncer.Reread
			res, err = syncer.Run(ctx, fx.client, syncer.Importer(st), reread)
			if err != nil || res.Imported != 0 || res.Updated != 0 || res.Skipped != 231 {
				t.Fatalf("re-read = %+v, %v", res, err)
			}
			// The newest window event (DST-crossing, still growing) grows by 27 s.
			grown, err := fx.fake.Grow("aw-watcher-window_devbox", 27*time.Second)
			if err != nil || grown.ID != 4183530 {
				t.Fatalf("grow: %+v %v", grown, err)
			}
			res, err = syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot.Add(time.Minute), 3))
			if err != nil || res.Imported != 0 || res.Updated != 1 {
				t.Fatalf("sync after growth = %+v, %v", res, err)
			}
			var n int
			var dur int64
			var start, end string
			rawDB(t, st).QueryRow(`SELECT count(*) FROM time_entries`).Scan(&n)
			rawDB(t, st).QueryRow(`SELECT e.duration_seconds, e.start_time, e.end_time FROM time_entries e JOIN integration_external_event_links l
				ON l.time_entry_id = e.id WHERE l.event_id = 4183530`).Scan(&dur, &start, &end)
			if n != 231 || dur != int64(grown.Duration) || dur != 4062+27 {
				t.Errorf("after growth: %d entries, newest lasts %d s (event: %v s)", n, dur, grown.Duration)
			}
			if start != "2026-03-29T01:33:46.610+01:00" || end != "2026-03-29T03:41:55.610+02:00" {
				t.Errorf("newest entry %s → %s, want across the DST switch", start, end)
			}
		})
	}
}

func TestPagesSplitNoEventDropped(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, awfake.Python)
	want := cleanImport(t, fx)
	st, id := openStore(t, "")
	opt := syncNowOpts(id, snapshot, 3)
	opt.PageLimit = 7 // forces many splits, and events cut at every split point
	fx.fake.ResetQueries()
	res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), opt)
	if err != nil || res.Imported != 231 {
		t.Fatalf("result = %+v, %v", res, err)
	}
	if len(fx.fake.Queries()) < 231/7 {
		t.Errorf("only %d queries: the range was not split", len(fx.fake.Queries()))
	}
	assertSame(t, rows(t, st), want)
}

// TestAnyMixOfSyncsEndsLikeOneCleanImport replays the fixture days as they
// happened: scheduled syncs every few minutes (events still growing appear
// clipped at "now"), Sync Now with different lookbacks, and restarts. The
// end state must equal one clean import: one entry per event, full length.
func TestAnyMixOfSyncsEndsLikeOneCleanImport(t *testing.T) {
	for _, flavour := range []awfake.Flavour{awfake.Python, awfake.Rust} {
		t.Run(fmt.Sprint(flavour), func(t *testing.T) {
			ctx := context.Background()
			fx := newFixture(t, flavour)
			want := cleanImport(t, fx)
			path := filepath.Join(t.TempDir(), "db.sqlite")
			st, id := openStore(t, path)
			rng := rand.New(rand.NewSource(int64(flavour) + 42))
			now := time.Date(2026, 3, 27, 7, 50, 0, 0, time.UTC)
			for now.Before(snapshot) {
				opt := syncer.Options{IntegrationID: id, Mode: syncer.Incremental, LookbackDays: 1, Location: berlin, Now: now}
				switch rng.Intn(6) {
				case 0:
					opt.Mode, opt.LookbackDays = syncer.Now, 1+rng.Intn(3)
				case 1: // restart
					st.Close()
					st, _ = openStore(t, path)
				}
				if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), opt); err != nil {
					t.Fatalf("sync at %s: %v", now, err)
				}
				now = now.Add(time.Duration(2+rng.Intn(40)) * time.Minute)
			}
			if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Incremental, LookbackDays: 1, Location: berlin, Now: snapshot}); err != nil {
				t.Fatal(err)
			}
			assertSame(t, rows(t, st), want)
		})
	}
}

func TestLookbackWidenedRestoresClippedStart(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, awfake.Python)
	want := cleanImport(t, fx)
	st, id := openStore(t, "")
	// One day back from the snapshot cuts events at 2026-03-28T01:41:30Z...
	// and in the Saturday-night session nothing straddles it, so use a
	// window that starts inside the long 4183530 event instead.
	opt := syncer.Options{IntegrationID: id, Mode: syncer.Range, From: time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), To: snapshot, Location: berlin}
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), opt); err != nil {
		t.Fatal(err)
	}
	var start string
	rawDB(t, st).QueryRow(`SELECT e.start_time FROM time_entries e JOIN integration_external_event_links l ON l.time_entry_id = e.id WHERE l.event_id = 4183530`).Scan(&start)
	if start != "2026-03-29T03:00:00.000+02:00" {
		t.Fatalf("clipped start = %s", start)
	}
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot, 3)); err != nil {
		t.Fatal(err)
	}
	assertSame(t, rows(t, st), want)
}

func TestFailedChunkMovesCursorOnlyOverCommittedData(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, awfake.Python)
	want := cleanImport(t, fx)
	st, id := openStore(t, "")
	// Fail every read of the window bucket that reaches past Friday.
	cut := time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var readUntil time.Time // the end of the last window read that succeeded
	fx.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		e, err := time.Parse(time.RFC3339Nano, r.URL.Query().Get("end"))
		if err != nil || !strings.Contains(r.URL.Path, "aw-watcher-window_devbox") {
			return false
		}
		if e.After(cut) {
			w.WriteHeader(500)
			w.Write([]byte(`{"message": "Internal Server Error"}`))
			return true
		}
		mu.Lock()
		readUntil = e
		mu.Unlock()
		return false
	}
	opt := syncNowOpts(id, snapshot, 3)
	res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), opt)
	if err != nil || res.Status() != "partial" || len(res.Errors) != 1 {
		t.Fatalf("result = %+v, %v", res, err)
	}
	cursors, _ := st.Coverages(ctx, id)
	wc := cursors["aw-watcher-window_devbox"].Until
	mu.Lock()
	if !wc.Equal(readUntil) || !wc.Before(cut) {
		t.Errorf("window cursor at %v: it must stay at the end of the last committed range, %v", wc, readUntil)
	}
	mu.Unlock()
	if cc := cursors["aw-watcher-web-chrome_devbox"].Until; !cc.Equal(snapshot) {
		t.Errorf("chrome cursor = %v, want %v", cc, snapshot)
	}
	fx.fake.Intercept = nil
	res, err = syncer.Run(ctx, fx.client, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Incremental, LookbackDays: 3, Location: berlin, Now: snapshot})
	if err != nil || len(res.Errors) != 0 {
		t.Fatalf("retry = %+v, %v", res, err)
	}
	assertSame(t, rows(t, st), want)
}

// A scheduled sync reads only what changed: nothing at all from a bucket
// whose newest event is as it was (the bucket list says so), and from the
// cursor minus Overlap where an event grew.
func TestScheduledSyncReadsOnlyRecentData(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, awfake.Python)
	st, id := openStore(t, "")
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot, 30)); err != nil {
		t.Fatal(err)
	}
	scheduled := func(now time.Time) []awfake.EventQuery {
		t.Helper()
		fx.fake.ResetQueries()
		res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Incremental, LookbackDays: 30, Location: berlin, Now: now})
		if err != nil || len(res.Errors) != 0 {
			t.Fatalf("scheduled sync = %+v, %v", res, err)
		}
		return fx.fake.Queries()
	}
	if qs := scheduled(snapshot.Add(time.Hour)); len(qs) != 0 {
		t.Fatalf("nothing new, yet %d event queries: %+v", len(qs), qs)
	}
	if _, err := fx.fake.Grow("aw-watcher-window_devbox", time.Minute); err != nil {
		t.Fatal(err)
	}
	qs := scheduled(snapshot.Add(2 * time.Hour))
	if len(qs) != 1 || qs[0].Bucket != "aw-watcher-window_devbox" {
		t.Fatalf("after the window event grew: queries %+v, want one of the window bucket", qs)
	}
	// The sync that found nothing moved the cursor to its now.
	if start, _ := time.Parse(time.RFC3339Nano, qs[0].Start); !start.Equal(snapshot.Add(time.Hour - syncer.Overlap)) {
		t.Errorf("scheduled sync read from %s, want from the cursor (the last sync) minus %v", qs[0].Start, syncer.Overlap)
	}
	if qs := scheduled(snapshot.Add(3 * time.Hour)); len(qs) != 0 {
		t.Errorf("the growth was read, yet %d queries again: %+v", len(qs), qs)
	}
}

func assertSame(t *testing.T, got, want []row) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].UID != want[i].UID || got[i].Start != want[i].Start || got[i].End != want[i].End ||
			got[i].Duration != want[i].Duration || got[i].Notes != want[i].Notes {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestAFKStatusIsRecordedNotImported(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, awfake.Python)
	st, id := openStore(t, "")
	opt := syncNowOpts(id, snapshot, 3)
	opt.ReadAFK = true
	res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), opt)
	if err != nil || res.Imported != 231 || res.AFK != 64 || len(res.Errors) != 0 {
		t.Fatalf("result = %+v, %v", res, err)
	}
	periods, err := st.AFKStatus(ctx, "afk", snapshot.Add(-72*time.Hour), snapshot)
	if err != nil || len(periods) == 0 {
		t.Fatalf("afk periods: %v %v", periods, err)
	}
	// Growing: the newest afk event (4083 s at the snapshot) keeps growing.
	if _, err := fx.fake.Grow("aw-watcher-afk_devbox", time.Minute); err != nil {
		t.Fatal(err)
	}
	opt.Now = snapshot.Add(2 * time.Minute)
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), opt); err != nil {
		t.Fatal(err)
	}
	again, _ := st.AFKStatus(ctx, "afk", snapshot.Add(-72*time.Hour), snapshot.Add(time.Hour))
	last := again[len(again)-1]
	if len(again) != len(periods) || !last.End.After(periods[len(periods)-1].End) {
		t.Errorf("afk periods after growth: %d (was %d), last ends %v", len(again), len(periods), last.End)
	}
	var n int
	rawDB(t, st).QueryRow(`SELECT count(*) FROM time_entries`).Scan(&n)
	if n != 231 {
		t.Errorf("%d entries: afk events must not become entries", n)
	}
}

// The seed's dedupe by external_uid: the same events under new ids (a
// bucket exported and imported into aw-server again) or without ids are
// skipped, never stored twice.
func TestSameEventsUnderNewIDsAreSkipped(t *testing.T) {
	ctx := context.Background()
	events := func(ids ...string) string {
		return `[{` + ids[0] + `"timestamp": "2024-02-01T08:00:00Z", "duration": 60, "data": {"app": "Code", "title": "a.go"}},
			{` + ids[1] + `"timestamp": "2024-02-01T08:01:00Z", "duration": 30, "data": {"app": "Slack", "title": "#dev"}}]`
	}
	st, id := openStore(t, "")
	opt := syncer.Options{IntegrationID: id, Mode: syncer.Range, From: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 2, 2, 0, 0, 0, 0, time.UTC), Location: rome}
	for i, tc := range []struct {
		ids          []string
		imported     int
		skipped      int
		entriesAfter int
	}{
		{[]string{`"id": 1, `, `"id": 2, `}, 2, 0, 2},
		{[]string{`"id": 101, `, `"id": 102, `}, 0, 2, 2}, // new ids, same events
		{[]string{``, ``}, 0, 2, 2},                       // no ids at all
	} {
		src := cannedSource{buckets: map[string]string{"aw-watcher-window_testhost": events(tc.ids...)}}
		res, err := syncer.Run(ctx, src, syncer.Importer(st), opt)
		if err != nil || res.Imported != tc.imported || res.Skipped != tc.skipped || len(rows(t, st)) != tc.entriesAfter {
			t.Errorf("run %d: %+v, %v, %d entries", i+1, res, err, len(rows(t, st)))
		}
	}
}

// rawDB is a second connection to st's file, for checks no API offers.
func rawDB(t testing.TB, st *store.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.Path()+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
