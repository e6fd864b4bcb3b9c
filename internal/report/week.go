package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/palette"
)

// Week is what the report window shows for a stretch of days (an ISO
// week, or a month): a value a day per project, the columns the table
// shows (a day each in a week, an ISO week each in a month), the totals,
// and how much of each project's time is on the server, waiting to be
// pushed, or kept local.
type Week struct {
	Start    time.Time  // the first day, 00:00 in the report's zone
	Label    string     // "Week 48, 23–29 November 2026", "November 2026"
	Unit     string     // "week" or "month"
	Days     []string   // YYYY-MM-DD
	Columns  []Column   // what the table shows, in order
	Projects []WeekLine // by total, largest first; no project last
	DayTotal []int64    // seconds a day
	Total    int64      // seconds
	Push     PushShare  // of the period's time
}

// Column is a column of the table: the days [From, To) of Days.
type Column struct {
	Label    string // "Mon 23", "W48\n23–29" (two lines)
	From, To int
}

// Sum adds up the column's days of a row of day values.
func (c Column) Sum(days []int64) int64 {
	var s int64
	for _, v := range days[c.From:c.To] {
		s += v
	}
	return s
}

// WeekLine is one project's week.
type WeekLine struct {
	Project *string // nil: no project
	Color   string  // "#rrggbb": the project's own, else one made from its name
	Days    []int64
	Total   int64
	Local   bool // kept local (never pushed)
}

// PushShare splits time by what happens to it on the server.
type PushShare struct {
	Pushed, Waiting, Local int64 // seconds
}

// ISOWeek returns the Monday 00:00 (in loc) of the ISO week holding t.
func ISOWeek(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	offset := (int(t.Weekday()) + 6) % 7 // Monday 0 … Sunday 6
	return time.Date(t.Year(), t.Month(), t.Day()-offset, 0, 0, 0, 0, loc)
}

// ProjectInfo is what the week needs to know about a project.
type ProjectInfo struct {
	Color string
	Local bool // never pushed
}

// BuildWeek lays rows of the ISO week starting at monday into a Week, a
// column a day. info gives each named project's colour and push setting;
// pushed is the seconds of each project already on the server (the rest
// of a pushed project's time is waiting).
func BuildWeek(monday time.Time, rows []Row, info map[string]ProjectInfo, pushed map[string]int64) Week {
	_, isoWeek := monday.ISOWeek()
	sunday := monday.AddDate(0, 0, 6)
	w := build(monday, 7, fmt.Sprintf("Week %d, %s – %s", isoWeek, monday.Format("2 January"), sunday.Format("2 January 2006")), rows, info, pushed)
	w.Unit = "week"
	for i := range w.Days {
		w.Columns = append(w.Columns, Column{Label: monday.AddDate(0, 0, i).Format("Mon 2"), From: i, To: i + 1})
	}
	return w
}

// MonthStart returns the first of t's month, 00:00 in loc.
func MonthStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
}

// BuildMonth is BuildWeek for the month starting at first, a column per
// ISO week (the part of it in the month).
func BuildMonth(first time.Time, rows []Row, info map[string]ProjectInfo, pushed map[string]int64) Week {
	n := first.AddDate(0, 1, -1).Day()
	w := build(first, n, first.Format("January 2006"), rows, info, pushed)
	w.Unit = "month"
	for from := 0; from < n; {
		day := first.AddDate(0, 0, from)
		to := min(n, from+7-(int(day.Weekday())+6)%7) // to the Sunday
		_, iso := day.ISOWeek()
		days := fmt.Sprintf("%d–%d", from+1, to)
		if to == from+1 {
			days = fmt.Sprint(to)
		}
		w.Columns = append(w.Columns, Column{Label: fmt.Sprintf("W%d\n%s", iso, days), From: from, To: to})
		from = to
	}
	return w
}

// build adds up rows of the n days starting at start.
func build(start time.Time, n int, label string, rows []Row, info map[string]ProjectInfo, pushed map[string]int64) Week {
	w := Week{Start: start, Label: label, Days: make([]string, n), DayTotal: make([]int64, n)}
	day := map[string]int{}
	for i := range w.Days {
		w.Days[i] = start.AddDate(0, 0, i).Format("2006-01-02")
		day[w.Days[i]] = i
	}
	lines := map[string]int{}
	for _, r := range rows {
		i, ok := day[r.Date]
		if !ok {
			continue
		}
		key := "\x00none"
		if r.Project != nil {
			key = *r.Project
		}
		li, ok := lines[key]
		if !ok {
			li = len(w.Projects)
			lines[key] = li
			line := WeekLine{Project: r.Project, Color: ColorOf(r.Project, info), Days: make([]int64, n)}
			if r.Project != nil {
				line.Local = info[*r.Project].Local
			}
			w.Projects = append(w.Projects, line)
		}
		w.Projects[li].Days[i] += r.Seconds
		w.Projects[li].Total += r.Seconds
		w.DayTotal[i] += r.Seconds
		w.Total += r.Seconds
	}
	sortLines(w.Projects)
	for _, l := range w.Projects {
		switch {
		case l.Local:
			w.Push.Local += l.Total
		case l.Project != nil:
			p := min(pushed[*l.Project], l.Total)
			w.Push.Pushed += p
			w.Push.Waiting += l.Total - p
		default:
			p := min(pushed[""], l.Total)
			w.Push.Pushed += p
			w.Push.Waiting += l.Total - p
		}
	}
	return w
}

func sortLines(ls []WeekLine) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && lineLess(ls[j], ls[j-1]); j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

func lineLess(a, b WeekLine) bool {
	if (a.Project == nil) != (b.Project == nil) {
		return b.Project == nil
	}
	if a.Total != b.Total {
		return a.Total > b.Total
	}
	return a.Project != nil && *a.Project < *b.Project
}

// ColorOf is a project's colour: the one info gives (the application
// layer's palette), else one picked by its name; no project is grey.
func ColorOf(p *string, info map[string]ProjectInfo) string {
	if p == nil {
		return palette.None
	}
	if c := info[*p].Color; c != "" {
		return c
	}
	return palette.Base(*p, "")
}

// WriteCSV writes the period's table by day: a line a project with its
// seconds a day and its total, then the day totals.
func (w Week) WriteCSV(out io.Writer) error {
	cw := csv.NewWriter(out)
	head := append([]string{"project"}, w.Days...)
	_ = cw.Write(append(head, "total_seconds"))
	for _, l := range w.Projects {
		name := ""
		if l.Project != nil {
			name = *l.Project
		}
		row := []string{name}
		for _, s := range l.Days {
			row = append(row, strconv.FormatInt(s, 10))
		}
		_ = cw.Write(append(row, strconv.FormatInt(l.Total, 10)))
	}
	row := []string{"(all)"}
	for _, s := range w.DayTotal {
		row = append(row, strconv.FormatInt(s, 10))
	}
	_ = cw.Write(append(row, strconv.FormatInt(w.Total, 10)))
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing the report as CSV: %w", err)
	}
	return nil
}
