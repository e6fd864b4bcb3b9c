package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Two app instances of one person (two computers with the same
// ActivityWatch data, as after a restore) push to one TimeTracker with
// the same token: whoever pushes first keeps the time, the other fills
// around it: no conflict, no double, its blocks show as taken.
func TestTwoInstancesPushToOneServer(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	tt := startServer(t, "ttfake", []string{"TT_TOKEN=" + e2eToken}, "-projects", "Deep work", "-per-minute", "100000")
	var pushed []string
	for i, u := range []*user{newUser(t), newUser(t)} {
		if _, errOut, code := u.run("", "setup", "--aw-url", aw); code != 0 {
			t.Fatal(errOut)
		}
		if _, errOut, code := u.run("", "sync", "--quiet"); code != 0 {
			t.Fatal(errOut)
		}
		if _, errOut, code := u.run(e2eToken+"\n", "remote", "setup", "--url", tt, "--project", "Deep work"); code != 0 {
			t.Fatal(errOut)
		}
		out, errOut, code := u.run("", "push")
		if code != 0 || !strings.Contains(out, "0 failed, 0 in conflict") {
			t.Fatalf("instance %d push: %d %s%s", i+1, code, out, errOut)
		}
		pushed = append(pushed, out)
		status, _, _ := u.run("", "remote", "status")
		if i == 1 {
			m := regexp.MustCompile(`(\d+) taken`).FindStringSubmatch(status)
			if !strings.HasPrefix(out, "Pushed 0 new blocks") || m == nil {
				t.Errorf("the second instance pushed over the first:\n%s\n%s", out, status)
			}
		}
		if again, _, _ := u.run("", "push"); !strings.HasPrefix(again, "Pushed 0 new blocks, updated 0; 0 failed, 0 in conflict") {
			t.Errorf("instance %d pushed more the second time: %s", i+1, again)
		}
	}
	t.Logf("first: %s\nsecond: %s", strings.TrimSpace(pushed[0]), strings.TrimSpace(pushed[1]))
}

// blocks list --format json is a contract: its fields, RFC 3339 times.
func TestBlocksListJSON(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	tt := startServer(t, "ttfake", []string{"TT_TOKEN=" + e2eToken}, "-projects", "Deep work", "-per-minute", "100000")
	u := newUser(t)
	u.run("", "setup", "--aw-url", aw)
	u.run("", "sync", "--quiet")
	u.run(e2eToken+"\n", "remote", "setup", "--url", tt, "--project", "Deep work")
	u.run("", "push")
	out, errOut, code := u.run("", "blocks", "list", "--format", "json")
	var bs []map[string]any
	if err := json.Unmarshal([]byte(out), &bs); err != nil || code != 0 || len(bs) == 0 {
		t.Fatalf("blocks list json: %d %v %s%s", code, err, out, errOut)
	}
	for _, k := range []string{"id", "start", "end", "project", "state", "remote_id", "notes", "trimmed_seconds"} {
		if _, ok := bs[0][k]; !ok {
			t.Errorf("no %q in %v", k, bs[0])
		}
	}
	if _, err := time.Parse(time.RFC3339, bs[0]["start"].(string)); err != nil || bs[0]["state"] != "pushed" || bs[0]["remote_id"] == nil {
		t.Errorf("block %v (%v)", bs[0], err)
	}
	// The flags of edit go after the block's ID, as its usage shows, or before it.
	id := bs[0]["id"].(string)[:8]
	for _, args := range [][]string{{"blocks", "edit", id, "--notes", "after the id"}, {"blocks", "edit", "--notes", "before the id", id}} {
		if out, errOut, code := u.run("", args...); code != 0 {
			t.Errorf("%v: %d %s%s", args, code, out, errOut)
		}
	}
	out, _, _ = u.run("", "blocks", "list", "--format", "json")
	if !strings.Contains(out, `"notes":"before the id"`) && !strings.Contains(out, `"notes": "before the id"`) {
		t.Errorf("the edited notes are not in the list:\n%s", out)
	}
	// Bad input: exit 2, the command named, nothing changed.
	for _, args := range [][]string{{"blocks", "edit", "zzzz", "--notes", "x"}, {"blocks", "edit", id[:2], "--notes", "x"},
		{"blocks", "edit", id, "--project", "Nope"}, {"blocks", "edit", id}, {"blocks", "approve", "zzzz"}, {"blocks", "restore", "zzzz"}} {
		if _, errOut, code := u.run("", args...); code != 2 || !strings.Contains(errOut, "aw-timetracker blocks "+args[1]+":") ||
			!strings.Contains(errOut, "nothing was changed") {
			t.Errorf("%v: %d %s", args, code, errOut)
		}
	}
	if after, _, _ := u.run("", "blocks", "list", "--format", "json"); after != out {
		t.Errorf("bad input changed the blocks:\n%s\nwas\n%s", after, out)
	}
}
