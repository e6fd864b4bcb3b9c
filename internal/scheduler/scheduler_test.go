package scheduler

import (
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
