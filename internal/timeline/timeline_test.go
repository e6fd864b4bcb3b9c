package timeline

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)

// at is t0 plus a number of seconds (fractions allowed).
func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

func secs(t time.Time) string {
	return strings.TrimSuffix(fmt.Sprintf("%.3f", t.Sub(t0).Seconds()), ".000")
}

func ev(from, to float64, data string, index int) Event[string] {
	return Event[string]{Start: at(from), End: at(to), Data: data, Index: index}
}

// TestFlood ports aw-core's tests/test_flood.py and adds the edges of its
// conditions.
func TestFlood(t *testing.T) {
	tests := []struct {
		name  string
		in    []Event[string]
		pulse time.Duration
		want  string // start-end:data#index, in order
	}{
		{"forward: the longer first event fills the gap",
			[]Event[string]{ev(0, 10, "a", 0), ev(15, 20, "b", 1)}, 0, "0-15:a#0 15-20:b#1"},
		{"forward merge: same data",
			[]Event[string]{ev(0, 10, "a", 0), ev(15, 20, "a", 1)}, 0, "0-20:a#0"},
		{"backward: the longer second event fills the gap",
			[]Event[string]{ev(0, 5, "a", 0), ev(10, 20, "b", 1)}, 0, "0-5:a#0 5-20:b#1"},
		{"backward merge: the longer second survives",
			[]Event[string]{ev(0, 5, "a", 0), ev(10, 20, "a", 1)}, 0, "0-20:a#1"},
		{"equal lengths: the first fills",
			[]Event[string]{ev(0, 5, "a", 0), ev(7, 12, "b", 1)}, 0, "0-7:a#0 7-12:b#1"},
		{"negative gap, same data: merged",
			[]Event[string]{ev(0, 100, "a", 0), ev(0, 5, "a", 1)}, 0, "0-100:a#0"},
		{"negative gap, same data, second ends later",
			[]Event[string]{ev(0, 10, "a", 0), ev(5, 30, "a", 1)}, 0, "0-30:a#0"},
		{"negative gap, differing data: untouched",
			[]Event[string]{ev(0, 5, "a", 0), ev(0, 100, "b", 1)}, 0, "0-5:a#0 0-100:b#1"},
		{"small negative gap, differing data: trimmed",
			[]Event[string]{ev(0, 100, "b", 0), ev(99.99, 199.99, "a", 1)}, 0, "0-99.990:b#0 99.990-199.990:a#1"},
		{"a gap of exactly pulsetime is filled",
			[]Event[string]{ev(0, 10, "a", 0), ev(15, 16, "b", 1)}, 0, "0-15:a#0 15-16:b#1"},
		{"a gap over pulsetime stays",
			[]Event[string]{ev(0, 10, "a", 0), ev(15.001, 16, "b", 1)}, 0, "0-10:a#0 15.001-16:b#1"},
		{"a custom pulsetime",
			[]Event[string]{ev(0, 10, "a", 0), ev(15, 16, "b", 1)}, time.Second, "0-10:a#0 15-16:b#1"},
		{"zero-duration flickers vanish",
			[]Event[string]{ev(0, 10, "a", 0), ev(11, 11, "b", 1), ev(12, 20, "a", 2)}, 0, "0-11:a#0 11-20:a#2"},
		{"unsorted input is sorted first",
			[]Event[string]{ev(20, 30, "c", 2), ev(0, 10, "a", 0), ev(10, 19, "b", 1)}, 0, "0-10:a#0 10-19:b#1 19-30:c#2"},
		{"equal starts keep input order",
			[]Event[string]{ev(0, 10, "b", 1), ev(0, 10, "a", 0)}, 0, "0-10:b#1 0-10:a#0"},
		{"a chain of same-data events: filled, not always merged (as in aw-core)",
			[]Event[string]{ev(0, 10, "a", 0), ev(11, 20, "a", 1), ev(21, 30, "a", 2), ev(31, 100, "a", 3)}, 0, "0-20:a#0 20-100:a#3"},
		{"nothing", nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pulse := tt.pulse
			if pulse == 0 {
				pulse = DefaultPulseTime
			}
			in := append([]Event[string](nil), tt.in...)
			var got []string
			for _, e := range Flood(tt.in, pulse) {
				got = append(got, fmt.Sprintf("%s-%s:%s#%d", secs(e.Start), secs(e.End), e.Data, e.Index))
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got  %s\nwant %s", g, tt.want)
			}
			for i := range in {
				if in[i] != tt.in[i] {
					t.Fatalf("Flood modified its input")
				}
			}
		})
	}
}

func win(from, to float64, app, title string) Window {
	return Window{Start: at(from), End: at(to), App: app, Title: title}
}

func TestPieces(t *testing.T) {
	all := []Period{{Start: at(-1000), End: at(100000)}}
	tests := []struct {
		name    string
		windows []Window
		web     []Web
		notAFK  []Period
		opts    Options
		want    string // start-end app url #window
	}{
		{"poll gaps are flooded",
			[]Window{win(0, 10, "Code", "a.go"), win(11, 30, "Slack", "general"), win(31, 40, "Code", "a.go")}, nil, all, DefaultOptions(),
			"0-10 Code  #0 | 10-31 Slack  #1 | 31-40 Code  #2"},
		{"equal neighbours merge across a poll gap",
			[]Window{win(0, 10, "Code", "a.go"), win(11, 30, "Code", "a.go")}, nil, all, DefaultOptions(),
			"0-30 Code  #1"},
		{"afk time is cut",
			[]Window{win(0, 3600, "zoom", "Zoom Meeting")}, nil, []Period{{Start: at(0), End: at(600)}, {Start: at(3000), End: at(3600)}}, DefaultOptions(),
			"0-600 zoom  #0 | 3000-3600 zoom  #0"},
		{"not-afk periods are flooded: a 1 s gap is no afk time",
			[]Window{win(0, 100, "Code", "a.go")}, nil, []Period{{Start: at(0), End: at(50)}, {Start: at(51), End: at(80)}}, DefaultOptions(),
			"0-80 Code  #0"},
		{"overlapping not-afk periods count once",
			[]Window{win(0, 100, "Code", "a.go")}, nil, []Period{{Start: at(0), End: at(60)}, {Start: at(10), End: at(20)}, {Start: at(30), End: at(70)}}, Options{PulseTime: -1, CutAFK: true},
			"0-70 Code  #0"},
		{"no not-afk data: no active time",
			[]Window{win(0, 100, "Code", "a.go")}, nil, nil, DefaultOptions(), ""},
		{"CutAFK off keeps window time",
			[]Window{win(0, 100, "Code", "a.go")}, nil, nil, Options{},
			"0-100 Code  #0"},
		{"overlapping windows never double count: the earlier keeps its time",
			[]Window{win(0, 300, "Code", "a.go"), win(200, 400, "Slack", "x"), win(250, 260, "zoom", "y")}, nil, all, DefaultOptions(),
			"0-300 Code  #0 | 300-400 Slack  #1"},
		{"a browser window is split by its pages; no page: no URL",
			[]Window{win(0, 300, "Google-chrome", "x - Google Chrome"), win(300, 900, "Code", "a.go")},
			[]Web{{Start: at(10), End: at(100), URL: "https://github.com/"}, {Start: at(100), End: at(250), URL: "https://mdn.dev/"}, {Start: at(260), End: at(900), URL: "https://late.example/"}},
			all, Options{PulseTime: -1, CutAFK: true},
			"0-10 Google-chrome  #0 | 10-100 Google-chrome https://github.com/ #0 | 100-250 Google-chrome https://mdn.dev/ #0 | 250-260 Google-chrome  #0 | 260-300 Google-chrome https://late.example/ #0 | 300-900 Code  #1"},
		{"web events are flooded: 1 ms gaps vanish (the longer page takes them)",
			[]Window{win(0, 200, "Google-chrome", "x")},
			[]Web{{Start: at(0), End: at(99.999), URL: "https://a/"}, {Start: at(100), End: at(200), URL: "https://b/"}},
			all, DefaultOptions(),
			"0-99.999 Google-chrome https://a/ #0 | 99.999-200 Google-chrome https://b/ #0"},
		{"a browser's pages name only its own windows",
			[]Window{win(0, 100, "firefox", "x"), win(100, 200, "Google-chrome", "y")},
			[]Web{{Start: at(0), End: at(200), URL: "https://chrome-page/", Browser: "chrome"}, {Start: at(0), End: at(200), URL: "https://ff-page/", Browser: "firefox"}},
			all, DefaultOptions(),
			"0-100 firefox https://ff-page/ #0 | 100-200 Google-chrome https://chrome-page/ #1"},
		{"pages split by afk cuts too",
			[]Window{win(0, 1000, "Google-chrome", "x")},
			[]Web{{Start: at(0), End: at(1000), URL: "https://a/"}},
			[]Period{{Start: at(0), End: at(100)}, {Start: at(500), End: at(600)}}, DefaultOptions(),
			"0-100 Google-chrome https://a/ #0 | 500-600 Google-chrome https://a/ #0"},
		{"non-browser apps get no URL",
			[]Window{win(0, 100, "Code", "a.go")}, []Web{{Start: at(0), End: at(100), URL: "https://a/"}}, all, DefaultOptions(),
			"0-100 Code  #0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range Pieces(tt.windows, tt.web, tt.notAFK, tt.opts) {
				got = append(got, fmt.Sprintf("%s-%s %s %s #%d", secs(p.Start), secs(p.End), p.App, p.URL, p.WindowIndex))
			}
			if g := strings.Join(got, " | "); g != tt.want {
				t.Errorf("got  %s\nwant %s", g, tt.want)
			}
		})
	}
}

func TestBrowserOf(t *testing.T) {
	tests := map[string]string{
		"Google-chrome": "chrome", "google-chrome": "chrome", "chrome.exe": "chrome", "Chromium": "chrome",
		"com.google.Chrome": "chrome", "firefox": "firefox", "Firefox.exe": "firefox", "firefox-esr": "firefox",
		"LibreWolf": "firefox", "Brave-browser": "brave", "msedge.exe": "edge", "Microsoft-edge": "edge",
		"Arc": "arc", "Safari": "safari", "Vivaldi-stable": "vivaldi",
		"Code": "", "Knowledge": "", "Archive Manager": "", "Gnome-terminal": "",
	}
	for app, want := range tests {
		if got := BrowserOf(app); got != want {
			t.Errorf("BrowserOf(%q) = %q, want %q", app, got, want)
		}
	}
}

func TestBrowserFromBucket(t *testing.T) {
	tests := map[string]string{
		"aw-watcher-web-chrome_devbox": "chrome", "aw-watcher-web-firefox": "firefox",
		"aw-watcher-web-brave_host": "brave", "aw-watcher-web-unknown_devbox": "",
	}
	for id, want := range tests {
		if got := BrowserFromBucket(id); got != want {
			t.Errorf("BrowserFromBucket(%q) = %q, want %q", id, got, want)
		}
	}
}

// BenchmarkPieces: 90 days of a heavy app switcher, ~300k window, web
// and afk events.
func BenchmarkPieces(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	apps := []string{"Code", "Google-chrome", "Gnome-terminal", "Slack", "firefox"}
	var windows []Window
	var web []Web
	var notAFK []Period
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for d := 0; d < 90; d++ {
		t := start.AddDate(0, 0, d)
		stop := t.Add(9 * time.Hour)
		notAFK = append(notAFK, Period{Start: t, End: t.Add(4 * time.Hour)}, Period{Start: t.Add(4*time.Hour + 45*time.Minute), End: stop})
		for t.Before(stop) {
			dur := time.Duration(rng.Intn(20000)) * time.Millisecond
			windows = append(windows, Window{Start: t, End: t.Add(dur), App: apps[rng.Intn(len(apps))], Title: fmt.Sprintf("title %d", rng.Intn(50))})
			if rng.Intn(2) == 0 {
				web = append(web, Web{Start: t, End: t.Add(dur), URL: fmt.Sprintf("https://example.com/%d", rng.Intn(50))})
			}
			t = t.Add(dur + time.Second)
		}
	}
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		n = len(Pieces(windows, web, notAFK, DefaultOptions()))
	}
	b.ReportMetric(float64(len(windows)+len(web)+len(notAFK)), "events")
	b.ReportMetric(float64(n), "pieces")
}
