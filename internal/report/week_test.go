package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/palette"
)

func TestISOWeek(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 10, 0, 0, 0, berlin), "2026-11-30"},   // a Tuesday
		{time.Date(2026, 11, 29, 23, 59, 0, 0, berlin), "2026-11-23"}, // a Sunday
		{time.Date(2026, 3, 29, 12, 0, 0, 0, berlin), "2026-03-23"},   // the DST Sunday
		{time.Date(2026, 11, 30, 0, 0, 0, 0, berlin), "2026-11-30"},   // Monday midnight
	} {
		if got := ISOWeek(tt.at, berlin); got.Format("2006-01-02") != tt.want || got.Hour() != 0 {
			t.Errorf("ISOWeek(%v) = %v, want %s 00:00", tt.at, got, tt.want)
		}
	}
}

func TestBuildWeek(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, berlin)
	code, music := "Work > Code", "Media > Music"
	rows := []Row{
		{Date: "2026-11-22", Project: &code, Seconds: 999}, // the Sunday before: not this week
		{Date: "2026-11-23", Project: &code, Seconds: 3600},
		{Date: "2026-11-23", Project: nil, Seconds: 600},
		{Date: "2026-11-24", Project: &music, Seconds: 1200},
		{Date: "2026-11-29", Project: &code, Seconds: 1800},
	}
	info := map[string]ProjectInfo{code: {Color: "#2E8B57"}, music: {Local: true}}
	w := BuildWeek(monday, rows, info, map[string]int64{code: 3000})
	if w.Label != "Week 48, 23 November – 29 November 2026" || w.Days[0] != "2026-11-23" || w.Days[6] != "2026-11-29" {
		t.Errorf("label %q days %v", w.Label, w.Days)
	}
	if len(w.Projects) != 3 || *w.Projects[0].Project != code || *w.Projects[1].Project != music || w.Projects[2].Project != nil {
		t.Fatalf("lines %+v", w.Projects)
	}
	if l := w.Projects[0]; l.Total != 5400 || l.Days[0] != 3600 || l.Days[6] != 1800 || l.Color != "#2E8B57" {
		t.Errorf("code line %+v", l)
	}
	if w.Projects[2].Color != palette.None || w.Projects[1].Color == "" || !w.Projects[1].Local {
		t.Errorf("colours: %+v", w.Projects)
	}
	if w.Total != 7200 || w.DayTotal[0] != 4200 || w.DayTotal[1] != 1200 {
		t.Errorf("totals %d %v", w.Total, w.DayTotal)
	}
	if w.Push != (PushShare{Pushed: 3000, Waiting: 2400 + 600, Local: 1200}) {
		t.Errorf("push share %+v", w.Push)
	}
	again := BuildWeek(monday, rows, map[string]ProjectInfo{}, nil)
	if again.Projects[1].Color != w.Projects[1].Color {
		t.Error("a project's picked colour changes between builds")
	}
	var b bytes.Buffer
	if err := w.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 5 || lines[0] != "project,2026-11-23,2026-11-24,2026-11-25,2026-11-26,2026-11-27,2026-11-28,2026-11-29,total_seconds" ||
		lines[1] != "Work > Code,3600,0,0,0,0,0,1800,5400" || lines[4] != "(all),4200,1200,0,0,0,0,1800,7200" {
		t.Errorf("csv:\n%s", b.String())
	}
}

func TestBuildMonth(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	first := MonthStart(time.Date(2026, 11, 18, 15, 0, 0, 0, berlin), berlin)
	code := "Work > Code"
	rows := []Row{
		{Date: "2026-10-31", Project: &code, Seconds: 999}, // the month before
		{Date: "2026-11-01", Project: &code, Seconds: 600}, // a Sunday: ISO week 44
		{Date: "2026-11-02", Project: &code, Seconds: 3600},
		{Date: "2026-11-08", Project: nil, Seconds: 60},
		{Date: "2026-11-30", Project: &code, Seconds: 1200}, // a Monday: week 49
		{Date: "2026-12-01", Project: &code, Seconds: 999},  // the month after
	}
	m := BuildMonth(first, rows, nil, nil)
	if m.Label != "November 2026" || len(m.Days) != 30 || m.Days[0] != "2026-11-01" || m.Days[29] != "2026-11-30" || first.Hour() != 0 {
		t.Fatalf("label %q, %d days %s…%s", m.Label, len(m.Days), m.Days[0], m.Days[len(m.Days)-1])
	}
	var labels []string
	for _, c := range m.Columns {
		labels = append(labels, c.Label)
	}
	if got := strings.Join(labels, ", "); got != "W44\n1, W45\n2–8, W46\n9–15, W47\n16–22, W48\n23–29, W49\n30" {
		t.Errorf("columns %s", got)
	}
	l := m.Projects[0]
	if *l.Project != code || l.Total != 5400 || m.Columns[0].Sum(l.Days) != 600 || m.Columns[1].Sum(l.Days) != 3600 || m.Columns[5].Sum(l.Days) != 1200 {
		t.Errorf("code line %+v", l)
	}
	if m.Total != 5460 || m.Columns[1].Sum(m.DayTotal) != 3660 {
		t.Errorf("totals %d %v", m.Total, m.DayTotal)
	}
	// February of a leap year (the 1st a Tuesday).
	feb := BuildMonth(time.Date(2028, 2, 1, 0, 0, 0, 0, berlin), nil, nil, nil)
	if len(feb.Days) != 29 || len(feb.Columns) != 5 || feb.Columns[0].Label != "W5\n1–6" || feb.Columns[4].Label != "W9\n28–29" {
		t.Errorf("February 2028: %d days, columns %+v", len(feb.Days), feb.Columns)
	}
}
