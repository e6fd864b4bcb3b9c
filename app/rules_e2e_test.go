package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The rules CLI and the report, end to end: import ActivityWatch's
// categories, list, add, test, refuse bad input, and report.
func TestRulesAndReport(t *testing.T) {
	aw := startFake(t, "-shift-to-now", "-settings", "../internal/awfake/testdata/aw/settings-categories.json")
	u := newUser(t)
	if _, errOut, code := u.run("", "setup", "--aw-url", aw, "--default-project", "Other"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := u.run("", "sync"); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := u.run("", "rules", "import")
	if code != 0 || !strings.Contains(out, "22 categories with a rule: 22 new") || !strings.Contains(out, "Work > Programming > Go") {
		t.Fatalf("import: %d %s%s", code, out, errOut)
	}
	// Importing again changes nothing and keeps the person's rules.
	if _, errOut, code := u.run("", "rules", "add", "--exclude", "--url", `^https://mail\.google\.com/`, "--position", "1"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ = u.run("", "rules", "import")
	if !strings.Contains(out, "0 new, 0 changed, 0 removed") {
		t.Errorf("second import: %s", out)
	}
	out, _, code = u.run("", "rules", "list", "--format", "json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 23 {
		t.Fatalf("rules list json: %d %v %d rules\n%s", code, err, len(list), out)
	}
	first := list[0]
	for _, k := range []string{"id", "position", "action", "project", "match", "app", "title", "url", "ignore_case", "source"} {
		if _, ok := first[k]; !ok {
			t.Errorf("rules list json lacks %q: %v", k, first)
		}
	}
	if first["action"] != "exclude" || first["project"] != nil || first["source"] != "user" || first["position"] != 1.0 {
		t.Errorf("the person's rule lost its place: %v", first)
	}
	// Deepest wins: a Go file of this very project is "Work > Programming > aw-timetracker"
	// only when no deeper-or-later Go category matches first; ActivityWatch picks Go (same depth, later).
	out, _, _ = u.run("", "rules", "test", "--app", "Code", "--title", "main.go - aw-timetracker", "--format", "json")
	var d struct {
		Project *string `json:"project"`
		Action  *string `json:"action"`
		RuleID  *int64  `json:"rule_id"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || d.Project == nil || d.Action == nil || *d.Action != "project" || d.RuleID == nil {
		t.Fatalf("rules test json: %v %s", err, out)
	}
	out, _, _ = u.run("", "rules", "test", "--app", "Google-chrome", "--title", "Jira YouTube tutorial")
	if !strings.Contains(out, "Project: Work > Issues") || !strings.Contains(out, "lost") {
		t.Errorf("rules test table (a lookahead keeps this from YouTube (not work)): %s", out)
	}
	out, _, _ = u.run("", "rules", "test", "--url", "https://mail.google.com/mail/u/0/#inbox", "--format", "json")
	if !strings.Contains(out, `"action": "exclude"`) || !strings.Contains(out, `"project": null`) {
		t.Errorf("exclude wins: %s", out)
	}
	// Bad input: exit 2, a message naming it, nothing changed.
	before, _, _ := u.run("", "rules", "list", "--format", "json")
	for _, args := range [][]string{
		{"rules", "add", "--project", "Work", "--title", "(unclosed"},
		{"rules", "add", "--project", "No such project", "--app", "Code"},
		{"rules", "add", "--project", "X"},
		{"rules", "add", "--title", "x"},
		{"rules", "remove", "999"},
		{"rules", "edit", "999", "--app", "x"},
		{"rules", "move", "1"},
		{"projects", "set", "No such project", "--push", "off"},
	} {
		_, errOut, code := u.run("", args...)
		if code != exitUsage || !strings.Contains(errOut, "nothing was changed") {
			t.Errorf("%v: %d %s", args, code, errOut)
		}
	}
	if after, _, _ := u.run("", "rules", "list", "--format", "json"); after != before {
		t.Error("bad input changed the rules")
	}
	// The excluded pages are gone from the database file and its WAL.
	for _, f := range []string{"aw-timetracker.db", "aw-timetracker.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(u.dir, "data", "aw-timetracker", f))
		if strings.Contains(string(b), "mail.google.com") || strings.Contains(string(b), "Invoice March 2026") {
			t.Errorf("%s still holds an excluded page", f)
		}
	}
	out, _, code = u.run("", "report", "--from", "2020-01-01", "--format", "json")
	var rows []struct {
		Date    string  `json:"date"`
		Project *string `json:"project"`
		Seconds int64   `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 || len(rows) == 0 {
		t.Fatalf("report json: %d %v\n%s", code, err, out)
	}
	byProject := map[string]int64{}
	for _, r := range rows {
		if len(r.Date) != 10 || r.Seconds <= 0 {
			t.Errorf("row %+v", r)
		}
		if r.Project != nil {
			byProject[*r.Project] += r.Seconds
		}
	}
	if byProject["Work > Programming > Go"] < 3600 || byProject["Comms > Email"] != 0 {
		t.Errorf("report by project %v (email excluded)", byProject)
	}
	if out, _, code := u.run("", "projects", "set", "Media > Music", "--push", "off"); code != 0 || !strings.Contains(out, "never pushed") {
		t.Errorf("projects set: %d %s", code, out)
	}
	out, _, _ = u.run("", "entries", "--from", "2020-01-01", "--to", "2030-01-01", "--format", "json")
	var entries []map[string]any
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) == 0 {
		t.Fatalf("entries json: %v", err)
	}
	named := 0
	for _, e := range entries {
		p, ok := e["project"]
		if !ok {
			t.Fatalf("entry without a project field: %v", e)
		}
		if p != nil {
			named++
		}
	}
	if named == 0 {
		t.Error("no entry has a project")
	}
}
