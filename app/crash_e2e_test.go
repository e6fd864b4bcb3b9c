package main

import (
	"encoding/json"
	"math/rand"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// entriesKey is a run's entries without ids, sorted: what must be equal.
func entriesKey(t *testing.T, u *user) []string {
	t.Helper()
	out, errOut, code := u.run("", "entries", "--from", time.Now().AddDate(0, 0, -70).Format("2006-01-02"), "--to", time.Now().AddDate(0, 0, 1).Format("2006-01-02"), "--format", "json")
	if code != 0 {
		t.Fatalf("entries: %s", errOut)
	}
	var es []jsonEntry
	if err := json.Unmarshal([]byte(out), &es); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(es))
	for i, e := range es {
		keys[i] = strings.Join([]string{e.StartTime, e.EndTime, e.Notes, e.Bucket}, "|") + "|" + string(rune(e.DurationSeconds))
	}
	sort.Strings(keys)
	return keys
}

// killAfter starts the binary and kills it with SIGKILL after d (if it is
// still running), returning whether it was killed.
func (u *user) killAfter(d time.Duration, args ...string) bool {
	cmd := exec.Command(filepath.Join(binDir, "aw-timetracker"), args...)
	cmd.Env = u.env
	if err := cmd.Start(); err != nil {
		u.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return false
	case <-time.After(d):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return true
	}
}

// TestKillDuringSyncLosesNothing kills `sync` with SIGKILL at random points
// of a large first sync, again and again, then lets one finish: the entries
// must equal those of an uninterrupted run exactly.
func TestKillDuringSyncLosesNothing(t *testing.T) {
	aw := startFake(t, "-generate-days", "60")
	clean := newUser(t)
	crashy := newUser(t)
	for _, u := range []*user{clean, crashy} {
		if out, errOut, code := u.run("", "setup", "--aw-url", aw, "--lookback-days", "62"); code != 0 {
			t.Fatalf("setup: %s%s", out, errOut)
		}
	}
	if out, errOut, code := clean.run("", "sync"); code != 0 {
		t.Fatalf("clean sync: %s%s", out, errOut)
	}
	want := entriesKey(t, clean)
	if len(want) < 5000 {
		t.Fatalf("only %d entries: not a large sync", len(want))
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	kills := 0
	for i := 0; i < 8; i++ {
		if crashy.killAfter(time.Duration(30+rng.Intn(700))*time.Millisecond, "sync", "--quiet") {
			kills++
		}
	}
	out, errOut, code := crashy.run("", "sync")
	if code != 0 {
		t.Fatalf("final sync: %s%s", out, errOut)
	}
	got := entriesKey(t, crashy)
	if len(got) != len(want) {
		t.Fatalf("%d entries after %d kills, %d in a clean run", len(got), kills, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entry %d differs after %d kills:\n got %s\nwant %s", i, kills, got[i], want[i])
		}
	}
	if _, errOut, code := crashy.run("", "status"); code != 0 {
		t.Fatalf("status after kills: %s", errOut)
	}
	t.Logf("%d entries equal after %d kills", len(got), kills)
}

// TestKillDuringPushDoublesNothing kills `push` at random points, then
// lets one finish: every block is on the server exactly once.
func TestKillDuringPushDoublesNothing(t *testing.T) {
	aw := startFake(t, "-generate-days", "4")
	tt := startServer(t, "ttfake", []string{"TT_TOKEN=" + e2eToken}, "-projects", "Deep work", "-per-minute", "100000")
	u := newUser(t)
	if _, errOut, code := u.run("", "setup", "--aw-url", aw, "--lookback-days", "6"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := u.run("", "sync", "--quiet"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := u.run(e2eToken+"\n", "remote", "setup", "--url", tt, "--project", "Deep work",
		"--rate-per-minute", "50000", "--rate-per-hour", "500000"); code != 0 {
		t.Fatal(errOut)
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	kills := 0
	for i := 0; i < 6; i++ {
		if u.killAfter(time.Duration(20+rng.Intn(300))*time.Millisecond, "push") {
			kills++
		}
	}
	out, errOut, code := u.run("", "push")
	if code != 0 || !strings.Contains(out, "0 failed, 0 in conflict") {
		t.Fatalf("final push: %d %s%s", code, out, errOut)
	}
	status, _, _ := u.run("", "remote", "status")
	// The server refuses overlapping entries, so a doubled block would
	// show as a conflict; every block must be pushed, none failed.
	if strings.Contains(status, "conflict") || strings.Contains(status, "failed") || strings.Contains(status, "sending") {
		t.Fatalf("after %d kills:\n%s", kills, status)
	}
	again, _, _ := u.run("", "push")
	if !strings.HasPrefix(again, "Pushed 0 new blocks, updated 0") {
		t.Fatalf("a push after completion sent more: %s", again)
	}
	t.Logf("after %d kills: %s", kills, strings.TrimSpace(status))
}

// TestTwoDaemonsAtOnce: one runs, the other says so and exits.
func TestTwoDaemonsAtOnce(t *testing.T) {
	u := newUser(t)
	start := func() (*exec.Cmd, *strings.Builder) {
		cmd := exec.Command(filepath.Join(binDir, "aw-timetracker"), "daemon")
		cmd.Env = u.env
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &out
	}
	a, aOut := start()
	b, bOut := start()
	exited := make(chan *exec.Cmd, 2)
	for _, c := range []*exec.Cmd{a, b} {
		go func(c *exec.Cmd) { c.Wait(); exited <- c }(c)
	}
	var loser *exec.Cmd
	select {
	case loser = <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("neither daemon gave way")
	}
	winner, out := a, bOut.String()
	if loser == a {
		winner, out = b, aOut.String()
	}
	if loser.ProcessState.ExitCode() != exitFailed || !strings.Contains(out, "already running") {
		t.Errorf("the second daemon: exit %d, %q", loser.ProcessState.ExitCode(), out)
	}
	select {
	case <-exited:
		t.Fatal("both daemons exited")
	case <-time.After(300 * time.Millisecond):
	}
	winner.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		if code := winner.ProcessState.ExitCode(); code != 0 {
			t.Errorf("daemon exit on SIGTERM: %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the daemon did not stop on SIGTERM")
	}
}
