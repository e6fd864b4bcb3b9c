package push

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// A rule's task, billable and tags reach the server: the entry is created
// without task_id (TimeTracker refuses it on create) and gets its task by
// an update right after; an unknown task fails the block, naming the tasks
// the project has, and the rest is pushed.
func TestRuleTaskBillableTagsArePushed(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.fake.AddToken(token, "read:projects", "read:tasks", "read:time_entries", "write:time_entries")
	design := e.fake.AddTask(e.project, "Design")
	e.fake.AddTask(e.project, "Build")
	no := false
	act := classify.New(e.st, zerolog.Nop())
	if _, err := act.SaveRules(ctx, []rules.Rule{
		{Action: rules.ActionProject, Project: "Coding", App: `^Code$`, Task: "design", Billable: &no, Tags: "client-x, activitywatch"},
		{Action: rules.ActionProject, Project: "Chat", App: `^Slack$`, Task: "Standup"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := act.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	later := snapshot.Add(time.Hour)
	res, err := e.rebuildAndPush(t, later)
	if err != nil || res.Created == 0 {
		t.Fatalf("push: %+v, %v", res, err)
	}
	var coding, other int
	for _, en := range e.fake.Entries() {
		switch {
		case en.TaskID == design:
			coding++
			if en.Billable || en.Tags != "activitywatch,client-x" {
				t.Errorf("Coding entry %+v: want not billable and tags activitywatch,client-x", en)
			}
		case en.TaskID != 0:
			t.Errorf("entry %+v has a task no rule named", en)
		default:
			other++
			if !en.Billable || en.Tags != "activitywatch" {
				t.Errorf("entry %+v: want billable, tag activitywatch", en)
			}
		}
	}
	if coding == 0 || other == 0 {
		t.Fatalf("%d entries with the Design task, %d others", coding, other)
	}
	// The Slack blocks name a task the project does not have: failed, with
	// the tasks there are; nothing of them reached the server.
	failed, err := e.st.OutboxBlocks(ctx, time.Time{}, time.Time{}, "failed")
	if err != nil || len(failed) == 0 || res.Failed != len(failed) {
		t.Fatalf("%d failed blocks (%v), result %+v", len(failed), err, res)
	}
	for _, b := range failed {
		if b.Task != "Standup" || !strings.Contains(b.LastError, `no task "Standup" in TimeTracker project 1; its tasks are: Design, Build`) {
			t.Errorf("failed block %+v", b)
		}
	}
	var unknown *UnknownTaskError
	if _, err := (&taskCache{}).id(ctx, e.client, e.project, "Standup"); !errors.As(err, &unknown) || len(unknown.Known) != 2 {
		t.Errorf("unknown task error %v", err)
	}
}

// Reading the project's tasks can fail for reasons that pass: the server
// or the network (the block is tried again at a later push, not failed
// for good) or the token (the push stops, the block waits as it was).
// Only a task the project does not have fails a block until something
// changes.
func TestTaskLookupFailureIsNotFinal(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.fake.AddToken(token, "read:projects", "read:tasks", "read:time_entries", "write:time_entries")
	design := e.fake.AddTask(e.project, "Design")
	var status atomic.Int32 // what the tasks endpoint answers; 0: the fake's answer
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if code := int(status.Load()); code != 0 && strings.HasPrefix(r.URL.Path, "/api/v1/tasks") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			_, _ = w.Write([]byte(`{"error":"not now"}`))
			return
		}
		e.fake.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	e.client, _ = timetracker.New(hs.URL, token, 5*time.Second, nil)
	act := classify.New(e.st, zerolog.Nop())
	if _, err := act.SaveRules(ctx, []rules.Rule{{Action: rules.ActionProject, Project: "Coding", App: `^Code$`, Task: "Design"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := act.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	now := snapshot.Add(time.Hour)

	status.Store(http.StatusUnauthorized)
	if _, err := e.rebuildAndPush(t, now); !errors.Is(err, ErrStopped) {
		t.Fatalf("a refused token reading the tasks: %v, want the push stopped", err)
	}
	if failed, _ := e.st.OutboxBlocks(ctx, time.Time{}, time.Time{}, store.BlockFailed); len(failed) != 0 {
		t.Errorf("%d blocks failed for the token", len(failed))
	}

	status.Store(http.StatusServiceUnavailable)
	if _, err := e.rebuildAndPush(t, now); err != nil {
		t.Fatal(err)
	}
	failed, _ := e.st.OutboxBlocks(ctx, time.Time{}, time.Time{}, store.BlockFailed)
	if len(failed) == 0 {
		t.Fatal("no block waited for the tasks")
	}
	for _, b := range failed {
		if b.NextAttempt.IsZero() || !b.NextAttempt.After(now) {
			t.Errorf("block %s failed for good on a 503: next attempt %v", b.ID, b.NextAttempt)
		}
	}

	status.Store(0) // the server is back: the next push after the wait sends them with their task
	res, err := e.rebuildAndPush(t, now.Add(2*time.Hour))
	if err != nil || res.Failed != 0 {
		t.Fatalf("push after the outage: %+v, %v", res, err)
	}
	if withTask(e, design) == 0 {
		t.Error("no entry got the Design task after the outage")
	}
}

// A rule's task removed later leaves the pushed entries without it: an
// update (PUT) without task_id keeps the server's task, so it is cleared.
func TestRuleTaskRemovedIsClearedOnTheServer(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.fake.PerMinute = 1 << 20 // two pushes of every block, each with its task set
	e.fake.AddToken(token, "read:projects", "read:tasks", "read:time_entries", "write:time_entries")
	design := e.fake.AddTask(e.project, "Design")
	act := classify.New(e.st, zerolog.Nop())
	save := func(task string) {
		t.Helper()
		if _, err := act.SaveRules(ctx, []rules.Rule{{Action: rules.ActionProject, Project: "Coding", App: `^Code$`, Task: task}}); err != nil {
			t.Fatal(err)
		}
		if _, err := act.Apply(ctx); err != nil {
			t.Fatal(err)
		}
	}
	save("Design")
	now := snapshot.Add(time.Hour)
	if res, err := e.rebuildAndPush(t, now); err != nil || res.Created == 0 {
		t.Fatalf("push: %+v, %v", res, err)
	}
	if withTask(e, design) == 0 {
		t.Fatal("no entry got the task")
	}
	save("")
	res, err := e.rebuildAndPush(t, now.Add(time.Minute))
	if err != nil || res.Updated == 0 {
		t.Fatalf("push after the task went: %+v, %v", res, err)
	}
	for _, en := range e.fake.Entries() {
		if en.TaskID != 0 {
			t.Errorf("entry %d still has task %d after the rule dropped it", en.ID, en.TaskID)
		}
	}
}

// withTask counts the server's entries that have task id.
func withTask(e *env, id int64) int {
	n := 0
	for _, en := range e.fake.Entries() {
		if en.TaskID == id {
			n++
		}
	}
	return n
}
