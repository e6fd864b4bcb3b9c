package syncer_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// BenchmarkSync90Days: Sync Now over 90 days of dense data (about 300k
// events in 3 buckets, the afk one read for blocks), then a scheduled sync
// with nothing new and one with an hour of new data. Reported as ratios in
// one run, so the noisy machine cancels out.
func BenchmarkSync90Days(b *testing.B) {
	fake := awfake.New(awfake.Python, "devbox")
	end := time.Date(2026, 3, 27, 18, 0, 0, 0, time.UTC)
	total := awfake.GenerateDense(fake, 90, end.Add(-time.Hour), 1, 10)
	var served atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		fake.ServeHTTP(w, r)
		served.Add(int64(time.Since(start)))
	}))
	defer hs.Close()
	c, _ := activitywatch.New(hs.URL, "", time.Minute)
	for i := 0; i < b.N; i++ {
		st, id := openStore(b, filepath.Join(b.TempDir(), "db.sqlite"))
		opt := syncer.Options{IntegrationID: id, Mode: syncer.Now, LookbackDays: 90, Now: end.Add(-time.Hour), ReadAFK: true}
		served.Store(0)
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		t0 := time.Now()
		res, err := syncer.Run(context.Background(), c, syncer.Importer(st), opt)
		first := time.Since(t0)
		if err != nil || len(res.Errors) > 0 {
			b.Fatalf("%+v %v", res, err)
		}
		firstServed := time.Duration(served.Load())
		var after runtime.MemStats
		runtime.ReadMemStats(&after)

		served.Store(0)
		fake.ResetQueries()
		t1 := time.Now()
		opt.Mode, opt.Now = syncer.Incremental, end.Add(-time.Hour+time.Minute)
		if _, err := syncer.Run(context.Background(), c, syncer.Importer(st), opt); err != nil {
			b.Fatal(err)
		}
		noChange := time.Since(t1)
		noChangeQueries := len(fake.Queries())

		// An hour of new window activity (360 events of 10 s), then a
		// scheduled sync an hour later.
		var evs []awfake.Event
		for k := 0; k < 360; k++ {
			evs = append(evs, awfake.Event{Timestamp: end.Add(-time.Hour + time.Duration(k*10)*time.Second), Duration: 9,
				Data: []byte(`{"app": "Code", "title": "hour.go"}`)})
		}
		if i == 0 {
			fake.Insert("aw-watcher-window_devbox", evs...)
		}
		t2 := time.Now()
		opt.Now = end.Add(time.Minute)
		hourRes, err := syncer.Run(context.Background(), c, syncer.Importer(st), opt)
		if err != nil || hourRes.Imported < 360 {
			b.Fatalf("hour sync %+v %v", hourRes, err)
		}
		hour := time.Since(t2)
		st.Close()

		imported := res.Imported + res.AFK
		b.ReportMetric(float64(total), "events_served")
		b.ReportMetric(float64(imported), "events_stored")
		b.ReportMetric(float64(imported)/first.Seconds(), "events/s")
		b.ReportMetric(first.Seconds(), "first_s")
		b.ReportMetric(100*(1-float64(firstServed)/float64(first)), "our_%_vs_fake")
		b.ReportMetric(100*noChange.Seconds()/first.Seconds(), "nochange_%_of_first")
		b.ReportMetric(float64(noChangeQueries), "nochange_queries")
		b.ReportMetric(hour.Seconds()*1000, "hour_ms")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(imported), "alloc_B/event")
	}
}
