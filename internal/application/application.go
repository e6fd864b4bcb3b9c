// Package application is what the CLI and the windows both call: the
// settings (through their owner), rules, projects, block edits, reports,
// the category import plan and doctor, over the services and the engine.
// Neither face repeats this orchestration; neither reaches past it.
package application

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/autostart"
	"github.com/aw-timetracker/aw-timetracker/internal/away"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/doctor"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/palette"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// Deps are the concrete parts app/ wires together.
type Deps struct {
	// Controller is the engine: the tray's over the socket, or one in
	// this process when no tray runs (the app decides once, at start).
	engine.Controller
	Settings *settings.Owner
	AW       *awsync.Service
	Activity *classify.Service
	Push     *push.Service
	Store    *store.Store
	Login    autostart.Manager
	Now      func() time.Time // the rule preview's and the pins' "now"; nil: time.Now
	TrayHost doctor.Tray      // whether a tray icon can be shown; nil: not checked
}

// Core is the application layer: settings, entries and the outbox come
// from the services on the local database; syncs, pushes and the status
// from the engine.
type Core struct {
	Deps
	stop func()
}

// New returns the application layer over d. Every settings change, made
// here or by anything else holding d.Settings, makes the engine re-read
// them (best effort: a missing engine reads them when it starts).
func New(d Deps) *Core {
	c := &Core{Deps: d}
	c.stop = d.Settings.Subscribe(func(ctx context.Context, _ settings.Change) { _ = c.Reload(ctx) })
	return c
}

// Close stops telling the engine about settings changes.
func (c *Core) Close() { c.stop() }

// State is the saved ActivityWatch settings; a fresh install's are the
// defaults.
func (c *Core) State(ctx context.Context) (AWState, error) {
	st, err := c.AW.State(ctx)
	return awStateView(st), err
}

// Test checks the server cfg names and lists its buckets.
func (c *Core) Test(ctx context.Context, cfg Config) (Connection, error) {
	res, err := c.AW.Test(ctx, cfg)
	return connectionView(res), err
}

// Setup saves the fields an editor changed from loaded (the value it
// started from) to edited over the settings as stored now, tests and
// marks them active; the settings owner tells the engine.
func (c *Core) Setup(ctx context.Context, loaded, edited Config) (Connection, error) {
	res, err := c.AW.Setup(ctx, settings.Patch(loaded, edited))
	return connectionView(res), err
}

// Projects lists the local projects by name.
func (c *Core) Projects(ctx context.Context) ([]Project, error) {
	ps, err := c.Store.Projects(ctx)
	return projectViews(ps), err
}

func (c *Core) AddProject(ctx context.Context, name string) (Project, error) {
	p, err := c.Store.AddProject(ctx, name)
	return projectView(p), err
}

// Entries lists the entries starting in [from, to), the time booked after
// an absence among them (source "away", app Away, the note as title),
// oldest first.
func (c *Core) Entries(ctx context.Context, from, to time.Time) ([]Entry, error) {
	stored, err := c.Store.Entries(ctx, from, to)
	if err != nil {
		return nil, err
	}
	es := make([]Entry, len(stored))
	for i, e := range stored {
		es[i] = entryView(e)
	}
	answers, err := c.Store.AwayAnswers(ctx, from, to)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, a := range answers {
		if a.Kind != store.AwayWork || a.Start.Before(from) {
			continue
		}
		if _, ok := names[a.ProjectID]; !ok {
			if p, err := c.Store.ProjectByID(ctx, a.ProjectID); err == nil {
				names[a.ProjectID] = p.Name
			}
		}
		notes := "Away"
		if a.Note != "" {
			notes += ": " + a.Note
		}
		es = append(es, Entry{ProjectID: a.ProjectID, ProjectName: names[a.ProjectID], Start: a.Start.In(from.Location()),
			End: a.End.In(from.Location()), DurationSeconds: int64(a.End.Sub(a.Start) / time.Second), Notes: notes,
			Source: "away", App: classify.AwayApp, Title: a.Note})
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start.Before(es[j].Start) })
	return es, nil
}

func (c *Core) AutostartEnabled() bool { return c.Login.Enabled() }

func (c *Core) SetAutostart(on bool) error {
	if on {
		return c.Login.Enable()
	}
	return c.Login.Disable()
}

// RemoteState is the saved TimeTracker settings and the outbox in numbers.
func (c *Core) RemoteState(ctx context.Context) (RemoteState, error) {
	st, err := c.Push.State(ctx)
	return remoteStateView(st), err
}

// RemoteSetup saves the TimeTracker settings; a working setup rebuilds the
// outbox with them (the grouping may have changed) so review shows the
// blocks at once.
// Only the fields changed from loaded to edited are saved (see Setup).
func (c *Core) RemoteSetup(ctx context.Context, loaded, edited Remote, token, project string) (RemoteConnection, error) {
	res, err := c.Push.Setup(ctx, settings.Patch(loaded, edited), token, project)
	if err == nil {
		if _, rerr := c.Push.Rebuild(ctx); rerr != nil && !errors.Is(rerr, push.ErrNoRemote) {
			err = rerr
		}
	}
	return remoteConnectionView(res), err
}

// Blocks lists the blocks to push starting in [from, to).
func (c *Core) Blocks(ctx context.Context, from, to time.Time) ([]Block, error) {
	bs, err := c.Push.Blocks(ctx, from, to)
	out := make([]Block, len(bs))
	for i, b := range bs {
		out[i] = blockView(b)
	}
	return out, err
}

// ReviewBlocks approves or discards the blocks ids name (ids or unique
// prefixes; Approve without ids: every pending block) and says how many.
func (c *Core) ReviewBlocks(ctx context.Context, action ReviewAction, ids []string) (int, error) {
	return c.Push.Review(ctx, action, ids)
}

// EditBlock sets a block's local project (by name, "" for none) and
// notes; a nil value is left as it is. It returns the block as it is now:
// approved (sent at the next push), pending (review mode), or a person's
// on the server (changed, deleted: not sent).
func (c *Core) EditBlock(ctx context.Context, id string, project, notes *string) (Block, error) {
	b, err := c.Push.Edit(ctx, id, project, notes)
	return blockView(b), err
}

// RestoreBlock gives a block the server took (or a person deleted there)
// back to the push.
func (c *Core) RestoreBlock(ctx context.Context, id string) (Block, error) {
	b, err := c.Push.Restore(ctx, id)
	return blockView(b), err
}

// SetProjectPush says whether a project's time is pushed; the engine
// applies the rules again, so the blocks follow.
func (c *Core) SetProjectPush(ctx context.Context, name string, on bool) (Project, Applied, error) {
	p, err := c.projectNamed(ctx, name)
	if err != nil {
		return Project{}, Applied{}, err
	}
	if err := c.Store.SetProjectPush(ctx, p.ID, on); err != nil {
		return Project{}, Applied{}, err
	}
	p.Push = on
	a, err := c.ApplyRules(ctx)
	return projectView(p), a, err
}

// PlanImport reads the categories of the server cfg names (the form's,
// or the saved settings).
func (c *Core) PlanImport(ctx context.Context, cfg config.Config) (classify.ImportPlan, error) {
	client, err := activitywatch.New(cfg.ServerURL, cfg.APIKey, activitywatch.DefaultTimeout)
	if err != nil {
		return classify.ImportPlan{}, err
	}
	aw, err := client.Settings(ctx)
	if err != nil {
		return classify.ImportPlan{}, fmt.Errorf("reading ActivityWatch's categories: %w", err)
	}
	return c.Activity.PlanImport(ctx, aw)
}

// ImportCategories saves the plan's rules; the engine applies them to
// stored activity and rebuilds the blocks.
func (c *Core) ImportCategories(ctx context.Context, plan classify.ImportPlan) (classify.Applied, error) {
	if err := c.Activity.SaveImport(ctx, plan); err != nil {
		return classify.Applied{}, err
	}
	return c.ApplyRules(ctx)
}

// Week adds up the ISO week starting at monday: the report's rows, each
// project's colour and push setting, and how much of its time is already
// on the server (pushed blocks of the week).
func (c *Core) Week(ctx context.Context, monday time.Time, loc *time.Location) (report.Week, error) {
	return c.period(ctx, monday, monday.AddDate(0, 0, 7), loc, report.BuildWeek)
}

// Month is Week for the month starting at first.
func (c *Core) Month(ctx context.Context, first time.Time, loc *time.Location) (report.Week, error) {
	return c.period(ctx, first, first.AddDate(0, 1, 0), loc, report.BuildMonth)
}

type buildPeriod func(start time.Time, rows []report.Row, info map[string]report.ProjectInfo, pushed map[string]int64) report.Week

func (c *Core) period(ctx context.Context, start, end time.Time, loc *time.Location, build buildPeriod) (report.Week, error) {
	start, end = start.In(loc), end.In(loc)
	rows, err := c.DayRows(ctx, start, end, loc)
	if err != nil {
		return report.Week{}, err
	}
	ps, err := c.Store.Projects(ctx)
	if err != nil {
		return report.Week{}, err
	}
	info := map[string]report.ProjectInfo{}
	names := map[int64]string{}
	colors := paint(ps)
	for _, p := range ps {
		info[p.Name] = report.ProjectInfo{Color: colors[p.Name], Local: !p.Push}
		names[p.ID] = p.Name
	}
	blocks, err := c.Push.Blocks(ctx, start, end, store.BlockPushed)
	if err != nil {
		return report.Week{}, err
	}
	pushed := map[string]int64{}
	for _, b := range blocks {
		pushed[names[b.ProjectID]] += int64(b.Duration() / time.Second)
	}
	return build(start, rows, info, pushed), nil
}

// Day is the report's figure for [from, to) and the colour of each project
// by id, for the entries window's footer and timeline.
func (c *Core) Day(ctx context.Context, from, to time.Time, loc *time.Location) ([]report.Row, map[int64]string, error) {
	rows, err := c.DayRows(ctx, from, to, loc)
	if err != nil {
		return nil, nil, err
	}
	ps, err := c.Store.Projects(ctx)
	if err != nil {
		return nil, nil, err
	}
	byName := paint(ps)
	colors := map[int64]string{0: palette.None}
	for _, p := range ps {
		colors[p.ID] = byName[p.Name]
	}
	return rows, colors, nil
}

// paint is each project's colour in the windows by name: the same in the
// report and the day, siblings of one colour shaded apart.
func paint(ps []store.Project) map[string]string {
	own := make(map[string]string, len(ps))
	for _, p := range ps {
		own[p.Name] = p.Color
	}
	return palette.Assign(own)
}

// DayRows is the active time per local day and project of [from, to).
func (c *Core) DayRows(ctx context.Context, from, to time.Time, loc *time.Location) ([]DayRow, error) {
	return c.Activity.Report(ctx, from, to, loc)
}

func (c *Core) Rules(ctx context.Context) ([]rules.Rule, error) { return c.Activity.Rules(ctx) }

// SaveRules validates and saves the list and returns it as saved
// (positions numbered); nothing is applied until ApplyRules (the engine's).
func (c *Core) SaveRules(ctx context.Context, rs []Rule) ([]Rule, error) {
	return c.Activity.SaveRules(ctx, rs)
}

// TestRule says what the saved rules decide for one activity: the
// decision, each rule's verdict, and the project's name.
func (c *Core) TestRule(ctx context.Context, a rules.Activity) (rules.Decision, []rules.Verdict, string, error) {
	return c.Activity.Test(ctx, a)
}

// SetRules saves the list; the engine applies it and rebuilds the blocks.
func (c *Core) SetRules(ctx context.Context, rs []rules.Rule) (classify.Applied, error) {
	if _, err := c.SaveRules(ctx, rs); err != nil {
		return classify.Applied{}, err
	}
	return c.ApplyRules(ctx)
}

// PreviewRule tries r on the last days of activity.
func (c *Core) PreviewRule(ctx context.Context, r rules.Rule, days int) (classify.Preview, error) {
	now := c.now()
	return c.Activity.PreviewRule(ctx, r, now.AddDate(0, 0, -days), now)
}

// Diagnose runs doctor's checks on this setup.
func (c *Core) Diagnose(ctx context.Context) ([]doctor.Line, error) {
	return doctor.Run(ctx, doctor.Deps{AW: c.AW, Remote: c.Push, DB: c.Store, Tray: c.TrayHost, Login: c.Login}), nil
}

// PinState is the pin holding now, if any, with its project's name.
type PinState struct {
	store.Pin
	Project string
}

// PinRequest is what to pin: a local project by name, until when (zero:
// until unpinned), and what its time is on TimeTracker.
type PinRequest struct {
	Project     string
	Until       time.Time
	Task        string
	NotBillable bool
	Tags        string
}

// Pin pins the local project named r.Project from now until r.Until: all
// active time goes to it, whatever the rules say. An unknown name is an
// error that lists the projects there are.
func (c *Core) Pin(ctx context.Context, r PinRequest) (PinState, error) {
	until := r.Until
	p, err := c.projectNamed(ctx, r.Project)
	if err != nil {
		return PinState{}, err
	}
	now := c.now()
	if !until.IsZero() && !until.After(now) {
		return PinState{}, &UntilError{Until: until}
	}
	pin, err := c.Store.Pin(ctx, store.Pin{ProjectID: p.ID, Start: now, End: until, Task: strings.TrimSpace(r.Task),
		NotBillable: r.NotBillable, Tags: strings.TrimSpace(r.Tags)})
	if err != nil {
		return PinState{}, err
	}
	_ = c.Reload(ctx) // the tray's first line shows the pin (best effort)
	return PinState{Pin: pin, Project: p.Name}, nil
}

// projectNamed is the local project named name; an unknown name is an
// UnknownProjectError listing the projects there are.
func (c *Core) projectNamed(ctx context.Context, name string) (store.Project, error) {
	p, err := c.Store.ProjectByName(ctx, name)
	if err != nil {
		ps, lerr := c.Store.Projects(ctx)
		if lerr != nil {
			return store.Project{}, lerr
		}
		return store.Project{}, &UnknownProjectError{Name: name, Known: projectNames(ps)}
	}
	return p, nil
}

// DayBlocks is the active time of [from, to) as blocks by project (the
// entries window's day): the report's pieces, so the blocks add up to its
// figures.
func (c *Core) DayBlocks(ctx context.Context, from, to time.Time) ([]DayBlock, error) {
	pieces, err := c.Activity.Pieces(ctx, from, to, true)
	if err != nil {
		return nil, err
	}
	parts := make([]report.Part, len(pieces))
	for i, p := range pieces {
		parts[i] = report.Part{Piece: p.Piece, ProjectID: p.ProjectID, Project: p.Project}
	}
	blocks := report.DayBlocks(parts, report.BlockGap, report.BlockAbsorb)
	out := make([]DayBlock, len(blocks))
	for i, b := range blocks {
		out[i] = dayBlockView(b)
	}
	return out, nil
}

// MoveBlock gives all active time of [from, to) to the local project
// named project after the fact (a pin over the span, which outranks the
// rules there), then has the engine re-apply everything so the entries,
// the report and the blocks to push follow.
func (c *Core) MoveBlock(ctx context.Context, from, to time.Time, project string) error {
	p, err := c.projectNamed(ctx, project)
	if err != nil {
		return err
	}
	if _, err := c.Store.PinSpan(ctx, store.Pin{ProjectID: p.ID, Start: from, End: to}); err != nil {
		return err
	}
	_, err = c.ApplyRules(ctx)
	return err
}

// Unpin ends the pin holding now; false when none did.
func (c *Core) Unpin(ctx context.Context) (bool, error) {
	ok, err := c.Store.Unpin(ctx, c.now())
	if err == nil {
		_ = c.Reload(ctx)
	}
	return ok, err
}

// CurrentPin is the pin holding now (ok false: none).
func (c *Core) CurrentPin(ctx context.Context) (PinState, bool, error) {
	p, name, ok, err := c.Store.PinAt(ctx, c.now())
	return PinState{Pin: p, Project: name}, ok, err
}

// Pins lists the pins overlapping [from, to) with their projects' names.
func (c *Core) Pins(ctx context.Context, from, to time.Time) ([]PinState, error) {
	pins, err := c.Store.Pins(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return c.pinStates(ctx, pins)
}

func (c *Core) pinStates(ctx context.Context, pins []store.Pin) ([]PinState, error) {
	out := make([]PinState, 0, len(pins))
	for _, p := range pins {
		proj, err := c.Store.ProjectByID(ctx, p.ProjectID)
		if err != nil {
			return nil, err
		}
		out = append(out, PinState{Pin: p, Project: proj.Name})
	}
	return out, nil
}

func (c *Core) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// UnknownProjectError is a project name that matches no local project.
type UnknownProjectError struct {
	Name  string
	Known []string
}

func (e *UnknownProjectError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("no local project %q, and there are none yet", e.Name)
	}
	return fmt.Sprintf("no local project %q; the projects are: %s", e.Name, strings.Join(e.Known, ", "))
}

func projectNames(ps []store.Project) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}

// AwayPeriods lists the absences of [from, to) long enough to ask about
// (the settings' away minutes; none when that is 0), with their answers.
func (c *Core) AwayPeriods(ctx context.Context, from, to time.Time) ([]AwayPeriod, error) {
	saved, err := c.Settings.Load(ctx)
	if err != nil {
		return nil, err
	}
	if saved.ActivityWatch.AwayMinutes <= 0 {
		return nil, nil
	}
	ps, err := away.Periods(ctx, c.Store, from, to, time.Duration(saved.ActivityWatch.AwayMinutes)*time.Minute)
	out := make([]AwayPeriod, len(ps))
	for i, p := range ps {
		out[i] = awayPeriodView(p)
	}
	return out, err
}

// AnswerAway saves answers (several for a split period) in one go; an
// unknown project names those there are and saves nothing.
func (c *Core) AnswerAway(ctx context.Context, answers []AwayBooking) error {
	out := make([]store.AwayAnswer, 0, len(answers))
	for _, a := range answers {
		sa := store.AwayAnswer{Start: a.Start, End: a.End, Kind: a.Kind, Note: strings.TrimSpace(a.Note),
			Task: strings.TrimSpace(a.Task), NotBillable: a.NotBillable, Tags: strings.TrimSpace(a.Tags)}
		if a.Kind == store.AwayWork {
			p, err := c.Store.ProjectByName(ctx, a.Project)
			if err != nil {
				ps, lerr := c.Store.Projects(ctx)
				if lerr != nil {
					return lerr
				}
				return &UnknownProjectError{Name: a.Project, Known: projectNames(ps)}
			}
			sa.ProjectID = p.ID
		}
		out = append(out, sa)
	}
	if err := c.Store.AnswerAway(ctx, out); err != nil {
		return err
	}
	_ = c.Reload(ctx) // the tray's unanswered line follows (best effort)
	return nil
}

// RecentProjects is up to n local projects, the latest used first.
func (c *Core) RecentProjects(ctx context.Context, n int) ([]string, error) {
	return c.Store.RecentProjects(ctx, n)
}

// UntilError is a pin's end that is not in the future (bad input).
type UntilError struct{ Until time.Time }

func (e *UntilError) Error() string {
	return i18n.T("core.pin.until_past", "until", e.Until.Format("2006-01-02 15:04"))
}
