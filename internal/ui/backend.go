// Package ui is the Fyne settings and entries windows. It is a thin layer:
// every action is a call on Backend, which the app wires to the
// application layer; the windows know the core only through that layer's
// view types (package application), never a store row or a service. It
// never imports fyne.io/fyne/v2/app, so it is tested with Fyne's test
// driver and no display.
package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
)

// Backend is what the windows need from the core: the engine (sync, push,
// status) and the settings, entries and outbox. application.Core is the
// real one.
type Backend interface {
	Controller
	State(ctx context.Context) (application.AWState, error)
	Test(ctx context.Context, cfg application.Config) (application.Connection, error)
	// Setup saves the fields changed from loaded (as the form read them)
	// to edited, tests and marks the settings active.
	Setup(ctx context.Context, loaded, edited application.Config) (application.Connection, error)
	Projects(ctx context.Context) ([]application.Project, error)
	AddProject(ctx context.Context, name string) (application.Project, error)
	Entries(ctx context.Context, from, to time.Time) ([]application.Entry, error)
	// PlanImport reads the categories of the server cfg names and says what
	// importing them would change; ImportCategories does it.
	PlanImport(ctx context.Context, cfg application.Config) (application.ImportPlan, error)
	ImportCategories(ctx context.Context, plan application.ImportPlan) (application.Applied, error)
	// Rules lists the rules; SetRules saves a new list and has the engine
	// apply it to all stored activity.
	Rules(ctx context.Context) ([]application.Rule, error)
	SetRules(ctx context.Context, rs []application.Rule) (application.Applied, error)
	// PreviewRule tries one rule on the last days of activity.
	PreviewRule(ctx context.Context, r application.Rule, days int) (application.Preview, error)
	// Diagnose runs doctor's checks.
	Diagnose(ctx context.Context) ([]application.DoctorLine, error)
	// Day is the active time per project of [from, to) and each project's
	// colour by id (0: no project).
	Day(ctx context.Context, from, to time.Time, loc *time.Location) ([]application.DayRow, map[int64]string, error)
	// DayBlocks is the active time of [from, to) as blocks by project;
	// MoveBlock gives all of [from, to) to the named project after the fact.
	DayBlocks(ctx context.Context, from, to time.Time) ([]application.DayBlock, error)
	MoveBlock(ctx context.Context, from, to time.Time, project string) error
	// Week is the report of the ISO week starting at monday (local time).
	Week(ctx context.Context, monday time.Time, loc *time.Location) (application.Report, error)
	// Month is the report of the month starting at first, a column an ISO week.
	Month(ctx context.Context, first time.Time, loc *time.Location) (application.Report, error)
	AutostartEnabled() bool
	SetAutostart(on bool) error
	RemoteBackend
	AwayBackend
}

// Controller is the engine as the windows use it: syncs, pushes and the
// status.
type Controller interface {
	SyncNow(ctx context.Context, req application.SyncRequest) (application.SyncOutcome, error)
	PushNow(ctx context.Context) (application.PushOutcome, error)
	Status(ctx context.Context) (application.Status, error)
	// Watch calls f with the status now and after every change until ctx
	// ends.
	Watch(ctx context.Context, f func(application.Status)) error
}

// RemoteBackend is the central TimeTracker side: settings and the outbox.
type RemoteBackend interface {
	RemoteState(ctx context.Context) (application.RemoteState, error)
	RemoteSetup(ctx context.Context, loaded, edited application.Remote, token, project string) (application.RemoteConnection, error)
	Blocks(ctx context.Context, from, to time.Time) ([]application.Block, error)
	// ReviewBlocks approves or discards the blocks ids name, in one go.
	ReviewBlocks(ctx context.Context, action application.ReviewAction, ids []string) (int, error)
	EditBlock(ctx context.Context, id string, project, notes *string) (application.Block, error) // project: a local project name, "" for none; nil: kept
}

// Async runs slow work off the UI goroutine, under the window's context
// (cancelled when the window closes); UI updates inside it go through
// fyne.Do. Tests replace it with a synchronous call.
type Async func(work func(ctx context.Context))

// In is the Async of a real window: work runs on its own goroutine under
// ctx, the window's context.
func In(ctx context.Context) Async {
	return func(work func(context.Context)) { go work(ctx) }
}

// keyEntry is an Entry that reports Enter and Escape, so a form saves on
// Enter and its window closes on Escape wherever the focus is.
type keyEntry struct {
	widget.Entry
	onEscape func()
}

func newEntry(placeholder string, onEnter func(), onEscape func()) *keyEntry {
	e := &keyEntry{onEscape: onEscape}
	e.ExtendBaseWidget(e)
	e.PlaceHolder = placeholder
	e.OnSubmitted = func(string) {
		if onEnter != nil {
			onEnter()
		}
	}
	return e
}

func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}
