package scheduler

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
)

func TestNext(t *testing.T) {
	last := time.Date(2026, 3, 28, 22, 10, 0, 0, time.UTC) // 23:10 in Berlin, the night before DST
	cfg := func(on bool, interval, at string) config.Config {
		c := config.Default()
		c.AutoSync, c.SyncInterval, c.DailyAt, c.Timezone = on, interval, at, "Europe/Berlin"
		return c
	}
	tests := []struct {
		name   string
		cfg    config.Config
		last   time.Time
		failed bool
		want   time.Time
		ok     bool
	}{
		{"off", cfg(false, config.IntervalHourly, ""), last, false, time.Time{}, false},
		{"manual", cfg(true, config.IntervalManual, ""), last, false, time.Time{}, false},
		{"never synced: now", cfg(true, config.IntervalHourly, ""), time.Time{}, false, time.Time{}, true},
		{"15 min", cfg(true, config.Interval15Min, ""), last, false, last.Add(15 * time.Minute), true},
		{"hourly", cfg(true, config.IntervalHourly, ""), last, false, last.Add(time.Hour), true},
		// 09:00 Berlin on 29 March is already CEST: 07:00Z.
		{"daily across DST", cfg(true, config.IntervalDaily, "09:00"), last, false, time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC), true},
		{"daily later today", cfg(true, config.IntervalDaily, "23:30"), last, false, time.Date(2026, 3, 28, 22, 30, 0, 0, time.UTC), true},
		{"daily retried sooner after a failure", cfg(true, config.IntervalDaily, "09:00"), last, true, last.Add(RetryAfterFailure), true},
		{"15 min after failure unchanged", cfg(true, config.Interval15Min, ""), last, true, last.Add(15 * time.Minute), true},
	}
	for _, tt := range tests {
		got, ok := Next(tt.cfg, tt.last, tt.failed)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("%s: Next = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// A machine that slept through many due times syncs once when it wakes.
func TestLoopSyncsOnceAfterSleep(t *testing.T) {
	cfg := config.Default()
	cfg.AutoSync, cfg.SyncInterval = true, config.Interval15Min
	wall := time.Date(2026, 3, 28, 8, 0, 0, 0, time.UTC)
	var last atomic.Value
	last.Store(wall.Add(-10 * time.Hour)) // asleep for 10 hours: 40 missed slots
	var runs atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	Loop(ctx, 5*time.Millisecond, func() time.Time { return wall }, func(context.Context) (State, error) {
		return State{Config: cfg, Active: true, LastSync: last.Load().(time.Time)}, nil
	}, func(context.Context) error {
		runs.Add(1)
		last.Store(wall)
		return nil
	})
	if n := runs.Load(); n != 1 {
		t.Errorf("%d syncs after waking, want 1", n)
	}
}

func TestLoopRespectsPauseAndInactive(t *testing.T) {
	cfg := config.Default()
	cfg.AutoSync, cfg.SyncInterval = true, config.IntervalHourly
	for _, st := range []State{{Config: cfg, Active: false}, {Config: cfg, Active: true, Paused: true}} {
		var runs atomic.Int32
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		Loop(ctx, 5*time.Millisecond, time.Now, func(context.Context) (State, error) { return st, nil },
			func(context.Context) error { runs.Add(1); return nil })
		cancel()
		if runs.Load() != 0 {
			t.Errorf("state %+v: ran %d syncs", st, runs.Load())
		}
	}
}
