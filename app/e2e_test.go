package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// The end-to-end tests build the real binary and a fake aw-server, and run
// both as separate processes with empty XDG folders, as a new user would.

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "aw-timetracker-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	for out, pkg := range map[string]string{"aw-timetracker": ".", "awfake": "../internal/awfake/cmd/awfake", "ttfake": "../internal/ttfake/cmd/ttfake"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, out), pkg)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building", pkg, err)
			os.Exit(1)
		}
	}
	// The binaries and this process read English, whatever the machine's
	// language (the tests check the English words).
	os.Setenv("LANGUAGE", "en")
	os.Setenv("LC_ALL", "")
	os.Setenv("LC_MESSAGES", "en_US.UTF-8")
	if err := i18n.Use("en"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type user struct {
	t   *testing.T
	env []string
	dir string
}

func newUser(t *testing.T) *user {
	dir := t.TempDir()
	env := append(os.Environ(), "XDG_DATA_HOME="+dir+"/data", "XDG_STATE_HOME="+dir+"/state",
		"XDG_CONFIG_HOME="+dir+"/config", "XDG_CACHE_HOME="+dir+"/cache", "XDG_RUNTIME_DIR="+dir+"/run", "TZ=UTC")
	return &user{t: t, env: env, dir: dir}
}

// run runs the binary and returns stdout, stderr and the exit code.
func (u *user) run(stdin string, args ...string) (string, string, int) {
	u.t.Helper()
	cmd := exec.Command(filepath.Join(binDir, "aw-timetracker"), args...)
	cmd.Env = u.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		u.t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// startFake runs the fake aw-server as its own process.
func startFake(t *testing.T, args ...string) string {
	return startServer(t, "awfake", nil, args...)
}

// startServer runs one of the fake servers as its own process.
func startServer(t *testing.T, name string, env []string, args ...string) string {
	t.Helper()
	urlFile := filepath.Join(t.TempDir(), "url")
	cmd := exec.Command(filepath.Join(binDir, name), append([]string{"-addr", "127.0.0.1:0", "-url-file", urlFile}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; i < 200; i++ {
		if b, err := os.ReadFile(urlFile); err == nil && len(b) > 0 {
			return string(b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("fake aw-server did not start")
	return ""
}

type jsonEntry struct {
	StartTime       string `json:"start_time"`
	EndTime         string `json:"end_time"`
	DurationSeconds int64  `json:"duration_seconds"`
	Notes           string `json:"notes"`
	Source          string `json:"source"`
	Bucket          string `json:"bucket"`
	Project         string `json:"project"`
}

func TestSetupSyncGrowSyncEntries(t *testing.T) {
	for _, flavour := range []string{"python", "rust"} {
		t.Run(flavour, func(t *testing.T) {
			aw := startFake(t, "-flavour", flavour)
			u := newUser(t)

			out, errOut, code := u.run("", "setup", "--aw-url", aw, "--timezone", "Europe/Berlin", "--default-project", "Deep work", "--auto-sync", "hourly")
			if code != 0 || !strings.Contains(out, "Connected to ActivityWatch v0.13.2") || !strings.Contains(out, "Created project \"Deep work\"") {
				t.Fatalf("setup: %d\n%s%s", code, out, errOut)
			}
			for _, b := range []string{"aw-watcher-window_devbox", "aw-watcher-web-chrome_devbox", "aw-watcher-web-firefox"} {
				if !strings.Contains(out, "import: "+b) {
					t.Errorf("setup does not list %s:\n%s", b, out)
				}
			}
			if strings.Contains(out, "afk") || strings.Contains(out, "vscode") {
				t.Errorf("setup selected afk or vscode:\n%s", out)
			}

			sync := []string{"sync", "--from", "2026-03-26", "--to", "2026-03-29"}
			out, errOut, code = u.run("", sync...)
			if code != 0 || !strings.HasPrefix(out, "Imported 231 events, skipped 0.") {
				t.Fatalf("first sync: %d\n%s%s", code, out, errOut)
			}
			out, _, code = u.run("", sync...)
			if code != 0 || !strings.HasPrefix(out, "Imported 0 events, skipped 231.") {
				t.Fatalf("second sync: %d\n%s", code, out)
			}

			// aw-watcher-window keeps sending heartbeats: the newest event grows.
			hb := `{"timestamp": "2026-03-29T01:42:10Z", "duration": 0, "data": {"app": "Code", "title": "dst_test.go - aw-timesync - Visual Studio Code"}}`
			resp, err := http.Post(aw+"/api/0/buckets/aw-watcher-window_devbox/heartbeat?pulsetime=60", "application/json", strings.NewReader(hb))
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("heartbeat: %v %v", resp, err)
			}
			resp.Body.Close()
			out, _, code = u.run("", sync...)
			if code != 0 || !strings.HasPrefix(out, "Imported 0 events, skipped 230. Updated 1.") {
				t.Fatalf("sync after growth: %d\n%s", code, out)
			}

			out, _, code = u.run("", "entries", "--from", "2026-03-27", "--to", "2026-03-29", "--format", "json")
			var entries []jsonEntry
			if err := json.Unmarshal([]byte(out), &entries); err != nil || code != 0 {
				t.Fatalf("entries: %d %v\n%.500s", code, err, out)
			}
			if len(entries) != 231 {
				t.Fatalf("%d entries, want 231", len(entries))
			}
			var newest []jsonEntry
			for _, e := range entries {
				if e.Source != "auto" || e.Project != "Deep work" {
					t.Fatalf("entry %+v: want source auto, project Deep work", e)
				}
				if strings.HasPrefix(e.StartTime, "2026-03-29T01:33:46") {
					newest = append(newest, e)
				}
			}
			// Exactly one entry for the grown event, with its final length:
			// 00:33:46.610Z to the heartbeat at 01:42:10Z is 4103.39 s.
			if len(newest) != 1 || newest[0].DurationSeconds != 4103 ||
				newest[0].StartTime != "2026-03-29T01:33:46+01:00" || newest[0].EndTime != "2026-03-29T03:42:09+02:00" {
				t.Errorf("grown event entries: %+v", newest)
			}

			out, _, _ = u.run("", "status")
			for _, want := range []string{"(active)", "Entries:         231", "Auto sync:       hourly", "Default project: Deep work", "Time zone:       Europe/Berlin", "Last sync:"} {
				if !strings.Contains(out, want) {
					t.Errorf("status lacks %q:\n%s", want, out)
				}
			}
			out, _, _ = u.run("", "entries", "--from", "2026-03-29", "--format", "csv")
			if !strings.HasPrefix(out, "id,start_time,end_time,duration_seconds,project,notes,source,bucket\n") || strings.Count(out, "\n") != 25 {
				t.Errorf("csv for 29 March (24 entries):\n%.400s", out)
			}

			// Window titles and URLs stay out of the log at the default level.
			logText, err := os.ReadFile(filepath.Join(u.dir, "state", "aw-timetracker", "aw-timetracker.log"))
			if err != nil || !strings.Contains(string(logText), "sync finished") {
				t.Fatalf("log: %v\n%s", err, logText)
			}
			if strings.Contains(string(logText), "Visual Studio Code") || strings.Contains(string(logText), "https://") {
				t.Errorf("the log holds titles or URLs:\n%s", logText)
			}
			fi, err := os.Stat(filepath.Join(u.dir, "data", "aw-timetracker", "aw-timetracker.db"))
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("database file: %v %v", fi, err)
			}
		})
	}
}

func TestSetupFailuresAreClear(t *testing.T) {
	aw := startFake(t)
	u := newUser(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"lookback 0", []string{"setup", "--aw-url", aw, "--lookback-days", "0"}, exitUsage, "lookback days: 0 is out of range: choose 1 to 90"},
		{"lookback 91", []string{"setup", "--aw-url", aw, "--lookback-days", "91"}, exitUsage, "lookback days: 91 is out of range"},
		{"lookback word", []string{"setup", "--lookback-days", "seven"}, exitUsage, `lookback days: "seven" is not a whole number`},
		{"no scheme", []string{"setup", "--aw-url", "localhost:5600"}, exitUsage, `"localhost:5600" is not a server URL`},
		{"unknown zone", []string{"setup", "--timezone", "Mars/Olympus"}, exitUsage, `"Mars/Olympus" is not a known time zone`},
		{"bad schedule", []string{"setup", "--auto-sync", "weekly"}, exitUsage, `"weekly" is not a sync schedule`},
		{"unknown flag", []string{"setup", "--colour", "red"}, exitUsage, "unknown flag -colour"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"sync before setup", []string{"sync"}, exitFailed, "ActivityWatch is not set up yet"},
		{"full and scheduled", []string{"sync", "--full", "--scheduled"}, exitUsage, "choose one of --full and --scheduled"},
		{"missing buckets", []string{"setup", "--aw-url", aw, "--buckets", "nope, nada"}, exitFailed,
			"None of the configured bucket_ids exist. Available: ['aw-watcher-afk_devbox', 'aw-watcher-vscode_devbox', 'aw-watcher-web-chrome_devbox', 'aw-watcher-web-firefox', 'aw-watcher-window_devbox']."},
		{"unreachable", []string{"setup", "--aw-url", "http://127.0.0.1:9", "--buckets", ""}, exitFailed,
			"ActivityWatch is not reachable at http://127.0.0.1:9 (is aw-server running?)"},
		{"bad entries format", []string{"entries", "--format", "xml"}, exitUsage, `--format "xml" is not one of table, csv, json`},
		{"bad entries date", []string{"entries", "--from", "yesterday"}, exitUsage, `"yesterday" is not a date`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := u.run("", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, want %d; stderr:\n%s\nstdout:\n%s\nwant %q", code, tt.code, errOut, out, tt.want)
			}
		})
	}
	// The failed setup was saved, inactive, with its reason; sync says why.
	out, _, _ := u.run("", "status")
	if !strings.Contains(out, "http://127.0.0.1:9 (inactive") || !strings.Contains(out, "Last error:      ActivityWatch is not reachable") {
		t.Errorf("status after a failed setup:\n%s", out)
	}
	_, errOut, code := u.run("", "sync")
	if code != exitFailed || !strings.Contains(errOut, "not reachable at http://127.0.0.1:9") || strings.Contains(errOut, "panic") {
		t.Errorf("sync against a dead server: %d\n%s", code, errOut)
	}
}

func TestAPIKeyFromStdinNeverInArgv(t *testing.T) {
	os.Setenv("AWFAKE_KEY", "k3y-from-stdin")
	aw := startFake(t, "-flavour", "rust", "-api-key-env", "AWFAKE_KEY")
	u := newUser(t)
	_, errOut, code := u.run("", "setup", "--aw-url", aw)
	if code != exitFailed || !strings.Contains(errOut, "401") || !strings.Contains(errOut, "API key") {
		t.Fatalf("without key: %d %s", code, errOut)
	}
	out, errOut, code := u.run("k3y-from-stdin\n", "setup", "--aw-api-key-stdin")
	if code != 0 {
		t.Fatalf("with key: %d %s %s", code, out, errOut)
	}
	out, _, _ = u.run("", "status")
	if !strings.Contains(out, "API key:         set") || strings.Contains(out, "k3y") {
		t.Errorf("status shows the key or not its presence:\n%s", out)
	}
	logText, _ := os.ReadFile(filepath.Join(u.dir, "state", "aw-timetracker", "aw-timetracker.log"))
	if strings.Contains(string(logText), "k3y") {
		t.Error("the API key is in the log")
	}
}

func TestHelp(t *testing.T) {
	u := newUser(t)
	for _, c := range commands() {
		_, errOut, code := u.run("", c.name, "--help")
		if code != 0 || (c.name != "version" && !strings.Contains(errOut, "Usage: aw-timetracker "+c.name)) {
			t.Errorf("%s --help: %d\n%s", c.name, code, errOut)
		}
	}
	out, _, code := u.run("", "help")
	if code != 0 || !strings.Contains(out, "setup") || !strings.Contains(out, "daemon") {
		t.Errorf("help: %d\n%s", code, out)
	}
	// A subcommand's --help shows help (its own, or its command's), exit 0,
	// and runs nothing.
	for _, args := range [][]string{{"away", "book", "--help"}, {"away", "ignore", "-h"}, {"projects", "set", "--help"},
		{"pin", "off", "--help"}, {"pin", "status", "--help"}, {"remote", "map", "--help"}, {"remote", "projects", "--help"},
		{"rules", "remove", "--help"}, {"help", "sync"}, {"help", "help"}, {"--help", "--help"}, {"help", "-h"}} {
		out, errOut, code := u.run("", args...) // the general help goes to stdout
		if code != 0 || !strings.Contains(out+errOut, "Usage:") {
			t.Errorf("%v: %d\n%s", args, code, errOut)
		}
	}
	for _, arg := range []string{"version", "--version"} {
		if out, errOut, code := u.run("", arg); code != 0 || !strings.HasPrefix(out, "aw-timetracker ") || errOut != "" {
			t.Errorf("%s: %d %q %q", arg, code, out, errOut)
		}
	}
}

// Each command's --help speaks the person's language too: in German no
// English description is left, and the flags' value kinds and defaults
// are worded in German (the JSON field names and flag names stay).
func TestHelpInGerman(t *testing.T) {
	u := newUser(t)
	u.env = append(u.env, "LANGUAGE=de", "LC_MESSAGES=de_DE.UTF-8", "AW_TIMETRACKER_SYSTEM_LANGUAGE=de") // a German desktop
	english := regexp.MustCompile(`Usage:|Flags:|\(default |output format|first day|the TimeTracker task|regex on`)
	for _, args := range [][]string{{"entries"}, {"report"}, {"setup"}, {"sync"}, {"push"}, {"rules", "add"}, {"rules"},
		{"blocks"}, {"remote"}, {"remote", "setup"}, {"pin", "list"}, {"away"}, {"projects", "set", "Go"}, {"doctor"}} {
		_, errOut, code := u.run("", append(args, "--help")...)
		if code != 0 || !strings.Contains(errOut, "Aufruf: aw-timetracker "+args[0]) || english.MatchString(errOut) {
			t.Errorf("%v --help: %d\n%s", args, code, errOut)
		}
	}
	_, errOut, _ := u.run("", "entries", "--help")
	if !strings.Contains(errOut, "Optionen:") || !strings.Contains(errOut, "-format Text") || !strings.Contains(errOut, `(Standard: "table")`) {
		t.Errorf("entries --help:\n%s", errOut)
	}

	// On an English desktop, German chosen in the settings: every --help
	// and help speak it, before any flag is read.
	en := newUser(t)
	if _, errOut, _ := en.run("", "entries", "--help"); !strings.Contains(errOut, "Usage: aw-timetracker entries") {
		t.Errorf("English desktop, nothing saved:\n%s", errOut)
	}
	if _, err := os.Stat(filepath.Join(en.dir, "data", "aw-timetracker", "aw-timetracker.db")); err == nil {
		t.Error("a --help created the database")
	}
	en.run("", "setup", "--aw-url", "http://127.0.0.1:1", "--language", "de") // not reachable: saved, inactive
	for _, args := range [][]string{{"entries", "--help"}, {"sync", "--help"}, {"blocks", "--help"}, {"remote", "--help"}} {
		if _, errOut, _ := en.run("", args...); !strings.Contains(errOut, "Aufruf: aw-timetracker "+args[0]) {
			t.Errorf("German saved, %v:\n%s", args, errOut)
		}
	}
	if out, _, _ := en.run("", "help"); !strings.Contains(out, "Befehle:") {
		t.Errorf("German saved, help:\n%s", out)
	}
}

// Errors say what to do in the terminal's words, and a push with nothing
// set up prints no summary before its error.
func TestCLIAdvice(t *testing.T) {
	u := newUser(t)
	out, errOut, code := u.run("", "push")
	if code != exitFailed || out != "" || errOut != "aw-timetracker: no TimeTracker is set up: run `aw-timetracker remote setup --url URL`\n" {
		t.Errorf("push without a remote: %d %q %q", code, out, errOut)
	}
	out, errOut, code = u.run("", "sync")
	if code != exitFailed || !strings.Contains(errOut, "ActivityWatch is not set up yet: run `aw-timetracker setup --aw-url") {
		t.Errorf("sync before setup: %d %q %q", code, out, errOut)
	}
}

// With a daemon running, `sync` and `push` drive its engine over the
// control socket instead of syncing beside it.
func TestCLIDrivesTheRunningDaemon(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	u := newUser(t)
	if _, errOut, code := u.run("", "setup", "--aw-url", aw); code != 0 {
		t.Fatal(errOut)
	}
	d := exec.Command(filepath.Join(binDir, "aw-timetracker"), "daemon")
	d.Env = u.env
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Process.Signal(os.Interrupt); _ = d.Wait() })
	sock := filepath.Join(u.dir, "run", "aw-timetracker", "control.sock")
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	u.env = append(u.env, "AW_TIMETRACKER_LOG=debug")
	out, errOut, code := u.run("", "sync")
	if code != 0 || !strings.HasPrefix(out, "Imported 231 events") {
		t.Fatalf("sync through the daemon: %d %s%s", code, out, errOut)
	}
	log, err := os.ReadFile(filepath.Join(u.dir, "state", "aw-timetracker", "aw-timetracker.log"))
	if err != nil || !strings.Contains(string(log), "driving the running app over the control socket") {
		t.Errorf("the CLI did not go through the daemon (%v):\n%s", err, log)
	}
	_, errOut, code = u.run("", "push")
	if code != exitFailed || !strings.Contains(errOut, "no TimeTracker is set up") {
		t.Errorf("push through the daemon without a remote: %d %s", code, errOut)
	}
}

// doctor: one line a check; a failing check (no tray host here) exits 1.
func TestDoctor(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	tt := startServer(t, "ttfake", []string{"TT_TOKEN=" + e2eToken}, "-projects", "Deep work")
	u := newUser(t)
	u.run("", "setup", "--aw-url", aw)
	u.run("", "sync", "--quiet")
	u.run(e2eToken+"\n", "remote", "setup", "--url", tt, "--project", "Deep work")
	u.env = append(u.env, "DBUS_SESSION_BUS_ADDRESS=")
	out, errOut, code := u.run("", "doctor")
	for _, w := range []string{"✓ ActivityWatch: v0.13.2 on devbox at " + aw, "✓ Buckets: aw-watcher-web-chrome_devbox, aw-watcher-web-firefox, aw-watcher-window_devbox",
		"✓ Last sync: less than a minute ago (success)", "✓ Database: ", "integrity ok", "✗ Tray: no D-Bus session bus", "✓ Start at login: off",
		"✓ TimeTracker: 5.10.0 at " + tt + " (time zone Europe/Rome)", "✓ Token scopes: read:projects, read:time_entries, write:time_entries",
		"✓ Token kept in: "} {
		if !strings.Contains(out, w) {
			t.Errorf("doctor lacks %q:\n%s%s", w, out, errOut)
		}
	}
	if code != exitFailed {
		t.Errorf("exit %d with a failing check", code)
	}
}

// Sync Now reads what was not read yet (nothing, when no bucket changed)
// and says so; --full reads the lookback window again.
func TestCLISyncNowFromTheCursor(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	u := newUser(t)
	if _, errOut, code := u.run("", "setup", "--aw-url", aw, "--lookback-days", "3"); code != 0 {
		t.Fatal(errOut)
	}
	steps := []struct {
		args   []string
		prefix string
		line   string // a line of what was read
	}{
		{[]string{"sync"}, "Imported 231 events, skipped 0.", "\n  read "},
		{[]string{"sync"}, "Imported 0 events, skipped 0.", "\n  nothing new: no bucket changed since the last sync (--full reads the whole lookback window again)\n"},
		{[]string{"sync", "--full"}, "Imported 0 events, skipped 231.", "\n  read "},
	}
	for _, s := range steps {
		out, errOut, code := u.run("", s.args...)
		if code != 0 || !strings.HasPrefix(out, s.prefix) || !strings.Contains(out, s.line) || strings.Contains(out, "what was not read yet") {
			t.Errorf("%v: exit %d\n%s%s\nwant %q and %q", s.args, code, out, errOut, s.prefix, s.line)
		}
	}
}

// Every field a --format json output prints is named in that command's
// --help (the outputs are contracts people script against).
func TestJSONFieldsAreDocumented(t *testing.T) {
	aw := startFake(t, "-shift-to-now")
	u := newUser(t)
	if out, errOut, code := u.run("", "setup", "--aw-url", aw, "--default-project", "Deep work"); code != 0 {
		t.Fatalf("setup: %s%s", out, errOut)
	}
	u.run("", "sync")
	u.run("", "rules", "add", "--project", "Deep work", "--app", "^Code$", "--task", "Build", "--billable", "no", "--tags", "x")
	u.run("", "pin", "Deep work", "--until", time.Now().Add(24*time.Hour).UTC().Format("2006-01-02 15:04")) // the e2e zone is UTC
	for _, c := range []struct{ run, help []string }{
		{[]string{"entries", "--format", "json"}, []string{"entries", "--help"}},
		{[]string{"report", "--format", "json"}, []string{"report", "--help"}},
		{[]string{"rules", "list", "--format", "json"}, []string{"rules", "--help"}},
		{[]string{"pin", "list", "--format", "json"}, []string{"pin", "--help"}},
	} {
		out, errOut, code := u.run("", c.run...)
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil || len(rows) == 0 {
			t.Errorf("%v: %d %v %s%s", c.run, code, err, out, errOut)
			continue
		}
		_, help, _ := u.run("", c.help...)
		for k := range rows[0] {
			if !strings.Contains(help, `"`+k+`"`) {
				t.Errorf("%v prints %q, which %v does not name", c.run, k, c.help)
			}
		}
	}
}
