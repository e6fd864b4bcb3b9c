package runner

import (
	"fmt"
	"time"
)

// Health is how a status should look: fine, working, or needing attention.
type Health int

const (
	Healthy Health = iota
	Busy
	Failing
)

// Summary is the one-line status the tray and the settings window show.
func (s Status) Summary(loc *time.Location) (string, Health) {
	switch {
	case !s.Configured:
		return "Not set up", Healthy
	case s.Syncing && s.BucketsTotal > 0:
		return fmt.Sprintf("Syncing… %d/%d buckets", s.BucketsDone, s.BucketsTotal), Busy
	case s.Syncing:
		return "Syncing…", Busy
	case s.Unreachable:
		return "ActivityWatch not reachable", Failing
	case s.LastStatus == "error":
		if s.LastSync.IsZero() {
			return "Last sync failed", Failing
		}
		return "Last sync failed · " + clock(s.LastSync, loc), Failing
	case s.Pushing:
		return "Pushing to TimeTracker…", Busy
	case s.PushProblem != "":
		return "Push to TimeTracker stopped: see remote status", Failing
	case !s.LastSync.IsZero() && s.LastStatus == "partial":
		return fmt.Sprintf("Last sync %s · %d new · with errors", clock(s.LastSync, loc), s.LastNew), Failing
	case !s.LastSync.IsZero():
		return fmt.Sprintf("Last sync %s · %d new", clock(s.LastSync, loc), s.LastNew), Healthy
	case !s.Active:
		return "Not connected: open Settings", Failing
	default:
		return "Not synced yet", Healthy
	}
}

// clock shows a time of day, with the date when it is not today.
func clock(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	now := time.Now().In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}
