package rules

import (
	"fmt"
	"math/rand"
	"testing"
)

// benchRules are 50 rules of the kinds people have: ActivityWatch's
// default categories imported, their own literal and regex rules (a
// couple with lookaheads, so on the backtracking engine), url rules and
// privacy rules.
func benchRules() []Rule {
	rs := ImportRules(DefaultCategories()) // 13 rules
	add := func(r Rule) {
		r.Position = len(rs) + 1
		r.ID = int64(r.Position)
		if r.Action == "" {
			r.Action = ActionProject
		}
		rs = append(rs, r)
	}
	add(Rule{Action: ActionExclude, Title: "(?i)incognito|private browsing"})
	add(Rule{Action: ActionRedact, App: "^(Signal|TelegramDesktop)$"})
	add(Rule{Action: ActionRedact, URL: `bank|paypal\.com`})
	add(Rule{Project: "Video", Match: `^(?!.*Jira).*YouTube`})
	add(Rule{Project: "Client B", Title: `(?i)client-b(?!-archive)`})
	for i := 0; len(rs) < 50; i++ {
		switch i % 4 {
		case 0:
			add(Rule{Project: fmt.Sprintf("Client %d", i), URL: fmt.Sprintf(`^https://github\.com/client%d/`, i)})
		case 1:
			add(Rule{Project: fmt.Sprintf("Project %d", i), Title: fmt.Sprintf("project-%d|proj%d", i, i), IgnoreCase: true})
		case 2:
			add(Rule{Project: fmt.Sprintf("Repo %d", i), App: "^Code$", Title: fmt.Sprintf(`repo%d\b`, i)})
		default:
			add(Rule{Project: fmt.Sprintf("Tool %d", i), Match: fmt.Sprintf("Tool%d|Util%d", i, i)})
		}
	}
	return rs
}

// benchActivities are n activities with realistic repetition: 40 apps
// (5 browsers), a few thousand distinct titles, browser pieces with URLs.
func benchActivities(n int) []Activity {
	rng := rand.New(rand.NewSource(1))
	apps := []string{"Code", "Google-chrome", "firefox", "Gnome-terminal", "Slack", "zoom", "Spotify", "Signal",
		"TelegramDesktop", "Org.gnome.Nautilus", "Brave-browser", "Chromium", "Thunderbird", "Inkscape", "Gimp-2.10"}
	for i := len(apps); i < 40; i++ {
		apps = append(apps, fmt.Sprintf("App%d", i))
	}
	zipf := rand.NewZipf(rng, 1.2, 1, 7999)
	out := make([]Activity, n)
	for i := range out {
		app := apps[int(rand.NewZipf(rng, 1.5, 1, uint64(len(apps)-1)).Uint64())]
		t := zipf.Uint64()
		a := Activity{App: app}
		switch app {
		case "Google-chrome", "firefox", "Brave-browser", "Chromium":
			a.Title = fmt.Sprintf("Page %d about client-%d proj%d - YouTube Jira", t, t%13, t%17)
			a.URL = fmt.Sprintf("https://github.com/client%d/repo/pull/%d", t%23, t%300)
		case "Code":
			a.Title = fmt.Sprintf("main_%d.go - repo%d - Visual Studio Code", t%500, t%31)
		default:
			a.Title = fmt.Sprintf("%s window %d", app, t%200)
		}
		out[i] = a
	}
	return out
}

// BenchmarkClassify classifies 300k pieces of time (90 days of a heavy
// app switcher) with 50 rules, one Classifier per run as a rule change
// would.
func BenchmarkClassify(b *testing.B) {
	set, err := Compile(benchRules())
	if err != nil {
		b.Fatal(err)
	}
	acts := benchActivities(300_000)
	distinct := map[Activity]bool{}
	for _, a := range acts {
		distinct[a] = true
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := set.Classifier()
		for _, a := range acts {
			c.Classify(a)
		}
	}
	b.ReportMetric(float64(len(acts)), "activities")
	b.ReportMetric(float64(len(distinct)), "distinct")
	b.ReportMetric(float64(len(set.rules)), "rules")
}

// BenchmarkClassifyUncached is the worst case: every activity distinct.
func BenchmarkClassifyUncached(b *testing.B) {
	set, err := Compile(benchRules())
	if err != nil {
		b.Fatal(err)
	}
	acts := benchActivities(10_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range acts {
			set.Classify(a)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(acts)), "ns/activity")
}
