package push

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
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
