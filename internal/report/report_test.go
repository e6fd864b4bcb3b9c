package report

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests' zones, wherever they run

	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDayEnd(t *testing.T) {
	tests := []struct {
		name string
		zone string
		at   string // local wall time, RFC 3339 with offset
		want string // UTC
	}{
		{"an ordinary day", "Europe/Berlin", "2026-03-27T15:00:00+01:00", "2026-03-27T23:00:00Z"},
		{"the 23-hour day of the spring change", "Europe/Berlin", "2026-03-29T00:30:00+01:00", "2026-03-29T22:00:00Z"},
		{"after the spring change", "Europe/Berlin", "2026-03-29T03:41:00+02:00", "2026-03-29T22:00:00Z"},
		{"the 25-hour day of the autumn change", "Europe/Berlin", "2026-10-25T00:10:00+02:00", "2026-10-25T23:00:00Z"},
		{"UTC", "UTC", "2026-03-28T23:59:59Z", "2026-03-29T00:00:00Z"},
		{"midnight skipped: the day ends when the clock jumps to 01:00", "America/Sao_Paulo", "2018-11-03T20:00:00-03:00", "2018-11-04T03:00:00Z"},
		{"the day after a skipped midnight starts at 01:00", "America/Sao_Paulo", "2018-11-04T01:00:00-02:00", "2018-11-05T02:00:00Z"},
		{"midnight repeated: the first one ends the day", "America/Havana", "2025-11-01T22:00:00-04:00", "2025-11-02T04:00:00Z"},
		{"the day with a repeated hour after midnight", "America/Havana", "2025-11-02T00:30:00-04:00", "2025-11-03T05:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			got := DayEnd(at.In(mustZone(t, tt.zone))).UTC().Format(time.RFC3339)
			if got != tt.want {
				t.Errorf("DayEnd(%s) = %s, want %s", tt.at, got, tt.want)
			}
		})
	}
}

func TestBuild(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	piece := func(from, to, app, title string) timeline.Piece {
		return timeline.Piece{Start: utc(from), End: utc(to), App: app, Title: title}
	}
	set, err := rules.Compile([]rules.Rule{
		{ID: 1, Position: 1, Action: rules.ActionExclude, Title: "secret"},
		{ID: 2, Position: 2, Action: rules.ActionRedact, App: "Signal"},
		{ID: 3, Position: 3, Action: rules.ActionProject, Project: "Work", App: "Code|Signal"},
		{ID: 4, Position: 4, Action: rules.ActionProject, Project: "Meetings", App: "zoom"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		pieces []timeline.Piece
		want   []string // date project seconds
	}{
		{"projects and no project, sorted, no project last",
			[]timeline.Piece{piece("2026-03-27T09:00:00Z", "2026-03-27T10:00:00Z", "zoom", "x"),
				piece("2026-03-27T10:00:00Z", "2026-03-27T10:30:00Z", "Code", "a.go"),
				piece("2026-03-27T10:30:00Z", "2026-03-27T10:31:00Z", "Slack", "x"),
				piece("2026-03-27T10:31:00Z", "2026-03-27T10:41:00Z", "Code", "b.go")},
			[]string{"2026-03-27 Meetings 3600", "2026-03-27 Work 2400", "2026-03-27 null 60"}},
		{"excluded time is left out; redacted time counts",
			[]timeline.Piece{piece("2026-03-27T09:00:00Z", "2026-03-27T10:00:00Z", "Code", "secret.txt"),
				piece("2026-03-27T10:00:00Z", "2026-03-27T10:10:00Z", "Signal", "Mum")},
			[]string{"2026-03-27 Work 600"}},
		{"a piece crossing local midnight is split there (23:00Z in winter)",
			[]timeline.Piece{piece("2026-03-27T22:30:00Z", "2026-03-27T23:45:00Z", "Code", "a.go")},
			[]string{"2026-03-27 Work 1800", "2026-03-28 Work 2700"}},
		{"the DST night: local midnight then the 23-hour day",
			[]timeline.Piece{piece("2026-03-28T22:54:44.47Z", "2026-03-29T02:34:44.47Z", "Code", "dst_test.go")},
			[]string{"2026-03-28 Work 316", "2026-03-29 Work 12884"}},
		{"rows round once, halves up; rows rounding to 0 are left out",
			[]timeline.Piece{piece("2026-03-27T09:00:00Z", "2026-03-27T09:00:00.3Z", "Code", "a"),
				piece("2026-03-27T09:00:01Z", "2026-03-27T09:00:01.2Z", "Code", "b"),
				piece("2026-03-27T09:00:02Z", "2026-03-27T09:00:02.4Z", "Slack", "c")},
			[]string{"2026-03-27 Work 1"}},
		{"empty pieces count nothing",
			[]timeline.Piece{piece("2026-03-27T09:00:00Z", "2026-03-27T09:00:00Z", "Code", "a")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range Build(tt.pieces, ByActivity(set.Classify), berlin) {
				p := "null"
				if r.Project != nil {
					p = *r.Project
				}
				got = append(got, fmt.Sprintf("%s %s %d", r.Date, p, r.Seconds))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestTotals(t *testing.T) {
	a, b := "A", "B"
	rows := []Row{
		{Date: "2026-03-27", Project: &a, Seconds: 10},
		{Date: "2026-03-27", Project: &b, Seconds: 20},
		{Date: "2026-03-27", Seconds: 5},
		{Date: "2026-03-28", Project: &b, Seconds: 1},
		{Date: "2026-03-28", Seconds: 2},
	}
	var got []string
	for _, p := range ByProject(rows) {
		name := "null"
		if p.Project != nil {
			name = *p.Project
		}
		got = append(got, fmt.Sprintf("%s=%d", name, p.Seconds))
	}
	if g := strings.Join(got, " "); g != "A=10 B=21 null=7" {
		t.Errorf("ByProject: %s", g)
	}
}
