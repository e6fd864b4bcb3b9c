// Package ui is the Fyne settings and entries windows. It is a thin layer:
// every action is a call on Backend, which the app wires to the core. It
// never imports fyne.io/fyne/v2/app, so it is tested with Fyne's test
// driver and no display.
package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/doctor"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// Backend is what the windows need from the core: the engine (sync, push,
// status) and the settings, entries and outbox. Core is the real one.
type Backend interface {
	engine.Controller
	State(ctx context.Context) (awsync.State, error)
	Test(ctx context.Context, cfg config.Config) (awsync.TestResult, error)
	Setup(ctx context.Context, edit awsync.Edit) (awsync.TestResult, error)
	Projects(ctx context.Context) ([]store.Project, error)
	AddProject(ctx context.Context, name string) (store.Project, error)
	Entries(ctx context.Context, from, to time.Time) ([]store.Entry, error)
	// PlanImport reads the categories of the server cfg names and says what
	// importing them would change; ImportCategories does it.
	PlanImport(ctx context.Context, cfg config.Config) (classify.ImportPlan, error)
	ImportCategories(ctx context.Context, plan classify.ImportPlan) (classify.Applied, error)
	// Rules lists the rules; SetRules saves a new list and has the engine
	// apply it to all stored activity.
	Rules(ctx context.Context) ([]rules.Rule, error)
	SetRules(ctx context.Context, rs []rules.Rule) (classify.Applied, error)
	// PreviewRule tries one rule on the last days of activity.
	PreviewRule(ctx context.Context, r rules.Rule, days int) (classify.Preview, error)
	// Diagnose runs doctor's checks.
	Diagnose(ctx context.Context) ([]doctor.Line, error)
	// Day is the active time per project of [from, to) and each project's
	// colour by id (0: no project).
	Day(ctx context.Context, from, to time.Time, loc *time.Location) ([]report.Row, map[int64]string, error)
	// DayBlocks is the active time of [from, to) as blocks by project;
	// MoveBlock gives all of [from, to) to the named project after the fact.
	DayBlocks(ctx context.Context, from, to time.Time) ([]report.DayBlock, error)
	MoveBlock(ctx context.Context, from, to time.Time, project string) error
	// Week is the report of the ISO week starting at monday (local time).
	Week(ctx context.Context, monday time.Time, loc *time.Location) (report.Week, error)
	// Month is the report of the month starting at first, a column an ISO week.
	Month(ctx context.Context, first time.Time, loc *time.Location) (report.Week, error)
	AutostartEnabled() bool
	SetAutostart(on bool) error
	RemoteBackend
	AwayBackend
}

// RemoteBackend is the central TimeTracker side: settings and the outbox.
type RemoteBackend interface {
	RemoteState(ctx context.Context) (push.State, error)
	RemoteSetup(ctx context.Context, edit push.Edit, token, project string) (push.SetupResult, error)
	Blocks(ctx context.Context, from, to time.Time) ([]store.OutboxBlock, error)
	ReviewBlock(ctx context.Context, action push.ReviewAction, id string) error
	EditBlock(ctx context.Context, id, project, notes string) error // project: a local project name, "" for none
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
