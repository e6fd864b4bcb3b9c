package application

import (
	"reflect"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/away"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

var (
	t0 = time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)
	t1 = t0.Add(75 * time.Minute)
)

// An entry goes to the windows and back to the exports without losing a
// field: every field of the stored row has one of the same name in the
// view, and the round trip is the identity.
func TestEntryViewKeepsEveryField(t *testing.T) {
	e := store.Entry{ID: 7, ProjectID: 3, ProjectName: "Go", Start: t0, End: t1, DurationSeconds: 4500, Notes: "n", Source: "auto",
		BucketID: "aw-watcher-window_devbox", App: "Code", Title: "main.go", URL: "https://go.dev/"}
	if got := entryView(e).record(); !reflect.DeepEqual(got, e) {
		t.Errorf("round trip: %+v, want %+v", got, e)
	}
	stored, view := reflect.TypeOf(store.Entry{}), reflect.TypeOf(Entry{})
	for i := range stored.NumField() {
		if _, ok := view.FieldByName(stored.Field(i).Name); !ok {
			t.Errorf("the view has no %s", stored.Field(i).Name)
		}
	}
}

func TestViews(t *testing.T) {
	t.Run("block: what review shows, not the outbox's bookkeeping", func(t *testing.T) {
		b := blockView(store.OutboxBlock{ID: "b1", Start: t0, End: t1, ProjectID: 2, App: "Code", Notes: "n", Task: "Build", Tags: "x",
			NotBillable: true, State: store.BlockTaken, LastError: "e", Trimmed: time.Minute, ContentHash: "h", IdempotencyKey: "k", RemoteID: 9})
		want := Block{ID: "b1", Start: t0, End: t1, ProjectID: 2, App: "Code", Notes: "n", Task: "Build", Tags: "x", NotBillable: true,
			State: BlockTaken, LastError: "e", Trimmed: time.Minute}
		if b != want || b.Duration() != 75*time.Minute {
			t.Errorf("%+v", b)
		}
	})
	t.Run("block states are the outbox's", func(t *testing.T) {
		for _, s := range []store.BlockState{store.BlockPending, store.BlockApproved, store.BlockSending, store.BlockPushed, store.BlockFailed,
			store.BlockConflict, store.BlockDiscarded, store.BlockRetract, store.BlockTaken, store.BlockChanged, store.BlockDeleted} {
			if got := blockView(store.OutboxBlock{State: s}).State; string(got) != string(s) {
				t.Errorf("%s became %s", s, got)
			}
		}
	})
	t.Run("ActivityWatch state", func(t *testing.T) {
		cfg := config.Default()
		cfg.ServerURL = "http://localhost:5600"
		got := awStateView(awsync.State{Config: cfg, Configured: true, Integration: store.Integration{IsActive: false, LastError: "refused"}})
		if got != (AWState{Config: cfg, Configured: true, LastError: "refused"}) {
			t.Errorf("%+v", got)
		}
	})
	t.Run("remote state", func(t *testing.T) {
		got := remoteStateView(push.State{Config: config.DefaultRemote(), Configured: true, Integration: store.Integration{IsActive: true},
			Counts: map[store.BlockState]int{store.BlockPending: 3}, Pushed: true,
			LastPush: store.PushRun{At: t0, Status: store.StatusPartial, Created: 2, Updated: 1, Failed: 4, Message: "m"},
			Trimmed:  time.Minute, TrimmedBlocks: 1})
		if !got.Active || got.Counts[BlockPending] != 3 || got.LastPush != (PushRun{At: t0, Status: StatusPartial, Sent: 3, Message: "m"}) ||
			!got.Pushed || got.Trimmed != time.Minute || got.TrimmedBlocks != 1 {
			t.Errorf("%+v", got)
		}
	})
	t.Run("connection: buckets sorted, the default selection worked out", func(t *testing.T) {
		got := connectionView(awsync.TestResult{Info: activitywatch.Info{Version: "v0.13.2", Hostname: "devbox"},
			Buckets:  []activitywatch.Bucket{{ID: "aw-watcher-window_devbox"}, {ID: "aw-watcher-afk_devbox"}, {ID: "my-notes"}},
			Selected: []string{"my-notes"}})
		if got.Version != "v0.13.2" || got.Host != "devbox" || !reflect.DeepEqual(got.Buckets, []string{"aw-watcher-afk_devbox", "aw-watcher-window_devbox", "my-notes"}) ||
			!reflect.DeepEqual(got.Selected, []string{"my-notes"}) || !reflect.DeepEqual(got.Defaults, []string{"aw-watcher-window_devbox"}) ||
			got.Message() == "" {
			t.Errorf("%+v %q", got, got.Message())
		}
		if none := connectionView(awsync.TestResult{}); none.Defaults != nil || len(none.Buckets) != 0 {
			t.Errorf("no server: %+v", none)
		}
	})
	t.Run("remote connection", func(t *testing.T) {
		got := remoteConnectionView(push.SetupResult{Info: timetracker.Info{AppVersion: "5.10.0", Timezone: "Europe/Rome"},
			Projects: []timetracker.Project{{ID: 1, Name: "Website"}}, Where: "keyring", Warning: "w"})
		if !reflect.DeepEqual(got, RemoteConnection{Version: "5.10.0", Zone: "Europe/Rome", Projects: []RemoteProject{{ID: 1, Name: "Website"}},
			Where: "keyring", Warning: "w"}) {
			t.Errorf("%+v", got)
		}
	})
	t.Run("day block: its times and what it was, longest first", func(t *testing.T) {
		part := func(from, to time.Duration, app, title string, project int64, name string) report.Part {
			return report.Part{Piece: timeline.Piece{Start: t0.Add(from), End: t0.Add(to), App: app, Title: title}, ProjectID: project, Project: name}
		}
		got := dayBlockView(report.DayBlock{Start: t0, End: t0.Add(30 * time.Minute), ProjectID: 1, Project: "Go", Parts: []report.Part{
			part(0, 10*time.Minute, "Code", "a.go", 1, "Go"),
			part(10*time.Minute, 10*time.Minute+40*time.Second, "Slack", "general", 0, ""),
			part(11*time.Minute, 30*time.Minute, "Code", "a.go", 1, "Go"),
		}})
		want := DayBlock{Start: t0, End: t0.Add(30 * time.Minute), ProjectID: 1, Project: "Go", Active: 29*time.Minute + 40*time.Second,
			Own: 29 * time.Minute, Events: []BlockEvent{{App: "Code", Title: "a.go", Project: "Go", Seconds: 29 * 60}, {App: "Slack", Title: "general", Seconds: 40}}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v\nwant %+v", got, want)
		}
	})
	t.Run("away period", func(t *testing.T) {
		p := away.Period{Span: span.Span{Start: t0, End: t1}, Open: 30 * time.Second, Later: true,
			Answers: []store.AwayAnswer{{ID: 4, Start: t0, End: t0.Add(time.Hour), Kind: store.AwayWork, ProjectID: 2, Note: "call", Task: "t",
				NotBillable: true, Tags: "x"}}}
		got := awayPeriodView(p)
		if got.Duration() != p.Duration() || got.Unanswered() != p.Unanswered() || !got.Later || got.Open != p.Open ||
			!reflect.DeepEqual(got.Answers, []AwayAnswer{{Start: t0, End: t0.Add(time.Hour), Kind: AwayWork, ProjectID: 2, Note: "call", Task: "t",
				NotBillable: true, Tags: "x"}}) {
			t.Errorf("%+v", got)
		}
		p.Open = 5 * time.Minute
		if !awayPeriodView(p).Unanswered() {
			t.Error("five open minutes are not unanswered")
		}
	})
}
