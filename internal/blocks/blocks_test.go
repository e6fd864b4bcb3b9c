package blocks

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
)

var t0 = time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

func act(key string, from, to int, app, title string) Activity {
	return Activity{Key: key, Start: at(from), End: at(to), App: app, Title: title, ProjectID: 1}
}

func TestBuildRules(t *testing.T) {
	s := DefaultSettings()
	tests := []struct {
		name    string
		windows []Activity
		web     []Activity
		afk     []Period
		want    []string // start-end(seconds)/app/notes
	}{
		{"same app merged across a short gap; covered time only",
			[]Activity{act("w|1", 0, 300, "Code", "a.go"), act("w|2", 301, 600, "Code", "b.go")}, nil, nil,
			[]string{"0-599 Code: a.go; b.go"}},
		{"a long gap splits",
			[]Activity{act("w|1", 0, 300, "Code", "a.go"), act("w|2", 400, 700, "Code", "a.go")}, nil, nil,
			[]string{"0-300 Code: a.go", "400-700 Code: a.go"}},
		{"a short other app is folded into its neighbour",
			[]Activity{act("w|1", 0, 300, "Code", "a.go"), act("w|2", 301, 311, "Gnome-terminal", "bash"), act("w|3", 312, 600, "Code", "a.go")}, nil, nil,
			[]string{"0-598 Code, Gnome-terminal: a.go; bash"}},
		{"a short lone run is dropped",
			[]Activity{act("w|1", 0, 30, "Slack", "chat"), act("w|2", 200, 500, "Code", "a.go")}, nil, nil,
			[]string{"200-500 Code: a.go"}},
		{"afk time is cut out",
			[]Activity{act("w|1", 0, 3600, "zoom", "Zoom Meeting")}, nil, []Period{{at(600), at(3000)}},
			[]string{"0-600 zoom: Zoom Meeting", "3000-3600 zoom: Zoom Meeting"}},
		{"browser windows are named by their pages; web time adds nothing",
			[]Activity{act("w|1", 0, 300, "Google-chrome", "x - Google Chrome"), act("w|2", 300, 900, "Code", "a.go")},
			[]Activity{{Key: "b|1", Start: at(0), End: at(200), Title: "GitHub", URL: "https://github.com/"},
				{Key: "b|2", Start: at(200), End: at(900), Title: "MDN"}}, nil,
			[]string{"0-300 Google-chrome: GitHub; MDN", "300-900 Code: a.go"}},
		{"overlapping window events never double count",
			[]Activity{act("w|1", 0, 300, "Code", "a.go"), act("w|2", 200, 400, "Code", "a.go")}, nil, nil,
			[]string{"0-400 Code: a.go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range Build(tt.windows, tt.web, tt.afk, s) {
				got = append(got, fmt.Sprintf("%d-%d %s", int(b.Start.Sub(t0).Seconds()), int(b.End.Sub(t0).Seconds()), b.Notes))
				if b.Tags != "activitywatch" {
					t.Errorf("tags %q", b.Tags)
				}
			}
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// fixtureDay reads the shared fixtures as activities.
func fixtureDay(t *testing.T) (windows, web []Activity, afk []Period) {
	load := func(file, bucket string) []Activity {
		raw, err := awfake.FixtureFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var evs []activitywatch.RawEvent
		if err := json.Unmarshal(raw, &evs); err != nil {
			t.Fatal(err)
		}
		var out []Activity
		for _, ev := range evs {
			ts, _ := ev.TimestampString()
			start, err := activitywatch.ParseTime(ts)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := ev.DurationSeconds()
			f, _ := ev.DataFields()
			id, _ := ev.EventID()
			a := Activity{Key: fmt.Sprintf("%s|%d", bucket, id), Start: start, End: start.Add(time.Duration(d * float64(time.Second))),
				App: f.App, Title: f.Title, URL: f.URL, ProjectID: 1}
			if f.Status != "" {
				a.App = f.Status
			}
			out = append(out, a)
		}
		return out
	}
	windows = load("events-window.json", "aw-watcher-window_devbox")
	web = append(load("events-web-chrome.json", "aw-watcher-web-chrome_devbox"), load("events-web-firefox.json", "aw-watcher-web-firefox")...)
	for _, a := range load("events-afk.json", "aw-watcher-afk_devbox") {
		if a.App == "afk" {
			afk = append(afk, Period{a.Start, a.End})
		}
	}
	return windows, web, afk
}

// focused is the window time minus afk: the most any set of blocks may hold.
func focused(windows []Activity, afk []Period) time.Duration {
	segs := cut(windowSegments(windows), afk)
	var d time.Duration
	for _, s := range segs {
		d += s.dur()
	}
	return d
}

func TestFixtureDay(t *testing.T) {
	windows, web, afk := fixtureDay(t)
	bs := Build(windows, web, afk, DefaultSettings())
	var total time.Duration
	for i, b := range bs {
		total += b.Duration()
		if b.Duration() < time.Minute {
			t.Errorf("block %d shorter than the minimum: %v", i, b.Duration())
		}
		if i > 0 && b.Start.Before(bs[i-1].End) {
			t.Errorf("blocks %d and %d overlap: %v < %v", i-1, i, b.Start, bs[i-1].End)
		}
	}
	limit := focused(windows, afk)
	var windowTotal time.Duration
	for _, w := range windows {
		windowTotal += w.End.Sub(w.Start)
	}
	if total > limit || total < limit*8/10 {
		t.Errorf("blocks hold %v; focused window time is %v", total, limit)
	}
	// 147 window events become a few dozen blocks: the person switches
	// between editor, terminal and browser every few minutes, and blocks
	// follow the app (the spec's rule).
	if len(bs) < 5 || len(bs) > len(windows)/2 {
		t.Errorf("%d blocks from %d window events", len(bs), len(windows))
	}
	t.Logf("fixture: %d window events (%.2f h), %.2f h after afk cut → %d blocks holding %.2f h",
		len(windows), windowTotal.Hours(), limit.Hours(), len(bs), total.Hours())
	for _, b := range bs {
		t.Logf("  %s–%s %6.1f min  %s", b.Start.Format("01-02 15:04"), b.End.Format("15:04"), b.Duration().Minutes(), trunc(b.Notes, 90))
	}

	// Rebuilding after the newest event grew keeps every id; only the
	// block holding that event changes its content.
	grown := append([]Activity(nil), windows...)
	for i := range grown {
		if grown[i].Key == "aw-watcher-window_devbox|4183530" {
			grown[i].End = grown[i].End.Add(27 * time.Second)
		}
	}
	again := Build(grown, web, afk, DefaultSettings())
	if len(again) != len(bs) {
		t.Fatalf("%d blocks after growth, %d before", len(again), len(bs))
	}
	changed := 0
	for i := range bs {
		if again[i].ID != bs[i].ID {
			t.Errorf("block %d changed id", i)
		}
		if again[i].Hash() != bs[i].Hash() {
			changed++
		}
	}
	if changed > 1 {
		t.Errorf("%d blocks changed; only the growing one should", changed)
	}
	if math.Abs(total.Seconds()) == 0 {
		t.Error("no time")
	}
}

// Following the project instead of the app, with gaps up to 5 minutes
// merged, gives a handful of blocks for the fixture sessions, with the same
// time (bridged gaps are not counted).
func TestFixtureDayByProject(t *testing.T) {
	windows, web, afk := fixtureDay(t)
	s := DefaultSettings()
	byApp := Build(windows, web, afk, s)
	s.ByProject, s.MergeGap = true, 5*time.Minute
	bs := Build(windows, web, afk, s)
	var total, appTotal time.Duration
	for i, b := range bs {
		total += b.Duration()
		if i > 0 && b.Start.Before(bs[i-1].End) {
			t.Fatalf("blocks %d and %d overlap", i-1, i)
		}
	}
	for _, b := range byApp {
		appTotal += b.Duration()
	}
	if len(bs) > 20 || len(bs) >= len(byApp) || total > focused(windows, afk) || total < appTotal {
		t.Errorf("%d blocks (%v) by project vs %d (%v) by app; focused %v", len(bs), total, len(byApp), appTotal, focused(windows, afk))
	}
	t.Logf("by project: %d blocks, %.2f h", len(bs), total.Hours())
	for _, b := range bs {
		t.Logf("  %s–%s %6.1f min  %s", b.Start.Format("01-02 15:04"), b.End.Format("15:04"), b.Duration().Minutes(), trunc(b.Notes, 90))
	}
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
