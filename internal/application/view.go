package application

import (
	"io"
	"sort"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/away"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/doctor"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/export"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// The faces' vocabulary. A window sees the application through these and
// nothing else: rows of the database and the services' states get view
// types of their own here, so a column or an internal field can change
// without a window knowing; values that are already what a face shows or
// edits (the settings, a rule, a report, the engine's published status)
// are named here as they are.

// Values the faces edit or show as the core makes them.
type (
	Config       = config.Config // the ActivityWatch settings a form edits
	Remote       = config.Remote // the TimeTracker settings a form edits
	PushMode     = config.PushMode
	FieldError   = config.FieldError
	Rule         = rules.Rule
	RuleAction   = rules.Action
	ImportPlan   = classify.ImportPlan
	Applied      = classify.Applied
	Preview      = classify.Preview
	DoctorLine   = doctor.Line
	Report       = report.Week // a week or a month, ready to draw
	ReportColumn = report.Column
	DayRow       = report.Row
	Status       = engine.Status // the engine's status, as the control socket publishes it
	SyncRequest  = engine.SyncRequest
	SyncOutcome  = engine.SyncOutcome
	PushOutcome  = engine.PushOutcome
	ReviewAction = push.ReviewAction
	AwayKind     = store.AwayKind
	AwayBooking  = away.Answer // an answer about an absence, its project by name
)

// The enumerations the faces switch on.
const (
	PushAuto   = config.PushAuto
	PushReview = config.PushReview

	Interval15Min  = config.Interval15Min
	IntervalHourly = config.IntervalHourly
	IntervalDaily  = config.IntervalDaily
	IntervalManual = config.IntervalManual

	MinLookback = config.MinLookback
	MaxLookback = config.MaxLookback

	FieldLookbackDays = config.FieldLookbackDays // a FieldError's Field

	ActionProject = rules.ActionProject
	ActionExclude = rules.ActionExclude
	ActionRedact  = rules.ActionRedact

	SourceUser          = rules.SourceUser
	SourceActivityWatch = rules.SourceActivityWatch

	Approve = push.Approve
	Discard = push.Discard

	AwayWork    = store.AwayWork
	AwayNotWork = store.AwayNotWork
	AwayLater   = store.AwayLater
)

// SyncNewRequest is Sync Now (what was not read yet); RereadRequest reads
// the saved lookback window again.
var (
	SyncNewRequest = SyncRequest{Mode: syncer.Now}
	RereadRequest  = SyncRequest{Mode: syncer.Reread}
)

// DefaultConfig and DefaultRemote are the settings of a fresh install.
func DefaultConfig() Config { return config.Default() }
func DefaultRemote() Remote { return config.DefaultRemote() }

// Form checks: each says what is wrong with one field's text.
func ParseBucketIDs(s string) ([]string, error)    { return config.ParseBucketIDs(s) }
func ParseClock(s string) (time.Duration, error)   { return config.ParseClock(s) }
func LoadZone(name string) (*time.Location, error) { return config.LoadZone(name) }
func CheckPattern(p string, ignoreCase bool) error { return rules.CheckPattern(p, ignoreCase) }

// CheckActivityWatchURL and CheckTimeTrackerURL check a server address as
// the services will read it.
func CheckActivityWatchURL(s string) error {
	_, err := activitywatch.ParseServerURL(s)
	return err
}

func CheckTimeTrackerURL(s string) error {
	_, err := timetracker.ParseServerURL(s)
	return err
}

// DoctorText is doctor's lines as the CLI prints them.
func DoctorText(lines []DoctorLine) string { return doctor.Text(lines) }

// ISOWeek and MonthStart are the first day of t's report period in loc.
func ISOWeek(t time.Time, loc *time.Location) time.Time    { return report.ISOWeek(t, loc) }
func MonthStart(t time.Time, loc *time.Location) time.Time { return report.MonthStart(t, loc) }

// ProjectTotal is one project's time of a day's rows.
type ProjectTotal = report.ProjectTotal

// ByProject adds up a day's rows by project, largest first.
func ByProject(rows []DayRow) []ProjectTotal { return report.ByProject(rows) }

// Project is a local project.
type Project struct {
	ID    int64
	Name  string
	Color string // "#rrggbb" or "" (ActivityWatch's category colour)
	Push  bool   // its time is pushed to TimeTracker
}

func projectView(p store.Project) Project {
	return Project{ID: p.ID, Name: p.Name, Color: p.Color, Push: p.Push}
}

func projectViews(ps []store.Project) []Project {
	out := make([]Project, len(ps))
	for i, p := range ps {
		out[i] = projectView(p)
	}
	return out
}

// Entry is a time entry as the faces list it.
type Entry struct {
	ID              int64
	ProjectID       int64 // 0: none
	ProjectName     string
	Start, End      time.Time
	DurationSeconds int64
	Notes           string
	Source          string // "auto" (imported), "away" (booked after an absence), …
	BucketID        string // for imported entries
	App, Title, URL string // of the imported event ("" when redacted or not imported)
}

func entryView(e store.Entry) Entry {
	return Entry{ID: e.ID, ProjectID: e.ProjectID, ProjectName: e.ProjectName, Start: e.Start, End: e.End,
		DurationSeconds: e.DurationSeconds, Notes: e.Notes, Source: e.Source, BucketID: e.BucketID, App: e.App, Title: e.Title, URL: e.URL}
}

func (e Entry) record() store.Entry {
	return store.Entry{ID: e.ID, ProjectID: e.ProjectID, ProjectName: e.ProjectName, Start: e.Start, End: e.End,
		DurationSeconds: e.DurationSeconds, Notes: e.Notes, Source: e.Source, BucketID: e.BucketID, App: e.App, Title: e.Title, URL: e.URL}
}

func records(es []Entry) []store.Entry {
	out := make([]store.Entry, len(es))
	for i, e := range es {
		out[i] = e.record()
	}
	return out
}

// WriteCSV and WriteJSON write entries in the export formats (`entries
// --format csv|json`, the entries window's export).
func WriteCSV(w io.Writer, es []Entry) error  { return export.CSV(w, records(es)) }
func WriteJSON(w io.Writer, es []Entry) error { return export.JSON(w, records(es)) }

// BlockState is where a block to push stands.
type BlockState string

// Block states (the outbox's).
const (
	BlockPending   = BlockState(store.BlockPending)
	BlockApproved  = BlockState(store.BlockApproved)
	BlockSending   = BlockState(store.BlockSending)
	BlockPushed    = BlockState(store.BlockPushed)
	BlockFailed    = BlockState(store.BlockFailed)
	BlockConflict  = BlockState(store.BlockConflict)
	BlockDiscarded = BlockState(store.BlockDiscarded)
	BlockRetract   = BlockState(store.BlockRetract)
	BlockTaken     = BlockState(store.BlockTaken)
	BlockChanged   = BlockState(store.BlockChanged)
	BlockDeleted   = BlockState(store.BlockDeleted)
)

// Block is a block to push, as review shows it.
type Block struct {
	ID          string
	Start, End  time.Time
	ProjectID   int64 // local; 0: the remote default
	App, Notes  string
	Task, Tags  string
	NotBillable bool
	State       BlockState
	LastError   string
	Trimmed     time.Duration // time others' entries on the server took from it
}

// Duration is the block's length.
func (b Block) Duration() time.Duration { return b.End.Sub(b.Start) }

func blockView(b store.OutboxBlock) Block {
	return Block{ID: b.ID, Start: b.Start, End: b.End, ProjectID: b.ProjectID, App: b.App, Notes: b.Notes, Task: b.Task, Tags: b.Tags,
		NotBillable: b.NotBillable, State: BlockState(b.State), LastError: b.LastError, Trimmed: b.Trimmed}
}

// RunStatus is how a sync or a push ended.
type RunStatus string

// Run outcomes.
const (
	StatusSuccess = RunStatus(store.StatusSuccess)
	StatusPartial = RunStatus(store.StatusPartial)
	StatusError   = RunStatus(store.StatusError)
)

// AWState is the saved ActivityWatch settings and whether they work.
type AWState struct {
	Config     Config
	Configured bool   // saved at least once
	Active     bool   // the last test or sync reached the server
	LastError  string // why not, when not
}

func awStateView(st awsync.State) AWState {
	return AWState{Config: st.Config, Configured: st.Configured, Active: st.IsActive, LastError: st.LastError}
}

// PushRun is the last push's outcome.
type PushRun struct {
	At      time.Time
	Status  RunStatus
	Sent    int    // blocks that reached the server (new or updated)
	Message string // why it stopped, or the first rejections
}

// RemoteState is the saved TimeTracker settings, whether they work, and
// the outbox in numbers.
type RemoteState struct {
	Config     Remote
	Configured bool
	Active     bool
	LastError  string
	Counts     map[BlockState]int
	Pushed     bool // LastPush is set
	LastPush   PushRun
	// Trimmed is the time others' entries on the server took from
	// TrimmedBlocks blocks.
	Trimmed       time.Duration
	TrimmedBlocks int
}

func remoteStateView(st push.State) RemoteState {
	counts := make(map[BlockState]int, len(st.Counts))
	for s, n := range st.Counts {
		counts[BlockState(s)] = n
	}
	return RemoteState{Config: st.Config, Configured: st.Configured, Active: st.IsActive, LastError: st.LastError, Counts: counts,
		Pushed: st.Pushed, LastPush: PushRun{At: st.LastPush.At, Status: RunStatus(st.LastPush.Status), Sent: st.LastPush.Sent(),
			Message: st.LastPush.Message}, Trimmed: st.Trimmed, TrimmedBlocks: st.TrimmedBlocks}
}

// Connection is what a test of the ActivityWatch server found.
type Connection struct {
	Version, Host string
	Buckets       []string // every bucket the server has, sorted
	Selected      []string // the buckets a sync would import
	Defaults      []string // the buckets the default selection picks (no bucket ids set)
	Missing       []string // configured ids the server does not have
	result        awsync.TestResult
}

// Message is the one-line summary of a successful test, in the current
// language.
func (c Connection) Message() string { return c.result.Message() }

func connectionView(res awsync.TestResult) Connection {
	ids := make([]string, 0, len(res.Buckets))
	for _, b := range res.Buckets {
		ids = append(ids, b.ID)
	}
	sort.Strings(ids)
	var defaults []string
	if len(res.Buckets) > 0 {
		defaults, _ = syncer.SelectBuckets(res.Buckets, nil)
	}
	return Connection{Version: res.Info.Version, Host: res.Info.Hostname, Buckets: ids, Selected: res.Selected, Defaults: defaults,
		Missing: res.Missing, result: res}
}

// RemoteProject is a project on the TimeTracker server.
type RemoteProject struct {
	ID   int64
	Name string
}

// RemoteConnection is what a TimeTracker setup found.
type RemoteConnection struct {
	Version  string // TimeTracker's
	Zone     string // the server's time zone
	Projects []RemoteProject
	Where    string // where the token went
	Warning  string // set when it went to a file
}

func remoteConnectionView(res push.SetupResult) RemoteConnection {
	out := RemoteConnection{Version: res.Info.AppVersion, Zone: res.Info.Timezone, Where: res.Where, Warning: res.Warning}
	for _, p := range res.Projects {
		out.Projects = append(out.Projects, RemoteProject{ID: p.ID, Name: p.Name})
	}
	return out
}

// DayBlock is a stretch of the day spent on one project, as a person
// remembers it ("09:02–10:15 on Go"), with what it was.
type DayBlock struct {
	Start, End time.Time
	ProjectID  int64         // 0: no project
	Project    string        // "" for none
	Active     time.Duration // every piece's time in it, short visits elsewhere included
	Own        time.Duration // its project's
	Events     []BlockEvent  // by app, title and page, longest first
}

// BlockEvent is the time of one app, title and page in a block.
type BlockEvent struct {
	App, Title, URL string
	Project         string // "" when no rule named one
	Seconds         int64
}

func dayBlockView(b report.DayBlock) DayBlock {
	return DayBlock{Start: b.Start, End: b.End, ProjectID: b.ProjectID, Project: b.Project, Active: b.Active(), Own: b.Own(),
		Events: blockEvents(b)}
}

// blockEvents adds up a block's parts by app, title and page, longest
// first: what the block was.
func blockEvents(b report.DayBlock) []BlockEvent {
	idx := map[[4]string]int{}
	var out []BlockEvent
	for _, p := range b.Parts {
		k := [4]string{p.App, p.Title, p.URL, p.Project}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, BlockEvent{App: p.App, Title: p.Title, URL: p.URL, Project: p.Project})
		}
		out[i].Seconds += int64(p.End.Sub(p.Start).Round(time.Second) / time.Second)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seconds > out[j].Seconds })
	return out
}

// AwayAnswer is what was said about part of an absence.
type AwayAnswer struct {
	Start, End  time.Time
	Kind        AwayKind
	ProjectID   int64 // work only
	Note        string
	Task        string
	NotBillable bool
	Tags        string
}

// AwayPeriod is an absence long enough to ask about, with its answers.
type AwayPeriod struct {
	Start, End time.Time
	Answers    []AwayAnswer  // by start
	Open       time.Duration // the time no work or not-work answer covers
	Later      bool          // dismissed: not asked about again on its own
	unanswered bool
}

// Duration is the absence's length.
func (p AwayPeriod) Duration() time.Duration { return p.End.Sub(p.Start) }

// Unanswered says whether a minute or more still waits for an answer.
func (p AwayPeriod) Unanswered() bool { return p.unanswered }

func awayPeriodView(p away.Period) AwayPeriod {
	out := AwayPeriod{Start: p.Start, End: p.End, Open: p.Open, Later: p.Later, unanswered: p.Unanswered()}
	for _, a := range p.Answers {
		out.Answers = append(out.Answers, AwayAnswer{Start: a.Start, End: a.End, Kind: a.Kind, ProjectID: a.ProjectID, Note: a.Note,
			Task: a.Task, NotBillable: a.NotBillable, Tags: a.Tags})
	}
	return out
}
