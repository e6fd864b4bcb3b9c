// Package blocks builds timesheet blocks from imported activity: the
// non-overlapping, person-sized entries pushed to a central TimeTracker.
//
// Raw ActivityWatch events cannot be pushed as they are: window and browser
// events overlap (TimeTracker rejects overlapping entries), they are seconds
// long (1000 pushes an hour is the limit), and the window watcher keeps
// reporting while the person is away. So: the focused-window timeline is the
// only source of time; browser events only name what the browser showed;
// time marked afk is cut out; runs of the same app and project are merged
// across gaps under MergeGap; runs shorter than MinBlock are folded into an
// adjacent run or dropped. A block's length is the window time it covers
// (gaps it bridges are not counted), so the blocks never add up to more
// than the focused-window time.
package blocks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Activity is one imported event with its extent.
type Activity struct {
	Key        string // bucket|event id: stable across syncs
	Start, End time.Time
	App, Title string
	URL        string
	ProjectID  int64
}

// Period is a span of time, e.g. marked afk.
type Period struct{ Start, End time.Time }

// Settings tune the blocks.
type Settings struct {
	MergeGap time.Duration // merge runs of one app closer than this
	MinBlock time.Duration // shorter runs are folded or dropped
	CutAFK   bool          // cut time marked afk
	Tag      string        // tags of every block
	// ByProject merges consecutive runs of one project whatever the app
	// (fewer, longer blocks); off, blocks follow the app as well.
	ByProject bool
}

// DefaultSettings are the documented defaults.
func DefaultSettings() Settings {
	return Settings{MergeGap: 60 * time.Second, MinBlock: 60 * time.Second, CutAFK: true, Tag: "activitywatch"}
}

// Block is one timesheet entry to push.
type Block struct {
	ID        string // stable: from the block's first source event
	Start     time.Time
	End       time.Time // Start + covered window time
	ProjectID int64
	App       string
	Notes     string
	Tags      string
	Sources   int
}

// Duration is the block's length.
func (b Block) Duration() time.Duration { return b.End.Sub(b.Start) }

// Hash changes whenever what would be pushed changes.
func (b Block) Hash() string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d|%d|%d|%s|%s", b.Start.UnixMilli(), b.End.UnixMilli(), b.ProjectID, b.Notes, b.Tags)))
	return hex.EncodeToString(sum[:16])
}

var browserApp = regexp.MustCompile(`(?i)(chrome|chromium|firefox|librewolf|waterfox|brave|edge|opera|vivaldi|safari|zen|arc)`)

// segment is a piece of window time with what was on screen.
type segment struct {
	start, end time.Time
	app        string
	project    int64
	key        string
	title      string                   // the window title
	web        map[string]time.Duration // page titles under a browser window
}

func (s segment) dur() time.Duration { return s.end.Sub(s.start) }

// Build makes the blocks of the given window and web activity.
func Build(windows, web []Activity, afk []Period, s Settings) []Block {
	segs := windowSegments(windows)
	if s.CutAFK {
		segs = cut(segs, afk)
	}
	enrich(segs, web)
	groups := group(segs, s)
	groups = fold(groups, s)
	out := make([]Block, 0, len(groups))
	for _, g := range groups {
		out = append(out, g.block(s.Tag))
	}
	return out
}

// windowSegments sorts window events and clips overlaps, so each instant
// belongs to one window.
func windowSegments(windows []Activity) []segment {
	ws := append([]Activity(nil), windows...)
	sort.SliceStable(ws, func(i, j int) bool {
		if !ws[i].Start.Equal(ws[j].Start) {
			return ws[i].Start.Before(ws[j].Start)
		}
		return ws[i].Key < ws[j].Key
	})
	var out []segment
	var last time.Time
	for _, w := range ws {
		start, end := w.Start, w.End
		if start.Before(last) {
			start = last
		}
		if !end.After(start) {
			continue
		}
		last = end
		out = append(out, segment{start: start, end: end, app: w.App, project: w.ProjectID, key: w.Key, title: w.Title})
	}
	return out
}

// cut removes afk periods from the segments.
func cut(segs []segment, afk []Period) []segment {
	if len(afk) == 0 {
		return segs
	}
	ps := append([]Period(nil), afk...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].Start.Before(ps[j].Start) })
	var out []segment
	for _, s := range segs {
		pieces := []segment{s}
		for _, p := range ps {
			if !p.End.After(s.start) {
				continue
			}
			if !p.Start.Before(s.end) {
				break
			}
			var next []segment
			for _, pc := range pieces {
				if !p.End.After(pc.start) || !p.Start.Before(pc.end) {
					next = append(next, pc)
					continue
				}
				if p.Start.After(pc.start) {
					left := pc
					left.end = p.Start
					next = append(next, left)
				}
				if p.End.Before(pc.end) {
					right := pc
					right.start = p.End
					next = append(next, right)
				}
			}
			pieces = next
		}
		out = append(out, pieces...)
	}
	return out
}

// enrich names what a browser window showed, from the web events under it.
// Web time never adds to a block; it only replaces the window title.
func enrich(segs []segment, web []Activity) {
	if len(web) == 0 {
		return
	}
	ws := append([]Activity(nil), web...)
	sort.Slice(ws, func(i, j int) bool { return ws[i].Start.Before(ws[j].Start) })
	isBrowser := map[string]bool{} // apps repeat: match each name once
	for i := range segs {
		s := &segs[i]
		b, ok := isBrowser[s.app]
		if !ok {
			b = browserApp.MatchString(s.app)
			isBrowser[s.app] = b
		}
		if !b {
			continue
		}
		found := map[string]time.Duration{}
		// web events are sorted by start; scan those that can overlap
		j := sort.Search(len(ws), func(k int) bool { return ws[k].End.After(s.start) || ws[k].Start.After(s.start) })
		for k := max(0, j-64); k < len(ws) && ws[k].Start.Before(s.end); k++ {
			w := ws[k]
			lo, hi := later(w.Start, s.start), earlier(w.End, s.end)
			if !hi.After(lo) {
				continue
			}
			label := w.Title
			if label == "" {
				label = w.URL
			}
			if label != "" {
				found[label] += hi.Sub(lo)
			}
		}
		if len(found) > 0 {
			s.web = found
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// run is a group of segments that becomes one block.
type run struct {
	segs    []segment
	app     string
	project int64
	cov     time.Duration // sum of the segments' durations, kept up to date
}

func (r *run) add(segs ...segment) {
	r.segs = append(r.segs, segs...)
	for _, s := range segs {
		r.cov += s.dur()
	}
}

func (r *run) prepend(segs []segment) {
	r.segs = append(append([]segment(nil), segs...), r.segs...)
	for _, s := range segs {
		r.cov += s.dur()
	}
}

func (r run) start() time.Time       { return r.segs[0].start }
func (r run) end() time.Time         { return r.segs[len(r.segs)-1].end }
func (r run) covered() time.Duration { return r.cov }

// alike reports whether two runs may merge: same project, and same app
// unless blocks follow the project only.
func alike(a, b run, s Settings) bool {
	return a.project == b.project && (s.ByProject || a.app == b.app)
}

func group(segs []segment, st Settings) []run {
	var out []run
	for _, s := range segs {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if alike(*last, run{app: s.app, project: s.project}, st) && s.start.Sub(last.end()) < st.MergeGap {
				last.add(s)
				continue
			}
		}
		out = append(out, run{segs: []segment{s}, app: s.app, project: s.project, cov: s.dur()})
	}
	return out
}

// fold folds runs shorter than MinBlock into an adjacent run of the same
// project (the longer of the two neighbours) when it is closer than
// MergeGap, or drops them; then merges neighbours that became alike. It
// repeats until nothing changes. Each pass is linear: a day of a heavy
// app switcher has thousands of runs.
func fold(runs []run, s Settings) []run {
	for changed := true; changed; {
		changed = false
		out := make([]run, 0, len(runs))
		var carry []segment // a short run folded forward into the next one
		for i, r := range runs {
			if len(carry) > 0 {
				r.prepend(carry)
				carry = nil
			}
			if r.covered() >= s.MinBlock {
				out = append(out, r)
				continue
			}
			changed = true
			n := len(out)
			prevOK := n > 0 && out[n-1].project == r.project && r.start().Sub(out[n-1].end()) < s.MergeGap
			nextOK := i+1 < len(runs) && runs[i+1].project == r.project && runs[i+1].start().Sub(r.end()) < s.MergeGap
			switch {
			case prevOK && (!nextOK || out[n-1].covered() >= runs[i+1].covered()):
				out[n-1].add(r.segs...)
			case nextOK:
				carry = r.segs
			default: // alone and short: dropped
			}
		}
		merged := out[:0]
		for _, r := range out {
			if n := len(merged); n > 0 && alike(merged[n-1], r, s) && r.start().Sub(merged[n-1].end()) < s.MergeGap {
				merged[n-1].add(r.segs...)
				changed = true
				continue
			}
			merged = append(merged, r)
		}
		runs = merged
	}
	// A run that absorbed others takes the app it spent most time in.
	for i := range runs {
		runs[i].app = dominantApp(runs[i].segs)
	}
	return runs
}

func dominantApp(segs []segment) string { return appsByTime(segs)[0] }

// appsByTime lists the apps of a run, most time first (at most three).
func appsByTime(segs []segment) []string {
	per := map[string]time.Duration{}
	for _, s := range segs {
		per[s.app] += s.dur()
	}
	return top(per, 3)
}

// top returns up to n keys by descending weight (ties by name).
func top(m map[string]time.Duration, n int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

func (r run) block(tag string) Block {
	titles := map[string]time.Duration{}
	for _, s := range r.segs {
		if len(s.web) > 0 {
			for t, d := range s.web {
				titles[t] += d
			}
		} else if s.title != "" {
			titles[s.title] += s.dur()
		}
	}
	app := r.app
	if app == "" {
		app = "(no app)"
	}
	notes := app
	if apps := appsByTime(r.segs); len(apps) > 1 {
		notes = strings.Join(apps, ", ")
	}
	if ts := top(titles, 3); len(ts) > 0 {
		notes += ": " + strings.Join(ts, "; ")
	}
	if rs := []rune(notes); len(rs) > 1000 {
		notes = string(rs[:999]) + "…"
	}
	first := r.segs[0]
	sum := sha256.Sum256([]byte(fmt.Sprintf("aw-timetracker-block|%s|%d", first.key, first.start.UnixMilli())))
	return Block{
		ID:        hex.EncodeToString(sum[:16]),
		Start:     r.start(),
		End:       r.start().Add(r.covered()),
		ProjectID: r.project,
		App:       app,
		Notes:     notes,
		Tags:      tag,
		Sources:   len(r.segs),
	}
}
