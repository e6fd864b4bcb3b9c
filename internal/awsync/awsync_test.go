package awsync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// twoServers is a store, the service over it, and two aw-server fakes
// holding the fixture days, moved to end now.
func twoServers(t *testing.T) (*store.Store, *awsync.Service, []string, []*awfake.Server) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var urls []string
	var fakes []*awfake.Server
	for i := 0; i < 2; i++ {
		fake, err := awfake.NewFromFixtures(awfake.Python)
		if err != nil {
			t.Fatal(err)
		}
		fake.Shift(time.Since(awfake.FixtureSnapshot))
		hs := httptest.NewServer(fake)
		t.Cleanup(hs.Close)
		urls, fakes = append(urls, hs.URL), append(fakes, fake)
	}
	svc := awsync.New(st, settings.New(st), func(cfg config.Config) (awsync.Source, error) {
		return activitywatch.New(cfg.ServerURL, cfg.APIKey, 5*time.Second)
	}, nil, zerolog.Nop())
	return st, svc, urls, fakes
}

// Pointing the app at another aw-server makes the next Sync Now read the
// whole lookback window there, not only what followed the old server's
// cursors (bucket ids are per host, but a renamed or restored host keeps
// them).
func TestAnotherServerIsReadWhole(t *testing.T) {
	ctx := context.Background()
	_, svc, urls, fakes := twoServers(t)
	cfg := config.Default()
	cfg.ServerURL, cfg.LookbackDays = urls[0], 3
	if _, err := svc.Setup(ctx, whole(cfg)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Sync(ctx, awsync.SyncRequest{Mode: syncer.Now}); err != nil {
		t.Fatal(err)
	}
	// Saving the same server again changes nothing: Sync Now starts at the cursors.
	if _, err := svc.Setup(ctx, whole(cfg)); err != nil {
		t.Fatal(err)
	}
	fakes[0].ResetQueries()
	if _, err := svc.Sync(ctx, awsync.SyncRequest{Mode: syncer.Now}); err != nil {
		t.Fatal(err)
	}
	if n := len(fakes[0].Queries()); n > 4 {
		t.Errorf("%d queries after saving the same server: want one per bucket (and afk)", n)
	}
	cfg.ServerURL = urls[1]
	if _, err := svc.Setup(ctx, whole(cfg)); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Sync(ctx, awsync.SyncRequest{Mode: syncer.Now})
	if err != nil {
		t.Fatal(err)
	}
	// (The two fakes were shifted a moment apart: the same events, a little
	// later, so they are updated rather than skipped.)
	if read := res.Imported + res.Updated + res.Skipped; read != 231 || time.Since(res.From) < 3*24*time.Hour {
		t.Errorf("the new server: read from %v, %d events; want the whole window (231 events)", res.From, read)
	}
}

// Another server saved while a sync of the first runs: that sync's reads
// do not count for the new server.
func TestServerChangedDuringASync(t *testing.T) {
	ctx := context.Background()
	st, svc, urls, fakes := twoServers(t)
	cfg := config.Default()
	cfg.ServerURL, cfg.LookbackDays = urls[0], 3
	if _, err := svc.Setup(ctx, whole(cfg)); err != nil {
		t.Fatal(err)
	}
	other := cfg
	other.ServerURL = urls[1]
	saved := false
	fakes[0].Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if !saved && strings.HasSuffix(r.URL.Path, "/events") {
			saved = true // the person saves the other server now
			if _, err := svc.Setup(context.Background(), whole(other)); err != nil {
				t.Error(err)
			}
		}
		return false
	}
	if _, err := svc.Sync(ctx, awsync.SyncRequest{Mode: syncer.Now}); err != nil {
		t.Fatal(err)
	}
	cov, err := st.Coverages(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for b, c := range cov {
		if !c.From.IsZero() {
			t.Errorf("%s: coverage from %v after the server changed mid-sync; want it forgotten", b, c.From)
		}
	}
	if len(cov) == 0 || !saved {
		t.Fatalf("nothing was read (%d cursors) or the server was not changed (%v)", len(cov), saved)
	}
}

// whole is an edit that saves cfg as it is, every field.
func whole[T any](cfg T) func(*T) error { return func(c *T) error { *c = cfg; return nil } }
