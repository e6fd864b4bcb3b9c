package main

import (
	"context"
	"fmt"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/scheduler"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func cmdStatus(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "status", "", i18n.T("cli.about.status"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	_, st, err := e.awState(ctx)
	if err != nil {
		return e.fail(err)
	}
	stats, err := e.st.Stats(ctx)
	if err != nil {
		return e.fail(err)
	}
	w := e.stdout
	cfg := st.Config
	loc := cfg.Location()
	if !st.Configured {
		fmt.Fprintln(w, i18n.T("cli.status.aw_not_set_up"))
	} else {
		active := i18n.T("cli.status.active")
		if !st.IsActive {
			active = i18n.T("cli.status.inactive")
		}
		fmt.Fprintln(w, i18n.T("cli.status.aw", "url", cfg.ServerURL, "state", active))
		key := i18n.T("cli.status.key_none")
		if cfg.APIKey != "" {
			key = i18n.T("cli.status.key_set")
		}
		fmt.Fprintln(w, i18n.T("cli.status.api_key", "key", key))
		buckets := cfg.BucketIDs
		if buckets == "" {
			buckets = i18n.T("cli.status.default_buckets")
		}
		fmt.Fprintln(w, i18n.T("cli.status.buckets", "buckets", buckets))
		fmt.Fprintln(w, i18n.N("cli.status.lookback", cfg.LookbackDays))
		project := i18n.T("cli.status.project_none")
		if cfg.DefaultProjectID != 0 {
			if p, err := e.st.ProjectByID(ctx, cfg.DefaultProjectID); err == nil {
				project = p.Name
			} else {
				project = i18n.T("cli.status.project_missing", "id", cfg.DefaultProjectID)
			}
		}
		fmt.Fprintln(w, i18n.T("cli.status.default_project", "project", project))
		fmt.Fprintln(w, i18n.T("cli.status.time_zone", "zone", zoneLabel(cfg.Timezone, loc)))
		sched := scheduleLabel(cfg)
		if next, ok := scheduler.Next(cfg, st.LastSyncAt, st.LastSyncStatus == store.StatusError); ok && st.IsActive {
			if next.IsZero() {
				sched = i18n.T("cli.status.next_soon", "schedule", sched)
			} else {
				sched = i18n.T("cli.status.next", "schedule", sched, "next", next.In(loc).Format("2006-01-02 15:04"))
			}
		}
		fmt.Fprintln(w, i18n.T("cli.status.auto_sync", "schedule", sched))
		last := i18n.T("cli.status.never")
		if !st.LastSyncAt.IsZero() {
			last = fmt.Sprintf("%s (%s)", st.LastSyncAt.In(loc).Format("2006-01-02 15:04:05"), runStatusWord(st.LastSyncStatus))
		}
		fmt.Fprintln(w, i18n.T("cli.status.last_sync", "last", last))
		if st.LastError != "" {
			fmt.Fprintln(w, i18n.T("cli.status.last_error", "err", st.LastError))
		}
	}
	fmt.Fprintln(w, i18n.T("cli.status.entries", "count", stats.Count, "total", i18n.Duration(time.Duration(stats.TotalSeconds)*time.Second)))
	if stats.Count > 0 {
		fmt.Fprintln(w, i18n.T("cli.status.entries_span", "first", stats.First.In(loc).Format("2006-01-02 15:04"), "last", stats.Last.In(loc).Format("2006-01-02 15:04")))
	}
	fmt.Fprintln(w, i18n.T("cli.status.database", "path", e.paths.DB))
	fmt.Fprintln(w, i18n.T("cli.status.log", "path", e.paths.Log))
	return exitOK
}

func zoneLabel(name string, loc *time.Location) string {
	if name == "" {
		return i18n.T("cli.status.zone_system", "zone", time.Now().In(loc).Format("MST -07:00"))
	}
	return name
}

// scheduleLabel is cfg.ScheduleLabel in the CLI's language: "off",
// "daily at 09:00", "15min", "hourly".
func scheduleLabel(cfg config.Config) string {
	switch {
	case !cfg.AutoSync || cfg.SyncInterval == config.IntervalManual:
		return i18n.T("cli.schedule.off")
	case cfg.SyncInterval == config.IntervalDaily:
		return i18n.T("cli.schedule.daily", "time", cfg.DailyAt)
	case cfg.SyncInterval == config.Interval15Min:
		return i18n.T("cli.schedule.15min")
	case cfg.SyncInterval == config.IntervalHourly:
		return i18n.T("cli.schedule.hourly")
	}
	return cfg.ScheduleLabel()
}

// runStatusWord is how a sync or push ended, in the language.
func runStatusWord(s store.RunStatus) string {
	switch s {
	case store.StatusSuccess:
		return i18n.T("cli.run.success")
	case store.StatusPartial:
		return i18n.T("cli.run.partial")
	case store.StatusError:
		return i18n.T("cli.run.error")
	}
	return string(s)
}
