// Package report adds up active time per local date and project: what
// `aw-timetracker report` prints. Every second of a piece goes to the
// project its rules decide; excluded time is left out; nothing is folded
// or rounded away before the sum, so the figures can be checked against
// ActivityWatch's own (its canonical query: window time flooded, cut to
// not-afk time, categorized).
package report

import (
	"sort"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// Row is the active time of one project on one local date.
//
// Seconds is the exact sum of the row's time rounded once, to the
// nearest second (halves up). Rows are rounded separately, so a total of
// rows can differ from the rounded exact total by under half a second a
// row. Rows that round to 0 are left out.
type Row struct {
	Date    string  `json:"date"`    // YYYY-MM-DD in the report's time zone
	Project *string `json:"project"` // nil: no rule named a project
	Seconds int64   `json:"seconds"`
}

// ByActivity decides a piece by what was on screen alone (no pin).
func ByActivity(f func(rules.Activity) rules.Decision) func(timeline.Piece) rules.Decision {
	return func(p timeline.Piece) rules.Decision {
		return f(rules.Activity{App: p.App, Title: p.Title, URL: p.URL})
	}
}

// Build sums pieces per local date and project. classify decides each
// piece (ByActivity of rules.Set.Classify, or the classify package's
// decision with pins); excluded pieces are left out. A piece that crosses midnight in loc is split there,
// whatever the day's length (23 or 25 h across a DST change). loc nil
// means time.Local.
//
// Rows are sorted by date, then by project name (byte order), with the
// time of no project last in each date.
func Build(pieces []timeline.Piece, classify func(timeline.Piece) rules.Decision, loc *time.Location) []Row {
	if loc == nil {
		loc = time.Local
	}
	type key struct {
		date    string
		project string
		none    bool
	}
	sums := map[key]time.Duration{}
	for _, pc := range pieces {
		if !pc.End.After(pc.Start) {
			continue
		}
		d := classify(pc)
		if d.Excluded {
			continue
		}
		for start := pc.Start; start.Before(pc.End); {
			local := start.In(loc)
			end := DayEnd(local)
			if end.After(pc.End) {
				end = pc.End
			}
			sums[key{local.Format(time.DateOnly), d.Project, d.Project == ""}] += end.Sub(start)
			start = end
		}
	}
	rows := make([]Row, 0, len(sums))
	for k, d := range sums {
		s := int64(d.Round(time.Second) / time.Second)
		if s == 0 {
			continue
		}
		r := Row{Date: k.date, Seconds: s}
		if !k.none {
			p := k.project
			r.Project = &p
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return projectLess(a.Project, b.Project)
	})
	return rows
}

// projectLess orders projects by name, no project last.
func projectLess(a, b *string) bool {
	switch {
	case a == nil:
		return false
	case b == nil:
		return true
	default:
		return *a < *b
	}
}

// DayEnd returns the first instant after t (in t's location) that falls
// on the next calendar date: local midnight, or the moment a DST change
// that skips midnight lands past it. It walks the zone's offset periods,
// so 23- and 25-hour days and repeated midnights come out right.
func DayEnd(t time.Time) time.Time {
	y, m, d := t.Date()
	for {
		_, offset := t.Zone()
		mid := time.Date(y, m, d+1, 0, 0, 0, 0, time.FixedZone("", offset))
		_, zoneEnd := t.ZoneBounds()
		if zoneEnd.IsZero() || mid.Before(zoneEnd) {
			return mid
		}
		next := zoneEnd.In(t.Location())
		if ny, nm, nd := next.Date(); ny != y || nm != m || nd != d {
			return zoneEnd // the change jumps over midnight
		}
		t = next
	}
}

// ProjectTotal is a project's time over all dates.
type ProjectTotal struct {
	Project *string `json:"project"`
	Seconds int64   `json:"seconds"`
}

// ByProject sums rows per project, in the rows' project order (no
// project last).
func ByProject(rows []Row) []ProjectTotal {
	idx := map[string]int{}
	var out []ProjectTotal
	none := -1
	for _, r := range rows {
		if r.Project == nil {
			if none < 0 {
				none = len(out)
				out = append(out, ProjectTotal{})
			}
			out[none].Seconds += r.Seconds
			continue
		}
		i, ok := idx[*r.Project]
		if !ok {
			i = len(out)
			idx[*r.Project] = i
			out = append(out, ProjectTotal{Project: r.Project})
		}
		out[i].Seconds += r.Seconds
	}
	sort.SliceStable(out, func(i, j int) bool { return projectLess(out[i].Project, out[j].Project) })
	return out
}
