package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func TestOpenCreatesPrivateFileAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "aw-timetracker")
	path := filepath.Join(dir, "aw-timetracker.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("migrations/*.sql")
	v, err := st.SchemaVersion(ctx)
	if err != nil || v != len(files) || v < 2 {
		t.Errorf("schema version = %d, %v; %d migrations", v, err, len(files))
	}
	var mode string
	rawDB(t, st).QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal mode = %s, want wal", mode)
	}
	if _, err := st.AddProject(ctx, "Client A"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (%v)", p, fi.Mode().Perm(), want, err)
		}
	}
	// Reopening keeps the data and applies nothing twice.
	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps, _ := st.Projects(ctx)
	var n int
	rawDB(t, st).QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
	if len(ps) != 1 || n != len(files) {
		t.Errorf("after reopen: %d projects, %d migrations", len(ps), n)
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

func TestCorruptFileIsExplainedAndLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aw-timetracker.db")
	junk := []byte(strings.Repeat("this is not a database ", 400))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "damaged or not an aw-timetracker database") || !strings.Contains(err.Error(), "move it aside") {
		t.Fatalf("error = %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(junk) {
		t.Error("the damaged file was changed")
	}
}

func TestUnwritableFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write anywhere; the permission check cannot fail")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	_, err := store.Open(context.Background(), filepath.Join(dir, "sub", "x.db"))
	if err == nil {
		t.Fatal("opened a database in a read-only folder")
	}
}

func TestLockedDatabaseWaitsThenExplains(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	a, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	id, _ := a.SaveIntegration(ctx, "activitywatch", "ActivityWatch", json.RawMessage(`{}`), true, "")
	tx, err := a.BeginImport(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	b, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	start := time.Now()
	_, err = b.BeginImport(ctx, id)
	if err == nil || !strings.Contains(err.Error(), "locked by another program") {
		t.Fatalf("second writer: %v", err)
	}
	if waited := time.Since(start); waited < store.BusyTimeout/2 {
		t.Errorf("gave up after %v; the busy timeout is %v", waited, store.BusyTimeout)
	}
}

func TestIntegrationAndProjects(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Integration(ctx, "activitywatch"); err != store.ErrNotConfigured {
		t.Errorf("fresh store: %v", err)
	}
	id, err := st.SaveIntegration(ctx, "activitywatch", "ActivityWatch", json.RawMessage(`{"server_url":"http://localhost:5600"}`), false, "not reachable")
	if err != nil {
		t.Fatal(err)
	}
	id2, _ := st.SaveIntegration(ctx, "activitywatch", "ActivityWatch", json.RawMessage(`{"server_url":"http://localhost:5601"}`), true, "")
	if id != id2 {
		t.Errorf("second save made a new row: %d vs %d", id, id2)
	}
	at := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)
	if err := st.RecordSync(ctx, id, at, "partial", "Bucket x: boom"); err != nil {
		t.Fatal(err)
	}
	in, _ := st.Integration(ctx, "activitywatch")
	if !in.IsActive || string(in.Config) != `{"server_url":"http://localhost:5601"}` || !in.LastSyncAt.Equal(at) ||
		in.LastSyncStatus != "partial" || in.LastError != "Bucket x: boom" {
		t.Errorf("integration = %+v", in)
	}
	a, _ := st.AddProject(ctx, "Client A")
	again, _ := st.AddProject(ctx, "client a")
	if a.ID != again.ID {
		t.Errorf("project names are case-insensitive: %v vs %v", a, again)
	}
	if _, err := st.ProjectByName(ctx, "nope"); err == nil {
		t.Error("found a missing project")
	}
	if _, err := st.AddProject(ctx, "  "); err == nil {
		t.Error("added a project with no name")
	}
}

// A data folder that cannot be created gives a clear error (this holds for
// root too, unlike permission bits).
func TestDataFolderBlockedByAFile(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "data")
	os.WriteFile(blocker, []byte("x"), 0o600)
	_, err := store.Open(context.Background(), filepath.Join(blocker, "aw-timetracker", "aw-timetracker.db"))
	if err == nil || !strings.Contains(err.Error(), "creating data folder") {
		t.Fatalf("error = %v", err)
	}
}

// withIntegration is a fresh store with one integration.
func withIntegration(t *testing.T) (*store.Store, int64) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
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

// advance commits a read of bucket b over [from, until).
func advance(t *testing.T, st *store.Store, id int64, from, until time.Time) {
	t.Helper()
	ctx := context.Background()
	tx, err := st.BeginImport(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AdvanceCursor(ctx, "b", from, until, ""); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestCoverageGrowsOnlyWithoutGaps(t *testing.T) {
	h := func(n int) time.Time { return time.Date(2026, 3, 1, n, 0, 0, 0, time.UTC) }
	type read struct{ from, until int }
	cases := []struct {
		name        string
		reads       []read
		null        bool // coverage unknown after the first read
		from, until int  // -1: unknown
	}{
		{"first read", []read{{2, 5}}, false, 2, 5},
		{"chunks of one read", []read{{2, 3}, {2, 4}, {2, 5}}, false, 2, 5},
		{"tail with overlap", []read{{2, 5}, {4, 8}}, false, 2, 8},
		{"gap: starts again", []read{{2, 5}, {6, 8}}, false, 6, 8},
		{"older part not yet joined", []read{{4, 6}, {0, 2}}, false, 4, 6},
		{"older part joined", []read{{4, 6}, {0, 2}, {0, 4}}, false, 0, 6},
		{"never backwards", []read{{4, 6}, {1, 5}}, false, 1, 6},
		{"unknown stays unknown short of the cursor", []read{{2, 5}, {0, 3}}, true, -1, 5},
		{"unknown learned at the cursor", []read{{2, 5}, {0, 3}, {0, 6}}, true, 0, 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st, id := withIntegration(t)
			for i, r := range tc.reads {
				advance(t, st, id, h(r.from), h(r.until))
				if i == 0 && tc.null {
					if _, err := rawDB(t, st).Exec(`UPDATE sync_cursors SET covered_from_utc = NULL`); err != nil {
						t.Fatal(err)
					}
				}
			}
			cov, err := st.Coverages(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			c := cov["b"]
			want := store.Coverage{Until: h(tc.until)}
			if tc.from >= 0 {
				want.From = h(tc.from)
			}
			if !c.From.Equal(want.From) || !c.Until.Equal(want.Until) {
				t.Errorf("coverage [%v, %v), want [%v, %v)", c.From, c.Until, want.From, want.Until)
			}
		})
	}
}

// Removing an exclude rule gives its time back: the events were never
// stored, so the next sync must read the lookback window again.
func TestDroppingExcludedTimeForgetsCoverage(t *testing.T) {
	ctx := context.Background()
	st, id := withIntegration(t)
	from, until := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
	advance(t, st, id, from, until)
	for _, tc := range []struct {
		r    store.Reclassification
		kept bool
	}{
		{store.Reclassification{Spans: []store.PrivateSpan{{Span: store.Span{Start: from, End: until}, Kind: store.SpanWindow, RuleKey: "k"}}}, true},
		{store.Reclassification{DropSpans: []string{"k"}}, false},
	} {
		if err := st.Reclassify(ctx, id, tc.r); err != nil {
			t.Fatal(err)
		}
		cov, _ := st.Coverages(ctx, id)
		if c := cov["b"]; !c.Until.Equal(until) || c.From.IsZero() != !tc.kept {
			t.Errorf("after %+v: coverage [%v, %v), want from kept: %v", tc.r, c.From, c.Until, tc.kept)
		}
	}
}

// Preload answers LinkByEvent as the database does, also for events
// inserted, updated or deleted after it in the same batch.
func TestPreloadAnswersAsTheDatabase(t *testing.T) {
	ctx := context.Background()
	st, id := withIntegration(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	imp := func(eventID int64, secs int64) store.Import {
		s := at.Add(time.Duration(eventID) * time.Minute)
		return store.Import{BucketID: "b", EventID: eventID, HasEventID: true, UID: fmt.Sprintf("b|%d|%d", eventID, secs),
			EventTimestamp: s.Format(time.RFC3339), Start: s, End: s.Add(time.Duration(secs) * time.Second),
			StartTime: s.Format(time.RFC3339), EndTime: s.Add(time.Duration(secs) * time.Second).Format(time.RFC3339), DurationSeconds: secs}
	}
	tx, err := st.BeginImport(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert(ctx, imp(1, 10)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx, err = st.BeginImport(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.Preload(ctx, "b", []int64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	check := func(eventID int64, wantFound bool, wantEnd time.Time) {
		t.Helper()
		l, found, err := tx.LinkByEvent(ctx, "b", eventID)
		if err != nil || found != wantFound || (found && !l.End.Equal(wantEnd)) {
			t.Errorf("event %d: found %v end %v (%v); want found %v end %v", eventID, found, l.End, err, wantFound, wantEnd)
		}
	}
	check(1, true, imp(1, 10).End)
	check(2, false, time.Time{})
	if _, err := tx.Insert(ctx, imp(2, 20)); err != nil {
		t.Fatal(err)
	}
	check(2, true, imp(2, 20).End)
	// An event under a new id whose uid a link already holds (the seed's
	// dedupe) stores nothing: no entry, no link, not known.
	dup := imp(1, 10)
	dup.EventID = 3
	if inserted, err := tx.Insert(ctx, dup); err != nil || inserted {
		t.Fatalf("duplicate uid: inserted %v, %v", inserted, err)
	}
	check(3, false, time.Time{})
	l, _, _ := tx.LinkByEvent(ctx, "b", 2)
	if err := tx.Update(ctx, l, imp(2, 40)); err != nil {
		t.Fatal(err)
	}
	check(2, true, imp(2, 40).End)
	if err := tx.DeleteImported(ctx, "b", 2, l); err != nil {
		t.Fatal(err)
	}
	check(2, false, time.Time{}) // gone from the preloaded links too
	check(1, true, imp(1, 10).End)
	check(4, false, time.Time{}) // not preloaded: asked of the database
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var entries, links int
	rawDB(t, st).QueryRow(`SELECT count(*) FROM time_entries`).Scan(&entries)
	rawDB(t, st).QueryRow(`SELECT count(*) FROM integration_external_event_links`).Scan(&links)
	if entries != 1 || links != 1 {
		t.Errorf("%d entries, %d links; want event 1's only (the duplicate left nothing)", entries, links)
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
