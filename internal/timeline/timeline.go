// Package timeline turns raw ActivityWatch events into pieces of active
// time: the unit that rules classify and the report adds up.
//
// It follows ActivityWatch's own canonical query (aw-webui src/queries.ts
// canonicalEvents): window events flooded, not-afk events flooded,
// windows cut to not-afk time (aw-core filter_period_intersect), and, for
// browser windows, the page the browser showed (the web bucket's events
// cut to that browser's windows). Two things differ on purpose, both so
// that a second is never counted twice: window events that still overlap
// after flooding are clipped (the earlier keeps its time), and not-afk
// periods are merged into their union before the cut. ActivityWatch
// counts such overlaps twice; they are rare (late heartbeats).
package timeline

import (
	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Window is one window-watcher event: the focused app and its title.
type Window struct {
	Start, End time.Time
	App, Title string
}

// Web is one browser-watcher event: the page in the active tab. Browser
// names the browser whose bucket it came from (BrowserFromBucket): its
// events name only that browser's windows (BrowserOf), as the canonical
// query intersects each browser's bucket with that browser's windows
// only. "" applies to every browser window.
type Web struct {
	Start, End time.Time
	URL, Title string
	Browser    string
}

// Period is a span of time, here one the person was not afk.
type Period = span.Span

// Piece is a span of active time with what was on screen. WindowIndex is
// the index in the windows passed to Pieces of the window event it comes
// from (after flooding merged equal neighbours, the surviving one).
type Piece struct {
	Start, End      time.Time
	App, Title, URL string
	WindowIndex     int
}

// Options tune Pieces.
type Options struct {
	PulseTime time.Duration // flood gaps up to this; 0 = DefaultPulseTime, < 0 = no flooding
	CutAFK    bool          // keep only not-afk time (false: window time as it is)
}

// DefaultOptions are ActivityWatch's: flood 5 s, count only not-afk time.
func DefaultOptions() Options { return Options{PulseTime: DefaultPulseTime, CutAFK: true} }

func (o Options) pulse() time.Duration {
	if o.PulseTime == 0 {
		return DefaultPulseTime
	}
	return o.PulseTime
}

type windowData struct{ app, title string }

type webData struct{ url, title string }

// Pieces makes the pieces of active time, sorted and non-overlapping.
// With CutAFK and no not-afk period there is no active time, as in
// ActivityWatch. Cost is O(n log n) in the number of events.
func Pieces(windows []Window, web []Web, notAFK []Period, opts Options) []Piece {
	pulse := opts.pulse()
	evs := make([]Event[windowData], len(windows))
	for i, w := range windows {
		evs[i] = Event[windowData]{Start: w.Start, End: w.End, Data: windowData{w.App, w.Title}, Index: i}
	}
	evs = nonOverlapping(flood(evs, pulse))

	pieces := make([]Piece, 0, len(evs))
	for _, e := range evs {
		pieces = append(pieces, Piece{Start: e.Start, End: e.End, App: e.Data.app, Title: e.Data.title, WindowIndex: e.Index})
	}
	if opts.CutAFK {
		pieces = intersect(pieces, activePeriods(notAFK, pulse))
	}
	if len(web) > 0 {
		pieces = splitByWeb(pieces, web, pulse)
	}
	return pieces
}

func flood[D comparable](evs []Event[D], pulse time.Duration) []Event[D] {
	if pulse < 0 {
		out := make([]Event[D], 0, len(evs))
		for _, e := range evs {
			if e.End.After(e.Start) {
				out = append(out, e)
			}
		}
		return out
	}
	return Flood(evs, pulse)
}

// nonOverlapping sorts events and clips what still overlaps: each instant
// belongs to the event that started first (blocks.windowSegments does the
// same), so the total is the union of the events' time.
func nonOverlapping[D comparable](evs []Event[D]) []Event[D] {
	sortByStart(evs)
	out := evs[:0]
	var last time.Time
	for _, e := range evs {
		if e.Start.Before(last) {
			e.Start = last
		}
		if !e.End.After(e.Start) {
			continue
		}
		last = e.End
		out = append(out, e)
	}
	return out
}

// activePeriods floods the not-afk periods (the canonical query's
// flood(query_bucket(afk)), here over the not-afk events only: the
// 1 ms gaps next to afk events stay, which is below a second a day) and
// merges them into their sorted union.
func activePeriods(notAFK []Period, pulse time.Duration) []Period {
	evs := make([]Event[struct{}], len(notAFK))
	for i, p := range notAFK {
		evs[i] = Event[struct{}]{Start: p.Start, End: p.End, Index: i}
	}
	evs = flood(evs, pulse)
	out := make([]Period, len(evs))
	for i, e := range evs {
		out[i] = Period{Start: e.Start, End: e.End}
	}
	return span.Merge(out)
}

// intersect cuts sorted, non-overlapping pieces to sorted, disjoint
// periods: aw-core filter_period_intersect's two-pointer walk.
func intersect(pieces []Piece, periods []Period) []Piece {
	out := make([]Piece, 0, len(pieces))
	i, j := 0, 0
	for i < len(pieces) && j < len(periods) {
		pc, p := pieces[i], periods[j]
		lo, hi := span.Later(pc.Start, p.Start), span.Earlier(pc.End, p.End)
		if hi.After(lo) {
			cut := pc
			cut.Start, cut.End = lo, hi
			out = append(out, cut)
		}
		if !pc.End.After(p.End) {
			i++
		} else {
			j++
		}
	}
	return out
}

// splitByWeb splits each browser window piece by the pages its browser
// showed; parts with no page have URL "". The web events are flooded as
// the canonical query does (flood(query_bucket(web))) and made
// non-overlapping per browser.
func splitByWeb(pieces []Piece, web []Web, pulse time.Duration) []Piece {
	byBrowser := map[string][]Event[webData]{}
	for i, w := range web {
		byBrowser[w.Browser] = append(byBrowser[w.Browser], Event[webData]{Start: w.Start, End: w.End, Data: webData{w.URL, w.Title}, Index: i})
	}
	for b, evs := range byBrowser {
		byBrowser[b] = flood(evs, pulse)
	}
	browserOf := map[string]string{} // app -> browser, "" when not one
	pages := map[string][]Event[webData]{}
	next := map[string]int{} // per browser: first page that may still overlap
	out := make([]Piece, 0, len(pieces)+len(pieces)/2)
	for _, pc := range pieces {
		b, ok := browserOf[pc.App]
		if !ok {
			b = BrowserOf(pc.App)
			browserOf[pc.App] = b
		}
		if b == "" {
			out = append(out, pc)
			continue
		}
		ps, ok := pages[b]
		if !ok {
			ps = byBrowser[b] // flood's own copy: free to clip
			if shared := byBrowser[""]; len(shared) > 0 {
				ps = append(slices.Clone(ps), shared...)
			}
			ps = nonOverlapping(ps)
			pages[b] = ps
		}
		j := next[b]
		for j < len(ps) && !ps[j].End.After(pc.Start) {
			j++
		}
		next[b] = j
		at := pc.Start
		for k := j; k < len(ps) && ps[k].Start.Before(pc.End); k++ {
			lo, hi := span.Later(ps[k].Start, pc.Start), span.Earlier(ps[k].End, pc.End)
			if lo.After(at) {
				gap := pc
				gap.Start, gap.End = at, lo
				out = append(out, gap)
			}
			part := pc
			part.Start, part.End, part.URL = lo, hi, ps[k].Data.url
			out = append(out, part)
			at = hi
		}
		if pc.End.After(at) {
			rest := pc
			rest.Start = at
			out = append(out, rest)
		}
	}
	return out
}

// browsers are the browser names of aw-webui (src/queries.ts
// browser_appnames and browser_appname_regex), in its order, plus Safari,
// which aw-watcher-web reports but aw-webui does not list. A window is a
// browser window when its app is one of the exact names or matches the
// regex. This is the idea of blocks' browserApp regex, with aw-webui's
// anchors: an unanchored "edge" or "arc" would take "Knowledge" or
// "Archive Manager" for browsers.
var browsers = []struct {
	name  string
	exact []string
	re    *regexp.Regexp
}{
	{"chrome", []string{"com.google.Chrome", "com.google.ChromeDev", "org.chromium.Chromium"}, regexp.MustCompile(`(?i)^(google[-_ ]?chrome|chrome|chromium)`)},
	{"firefox", []string{"org.mozilla.firefox", "io.gitlab.librewolf-community", "net.waterfox.waterfox"}, regexp.MustCompile(`(?i)(firefox|librewolf|waterfox|nightly)`)},
	{"opera", []string{"com.opera.Opera"}, regexp.MustCompile(`(?i)(opera)`)},
	{"brave", []string{"com.brave.Browser"}, regexp.MustCompile(`(?i)(brave)`)},
	{"edge", []string{"com.microsoft.Edge", "com.microsoft.EdgeDev"}, regexp.MustCompile(`(?i)^(microsoft[-_ ]?edge|msedge)`)},
	{"arc", nil, regexp.MustCompile(`(?i)^arc(\.exe)?$`)},
	{"vivaldi", []string{"com.vivaldi.Vivaldi"}, regexp.MustCompile(`(?i)(vivaldi)`)},
	{"orion", []string{"Orion"}, regexp.MustCompile(`(?i)(orion)`)},
	{"yandex", []string{"ru.yandex.Browser"}, regexp.MustCompile(`(?i)(yandex)`)},
	{"zen", []string{"app.zen_browser.zen"}, regexp.MustCompile(`(?i)(zen)`)},
	{"floorp", []string{"one.ablaze.floorp"}, regexp.MustCompile(`(?i)(floorp)`)},
	{"helium", []string{"net.imput.helium"}, regexp.MustCompile(`(?i)(helium)`)},
	{"safari", nil, regexp.MustCompile(`(?i)^safari`)},
}

// BrowserOf names the browser an app is, "" when it is none.
func BrowserOf(app string) string {
	for _, b := range browsers {
		if slices.Contains(b.exact, app) {
			return b.name
		}
	}
	for _, b := range browsers {
		if b.re.MatchString(app) {
			return b.name
		}
	}
	return ""
}

// BrowserFromBucket names the browser of a web bucket by its id, as
// aw-webui's browsersWithBuckets does: the first browser name the id
// contains ("aw-watcher-web-chrome_devbox" → "chrome"); "" when none.
func BrowserFromBucket(id string) string {
	for _, b := range browsers {
		if strings.Contains(id, b.name) {
			return b.name
		}
	}
	return ""
}
