package syncer_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// step is one run at snapshot+at with a lookback of days.
type step struct {
	mode syncer.Mode
	days int
	at   time.Duration
}

// readSpans merges the queries of bucket into the ranges they read.
func readSpans(t *testing.T, qs []awfake.EventQuery, bucket string) [][2]time.Time {
	t.Helper()
	var out [][2]time.Time
	for _, q := range qs {
		if q.Bucket != bucket {
			continue
		}
		s, err1 := time.Parse(time.RFC3339Nano, q.Start)
		e, err2 := time.Parse(time.RFC3339Nano, q.End)
		if err1 != nil || err2 != nil {
			t.Fatalf("query %+v: %v %v", q, err1, err2)
		}
		out = append(out, [2]time.Time{s, e})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0].Before(out[j][0]) })
	var merged [][2]time.Time
	for _, r := range out {
		if n := len(merged); n > 0 && !r[0].After(merged[n-1][1]) {
			if r[1].After(merged[n-1][1]) {
				merged[n-1][1] = r[1]
			}
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

func TestSyncNowReadsOnlyWhatWasNotRead(t *testing.T) {
	const day = 24 * time.Hour
	const bucket = "aw-watcher-window_devbox"
	now := func(at time.Duration) time.Time { return snapshot.Add(at) }
	cases := []struct {
		name      string
		before    []step
		last      step
		nullCover bool // the cursors were written by a version without coverage
		want      func(last time.Time) [][2]time.Time
		untouched bool // the buckets' newest events are as last seen (else they count as changed)
	}{
		{"nothing changed at all: no read", []step{{syncer.Now, 3, 0}}, step{syncer.Now, 3, time.Minute}, false,
			func(time.Time) [][2]time.Time { return nil }, true},
		{"scheduled, nothing changed: no read", []step{{syncer.Now, 3, 0}}, step{syncer.Incremental, 3, time.Hour}, false,
			func(time.Time) [][2]time.Time { return nil }, true},
		{"nothing changed, but the first sync of a new day: the previous day again", []step{{syncer.Now, 3, 0}}, step{syncer.Now, 3, 21 * time.Hour}, false,
			func(n time.Time) [][2]time.Time {
				return [][2]time.Time{{time.Date(2026, 3, 29, 0, 0, 0, 0, berlin).UTC(), n}}
			}, true},
		{"nothing new: from the cursor", []step{{syncer.Now, 3, 0}}, step{syncer.Now, 3, time.Minute}, false,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{snapshot.Add(-syncer.Overlap), n}} }, false},
		{"scheduled: from the cursor", []step{{syncer.Now, 3, 0}}, step{syncer.Incremental, 3, time.Hour}, false,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{snapshot.Add(-syncer.Overlap), n}} }, false},
		{"longer lookback: only the part before", []step{{syncer.Now, 1, 0}}, step{syncer.Now, 3, time.Hour}, false,
			func(n time.Time) [][2]time.Time {
				return [][2]time.Time{{n.Add(-3 * day), snapshot.Add(-day)}, {snapshot.Add(-syncer.Overlap), n}}
			}, false},
		{"longer lookback twice", []step{{syncer.Now, 1, 0}, {syncer.Now, 2, time.Hour}}, step{syncer.Now, 3, 2 * time.Hour}, false,
			func(n time.Time) [][2]time.Time {
				return [][2]time.Time{{n.Add(-3 * day), now(time.Hour).Add(-2 * day)}, {now(time.Hour).Add(-syncer.Overlap), n}}
			}, false},
		{"shorter lookback: nothing before", []step{{syncer.Now, 3, 0}}, step{syncer.Now, 1, time.Hour}, false,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{snapshot.Add(-syncer.Overlap), n}} }, false},
		{"re-read: the whole window", []step{{syncer.Now, 3, 0}}, step{syncer.Reread, 3, time.Hour}, false,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{n.Add(-3 * day), n}} }, false},
		{"away longer than the lookback", []step{{syncer.Now, 1, -3 * day}}, step{syncer.Now, 1, 0}, false,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{n.Add(-day), n}} }, false},
		{"coverage not known: Sync Now reads the window once", []step{{syncer.Now, 3, 0}}, step{syncer.Now, 3, time.Hour}, true,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{n.Add(-3 * day), n}} }, false},
		{"coverage not known: scheduled reads the window once too", []step{{syncer.Now, 3, 0}}, step{syncer.Incremental, 3, time.Hour}, true,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{n.Add(-3 * day), n}} }, false},
		{"cursor ahead of the clock: the window", []step{{syncer.Now, 3, 3 * time.Hour}}, step{syncer.Now, 3, time.Hour}, false,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{n.Add(-3 * day), n}} }, false},
		// 21 h after the snapshot is 00:41 the next day in Berlin.
		{"first sync of a new day: the previous day again", []step{{syncer.Now, 3, 0}}, step{syncer.Now, 3, 21 * time.Hour}, false,
			func(n time.Time) [][2]time.Time {
				return [][2]time.Time{{time.Date(2026, 3, 29, 0, 0, 0, 0, berlin).UTC(), n}}
			}, false},
		{"scheduled too", []step{{syncer.Now, 3, 0}}, step{syncer.Incremental, 3, 21 * time.Hour}, false,
			func(n time.Time) [][2]time.Time {
				return [][2]time.Time{{time.Date(2026, 3, 29, 0, 0, 0, 0, berlin).UTC(), n}}
			}, false},
		{"then from the cursor again", []step{{syncer.Now, 3, 0}, {syncer.Now, 3, 21 * time.Hour}}, step{syncer.Now, 3, 22 * time.Hour}, false,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{now(21 * time.Hour).Add(-syncer.Overlap), n}} }, false},
		{"coverage learned: cheap afterwards", []step{{syncer.Now, 3, 0}, {syncer.Now, 3, time.Hour}}, step{syncer.Now, 3, 2 * time.Hour}, false,
			func(n time.Time) [][2]time.Time { return [][2]time.Time{{now(time.Hour).Add(-syncer.Overlap), n}} }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			fx := newFixture(t, awfake.Python)
			st, id := openStore(t, "")
			for i, s := range tc.before {
				if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: s.mode, LookbackDays: s.days, Location: berlin, Now: now(s.at)}); err != nil {
					t.Fatal(err)
				}
				if tc.nullCover && i == 0 {
					if _, err := rawDB(t, st).Exec(`UPDATE sync_cursors SET covered_from_utc = NULL`); err != nil {
						t.Fatal(err)
					}
				}
			}
			if !tc.untouched { // as if the buckets had changed since
				if _, err := rawDB(t, st).Exec(`UPDATE sync_cursors SET seen_newest = NULL`); err != nil {
					t.Fatal(err)
				}
			}
			fx.fake.ResetQueries()
			last := now(tc.last.at)
			if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: tc.last.mode, LookbackDays: tc.last.days, Location: berlin, Now: last}); err != nil {
				t.Fatal(err)
			}
			got, want := readSpans(t, fx.fake.Queries(), bucket), tc.want(last.UTC())
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("read\n%v\nwant\n%v", got, want)
			}
			if tc.last.mode == syncer.Incremental {
				return
			}
			// Whatever was read when, the entries are those of one clean run.
			clean, cid := openStore(t, "")
			if _, err := syncer.Run(ctx, fx.client, syncer.Importer(clean), syncer.Options{IntegrationID: cid, Mode: syncer.Reread,
				LookbackDays: maxDays(tc.before, tc.last), Location: berlin, Now: last}); err != nil {
				t.Fatal(err)
			}
			assertSame(t, rows(t, st), rows(t, clean))
		})
	}
}

func maxDays(before []step, last step) int {
	m := last.days
	for _, s := range before {
		if s.days > m {
			m = s.days
		}
	}
	return m
}

// A longer lookback whose read fails half-way keeps the old coverage, so
// the next Sync Now reads the missing part again and ends where one clean
// run does.
func TestLongerLookbackFailingHalfWayIsReadAgain(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, awfake.Python)
	st, id := openStore(t, "")
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot, 1)); err != nil {
		t.Fatal(err)
	}
	fail := true
	fx.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		s, err := time.Parse(time.RFC3339Nano, r.URL.Query().Get("start"))
		if fail && err == nil && strings.Contains(r.URL.Path, "aw-watcher-window_devbox") && s.After(snapshot.Add(-2*24*time.Hour)) {
			w.WriteHeader(500)
			w.Write([]byte(`{"message": "Internal Server Error"}`))
			return true
		}
		return false
	}
	at := snapshot.Add(time.Hour)
	res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, at, 3))
	if err != nil || len(res.Errors) != 1 {
		t.Fatalf("failing run = %+v, %v", res, err)
	}
	cov, _ := st.Coverages(ctx, id)
	if c := cov["aw-watcher-window_devbox"]; !c.From.Equal(snapshot.Add(-24 * time.Hour)) {
		t.Errorf("coverage from %v after a failed extension, want it unchanged at %v", c.From, snapshot.Add(-24*time.Hour))
	}
	fail = false
	fx.fake.ResetQueries()
	if res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, at, 3)); err != nil || len(res.Errors) != 0 {
		t.Fatalf("retry = %+v, %v", res, err)
	}
	got := readSpans(t, fx.fake.Queries(), "aw-watcher-window_devbox")
	if len(got) != 2 || !got[0][0].Equal(at.Add(-3*24*time.Hour)) || !got[0][1].Equal(snapshot.Add(-24*time.Hour)) {
		t.Errorf("retry read %v, want the missing part and the tail", got)
	}
	clean, cid := openStore(t, "")
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(clean), syncNowOpts(cid, at, 3)); err != nil {
		t.Fatal(err)
	}
	assertSame(t, rows(t, st), rows(t, clean))
	cov, _ = st.Coverages(ctx, id)
	if c := cov["aw-watcher-window_devbox"]; !c.From.Equal(at.Add(-3 * 24 * time.Hour)) {
		t.Errorf("coverage from %v, want %v", c.From, at.Add(-3*24*time.Hour))
	}
}

// Ranges follow the data: dense days are read in ranges of about half a
// page, quiet ones in long ranges, and no event is lost either way.
func TestRangesFollowTheData(t *testing.T) {
	ctx := context.Background()
	end := time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)
	fake := awfake.New(awfake.Python, "devbox")
	n := awfake.GenerateDense(fake, 30, end, 3, 30)
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	c, err := activitywatch.New(hs.URL, "", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		limit      int
		minQ, maxQ int // event queries of the window bucket
	}{
		{10000, 2, 8}, // ~1,300 events a work day: ranges of about 4 days
		{600, 12, 80}, // half a page is less than a day: ranges of hours
	} {
		t.Run(fmt.Sprint(tc.limit), func(t *testing.T) {
			st, id := openStore(t, "")
			fake.ResetQueries()
			res, err := syncer.Run(ctx, c, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Now, LookbackDays: 30, Now: end, PageLimit: tc.limit, ReadAFK: true})
			if err != nil || len(res.Errors) != 0 {
				t.Fatalf("%+v %v", res, err)
			}
			q, w := 0, 0
			for _, x := range fake.Queries() {
				if x.Bucket == "aw-watcher-window_devbox" {
					q++
				}
			}
			for _, b := range res.Buckets {
				if b.Bucket == "aw-watcher-window_devbox" {
					w = b.Imported
				}
			}
			// At best a range holds half a page; splitting a full page
			// costs at most as much again.
			least, most := w/tc.limit, 2*(2*w/tc.limit+1)+4
			t.Logf("limit %d: %d window events in %d queries", tc.limit, w, q)
			if q < least || q > most {
				t.Errorf("%d queries of the window bucket for %d events, want %d to %d", q, w, least, most)
			}
			if got := res.Imported + res.AFK; got != n {
				t.Errorf("%d events imported (afk included), the server has %d", got, n)
			}
		})
	}
}

// An event that lands hours behind the cursor (heartbeats a watcher queued
// while aw-server was down) is not read by a Sync Now the same day, and is
// by the first sync of the next local day.
func TestLateEventsAreReadTheNextDay(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, awfake.Python)
	st, id := openStore(t, "")
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot, 3)); err != nil {
		t.Fatal(err)
	}
	late := awfake.Event{Timestamp: snapshot.Add(-2 * time.Hour), Duration: 42,
		Data: []byte(`{"app": "queued", "title": "written while aw-server was down"}`)}
	if err := fx.fake.Insert("aw-watcher-window_devbox", late); err != nil {
		t.Fatal(err)
	}
	has := func() bool {
		for _, r := range rows(t, st) {
			if strings.Contains(r.Notes, "written while aw-server was down") {
				return true
			}
		}
		return false
	}
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot.Add(time.Hour), 3)); err != nil {
		t.Fatal(err)
	}
	if has() {
		t.Fatal("a Sync Now the same day read two hours behind the cursor; the test no longer shows the daily read")
	}
	// 00:41 the next day in Berlin.
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot.Add(21*time.Hour), 3)); err != nil {
		t.Fatal(err)
	}
	if !has() {
		t.Error("the first sync of the next day did not read the late event")
	}
}
