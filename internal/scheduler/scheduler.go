// Package scheduler decides when the next automatic sync is due. It works
// from the wall clock, so a machine that slept past a due time syncs once
// on wake, not once per missed slot (the engine's loop asks it).
package scheduler

import (
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
)

// RetryAfterFailure is how soon a failed scheduled sync is retried when the
// schedule's own interval is longer.
const RetryAfterFailure = 15 * time.Minute

// Next returns when the next automatic sync is due given the last sync (zero
// if never) and whether it failed; ok is false when auto sync is off.
func Next(cfg config.Config, last time.Time, lastFailed bool) (time.Time, bool) {
	if !cfg.AutoSync || cfg.SyncInterval == config.IntervalManual {
		return time.Time{}, false
	}
	if last.IsZero() {
		return time.Time{}, true // never synced: due now
	}
	var next time.Time
	switch cfg.SyncInterval {
	case config.Interval15Min:
		next = last.Add(15 * time.Minute)
	case config.IntervalHourly:
		next = last.Add(time.Hour)
	case config.IntervalDaily:
		next = nextDaily(cfg, last)
	default:
		return time.Time{}, false
	}
	if lastFailed && next.Sub(last) > RetryAfterFailure {
		next = last.Add(RetryAfterFailure)
	}
	return next, true
}

// nextDaily is the first DailyAt wall time in the configured zone after last.
func nextDaily(cfg config.Config, last time.Time) time.Time {
	at, err := config.ParseClock(cfg.DailyAt)
	if err != nil {
		at = 9 * time.Hour
	}
	loc := cfg.Location()
	l := last.In(loc)
	h, m := int(at/time.Hour), int(at%time.Hour/time.Minute)
	day := time.Date(l.Year(), l.Month(), l.Day(), h, m, 0, 0, loc)
	if !day.After(l) {
		day = time.Date(l.Year(), l.Month(), l.Day()+1, h, m, 0, 0, loc)
	}
	return day
}
