package syncer_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// timedServer measures the time the fake aw-server spends answering: the
// floor any sync pays, so our share can be reported as a ratio.
func timedServer(b *testing.B, days int) (*activitywatch.Client, *atomic.Int64, int, time.Time) {
	fake := awfake.New(awfake.Python, "devbox")
	end := time.Date(2026, 3, 27, 18, 0, 0, 0, time.UTC)
	n := awfake.Generate(fake, days, end, 1)
	var served atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		fake.ServeHTTP(w, r)
		served.Add(int64(time.Since(start)))
	}))
	b.Cleanup(hs.Close)
	c, err := activitywatch.New(hs.URL, "", time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	return c, &served, n, end
}

// BenchmarkFirstSync is Sync Now over 30 days of window and web events.
func BenchmarkFirstSync(b *testing.B) {
	c, served, _, end := timedServer(b, 30)
	var imported int
	var total time.Duration
	served.Store(0)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, id := openStore(b, filepath.Join(b.TempDir(), "db.sqlite"))
		b.StartTimer()
		start := time.Now()
		res, err := syncer.Run(context.Background(), c, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Now, LookbackDays: 30, Now: end})
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		imported = res.Imported
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(imported), "events")
	b.ReportMetric(float64(imported)*float64(b.N)/total.Seconds(), "events/s")
	b.ReportMetric(100*(1-float64(served.Load())/float64(total)), "our_%")
}

// BenchmarkScheduledSyncNoChange is a scheduled sync with nothing new after
// a first sync of 30 days.
func BenchmarkScheduledSyncNoChange(b *testing.B) {
	c, _, _, end := timedServer(b, 30)
	st, id := openStore(b, filepath.Join(b.TempDir(), "db.sqlite"))
	defer st.Close()
	if _, err := syncer.Run(context.Background(), c, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Now, LookbackDays: 30, Now: end}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := syncer.Run(context.Background(), c, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Incremental, LookbackDays: 30, Now: end.Add(time.Minute)}); err != nil {
			b.Fatal(err)
		}
	}
}
