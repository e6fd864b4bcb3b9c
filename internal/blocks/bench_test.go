package blocks

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

// BenchmarkBuild90Days builds blocks from 90 days of dense activity
// (about 3,400 window events a work day, a web event for every third).
func BenchmarkBuild90Days(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	apps := []string{"Code", "Google-chrome", "Gnome-terminal", "Slack", "firefox"}
	var windows, web []Activity
	var afk []Period
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for d := 0; d < 90; d++ {
		t := start.AddDate(0, 0, d)
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		stop := t.Add(9*time.Hour + 30*time.Minute)
		afk = append(afk, Period{t.Add(4 * time.Hour), t.Add(4*time.Hour + 45*time.Minute)})
		for t.Before(stop) {
			d := time.Duration(rng.Intn(20000)) * time.Millisecond
			a := Activity{Key: fmt.Sprintf("w|%d", len(windows)), Start: t, End: t.Add(d), App: apps[rng.Intn(len(apps))], Title: fmt.Sprintf("title %d", rng.Intn(50)), ProjectID: 1}
			windows = append(windows, a)
			if rng.Intn(3) == 0 {
				web = append(web, Activity{Key: fmt.Sprintf("b|%d", len(web)), Start: t, End: t.Add(d), Title: fmt.Sprintf("page %d", rng.Intn(50))})
			}
			t = t.Add(d + time.Second)
		}
	}
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		n = len(Build(windows, web, afk, DefaultSettings()))
	}
	b.ReportMetric(float64(len(windows)+len(web)), "events")
	b.ReportMetric(float64(n), "blocks")
}
