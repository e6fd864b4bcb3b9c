package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/instance"
	"github.com/aw-timetracker/aw-timetracker/internal/integration"
	"github.com/aw-timetracker/aw-timetracker/internal/scheduler"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// schedulerTick is how often the schedule is checked against the wall clock.
const schedulerTick = 30 * time.Second

func cmdDaemon(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "daemon", "", "Runs automatic syncs on the configured schedule with no GUI, until stopped\n"+
		"(Ctrl-C or SIGTERM). Only one aw-timetracker app or daemon runs per user.")
	if done, code := parseFlags(fs, args); done {
		return code
	}
	lock, err := instance.Acquire(e.paths.Lock)
	if errors.Is(err, instance.ErrRunning) {
		fmt.Fprintln(e.stderr, "aw-timetracker daemon: another aw-timetracker app or daemon is already running for this user; it does the syncing.")
		return exitFailed
	}
	if err != nil {
		return e.fail(err)
	}
	defer lock.Release()
	svc, err := e.service(ctx)
	if err != nil {
		return e.fail(err)
	}
	st, err := svc.State(ctx)
	if err != nil {
		return e.fail(err)
	}
	if !st.Configured || !st.IsActive || !st.Config.AutoSync {
		fmt.Fprintln(e.stderr, "aw-timetracker daemon: auto sync is off or the integration is inactive; waiting for settings to change (aw-timetracker setup --auto-sync hourly).")
	}
	e.log.Info().Msg("daemon started")
	scheduler.Loop(ctx, schedulerTick, time.Now, func(ctx context.Context) (scheduler.State, error) {
		return loadSchedule(ctx, svc)
	}, func(ctx context.Context) error {
		_, err := svc.Sync(ctx, integration.SyncRequest{Mode: syncer.Incremental})
		return err
	})
	e.log.Info().Msg("daemon stopped")
	return exitOK
}

func loadSchedule(ctx context.Context, svc *integration.Service) (scheduler.State, error) {
	st, err := svc.State(ctx)
	if err != nil {
		return scheduler.State{}, err
	}
	return scheduler.State{Config: st.Config, Active: st.Configured && st.IsActive, LastSync: st.LastSyncAt,
		LastFailed: st.LastSyncStatus == "error"}, nil
}
