package engine

import (
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// Status is what the tray, the settings window and the CLI show.
type Status struct {
	Configured  bool            `json:"configured"`
	Active      bool            `json:"active"`
	AutoSync    bool            `json:"auto_sync"`
	Paused      bool            `json:"paused"`
	Syncing     bool            `json:"syncing"`
	Progress    Progress        `json:"progress"` // of the running sync
	LastSync    time.Time       `json:"last_sync"`
	LastNew     int             `json:"last_new"` // imported + updated by the last sync
	LastStatus  store.RunStatus `json:"last_status"`
	LastError   string          `json:"last_error"`
	Unreachable bool            `json:"unreachable"`
	NextSync    time.Time       `json:"next_sync"`

	Remote         bool            `json:"remote"` // a central TimeTracker is set up
	PushMode       config.PushMode `json:"push_mode"`
	Pushing        bool            `json:"pushing"`
	LastPush       time.Time       `json:"last_push"`
	LastPushSent   int             `json:"last_push_sent"` // created + updated
	LastPushStatus store.RunStatus `json:"last_push_status"`
	PushProblem    string          `json:"push_problem"` // why pushing stopped, if it did

	// AwayFrom and AwayTo are the newest absence still unanswered (zero:
	// none).
	AwayFrom time.Time `json:"away_from,omitzero"`
	AwayTo   time.Time `json:"away_to,omitzero"`

	Pinned      string    `json:"pinned,omitempty"`      // the project pinned now ("working on"), "" for none
	PinnedUntil time.Time `json:"pinned_until,omitzero"` // when the pin ends; zero: until unpinned

	// Language is the one the settings choose ("" the system's): the tray
	// switches to it when it changes.
	Language string `json:"language,omitempty"`
}

// Progress is how far the running sync is.
type Progress struct {
	Bucket      string `json:"bucket"`
	BucketIndex int    `json:"bucket_index"` // 1-based
	Buckets     int    `json:"buckets"`
	ChunksDone  int    `json:"chunks_done"` // days of the bucket read so far
	Chunks      int    `json:"chunks"`      // days to read of the bucket
	Imported    int    `json:"imported"`
	Updated     int    `json:"updated"`
	Skipped     int    `json:"skipped"`
}

// BucketsDone counts the buckets finished so far.
func (p Progress) BucketsDone() int {
	if p.Chunks > 0 && p.ChunksDone == p.Chunks {
		return p.BucketIndex
	}
	return max(p.BucketIndex-1, 0)
}

func (s Status) equal(o Status) bool { return s == o }

// Health is how a status should look: fine, working, or needing attention.
type Health int

const (
	Healthy Health = iota
	Busy
	Failing
)

// Summary is the one-line status the tray and the settings window show,
// in the language of the app's words.
func (s Status) Summary(loc *time.Location) (string, Health) {
	switch {
	case !s.Configured:
		return i18n.T("status.not_set_up"), Healthy
	case s.Syncing && s.Progress.Buckets > 0:
		return i18n.T("status.syncing_buckets", "done", s.Progress.BucketsDone(), "buckets", s.Progress.Buckets), Busy
	case s.Syncing:
		return i18n.T("status.syncing"), Busy
	case s.Unreachable:
		return i18n.T("status.unreachable"), Failing
	case s.LastStatus == store.StatusError:
		if s.LastSync.IsZero() {
			return i18n.T("status.sync_failed"), Failing
		}
		return i18n.T("status.sync_failed_at", "at", clock(s.LastSync, loc)), Failing
	case s.Pushing:
		return i18n.T("status.pushing_to"), Busy
	case s.PushProblem != "":
		return i18n.T("status.push_stopped"), Failing
	case !s.LastSync.IsZero() && s.LastStatus == store.StatusPartial:
		return i18n.T("status.last_sync_errors", "at", clock(s.LastSync, loc), "new", s.LastNew), Failing
	case !s.LastSync.IsZero():
		return i18n.T("status.last_sync", "at", clock(s.LastSync, loc), "new", s.LastNew), Healthy
	case !s.Active:
		return i18n.T("status.not_connected"), Failing
	default:
		return i18n.T("status.not_synced"), Healthy
	}
}

// PushSummary is the push's own line ("Last push 10:42 · 3 sent"), or ""
// when no TimeTracker is set up.
func (s Status) PushSummary(loc *time.Location) string {
	switch {
	case !s.Remote:
		return ""
	case s.Pushing:
		return i18n.T("status.pushing")
	case s.LastPush.IsZero():
		return i18n.T("status.not_pushed")
	case s.LastPushStatus == store.StatusError:
		return i18n.T("status.push_failed_at", "at", clock(s.LastPush, loc))
	case s.LastPushStatus == store.StatusPartial:
		return i18n.T("status.last_push_errors", "at", clock(s.LastPush, loc), "sent", s.LastPushSent)
	default:
		return i18n.T("status.last_push", "at", clock(s.LastPush, loc), "sent", s.LastPushSent)
	}
}

// clock shows a time of day, with the date when it is not today.
func clock(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	now := time.Now().In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return i18n.Clock(t)
	}
	return i18n.T("status.day_clock", "day", t.Day(), "month", i18n.MonthShort(t.Month()), "clock", i18n.Clock(t))
}
