package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// pin through the real binary: an unknown project names those there are,
// a pin shows in status and list (--format json), pin off ends it.
func TestCLIPin(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	u := newUser(t)
	if _, errOut, code := u.run("", "setup", "--aw-url", aw, "--lookback-days", "3"); code != 0 {
		t.Fatal(errOut)
	}
	for _, name := range []string{"Meeting", "Client A"} {
		if _, errOut, code := u.run("", "projects", "add", name); code != 0 {
			t.Fatal(errOut)
		}
	}
	if out, _, code := u.run("", "pin"); code != 0 || !strings.HasPrefix(out, "Nothing is pinned") {
		t.Errorf("pin before any: exit %d, %q", code, out)
	}
	_, errOut, code := u.run("", "pin", "Standup")
	if code != exitUsage || !strings.Contains(errOut, `no local project "Standup"; the projects are: Client A, Meeting`) {
		t.Errorf("unknown project: exit %d, %q", code, errOut)
	}
	if _, errOut, code := u.run("", "pin", "Meeting", "--until", "25:00"); code != exitUsage || !strings.Contains(errOut, "--until") {
		t.Errorf("bad --until: exit %d, %q", code, errOut)
	}
	until := time.Now().UTC().Add(2 * time.Hour).Truncate(time.Minute)
	out, errOut, code := u.run("", "pin", "client a", "--until", until.Format("2006-01-02 15:04"))
	if code != 0 || !strings.HasPrefix(out, "Working on Client A since ") || !strings.Contains(out, until.Format("15:04")) {
		t.Fatalf("pin: exit %d\n%s%s", code, out, errOut)
	}
	if out, _, _ := u.run("", "pin", "status"); !strings.HasPrefix(out, "Working on Client A since ") {
		t.Errorf("status while pinned: %q", out)
	}
	out, errOut, code = u.run("", "pin", "list", "--format", "json")
	var pins []struct {
		Project string     `json:"project"`
		Start   time.Time  `json:"start"`
		End     *time.Time `json:"end"`
	}
	if err := json.Unmarshal([]byte(out), &pins); code != 0 || err != nil || len(pins) != 1 || pins[0].Project != "Client A" ||
		pins[0].End == nil || !pins[0].End.Equal(until) {
		t.Fatalf("pin list: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	// A new pin ends the one before: one at a time.
	if _, errOut, code := u.run("", "pin", "Meeting"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ = u.run("", "pin", "off")
	if !strings.HasPrefix(out, "Stopped working on Meeting") {
		t.Errorf("pin off: %q", out)
	}
	if out, _, _ := u.run("", "pin", "off"); !strings.HasPrefix(out, "Nothing was pinned.") {
		t.Errorf("pin off again: %q", out)
	}
	out, _, _ = u.run("", "pin", "list", "--format", "json")
	if err := json.Unmarshal([]byte(out), &pins); err != nil || len(pins) != 2 || pins[0].Project != "Client A" || pins[1].Project != "Meeting" || pins[1].End == nil {
		t.Errorf("pins after off: %v\n%s", err, out)
	}
}
