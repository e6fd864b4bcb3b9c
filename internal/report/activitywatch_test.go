package report

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"

	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// awEvent is an aw-core Event: a timestamp, a duration and data (here
// flattened to one comparable string, as Python compares the dicts).
type awEvent struct {
	ts   time.Time
	dur  time.Duration
	data string
	app  string
	tit  string
}

func (e awEvent) end() time.Time { return e.ts.Add(e.dur) }

// readBucket reads a fixture in aw-server's GET .../events format.
func readBucket(t *testing.T, file string, data func(map[string]any) (string, string, string)) []awEvent {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var evs []struct {
		Timestamp time.Time      `json:"timestamp"`
		Duration  float64        `json:"duration"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &evs); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	out := make([]awEvent, len(evs))
	for i, e := range evs {
		key, app, title := data(e.Data)
		out[i] = awEvent{ts: e.Timestamp, dur: time.Duration(math.Round(e.Duration * 1e9)), data: key, app: app, tit: title}
	}
	return out
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// The reference: ActivityWatch's canonical query (aw-webui src/queries.ts
// canonicalEvents, filter_afk on) for one time period, written out
// directly from aw-core's Python, statement by statement:
//
//	events  = flood(query_bucket(window));
//	not_afk = flood(query_bucket(afk));
//	not_afk = filter_keyvals(not_afk, "status", ["not-afk"]);
//	events  = filter_period_intersect(events, not_afk);
//	events  = categorize(events, CATEGORIES);
//	cat_events = merge_events_by_keys(events, ["$category"]);

// awQueryBucket is the servers' query_bucket for [start, end]: events that
// overlap, clipped to the period.
func awQueryBucket(evs []awEvent, start, end time.Time) []awEvent {
	var out []awEvent
	for _, e := range evs {
		if e.ts.After(end) || e.end().Before(start) {
			continue
		}
		if e.ts.Before(start) {
			e.dur -= start.Sub(e.ts)
			e.ts = start
		}
		if e.end().After(end) {
			e.dur = end.Sub(e.ts)
		}
		out = append(out, e)
	}
	return out
}

// awFlood is aw_transform/flood.py flood(events, pulsetime=5).
func awFlood(events []awEvent) []awEvent {
	pulsetime := 5 * time.Second
	thres := 100 * time.Millisecond
	es := append([]awEvent(nil), events...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].ts.Before(es[j].ts) })
	for i := 0; i+1 < len(es); i++ {
		e1, e2 := &es[i], &es[i+1]
		gap := e2.ts.Sub(e1.ts.Add(e1.dur))
		if gap == 0 {
			continue
		}
		if gap < 0 && e1.data == e2.data {
			start := e1.ts
			if e2.ts.Before(start) {
				start = e2.ts
			}
			end := e1.end()
			if e2.end().After(end) {
				end = e2.end()
			}
			e1.ts, e1.dur = start, end.Sub(start)
			e2.ts, e2.dur = end, 0
		} else if gap < -thres {
			// "could NOT be safely merged": left alone
		} else if -thres < gap && gap <= pulsetime {
			e2End := e2.end()
			if e1.dur >= e2.dur {
				if e1.data == e2.data {
					e1.dur = e2End.Sub(e1.ts)
					e2.ts, e2.dur = e2End, 0
				} else {
					e1.dur = e2.ts.Sub(e1.ts)
				}
			} else {
				if e1.data == e2.data {
					e2.ts = e1.ts
					e2.dur = e2End.Sub(e2.ts)
					e1.dur = 0
				} else {
					e2.ts = e1.end()
					e2.dur = e2End.Sub(e2.ts)
				}
			}
		}
	}
	var out []awEvent
	for _, e := range es {
		if e.dur > 0 {
			out = append(out, e)
		}
	}
	return out
}

// awFilterPeriodIntersect is aw_transform/filter_period_intersect.py:
// both lists sorted by timestamp, walked with two indexes, every
// intersecting pair yielding the intersection (timeslot's semantics).
func awFilterPeriodIntersect(events, filters []awEvent) []awEvent {
	sort.SliceStable(events, func(i, j int) bool { return events[i].ts.Before(events[j].ts) })
	sort.SliceStable(filters, func(i, j int) bool { return filters[i].ts.Before(filters[j].ts) })
	var out []awEvent
	i, j := 0, 0
	for i < len(events) && j < len(filters) {
		e1, e2 := events[i], filters[j]
		if lo, hi, ok := timeslotIntersection(e1.ts, e1.end(), e2.ts, e2.end()); ok {
			e := e1
			e.ts, e.dur = lo, hi.Sub(lo)
			out = append(out, e)
			if !e1.end().After(e2.end()) {
				i++
			} else {
				j++
			}
		} else if !e1.end().After(e2.ts) {
			i++
		} else if !e2.end().After(e1.ts) {
			j++
		} else {
			i++
			j++
		}
	}
	return out
}

// timeslotIntersection is timeslot's Timeslot.intersection (self = the
// event [s1, x1], other = the filter [s2, x2]).
func timeslotIntersection(s1, x1, s2, x2 time.Time) (time.Time, time.Time, bool) {
	switch {
	case !s2.Before(s1) && !x2.After(x1): // self.contains(other)
		return s2, x2, true
	case !s2.Before(s1) && s2.Before(x1): // self.start <= other.start < self.end
		return s2, x1, true
	case s1.Before(x2) && !x2.After(x1): // self.start < other.end <= self.end
		return s1, x2, true
	case !s1.Before(s2) && !x1.After(x2): // other.contains(self)
		return s1, x1, true
	}
	return time.Time{}, time.Time{}, false
}

// awCategorize is aw_transform/classify.py categorize + _pick_category:
// a category matches when its regex (re.search, IGNORECASE when
// ignore_case) finds any string value of the event's data; the deepest
// match wins, the later of equally deep ones.
func awCategorize(t *testing.T, cats []rules.Category, e awEvent) []string {
	pick := []string{"Uncategorized"}
	for _, c := range cats {
		if c.Regex == "" {
			continue
		}
		if search(t, c, e.app) || search(t, c, e.tit) {
			if len(c.Name) >= len(pick) {
				pick = c.Name
			}
		}
	}
	return pick
}

func search(t *testing.T, c rules.Category, s string) bool {
	p := c.Regex
	if c.IgnoreCase {
		p = "(?i)" + p
	}
	if re, err := regexp.Compile(p); err == nil {
		return re.MatchString(s)
	}
	re, err := regexp2.Compile(p, regexp2.None)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := re.MatchString(s)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// testCategories are aw-webui's defaults plus categories for the
// fixtures' apps, with a lookahead and ties.
func testCategories() []rules.Category {
	return append(rules.DefaultCategories(),
		rules.Category{Name: []string{"Work", "Meetings"}, Type: "regex", Regex: "zoom|Google Calendar", IgnoreCase: true},
		rules.Category{Name: []string{"Work", "Programming", "Go"}, Type: "regex", Regex: `\.go |Go Packages`},
		rules.Category{Name: []string{"Work", "Chat"}, Type: "regex", Regex: "Slack|Telegram"}, // ties with Comms > IM: later wins
		rules.Category{Name: []string{"Work", "Programming", "Shell"}, Type: "regex", Regex: `^(?!.*go test).*dev@devbox`},
		rules.Category{Name: []string{"Personal"}, Type: "regex", Regex: "KeePassXC|Nautilus"},
	)
}

// TestAgreesWithActivityWatch runs the fixtures' two sessions (a work
// day, and a night across midnight and the DST change) through Pieces
// and Build, and through the reference canonical query per local day
// (Europe/Berlin), and wants every day's figure per category, and the
// totals, within 1.5 % (or a second, for small figures).
func TestAgreesWithActivityWatch(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	windows := readBucket(t, "events-window.json", func(d map[string]any) (string, string, string) {
		return str(d, "app") + "\x00" + str(d, "title"), str(d, "app"), str(d, "title")
	})
	afk := readBucket(t, "events-afk.json", func(d map[string]any) (string, string, string) { return str(d, "status"), "", "" })
	web := readBucket(t, "events-web-chrome.json", func(d map[string]any) (string, string, string) { return str(d, "url"), "", str(d, "title") })
	cats := testCategories()

	// ActivityWatch, one query per local day.
	want := map[string]time.Duration{} // date|category
	for _, day := range []string{"2026-03-27", "2026-03-28", "2026-03-29"} {
		start, _ := time.ParseInLocation(time.DateOnly, day, berlin)
		end := DayEnd(start)
		events := awFlood(awQueryBucket(windows, start, end))
		var notAFK []awEvent
		for _, e := range awFlood(awQueryBucket(afk, start, end)) {
			if e.data == "not-afk" {
				notAFK = append(notAFK, e)
			}
		}
		for _, e := range awFilterPeriodIntersect(events, notAFK) {
			cat := awCategorize(t, cats, e)
			name := rules.ProjectName(cat)
			if name == "Uncategorized" {
				name = "null"
			}
			want[day+"|"+name] += e.dur
		}
	}

	// Ours, over the whole range at once.
	var ws []timeline.Window
	for _, e := range windows {
		ws = append(ws, timeline.Window{Start: e.ts, End: e.end(), App: e.app, Title: e.tit})
	}
	var periods []timeline.Period
	for _, e := range afk {
		if e.data == "not-afk" {
			periods = append(periods, timeline.Period{Start: e.ts, End: e.end()})
		}
	}
	var webs []timeline.Web
	for _, e := range web {
		webs = append(webs, timeline.Web{Start: e.ts, End: e.end(), URL: e.data, Title: e.tit, Browser: timeline.BrowserFromBucket("aw-watcher-web-chrome_devbox")})
	}
	set, err := rules.Compile(rules.ImportRules(cats))
	if err != nil {
		t.Fatal(err)
	}
	pieces := timeline.Pieces(ws, webs, periods, timeline.DefaultOptions())
	got := map[string]time.Duration{}
	for _, r := range Build(pieces, ByActivity(set.Classifier().Classify), berlin) {
		name := "null"
		if r.Project != nil {
			name = *r.Project
		}
		got[r.Date+"|"+name] = time.Duration(r.Seconds) * time.Second
	}
	withURL := 0
	for _, p := range pieces {
		if p.URL != "" {
			withURL++
		}
	}
	if withURL == 0 {
		t.Errorf("no piece carries a URL")
	}

	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var totalWant, totalGot time.Duration
	perProjectWant, perProjectGot := map[string]time.Duration{}, map[string]time.Duration{}
	for _, k := range sorted {
		w, g := want[k], got[k]
		totalWant += w
		totalGot += g
		p := k[strings.Index(k, "|")+1:]
		perProjectWant[p] += w
		perProjectGot[p] += g
		t.Logf("%-50s ActivityWatch %8.1f s  ours %6.0f s", k, w.Seconds(), g.Seconds())
		if !close(w, g) {
			t.Errorf("%s: ours %v, ActivityWatch %v", k, g, w)
		}
	}
	for p := range perProjectWant {
		if !close(perProjectWant[p], perProjectGot[p]) {
			t.Errorf("project %s: ours %v, ActivityWatch %v", p, perProjectGot[p], perProjectWant[p])
		}
	}
	t.Logf("total: ActivityWatch %.1f s, ours %.0f s", totalWant.Seconds(), totalGot.Seconds())
	if !close(totalWant, totalGot) {
		t.Errorf("total: ours %v, ActivityWatch %v", totalGot, totalWant)
	}
	if len(perProjectWant) < 8 {
		t.Errorf("only %d categories seen: the test data should exercise more", len(perProjectWant))
	}
}

// close is within 1.5 %, or a second for small figures (rows are rounded
// to whole seconds).
func close(want, got time.Duration) bool {
	diff := (got - want).Abs()
	return diff <= time.Second || float64(diff) <= 0.015*float64(want)
}
