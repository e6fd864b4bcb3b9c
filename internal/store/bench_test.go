package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// BenchmarkEntriesOfADay lists one day out of 90 days of dense entries
// (about 3,000 a day): what the entries window does on every day change.
func BenchmarkEntriesOfADay(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "db.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	id, _ := st.SaveIntegration(ctx, "activitywatch", "ActivityWatch", json.RawMessage(`{}`), true, "")
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	n := 0
	for d := 0; d < 90; d++ {
		tx, err := st.BeginImport(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		for k := 0; k < 3000; k++ {
			s := start.AddDate(0, 0, d).Add(time.Duration(k*11) * time.Second)
			n++
			_, err := tx.Insert(ctx, store.Import{BucketID: "aw-watcher-window_h", EventID: int64(n), HasEventID: true,
				UID: fmt.Sprint(n), EventTimestamp: s.Format(time.RFC3339), Start: s, End: s.Add(10 * time.Second),
				StartTime: s.Format(time.RFC3339), EndTime: s.Add(10 * time.Second).Format(time.RFC3339), DurationSeconds: 10, Notes: "x"})
			if err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	day := start.AddDate(0, 0, 45).Truncate(24 * time.Hour)
	b.ResetTimer()
	var got int
	for i := 0; i < b.N; i++ {
		es, err := st.Entries(ctx, day, day.Add(24*time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		got = len(es)
	}
	b.ReportMetric(float64(got), "entries")
	b.ReportMetric(float64(n), "stored")
}
