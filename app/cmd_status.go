package main

import (
	"context"
	"fmt"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/export"
	"github.com/aw-timetracker/aw-timetracker/internal/scheduler"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func cmdStatus(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "status", "", "Shows the settings, whether the integration is active, the last sync and the entry count.")
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
		fmt.Fprintln(w, "ActivityWatch:   not set up (run 'aw-timetracker setup --aw-url http://localhost:5600')")
	} else {
		active := "active"
		if !st.IsActive {
			active = "inactive: the last connection test failed; run setup again"
		}
		fmt.Fprintf(w, "ActivityWatch:   %s (%s)\n", cfg.ServerURL, active)
		key := "none"
		if cfg.APIKey != "" {
			key = "set"
		}
		fmt.Fprintf(w, "API key:         %s\n", key)
		buckets := cfg.BucketIDs
		if buckets == "" {
			buckets = "default (aw-watcher-window_*, aw-watcher-web-*, aw-watcher-web_*)"
		}
		fmt.Fprintf(w, "Buckets:         %s\n", buckets)
		fmt.Fprintf(w, "Lookback:        %d days\n", cfg.LookbackDays)
		project := "none"
		if cfg.DefaultProjectID != 0 {
			if p, err := e.st.ProjectByID(ctx, cfg.DefaultProjectID); err == nil {
				project = p.Name
			} else {
				project = fmt.Sprintf("#%d (missing)", cfg.DefaultProjectID)
			}
		}
		fmt.Fprintf(w, "Default project: %s\n", project)
		fmt.Fprintf(w, "Time zone:       %s\n", zoneLabel(cfg.Timezone, loc))
		sched := cfg.ScheduleLabel()
		if next, ok := scheduler.Next(cfg, st.LastSyncAt, st.LastSyncStatus == store.StatusError); ok && st.IsActive {
			if next.IsZero() {
				sched += ", next: as soon as the app or daemon runs"
			} else {
				sched += ", next: " + next.In(loc).Format("2006-01-02 15:04")
			}
		}
		fmt.Fprintf(w, "Auto sync:       %s\n", sched)
		last := "never"
		if !st.LastSyncAt.IsZero() {
			last = fmt.Sprintf("%s (%s)", st.LastSyncAt.In(loc).Format("2006-01-02 15:04:05"), st.LastSyncStatus)
		}
		fmt.Fprintf(w, "Last sync:       %s\n", last)
		if st.LastError != "" {
			fmt.Fprintf(w, "Last error:      %s\n", st.LastError)
		}
	}
	fmt.Fprintf(w, "Entries:         %d (%s)\n", stats.Count, export.Duration(time.Duration(stats.TotalSeconds)*time.Second))
	if stats.Count > 0 {
		fmt.Fprintf(w, "                 %s to %s\n", stats.First.In(loc).Format("2006-01-02 15:04"), stats.Last.In(loc).Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(w, "Database:        %s\n", e.paths.DB)
	fmt.Fprintf(w, "Log:             %s\n", e.paths.Log)
	return exitOK
}

func zoneLabel(name string, loc *time.Location) string {
	if name == "" {
		return "system (" + time.Now().In(loc).Format("MST -07:00") + ")"
	}
	return name
}
