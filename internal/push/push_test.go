package push

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/blocks"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
	"github.com/aw-timetracker/aw-timetracker/internal/ttfake"
)

const token = "tt_0123456789abcdef0123456789abcdef"

var (
	snapshot = awfake.FixtureSnapshot
	rome     = mustZone("Europe/Rome")
)

func mustZone(n string) *time.Location {
	l, err := time.LoadLocation(n)
	if err != nil {
		panic(err)
	}
	return l
}

type env struct {
	st      *store.Store
	fake    *ttfake.Server
	client  *timetracker.Client
	aw      *awfake.Server
	awc     *activitywatch.Client
	integID int64
	slept   []time.Duration
	sleeper func(time.Duration)
	project int64
	noAFK   bool
}

// newEnv syncs the fixture sessions into a real SQLite file and starts a
// fake TimeTracker (zone Europe/Rome) with one project and a full token.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	id, _ := st.SaveIntegration(ctx, "activitywatch", "ActivityWatch", json.RawMessage(`{}`), true, "")
	aw, err := awfake.NewFromFixtures(awfake.Python)
	if err != nil {
		t.Fatal(err)
	}
	awhs := httptest.NewServer(aw)
	t.Cleanup(awhs.Close)
	awc, _ := activitywatch.New(awhs.URL, "", 5*time.Second)
	e := &env{st: st, aw: aw, awc: awc, integID: id}
	e.sync(t, snapshot)
	e.fake = ttfake.New("Europe/Rome")
	e.fake.AddToken(token, "read:projects", "read:time_entries", "write:time_entries")
	e.project = e.fake.AddProject("Deep work")
	hs := httptest.NewServer(e.fake)
	t.Cleanup(hs.Close)
	e.client, _ = timetracker.New(hs.URL, token, 5*time.Second, nil)
	return e
}

func (e *env) sync(t *testing.T, now time.Time) {
	t.Helper()
	_, err := syncer.Run(context.Background(), e.awc, syncer.Importer(e.st), syncer.Options{IntegrationID: e.integID, Mode: syncer.Now,
		LookbackDays: 3, Location: rome, Now: now, ReadAFK: true})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) opts(now time.Time) Options {
	bs := blocks.Settings{MergeGap: time.Minute, MinBlock: time.Minute, Tag: "activitywatch"}
	return Options{Blocks: bs, CutAFK: !e.noAFK, Pieces: classify.New(e.st, zerolog.Nop()).Pieces, Mode: config.PushAuto, Settle: 5 * time.Minute, DefaultProject: e.project,
		ServerZone: rome, Since: snapshot.Add(-72 * time.Hour), Now: now,
		Sleep: func(_ context.Context, d time.Duration) error {
			e.slept = append(e.slept, d)
			if e.sleeper != nil {
				e.sleeper(d)
			}
			if len(e.slept) > 10000 {
				panic("the pusher is looping")
			}
			return nil
		}}
}

func (e *env) rebuildAndPush(t *testing.T, now time.Time) (Result, error) {
	t.Helper()
	if _, err := Rebuild(context.Background(), e.st, e.opts(now)); err != nil {
		t.Fatal(err)
	}
	return Push(context.Background(), e.st, e.client, e.opts(now))
}

func assertNoOverlap(t *testing.T, entries []ttfake.Entry) {
	t.Helper()
	for i := 1; i < len(entries); i++ {
		if entries[i].Start.Before(entries[i-1].End) {
			t.Fatalf("server entries overlap: %+v and %+v", entries[i-1], entries[i])
		}
	}
}

func TestPushFixtureDayOnceThenNothing(t *testing.T) {
	e := newEnv(t)
	later := snapshot.Add(time.Hour) // everything settled
	built, _ := Rebuild(context.Background(), e.st, e.opts(later))
	res, err := e.rebuildAndPush(t, later)
	if err != nil || res.Created != len(built) || res.Failed != 0 || res.Conflicts != 0 {
		t.Fatalf("first push: %+v, %v (built %d)", res, err, len(built))
	}
	entries := e.fake.Entries()
	if len(entries) != len(built) {
		t.Fatalf("%d entries on the server, %d blocks", len(entries), len(built))
	}
	assertNoOverlap(t, entries)
	first := entries[0]
	if first.Start.Format("2006-01-02T15:04:05") != built[0].Start.In(rome).Format("2006-01-02T15:04:05") || first.Tags != "activitywatch" {
		t.Errorf("first entry %+v: want naive Rome time of %v and the activitywatch tag", first, built[0].Start)
	}
	posts := e.fake.Posts()
	res, err = e.rebuildAndPush(t, later.Add(time.Minute))
	if err != nil || res.Created+res.Updated != 0 || e.fake.Posts() != posts {
		t.Fatalf("second push sent something: %+v, %v", res, err)
	}
	var total time.Duration
	for _, b := range built {
		total += b.Duration()
	}
	t.Logf("fixture sessions: %d blocks pushed, %.2f h", len(built), total.Hours())
}

func TestGrowingBlockWaitsThenUpdates(t *testing.T) {
	e := newEnv(t)
	// With AFK cutting off (at the snapshot the person is away, so the cut
	// would end the last block), the newest block still grows: not pushed.
	e.noAFK = true
	res, err := e.rebuildAndPush(t, snapshot)
	if err != nil || res.Waiting == 0 {
		t.Fatalf("push at snapshot: %+v, %v", res, err)
	}
	pushed := len(e.fake.Entries())
	// Later it has settled and is pushed.
	res, err = e.rebuildAndPush(t, snapshot.Add(10*time.Minute))
	if err != nil || res.Created == 0 || len(e.fake.Entries()) != pushed+res.Created {
		t.Fatalf("push after settling: %+v, %v", res, err)
	}
	// The window watcher had kept it going: the pushed block changes and is
	// updated in place.
	if _, err := e.aw.Grow("aw-watcher-window_devbox", 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	e.sync(t, snapshot.Add(12*time.Minute))
	n := len(e.fake.Entries())
	res, err = e.rebuildAndPush(t, snapshot.Add(30*time.Minute))
	if err != nil || res.Updated != 1 || res.Created != 0 || len(e.fake.Entries()) != n {
		t.Fatalf("push after growth: %+v, %v; %d entries (was %d)", res, err, len(e.fake.Entries()), n)
	}
	assertNoOverlap(t, e.fake.Entries())
}

func TestInterruptedPushResumesWithoutDuplicates(t *testing.T) {
	e := newEnv(t)
	later := snapshot.Add(time.Hour)
	built, _ := Rebuild(context.Background(), e.st, e.opts(later))
	ctx, cancel := context.WithCancel(context.Background())
	var posts atomic.Int32
	real := http.Handler(e.fake)
	// The 7th POST reaches the server and is committed there, then the
	// process "dies" before it reads the answer.
	e.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost && posts.Add(1) == 7 {
			e.fake.Intercept = nil
			real.ServeHTTP(httptest.NewRecorder(), r)
			cancel()
			return true
		}
		return false
	}
	_, err := Push(ctx, e.st, e.client, e.opts(later))
	if err == nil {
		t.Fatal("the interrupted push reported success")
	}
	sending, _ := e.st.OutboxBlocks(context.Background(), time.Time{}, time.Time{}, store.BlockSending)
	if len(sending) != 1 || len(e.fake.Entries()) != 7 {
		t.Fatalf("after the crash: %d blocks sending, %d server entries", len(sending), len(e.fake.Entries()))
	}
	res, err := Push(context.Background(), e.st, e.client, e.opts(later))
	if err != nil || res.Failed != 0 || res.Conflicts != 0 {
		t.Fatalf("resumed push: %+v, %v", res, err)
	}
	entries := e.fake.Entries()
	if len(entries) != len(built) {
		t.Fatalf("%d server entries for %d blocks: lost or duplicated", len(entries), len(built))
	}
	assertNoOverlap(t, entries)
}

func TestReactions(t *testing.T) {
	later := snapshot.Add(time.Hour)
	t.Run("429 waits Retry-After", func(t *testing.T) {
		e := newEnv(t)
		e.fake.PerMinute = 3
		// The server's clock moves only when the pusher sleeps.
		var clock atomic.Int64
		clock.Store(later.UnixNano())
		e.fake.Now = func() time.Time { return time.Unix(0, clock.Load()) }
		e.sleeper = func(d time.Duration) { clock.Add(int64(d)) }
		res, err := e.rebuildAndPush(t, later)
		if err != nil || res.Failed != 0 || len(e.slept) == 0 || e.slept[0] < time.Second {
			t.Fatalf("%+v %v slept %v", res, err, e.slept)
		}
	})
	t.Run("5xx retried with backoff", func(t *testing.T) {
		e := newEnv(t)
		var n atomic.Int32
		e.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method == http.MethodPost && n.Add(1) <= 2 {
				w.WriteHeader(502)
				w.Write([]byte("<html>bad gateway</html>"))
				return true
			}
			return false
		}
		res, err := e.rebuildAndPush(t, later)
		if err != nil || res.Failed != 0 || len(e.slept) != 2 || e.slept[1] < e.slept[0] {
			t.Fatalf("%+v %v slept %v", res, err, e.slept)
		}
	})
	t.Run("server down: failed, retried later", func(t *testing.T) {
		e := newEnv(t)
		e.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(503)
			return true
		}
		res, err := e.rebuildAndPush(t, later)
		if err != nil || res.Failed == 0 || res.Created != 0 {
			t.Fatalf("%+v %v", res, err)
		}
		failed, _ := e.st.OutboxBlocks(context.Background(), time.Time{}, time.Time{}, store.BlockFailed)
		if len(failed) == 0 || failed[0].NextAttempt.IsZero() || !strings.Contains(failed[0].LastError, "503") {
			t.Fatalf("failed blocks: %+v", failed)
		}
		e.fake.Intercept = nil
		res, err = Push(context.Background(), e.st, e.client, e.opts(later.Add(2*time.Hour)))
		if err != nil || res.Created != len(failed) {
			t.Fatalf("retry later: %+v %v", res, err)
		}
	})
	t.Run("401 stops with the reason", func(t *testing.T) {
		e := newEnv(t)
		e.client, _ = timetracker.New(e.client.BaseURL(), "tt_revokedrevokedrevokedrevoked00", time.Second, nil)
		res, err := e.rebuildAndPush(t, later)
		if err == nil || !strings.Contains(err.Error(), "Token not found") || res.Created != 0 {
			t.Fatalf("%+v %v", res, err)
		}
		if n := e.fake.Posts(); n != 0 {
			t.Errorf("%d posts reached the handler", n)
		}
	})
	t.Run("403 names the missing scope", func(t *testing.T) {
		e := newEnv(t)
		e.fake.AddToken(token, "read:projects")
		_, err := e.rebuildAndPush(t, later)
		if err == nil || !strings.Contains(err.Error(), "write:time_entries") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("overlap is a conflict, never retried", func(t *testing.T) {
		e := newEnv(t)
		built, _ := Rebuild(context.Background(), e.st, e.opts(later))
		// Someone already logged time over the third block.
		b := built[2]
		_, err := e.client.CreateEntry(context.Background(), timetracker.Entry{ProjectID: e.project,
			StartTime: naive(b.Start, rome), EndTime: naive(b.Start.Add(time.Second), rome)}, "manual-1")
		if err != nil {
			t.Fatal(err)
		}
		res, err := Push(context.Background(), e.st, e.client, e.opts(later))
		if err != nil || res.Conflicts != 1 || res.Created != len(built)-1 {
			t.Fatalf("%+v %v", res, err)
		}
		posts := e.fake.Posts()
		res, _ = Push(context.Background(), e.st, e.client, e.opts(later.Add(24*time.Hour)))
		if e.fake.Posts() != posts {
			t.Error("a conflict was retried automatically")
		}
		c, _ := e.st.OutboxBlocks(context.Background(), time.Time{}, time.Time{}, store.BlockConflict)
		if len(c) != 1 || !strings.Contains(c[0].LastError, "overlaps") {
			t.Errorf("conflict blocks %+v", c)
		}
	})
	t.Run("other 400: failed with the server's message", func(t *testing.T) {
		e := newEnv(t)
		o := e.opts(later)
		o.DefaultProject = 999
		Rebuild(context.Background(), e.st, o)
		res, err := Push(context.Background(), e.st, e.client, o)
		if err != nil || res.Created != 0 || res.Failed == 0 || !strings.Contains(res.Errors[0], "Invalid project") {
			t.Fatalf("%+v %v", res, err)
		}
	})
}

func TestReviewMode(t *testing.T) {
	e := newEnv(t)
	o := e.opts(snapshot.Add(time.Hour))
	o.Mode = config.PushReview
	built, _ := Rebuild(context.Background(), e.st, o)
	res, err := Push(context.Background(), e.st, e.client, o)
	if err != nil || res.Created != 0 || res.Waiting != len(built) {
		t.Fatalf("review push: %+v %v", res, err)
	}
	b, _ := e.st.OutboxBlock(context.Background(), built[0].ID)
	b.Notes = "Reviewed: the tray work"
	if err := e.st.EditBlock(context.Background(), b.ID, 0, b.Notes, ContentHash(b), store.BlockPending); err != nil {
		t.Fatal(err)
	}
	e.st.SetBlockState(context.Background(), b.ID, store.BlockApproved, "", time.Time{})
	e.st.SetBlockState(context.Background(), built[1].ID, store.BlockDiscarded, "", time.Time{})
	res, err = Push(context.Background(), e.st, e.client, o)
	if err != nil || res.Created != 1 {
		t.Fatalf("after approval: %+v %v", res, err)
	}
	if got := e.fake.Entries(); len(got) != 1 || got[0].Notes != "Reviewed: the tray work" {
		t.Fatalf("server entries %+v", got)
	}
	// Rebuilding keeps the edit and the discard.
	Rebuild(context.Background(), e.st, o)
	b2, _ := e.st.OutboxBlock(context.Background(), built[0].ID)
	d, _ := e.st.OutboxBlock(context.Background(), built[1].ID)
	if b2.Notes != "Reviewed: the tray work" || b2.State != store.BlockPushed || d.State != store.BlockDiscarded {
		t.Errorf("after rebuild: %+v / %+v", b2, d)
	}
}

func TestNoNullsOrUnknownFieldsSent(t *testing.T) {
	b, _ := json.Marshal(timetracker.Entry{ProjectID: 1, StartTime: "2026-03-27T09:00:00", EndTime: "2026-03-27T10:00:00"})
	if bytes.Contains(b, []byte("null")) || bytes.Contains(b, []byte("source")) || bytes.Contains(b, []byte("duration")) {
		t.Errorf("entry JSON %s", b)
	}
	if len(Key(strings.Repeat("x", 500))) > 128 {
		t.Error("idempotency key over 128 characters")
	}
}

// A block with no TimeTracker project (its project is not mapped and no
// default is chosen) fails with the reason, not a blank error.
func TestBlockWithoutAProjectSaysWhy(t *testing.T) {
	e := newEnv(t)
	later := snapshot.Add(time.Hour)
	o := e.opts(later)
	o.DefaultProject = 0
	if _, err := Rebuild(context.Background(), e.st, o); err != nil {
		t.Fatal(err)
	}
	res, err := Push(context.Background(), e.st, e.client, o)
	if err != nil || res.Failed == 0 || res.Created != 0 {
		t.Fatalf("push: %+v %v", res, err)
	}
	for _, msg := range res.Errors {
		if !strings.Contains(msg, "no TimeTracker project") || strings.Contains(msg, "<nil>") {
			t.Errorf("error %q", msg)
		}
	}
	if n := len(e.fake.Entries()); n != 0 {
		t.Errorf("%d entries on the server", n)
	}
}
