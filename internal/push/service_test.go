package push

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activity"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

type days int

func (d days) LookbackDays(context.Context) int { return int(d) }

// newService is a Service on the env's store, counting the clients it makes.
func newService(e *env, secrets string, made *int) *Service {
	return NewService(Deps{Store: e.st, Secrets: secret.Store{Service: "test", Dir: secrets},
		NewClient: func(u, tok string, pace *timetracker.Pacer) (API, error) {
			*made++
			return timetracker.New(u, tok, 5*time.Second, pace)
		}, Lookback: days(3), Pieces: activity.New(e.st, zerolog.Nop()).Pieces, Log: zerolog.Nop(), Now: func() time.Time { return snapshot }})
}

// One client and pacer per remote for the life of the service; the
// requests it makes are kept, so a new service (a restart) starts with
// the hour's budget already spent; a push is recorded as a push.
func TestServiceKeepsClientAndRateHistory(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	hs := httptest.NewServer(e.fake)
	t.Cleanup(hs.Close)
	made := 0
	secrets := t.TempDir()
	svc := newService(e, secrets, &made)
	cfg := config.DefaultRemote()
	cfg.ServerURL = hs.URL
	if _, err := svc.Setup(ctx, cfg, token, "Deep work"); err != nil {
		t.Fatal(err)
	}
	// Reads never write: before a rebuild the outbox is empty.
	if bs, err := svc.Blocks(ctx, time.Time{}, time.Time{}); err != nil || len(bs) != 0 {
		t.Fatalf("outbox before any rebuild: %d blocks, %v", len(bs), err)
	}
	built, err := svc.Rebuild(ctx)
	if err != nil || len(built) == 0 {
		t.Fatalf("rebuild: %d blocks, %v", len(built), err)
	}
	res, err := svc.Push(ctx)
	if err != nil || res.Created == 0 {
		t.Fatalf("push: %+v %v", res, err)
	}
	if _, err := svc.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RemoteProjects(ctx); err != nil {
		t.Fatal(err)
	}
	if made != 1 {
		t.Errorf("%d clients made for one remote, want 1 (setup, two pushes, projects)", made)
	}
	st, err := svc.State(ctx)
	if err != nil || !st.Pushed || st.LastPush.Status != store.StatusSuccess || st.LastPush.Sent() != 0 {
		t.Errorf("last push recorded %+v %v (the second push sent nothing)", st.LastPush, err)
	}
	if !st.LastSyncAt.IsZero() {
		t.Errorf("a push wrote the sync's last_sync_at: %v", st.LastSyncAt)
	}
	sent, err := e.st.RecentRequests(ctx, hs.URL, time.Now().Add(-time.Hour))
	if err != nil || len(sent) < res.Created+3 {
		t.Fatalf("%d requests kept (%v), want at least %d", len(sent), err, res.Created+3)
	}
	// A restart with an hourly budget already spent waits instead of sending.
	made = 0
	cfg.RatePerHour = len(sent)
	again := newService(e, secrets, &made)
	c, err := again.connect(ctx, cfg, token)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := c.Projects(short); err == nil {
		t.Error("a restarted app sent a request past the hour's budget")
	}
}
