package push

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
	"github.com/aw-timetracker/aw-timetracker/internal/ttfake"
)

type days int

func (d days) LookbackDays(context.Context) int { return int(d) }

// newService is a Service on the env's store, counting the clients it makes.
func newService(e *env, secrets string, made *int) *Service {
	return NewService(Deps{Store: e.st, Secrets: secret.Store{Service: "test", Dir: secrets},
		NewClient: func(u, tok string, pace *timetracker.Pacer) (API, error) {
			*made++
			return timetracker.New(u, tok, 5*time.Second, pace)
		}, Lookback: days(3), Pieces: classify.New(e.st, zerolog.Nop()).Pieces, Log: zerolog.Nop(), Now: func() time.Time { return snapshot }})
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
	if _, err := svc.Setup(ctx, whole(cfg), token, "Deep work"); err != nil {
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

// Before sending, the push reads what is already on the server: an entry
// typed in the web UI and a running timer hold their time; blocks are cut
// around them (trimmed, split, or skipped as taken), nothing conflicts.
func TestPushFillsAroundEntriesAlreadyThere(t *testing.T) {
	ctx := context.Background()
	e, svc, _ := setUpService(t)
	built, err := svc.Rebuild(ctx)
	if err != nil || len(built) < 10 {
		t.Fatalf("rebuild: %d blocks %v", len(built), err)
	}
	// A person typed an entry over the middle of the fourth block, and a
	// timer runs from the start of the third-to-last block on.
	mid := built[3]
	typedStart, typedEnd := mid.Start.Add(mid.Duration()/3), mid.End.Add(10*time.Minute)
	e.fake.AddEntry(token, ttfake.Entry{ProjectID: e.project, Start: wall(typedStart), End: wall(typedEnd), Notes: "typed in the web UI"})
	timer := built[len(built)-3].Start
	e.fake.AddEntry(token, ttfake.Entry{ProjectID: e.project, Start: wall(timer), Notes: "running timer"})
	res, err := svc.Push(ctx)
	if err != nil || res.Conflicts+res.Failed != 0 || res.Created == 0 {
		t.Fatalf("push: %+v %v", res, err)
	}
	for _, en := range e.fake.Entries() {
		if en.Notes == "typed in the web UI" || en.Notes == "running timer" {
			continue
		}
		if en.Start.Before(wall(typedEnd)) && en.End.After(wall(typedStart)) {
			t.Errorf("pushed %v–%v over the typed entry", en.Start, en.End)
		}
		if en.End.After(wall(timer)) {
			t.Errorf("pushed %v–%v after the running timer's start", en.Start, en.End)
		}
	}
	st, err := svc.State(ctx)
	if err != nil || st.Counts[store.BlockTaken] < 2 {
		t.Errorf("blocks taken: %v %v", st.Counts, err)
	}
	bs, _ := svc.Blocks(ctx, time.Time{}, time.Time{})
	trimmed := 0
	for _, b := range bs {
		if b.Trimmed > 0 && b.State == store.BlockPushed {
			trimmed++
		}
	}
	if trimmed == 0 {
		t.Error("no pushed block says it was trimmed")
	}
	if again, err := svc.Push(ctx); err != nil || again.Created+again.Updated+again.Conflicts != 0 {
		t.Errorf("second push: %+v %v", again, err)
	}
}

// A person's hand wins: an entry this app pushed and a person changed on
// the server is theirs (never overwritten, local changes wait); one they
// deleted is not pushed again and its time stays empty, until restored.
func TestPersonsHandWins(t *testing.T) {
	ctx := context.Background()
	e, svc, hs := setUpService(t)
	if res, err := svc.Push(ctx); err != nil || res.Created < 5 {
		t.Fatalf("first push: %+v %v", res, err)
	}
	bs, err := svc.Blocks(ctx, time.Time{}, time.Time{}, store.BlockPushed)
	if err != nil || len(bs) < 5 {
		t.Fatal(err)
	}
	edited, deleted := bs[1], bs[3]
	e.fake.EditEntry(edited.RemoteID, func(en *ttfake.Entry) { en.Notes = "what I really did" })
	before := len(e.fake.Entries())
	deleteEntry(t, hs.URL, deleted.RemoteID)
	// Local edits to both blocks: neither may reach the server now.
	if _, err := svc.Edit(ctx, edited.ID, nil, ptr("local notes")); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Push(ctx)
	if err != nil || res.Created+res.Updated+res.Conflicts != 0 {
		t.Fatalf("push after the person's edits: %+v %v", res, err)
	}
	got := map[string]store.BlockState{}
	all, _ := svc.Blocks(ctx, time.Time{}, time.Time{})
	for _, b := range all {
		got[b.ID] = b.State
	}
	if got[edited.ID] != store.BlockChanged || got[deleted.ID] != store.BlockDeleted {
		t.Errorf("states: edited %s, deleted %s", got[edited.ID], got[deleted.ID])
	}
	for _, en := range e.fake.Entries() {
		if en.ID == edited.RemoteID && en.Notes != "what I really did" {
			t.Errorf("the person's notes were overwritten: %q", en.Notes)
		}
	}
	if n := len(e.fake.Entries()); n != before-1 {
		t.Errorf("%d entries after the deletion and a push, want %d: the deleted one came back", n, before-1)
	}
	// blocks restore brings it back, as a new entry.
	if _, err := svc.Restore(ctx, deleted.ID[:8]); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.Push(ctx); err != nil || res.Created != 1 {
		t.Errorf("push after restore: %+v %v", res, err)
	}
	if _, err := svc.Restore(ctx, edited.ID[:8]); err == nil {
		t.Error("restored a block that was not deleted")
	}
}

func ptr(s string) *string { return &s }

// setUpService is the fixture sessions synced, a fake TimeTracker, and a
// service set up against it with the default project "Deep work".
func setUpService(t *testing.T) (*env, *Service, *httptest.Server) {
	t.Helper()
	return setUpServiceWith(t, 0, "Deep work")
}

// setUpServiceWith is setUpService with the fake's per-minute limit (0:
// the server's 100, and the app's pacer at its default) and the default
// project asked for ("" none).
func setUpServiceWith(t *testing.T, perMinute int, project string) (*env, *Service, *httptest.Server) {
	t.Helper()
	e := newEnv(t)
	e.fake.PerMinute = perMinute
	hs := httptest.NewServer(e.fake)
	t.Cleanup(hs.Close)
	made := 0
	svc := newService(e, t.TempDir(), &made)
	cfg := config.DefaultRemote()
	cfg.ServerURL = hs.URL
	if perMinute > 0 { // the app's pacer too
		cfg.RatePerMinute, cfg.RatePerHour = perMinute-10, 10*perMinute
	}
	if _, err := svc.Setup(context.Background(), whole(cfg), token, project); err != nil {
		t.Fatal(err)
	}
	return e, svc, hs
}

func deleteEntry(t *testing.T, url string, id int64) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("%s/api/v1/time-entries/%d", url, id), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("deleting entry %d: %v %v", id, resp, err)
	}
	resp.Body.Close()
}

// Deleting an entry that is already gone counts as deleted: TimeTracker
// 5.10.0 answers 400 "Time entry not found" (checked on a real server).
func TestDeleteTwice(t *testing.T) {
	fake := ttfake.New("Europe/Rome")
	fake.AddToken(token, "read:projects", "read:time_entries", "write:time_entries")
	p := fake.AddProject("Deep work")
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	c, err := timetracker.New(hs.URL, token, 5*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := fake.AddEntry(token, ttfake.Entry{ProjectID: p, Start: time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC)})
	for i := 0; i < 2; i++ {
		if err := c.DeleteEntry(context.Background(), id); err != nil {
			t.Fatalf("delete %d: %v", i+1, err)
		}
	}
	if n := len(fake.Entries()); n != 0 {
		t.Errorf("%d entries left", n)
	}
}

// An entry typed on the server between the push's read and its write
// makes that block conflict; the push reads the server again and retries
// once, fitting the block around it: nothing is left in conflict.
func TestServerChangesBetweenReadAndWrite(t *testing.T) {
	ctx := context.Background()
	e, svc, _ := setUpService(t)
	var typed atomic.Bool
	built, err := svc.Rebuild(ctx)
	if err != nil || len(built) < 3 {
		t.Fatal(err)
	}
	target := built[2]
	e.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost && !typed.Swap(true) {
			// Typed in the web UI just now, over the third block's middle.
			e.fake.AddEntry(token, ttfake.Entry{ProjectID: e.project, Start: wall(target.Start.Add(target.Duration() / 3)),
				End: wall(target.Start.Add(2 * target.Duration() / 3)), Notes: "typed meanwhile"})
		}
		return false
	}
	res, err := svc.Push(ctx)
	if err != nil || res.Conflicts != 0 || res.Failed != 0 {
		t.Fatalf("push: %+v %v", res, err)
	}
	conflicts, _ := svc.Blocks(ctx, time.Time{}, time.Time{}, store.BlockConflict)
	if len(conflicts) != 0 {
		t.Errorf("%d blocks left in conflict", len(conflicts))
	}
	all, _ := svc.Blocks(ctx, time.Time{}, time.Time{})
	for _, b := range all {
		if b.ID == target.ID && (b.Trimmed == 0 || b.State != store.BlockPushed) {
			t.Errorf("the block under the typed entry: %s, trimmed %v", b.State, b.Trimmed)
		}
	}
	if !typed.Load() {
		t.Error("nothing was typed: the test proves nothing")
	}
}

// wall is t as the fake keeps it: the naive wall clock of the server's
// zone (Rome), stored as UTC.
func wall(t time.Time) time.Time {
	l := t.In(rome)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// Setup without a token uses the stored one; when none is stored it says
// so, and when the stored one cannot be used it says why (not "none").
func TestSetupWithTheStoredToken(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	hs := httptest.NewServer(e.fake)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	made := 0
	svc := newService(e, dir, &made)
	cfg := config.DefaultRemote()
	cfg.ServerURL = hs.URL
	if _, err := svc.Setup(ctx, whole(cfg), "", "Deep work"); !errors.Is(err, ErrNoToken) {
		t.Fatalf("nothing stored: %v", err)
	}
	if _, err := svc.Setup(ctx, whole(cfg), token, "Deep work"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Setup(ctx, whole(cfg), "", "Deep work"); err != nil {
		t.Fatalf("stored token: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "token-*"))
	if len(files) != 1 {
		t.Fatalf("token files %v", files)
	}
	if err := os.Chmod(files[0], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Setup(ctx, whole(cfg), "", "Deep work"); errors.Is(err, ErrNoToken) || err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a token file others can read: %v", err)
	}
}

// A default project the server does not have is bad input: nothing is
// saved (the working setup stays active, its project and token kept), and
// the error names the server's projects.
func TestSetupWithAnUnknownProjectChangesNothing(t *testing.T) {
	ctx := context.Background()
	_, svc, hs := setUpService(t)
	cfg := config.DefaultRemote()
	cfg.ServerURL = hs.URL
	before, err := svc.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changed := cfg
	changed.PushMode = config.PushReview
	res, err := svc.Setup(ctx, whole(changed), "", "Nope")
	var choice *ProjectChoiceError
	if !errors.As(err, &choice) || !strings.Contains(err.Error(), "Deep work") || len(res.Projects) == 0 {
		t.Fatalf("unknown project: %v, %d projects", err, len(res.Projects))
	}
	after, err := svc.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !after.IsActive || after.Config.DefaultProjectName != "Deep work" || after.Config.PushMode != before.Config.PushMode {
		t.Errorf("after a refused setup: active %v, project %q, mode %s", after.IsActive, after.Config.DefaultProjectName, after.Config.PushMode)
	}
}

// A block id that matches nothing is "no block", however short; a short
// or shared prefix of real ids asks for more characters.
func TestBlockIDPrefixes(t *testing.T) {
	ctx := context.Background()
	_, svc, _ := setUpService(t)
	built, err := svc.Rebuild(ctx)
	if err != nil || len(built) == 0 {
		t.Fatal(err)
	}
	var nf *NotFoundError
	if _, err := svc.Restore(ctx, "zz"); !errors.As(err, &nf) {
		t.Errorf("no match: %v", err)
	}
	if _, err := svc.Restore(ctx, built[0].ID[:2]); err == nil || !strings.Contains(err.Error(), "at least 4 characters") {
		t.Errorf("short prefix: %v", err)
	}
}

// whole is an edit that saves cfg as it is, every field.
func whole[T any](cfg T) func(*T) error { return func(c *T) error { *c = cfg; return nil } }

// An edit that changes nothing and an approve of a block already pushed
// leave it pushed: neither sends it again.
func TestNoChangeKeepsAPushedBlockPushed(t *testing.T) {
	ctx := context.Background()
	_, svc, _ := setUpService(t)
	if res, err := svc.Push(ctx); err != nil || res.Created < 2 {
		t.Fatalf("first push: %+v %v", res, err)
	}
	bs, err := svc.Blocks(ctx, time.Time{}, time.Time{}, store.BlockPushed)
	if err != nil || len(bs) < 2 {
		t.Fatal(err)
	}
	same := bs[0].Notes
	if _, err := svc.Edit(ctx, bs[0].ID, nil, &same); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Edit(ctx, bs[1].ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Review(ctx, Approve, []string{bs[0].ID, bs[1].ID}); err != nil || n != 0 {
		t.Errorf("approving pushed blocks: %d %v, want 0", n, err)
	}
	after, _ := svc.Blocks(ctx, time.Time{}, time.Time{}, store.BlockPushed)
	if len(after) != len(bs) {
		t.Errorf("%d pushed blocks after edits that change nothing and approvals, want %d", len(after), len(bs))
	}
	if res, err := svc.Push(ctx); err != nil || res.Created+res.Updated != 0 {
		t.Errorf("push after no change: %+v %v", res, err)
	}
}

// Mapping a local project to another TimeTracker project moves what was
// already pushed: its entries are updated into the new one at the next
// push (the blocks themselves did not change).
func TestMappingMovesPushedEntries(t *testing.T) {
	ctx := context.Background()
	e, svc, _ := setUpServiceWith(t, 1000, "Deep work") // every block twice within a minute: no 429 to wait out
	if _, err := e.st.AddProject(ctx, "Calls"); err != nil {
		t.Fatal(err)
	}
	if _, err := classify.New(e.st, zerolog.Nop()).SaveRules(ctx, []rules.Rule{{Action: rules.ActionProject, Project: "Calls", Match: `.`}}); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.Push(ctx); err != nil || res.Created == 0 {
		t.Fatalf("first push: %+v %v", res, err)
	}
	calls := e.fake.AddProject("Calls")
	if _, _, err := svc.MapProject(ctx, "Calls", "Calls"); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Push(ctx)
	if err != nil || res.Updated == 0 || res.Created != 0 {
		t.Fatalf("push after the mapping: %+v %v", res, err)
	}
	for _, en := range e.fake.Entries() {
		if en.ProjectID != calls {
			t.Errorf("entry %d is still in project %d, want %d", en.ID, en.ProjectID, calls)
		}
	}
	// The same mapping again moves nothing, and sends nothing.
	if _, _, err := svc.MapProject(ctx, "Calls", "Calls"); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.Push(ctx); err != nil || res.Created+res.Updated != 0 {
		t.Errorf("push after the same mapping: %+v %v", res, err)
	}
}

// A discarded block can be taken back with Approve, and a refused one
// approved to be sent again.
func TestApproveTakesBackADiscard(t *testing.T) {
	ctx := context.Background()
	_, svc, _ := setUpService(t)
	built, err := svc.Rebuild(ctx)
	if err != nil || len(built) == 0 {
		t.Fatal(err)
	}
	if n, err := svc.Review(ctx, Discard, []string{built[0].ID}); err != nil || n != 1 {
		t.Fatalf("discard: %d %v", n, err)
	}
	if n, err := svc.Review(ctx, Approve, []string{built[0].ID}); err != nil || n != 1 {
		t.Fatalf("approve of the discarded block: %d %v", n, err)
	}
	if res, err := svc.Push(ctx); err != nil || res.Created != len(built) {
		t.Errorf("push: %+v %v, want all %d created", res, err, len(built))
	}
}

// Blocks pushed before a default project was chosen fail with one line
// for all; choosing the project sends them at the next push, without a
// --retry-failed.
func TestBlocksWaitingForAProjectGoOnceItIsChosen(t *testing.T) {
	ctx := context.Background()
	_, svc, hs := setUpServiceWith(t, 1000, "")
	cfg := config.DefaultRemote()
	cfg.ServerURL = hs.URL
	res, err := svc.Push(ctx)
	if err != nil || res.Failed == 0 || res.Created != 0 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "no TimeTracker project") {
		t.Fatalf("push with no project: %+v %v", res, err)
	}
	if _, err := svc.Setup(ctx, whole(cfg), "", "Deep work"); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.Push(ctx); err != nil || res.Created == 0 || res.Failed != 0 {
		t.Errorf("push once the project is chosen: %+v %v", res, err)
	}
}

// An edit of a pushed block is sent at the next push in auto mode (it
// waited for an approval no one is asked for: pending).
func TestEditedPushedBlockIsSentAgain(t *testing.T) {
	ctx := context.Background()
	e, svc, _ := setUpService(t)
	if _, err := svc.Push(ctx); err != nil {
		t.Fatal(err)
	}
	bs, err := svc.Blocks(ctx, time.Time{}, time.Time{}, store.BlockPushed)
	if err != nil || len(bs) == 0 {
		t.Fatal(err)
	}
	b, err := svc.Edit(ctx, bs[0].ID, nil, ptr("what it was"))
	if err != nil || b.State != store.BlockApproved || b.Notes != "what it was" {
		t.Fatalf("edited: %s %q %v", b.State, b.Notes, err)
	}
	if res, err := svc.Push(ctx); err != nil || res.Updated != 1 || res.Waiting != 0 {
		t.Fatalf("push after the edit: %+v %v", res, err)
	}
	for _, en := range e.fake.Entries() {
		if en.ID == bs[0].RemoteID && en.Notes != "what it was" {
			t.Errorf("the server kept %q", en.Notes)
		}
	}
}

// A setup that fails on another server leaves nothing of the old one's
// (its version, zone and token store) on the new URL.
func TestFailedSetupOnAnotherServerForgetsTheOld(t *testing.T) {
	ctx := context.Background()
	_, svc, _ := setUpService(t)
	if st, _ := svc.State(ctx); st.Config.ServerVersion == "" {
		t.Fatal("the working setup recorded no server version")
	}
	other := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(other.Close)
	cfg := config.DefaultRemote()
	cfg.ServerURL = other.URL
	var check *CheckError
	if _, err := svc.Setup(ctx, whole(cfg), token, "Deep work"); !errors.As(err, &check) {
		t.Fatalf("setup on a server that is not TimeTracker: %v", err)
	}
	st, err := svc.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.IsActive || st.Config.ServerURL != other.URL || st.Config.ServerVersion != "" || st.Config.ServerTimezone != "" || st.Config.TokenStore != "" {
		t.Errorf("after the failed setup: active %v, %s, version %q, zone %q, token %q", st.IsActive, st.Config.ServerURL,
			st.Config.ServerVersion, st.Config.ServerTimezone, st.Config.TokenStore)
	}
}
