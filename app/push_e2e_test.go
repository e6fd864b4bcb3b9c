package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const e2eToken = "tt_e2eE2Ee2eE2Ee2eE2Ee2eE2Ee2eE2Ee"

func TestRemoteSetupPushAndStatus(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	tt := startServer(t, "ttfake", []string{"TT_TOKEN=" + e2eToken}, "-projects", "Deep work,Meetings")
	u := newUser(t)
	if out, errOut, code := u.run("", "setup", "--aw-url", aw); code != 0 {
		t.Fatalf("setup: %s%s", out, errOut)
	}
	if out, errOut, code := u.run("", "sync"); code != 0 || !strings.HasPrefix(out, "Imported 231 events") {
		t.Fatalf("sync: %d %s%s", code, out, errOut)
	}

	// Failures first: each one says what is wrong.
	_, errOut, code := u.run("tt_wrongwrongwrongwrongwrongwrong00\n", "remote", "setup", "--url", tt, "--project", "Deep work")
	if code != exitFailed || !strings.Contains(errOut, "refused the API token: Token not found") {
		t.Errorf("bad token: %d %s", code, errOut)
	}
	_, errOut, code = u.run(e2eToken+"\n", "remote", "setup", "--url", tt, "--project", "Nope")
	if code != exitUsage || !strings.Contains(errOut, `no TimeTracker project "Nope"`) || !strings.Contains(errOut, "1 Deep work") ||
		!strings.Contains(errOut, "nothing was changed") { // bad input: nothing saved
		t.Errorf("unknown project: %d %s", code, errOut)
	}
	_, errOut, code = u.run(e2eToken+"\n", "remote", "setup", "--url", aw, "--project", "Deep work")
	if code != exitFailed || !strings.Contains(errOut, "is it a TimeTracker server") {
		t.Errorf("not a TimeTracker: %d %s", code, errOut)
	}
	_, errOut, code = u.run(e2eToken+"\n", "remote", "setup", "--url", tt, "--push", "sometimes")
	if code != exitUsage || !strings.Contains(errOut, `"sometimes" is not auto or review`) {
		t.Errorf("bad mode: %d %s", code, errOut)
	}

	out, errOut, code := u.run(e2eToken+"\n", "remote", "setup", "--url", tt, "--project", "Deep work")
	if code != 0 || !strings.Contains(out, "Connected to TimeTracker 5.10.0") || !strings.Contains(out, "Default project: Deep work (#1)") {
		t.Fatalf("remote setup: %d %s%s", code, out, errOut)
	}
	// Headless: no keyring service, so the token is in a private file, with a warning.
	if !strings.Contains(errOut, "readable only by you") {
		t.Errorf("no keyring warning: %s", errOut)
	}

	out, _, code = u.run("", "push", "--dry-run")
	m := regexp.MustCompile(`(\d+) blocks would be sent`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("dry run: %d %s", code, out)
	}
	want, _ := strconv.Atoi(m[1])
	if want < 5 {
		t.Fatalf("dry run offers %d blocks", want)
	}
	out, errOut, code = u.run("", "push")
	if code != 0 || !strings.HasPrefix(out, "Pushed "+m[1]+" new blocks, updated 0; 0 failed, 0 in conflict") {
		t.Fatalf("push: %d %s%s", code, out, errOut)
	}
	out, _, code = u.run("", "push")
	if code != 0 || !strings.HasPrefix(out, "Pushed 0 new blocks, updated 0; 0 failed, 0 in conflict") {
		t.Fatalf("second push: %d %s", code, out)
	}
	out, _, _ = u.run("", "remote", "status")
	for _, w := range []string{"(active)", "time zone Europe/Rome", "Default project: Deep work (#1)", "Last push:", "(success)", m[1] + " pushed"} {
		if !strings.Contains(out, w) {
			t.Errorf("remote status lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, e2eToken) {
		t.Error("remote status shows the token")
	}
}

// Window titles and URLs are private: even at debug level, through setup,
// sync, privacy rules, a push and doctor, the log file holds none of them.
func TestDebugLogHoldsNoTitlesOrURLs(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	tt := startServer(t, "ttfake", []string{"TT_TOKEN=" + e2eToken}, "-projects", "Deep work")
	u := newUser(t)
	u.env = append(u.env, "AW_TIMETRACKER_LOG=debug")
	steps := [][]string{
		{"setup", "--aw-url", aw},
		{"sync"},
		{"projects", "add", "Code"},
		{"rules", "add", "--project", "Code", "--app", "^Code$"},
		{"rules", "add", "--exclude", "--title", "KeePassXC"},
		{"rules", "add", "--redact", "--url", "mail\\.google\\.com"},
		{"sync", "--full"},
		{"remote", "setup", "--url", tt, "--project", "Deep work"},
		{"push"},
		{"report"},
		{"doctor"},
	}
	for _, args := range steps {
		stdin := ""
		if args[0] == "remote" {
			stdin = e2eToken + "\n"
		}
		if out, errOut, code := u.run(stdin, args...); code != 0 && args[0] != "doctor" {
			t.Fatalf("%v: %d %s%s", args, code, out, errOut)
		}
	}
	log, err := os.ReadFile(filepath.Join(u.dir, "state", "aw-timetracker", "aw-timetracker.log"))
	if err != nil || !strings.Contains(string(log), `"message":"push finished"`) {
		t.Fatalf("no log (%v):\n%s", err, log)
	}
	for _, private := range []string{"Passwords.kdbx", "Invoice March 2026", "Tray total is off by one hour", "aw-timesync",
		"mail.google.com", "github.com/acme", "atlassian.net", "dev@example.com", e2eToken} {
		if strings.Contains(string(log), private) {
			t.Errorf("the log holds %q", private)
		}
	}
}

// A bad URL saves nothing (exit 2); a setup whose check fails keeps no
// token, and push then says the setup failed, not that no token exists.
func TestFailedRemoteSetupSaysWhatToDo(t *testing.T) {
	u := newUser(t)
	_, errOut, code := u.run(e2eToken+"\n", "remote", "setup", "--url", "127.0.0.1:1")
	if code != exitUsage || !strings.Contains(errOut, "is not a server URL") {
		t.Errorf("bad URL: %d %s", code, errOut)
	}
	if out, _, _ := u.run("", "remote", "status"); !strings.Contains(out, "not set up") {
		t.Errorf("a bad URL was saved:\n%s", out)
	}
	_, errOut, code = u.run(e2eToken+"\n", "remote", "setup", "--url", "http://127.0.0.1:1")
	if code != exitFailed || !strings.Contains(errOut, "settings saved, but the check failed") || !strings.Contains(errOut, "The token was not kept") {
		t.Errorf("unreachable: %d %s", code, errOut)
	}
	_, errOut, code = u.run("", "push")
	if code != exitFailed || !strings.Contains(errOut, "the last TimeTracker setup failed its check") || !strings.Contains(errOut, "run `aw-timetracker remote setup` again") {
		t.Errorf("push after a failed setup: %d %s", code, errOut)
	}
}
