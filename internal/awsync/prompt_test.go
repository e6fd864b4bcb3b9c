package awsync_test

import (
	"context"
	"encoding/json"
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
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// Answers already given to aw-watcher-afk-prompt are read with a sync: a
// note a project rule matches is booked to that project; another is kept
// as put off ("later") with its note; one time already answered here is
// left alone; a malformed event is skipped.
func TestSyncReadsAFKPromptAnswers(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fake, err := awfake.NewFromFixtures(awfake.Python)
	if err != nil {
		t.Fatal(err)
	}
	at := awfake.FixtureSnapshot.Add(-3 * time.Hour)
	fake.AddBucket(awfake.BucketMeta{ID: "aw-watcher-afk-prompt_devbox", Type: "afktask", Client: "aw-watcher-afk-prompt", Hostname: "devbox"})
	msg := func(m string) json.RawMessage { b, _ := json.Marshal(map[string]string{"message": m}); return b }
	if err := fake.Insert("aw-watcher-afk-prompt_devbox",
		awfake.Event{Timestamp: at, Duration: 1200, Data: msg("Standup with ACME")},
		awfake.Event{Timestamp: at.Add(time.Hour), Duration: 2700, Data: msg("lunch")},
		awfake.Event{Timestamp: at.Add(-2 * time.Hour), Duration: 600, Data: msg("already answered")},
		awfake.Event{Timestamp: at.Add(-4 * time.Hour), Duration: 600, Data: json.RawMessage(`{"message": 7}`)},
	); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	act := classify.New(st, zerolog.Nop())
	svc := awsync.New(st, settings.New(st), func(cfg config.Config) (awsync.Source, error) {
		return activitywatch.New(cfg.ServerURL, cfg.APIKey, 5*time.Second)
	}, act, zerolog.Nop())
	if _, err := act.SaveRules(ctx, []rules.Rule{{Action: rules.ActionProject, Project: "Meeting", Match: `(?i)standup`}}); err != nil {
		t.Fatal(err)
	}
	meeting, _ := st.ProjectByName(ctx, "Meeting")
	cfg := config.Default()
	cfg.ServerURL = hs.URL
	if _, err := svc.Setup(ctx, whole(cfg)); err != nil {
		t.Fatal(err)
	}
	earlier := store.AwayAnswer{Start: at.Add(-2 * time.Hour), End: at.Add(-110 * time.Minute), Kind: store.AwayNotWork}
	if err := st.AnswerAway(ctx, []store.AwayAnswer{earlier}); err != nil {
		t.Fatal(err)
	}
	sync := func() {
		t.Helper()
		if _, err := svc.Sync(ctx, awsync.SyncRequest{Mode: syncer.Range, From: awfake.FixtureSnapshot.AddDate(0, 0, -3), To: awfake.FixtureSnapshot}); err != nil {
			t.Fatal(err)
		}
	}
	sync()
	sync() // read again: nothing twice
	as, err := st.AwayAnswers(ctx, at.Add(-5*time.Hour), at.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.AwayAnswer{}
	for _, a := range as {
		got[a.Note] = a
	}
	if len(as) != 3 {
		t.Fatalf("answers %+v, want the earlier one, the standup and lunch", as)
	}
	if a := got["Standup with ACME"]; a.Kind != store.AwayWork || a.ProjectID != meeting.ID || !a.Start.Equal(at) || !a.End.Equal(at.Add(20*time.Minute)) {
		t.Errorf("standup: %+v", a)
	}
	if a := got["lunch"]; a.Kind != store.AwayLater || a.ProjectID != 0 {
		t.Errorf("lunch: %+v", a)
	}
	if a := got[""]; a.Kind != store.AwayNotWork {
		t.Errorf("the answer given here was changed: %+v", a)
	}
}
