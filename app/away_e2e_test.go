package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// away through the real binary: the fixture's absences are listed; a
// booked part counts in report --format json, an ignored part does not;
// an unknown project names those there are.
func TestCLIAway(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	u := newUser(t)
	for _, args := range [][]string{{"setup", "--aw-url", aw, "--lookback-days", "3", "--away-minutes", "20"}, {"sync"}, {"projects", "add", "Meeting"}} {
		if _, errOut, code := u.run("", args...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
	}
	out, errOut, code := u.run("", "away", "list", "--days", "3", "--format", "json")
	var periods []struct {
		Start       time.Time `json:"start"`
		End         time.Time `json:"end"`
		Minutes     int       `json:"minutes"`
		OpenMinutes int       `json:"open_minutes"`
		Answers     []struct {
			Kind    string  `json:"kind"`
			Project *string `json:"project"`
			Note    string  `json:"note"`
		} `json:"answers"`
	}
	if err := json.Unmarshal([]byte(out), &periods); code != 0 || err != nil || len(periods) == 0 {
		t.Fatalf("away list: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	var long int = -1
	for i, p := range periods {
		if p.Minutes < 20 {
			t.Errorf("absence of %d min listed with --away-minutes 20", p.Minutes)
		}
		if p.Minutes >= 40 && long < 0 {
			long = i
		}
	}
	if long < 0 {
		t.Fatalf("no absence of 40 min or more in the fixture: %s", out)
	}
	p := periods[long]
	when := p.Start.UTC().Format("2006-01-02 15:04")
	half := p.Start.UTC().Add(20 * time.Minute).Format("15:04")
	if _, errOut, code := u.run("", "away", "book", when, "Standup"); code != exitUsage || !strings.Contains(errOut, `no local project "Standup"; the projects are: Meeting`) {
		t.Errorf("unknown project: exit %d, %s", code, errOut)
	}
	if out, errOut, code := u.run("", "away", "book", when, "Meeting", "--to", half, "--note", "Standup with ACME"); code != 0 || !strings.HasPrefix(out, "Booked ") {
		t.Fatalf("book: exit %d, %s%s", code, out, errOut)
	}
	if out, errOut, code := u.run("", "away", "ignore", when, "--from", half); code != 0 || !strings.HasPrefix(out, "Kept ") {
		t.Fatalf("ignore: exit %d, %s%s", code, out, errOut)
	}
	out, _, _ = u.run("", "away", "list", "--days", "3", "--format", "json")
	if err := json.Unmarshal([]byte(out), &periods); err != nil {
		t.Fatal(err)
	}
	for _, q := range periods {
		if !q.Start.Equal(p.Start) {
			continue
		}
		if q.OpenMinutes != 0 || len(q.Answers) != 2 || q.Answers[0].Kind != "work" || q.Answers[0].Project == nil ||
			*q.Answers[0].Project != "Meeting" || q.Answers[0].Note != "Standup with ACME" || q.Answers[1].Kind != "not_work" {
			t.Errorf("answered absence: %+v", q)
		}
	}
	day := p.Start.UTC().Format("2006-01-02")
	out, _, _ = u.run("", "report", "--from", day, "--to", day, "--format", "json")
	var rows []struct {
		Project *string `json:"project"`
		Seconds int64   `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	var meeting int64
	for _, r := range rows {
		if r.Project != nil && *r.Project == "Meeting" {
			meeting += r.Seconds
		}
	}
	booked := p.Start.UTC().Add(20 * time.Minute).Truncate(time.Minute).Sub(p.Start.UTC()).Seconds()
	if d := float64(meeting) - booked; d < -1 || d > 1 {
		t.Errorf("the report gives Meeting %d s, %v s were booked", meeting, booked)
	}
}
