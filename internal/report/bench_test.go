package report

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// BenchmarkRulesChange is what a rule change costs the report: 90 days
// of a heavy app switcher (~300k window, web and afk events) cut into
// pieces, then every piece classified afresh and summed per day and
// project. pieces_ns and build_ns split the time.
func BenchmarkRulesChange(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	apps := []string{"Code", "Google-chrome", "Gnome-terminal", "Slack", "firefox", "zoom", "Spotify", "Signal"}
	var windows []timeline.Window
	var web []timeline.Web
	var notAFK []timeline.Period
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, loc)
	for d := 0; d < 90; d++ {
		t := start.AddDate(0, 0, d)
		stop := t.Add(9 * time.Hour)
		notAFK = append(notAFK, timeline.Period{Start: t, End: t.Add(4 * time.Hour)}, timeline.Period{Start: t.Add(4*time.Hour + 45*time.Minute), End: stop})
		for t.Before(stop) {
			dur := time.Duration(rng.Intn(20000)) * time.Millisecond
			app := apps[rng.Intn(len(apps))]
			page := rng.Intn(2000) // a page has one title and one URL
			windows = append(windows, timeline.Window{Start: t, End: t.Add(dur), App: app, Title: fmt.Sprintf("%s title %d - %s", app, page, []string{"GitHub", "aw-server", "YouTube", "notes", "Gmail"}[page%5])})
			if rng.Intn(2) == 0 {
				web = append(web, timeline.Web{Start: t, End: t.Add(dur), URL: fmt.Sprintf("https://github.com/client%d/x/%d", page%30, page)})
			}
			t = t.Add(dur + time.Second)
		}
	}
	rs := rules.ImportRules(rules.DefaultCategories())
	for i := len(rs); i < 48; i++ {
		rs = append(rs, rules.Rule{Position: i + 1, Action: rules.ActionProject, Project: fmt.Sprintf("Client %d", i), URL: fmt.Sprintf(`^https://github\.com/client%d/`, i)})
	}
	rs = append(rs,
		rules.Rule{Position: 49, Action: rules.ActionProject, Project: "Video", Match: `^(?!.*Jira).*YouTube`},
		rules.Rule{Position: 50, Action: rules.ActionExclude, Title: `(?i)incognito|private`})
	set, err := rules.Compile(rs)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var piecesTime, buildTime time.Duration
	var rows []Row
	var pieces []timeline.Piece
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		pieces = timeline.Pieces(windows, web, notAFK, timeline.DefaultOptions())
		t1 := time.Now()
		rows = Build(pieces, ByActivity(set.Classifier().Classify), loc)
		piecesTime += t1.Sub(t0)
		buildTime += time.Since(t1)
	}
	b.ReportMetric(float64(len(windows)+len(web)+len(notAFK)), "events")
	b.ReportMetric(float64(len(pieces)), "pieces")
	b.ReportMetric(float64(len(rows)), "rows")
	b.ReportMetric(float64(piecesTime.Nanoseconds())/float64(b.N), "pieces_ns")
	b.ReportMetric(float64(buildTime.Nanoseconds())/float64(b.N), "build_ns")
}
