package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// fakeTrayHost owns org.kde.StatusNotifierWatcher on the session bus, as a
// desktop's tray does, and clicks menu items over com.canonical.dbusmenu.
type fakeTrayHost struct {
	conn *dbus.Conn
	reg  chan [2]string
}

func (h *fakeTrayHost) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	h.reg <- [2]string{string(sender), service}
	return nil
}

func (h *fakeTrayHost) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

func newFakeTrayHost(t *testing.T) *fakeTrayHost {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	h := &fakeTrayHost{conn: conn, reg: make(chan [2]string, 4)}
	if err := conn.Export(h, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning the watcher name: %v %v", reply, err)
	}
	return h
}

type menuItem struct {
	ID      int32
	Label   string
	Enabled bool
	Checked bool
}

// menu reads the registered item's menu layout.
func (h *fakeTrayHost) menu(t *testing.T, item [2]string) (dbus.BusObject, []menuItem) {
	t.Helper()
	obj := h.conn.Object(item[0], dbus.ObjectPath(item[1]))
	mp, err := obj.GetProperty("org.kde.StatusNotifierItem.Menu")
	if err != nil {
		t.Fatal(err)
	}
	m := h.conn.Object(item[0], mp.Value().(dbus.ObjectPath))
	var rev uint32
	var layout struct {
		ID    int32
		Props map[string]dbus.Variant
		Kids  []dbus.Variant
	}
	if err := m.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &layout); err != nil {
		t.Fatal(err)
	}
	var items []menuItem
	for _, k := range layout.Kids {
		parts := k.Value().([]interface{})
		props := parts[1].(map[string]dbus.Variant)
		it := menuItem{ID: parts[0].(int32), Enabled: true}
		if l, ok := props["label"]; ok {
			it.Label = l.Value().(string)
		}
		if e, ok := props["enabled"]; ok {
			it.Enabled = e.Value().(bool)
		}
		if c, ok := props["toggle-state"]; ok {
			it.Checked = c.Value().(int32) == 1
		}
		if v, ok := props["visible"]; ok && !v.Value().(bool) {
			continue
		}
		items = append(items, it)
	}
	return m, items
}

func (h *fakeTrayHost) click(t *testing.T, item [2]string, label string) {
	t.Helper()
	m, items := h.menu(t, item)
	for _, it := range items {
		if it.Label == label {
			if err := m.Call("com.canonical.dbusmenu.Event", 0, it.ID, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())).Err; err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no menu item %q in %+v", label, items)
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func entryCount(t *testing.T, dbPath string) int {
	st, err := store.Open(context.Background(), dbPath)
	if err != nil {
		return -1
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		return -1
	}
	return int(s.Count)
}

// TestTrayEndToEnd runs the real app under Xvfb on a private session bus
// (make test runs it with xvfb-run and dbus-run-session).
func TestTrayEndToEnd(t *testing.T) {
	// Opt-in: it takes over the tray host name on the session bus, which
	// must be a private one (make test-gui starts one under Xvfb).
	if os.Getenv("AWTT_GUI_E2E") == "" || os.Getenv("DISPLAY") == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("set AWTT_GUI_E2E=1 and run under xvfb-run dbus-run-session (make test-gui does)")
	}
	aw := startFake(t, "-shift-to-now")
	u := newUser(t)
	runtimeDir, err := os.MkdirTemp("", "awtt-run")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(runtimeDir)
	os.Chmod(runtimeDir, 0o700)
	u.env = append(u.env, "XDG_RUNTIME_DIR="+runtimeDir, "LANG=en_US.UTF-8")
	if out, errOut, code := u.run("", "setup", "--aw-url", aw, "--lookback-days", "14"); code != 0 {
		t.Fatalf("setup: %s%s", out, errOut)
	}
	host := newFakeTrayHost(t)

	app := exec.Command(filepath.Join(binDir, "aw-timetracker"), "--background")
	app.Env = u.env
	var appOut strings.Builder
	app.Stdout, app.Stderr = &appOut, &appOut
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		if app.ProcessState == nil {
			app.Process.Kill()
		}
	}()

	var item [2]string
	select {
	case item = <-host.reg:
	case <-time.After(15 * time.Second):
		t.Fatalf("the app never registered a tray item; output:\n%s", appOut.String())
	}
	_, items := host.menu(t, item)
	var labels []string
	for _, it := range items {
		labels = append(labels, it.Label)
	}
	want := "Not synced yet||Sync Now|Push now|Entries…|Report…|Settings…|Working on…||Pause auto sync|Start at login||Open data folder|Open log file||Quit"
	if got := strings.Join(labels, "|"); got != want {
		t.Errorf("menu = %s\nwant   %s", got, want)
	}

	dbPath := filepath.Join(u.dir, "data", "aw-timetracker", "aw-timetracker.db")
	host.click(t, item, "Sync Now")
	waitFor(t, "entries after Sync Now", 20*time.Second, func() bool { return entryCount(t, dbPath) == 231 })
	waitFor(t, "the status line after the sync", 10*time.Second, func() bool {
		_, items := host.menu(t, item)
		return strings.HasPrefix(items[0].Label, "Last sync ") && strings.HasSuffix(items[0].Label, " · 231 new") && !items[0].Enabled
	})
	// The sync found time away no one answered for: the tray says so.
	waitFor(t, "the unanswered absence in the menu", 10*time.Second, func() bool {
		_, items := host.menu(t, item)
		return len(items) > 1 && strings.HasPrefix(items[1].Label, "Away ") && strings.HasSuffix(items[1].Label, " unanswered…")
	})

	// Start at login: the check reflects the real autostart file.
	host.click(t, item, "Start at login")
	autostartFile := filepath.Join(u.dir, "config", "autostart", "aw-timetracker.desktop")
	waitFor(t, "the autostart file", 5*time.Second, func() bool { _, err := os.Stat(autostartFile); return err == nil })
	waitFor(t, "the ticked login item", 5*time.Second, func() bool {
		_, items := host.menu(t, item)
		for _, it := range items {
			if it.Label == "Start at login" {
				return it.Checked
			}
		}
		return false
	})
	body, _ := os.ReadFile(autostartFile)
	if !strings.Contains(string(body), "Exec=") || !strings.Contains(string(body), " --background") {
		t.Errorf("autostart file:\n%s", body)
	}

	// A language chosen while the tray runs (here by the CLI, through the
	// running app's engine) is the menu's at once, and back.
	for _, l := range []struct{ code, sync string }{{"de", "Jetzt synchronisieren"}, {"en", "Sync Now"}} {
		if out, errOut, code := u.run("", "setup", "--language", l.code); code != 0 {
			t.Fatalf("setup --language %s: %s%s", l.code, out, errOut)
		}
		waitFor(t, "the menu in "+l.code, 10*time.Second, func() bool {
			_, items := host.menu(t, item)
			for _, it := range items {
				if it.Label == l.sync {
					return true
				}
			}
			return false
		})
	}

	// A second start opens the settings window of the first and exits.
	out, errOut, code := u.run("")
	if code != 0 || !strings.Contains(out, "already running; its settings window was opened") {
		t.Errorf("second start: %d %s %s", code, out, errOut)
	}
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(u.dir, "state", "aw-timetracker", "aw-timetracker.log"))
			t.Logf("app output:\n%s\nlog:\n%s", appOut.String(), b)
		}
	}()
	logPath := filepath.Join(u.dir, "state", "aw-timetracker", "aw-timetracker.log")
	waitFor(t, "the settings window", 20*time.Second, func() bool {
		b, _ := os.ReadFile(logPath)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, `"window":"settings"`) && strings.Contains(line, `"message":"window shown"`) {
				return true
			}
		}
		return false
	})
	time.Sleep(2 * time.Second) // let it draw
	if imp, err := exec.LookPath("import"); err == nil {
		shot := filepath.Join(testOutputDir(t), "settings-window.png")
		if out, err := exec.Command(imp, "-window", "root", shot).CombinedOutput(); err != nil {
			t.Logf("screenshot failed: %v %s", err, out)
		} else {
			t.Logf("screenshot: %s", shot)
		}
	}

	host.click(t, item, "Quit")
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, appOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the app did not quit; output:\n%s", appOut.String())
	}
	st, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
	if strings.Contains(appOut.String(), "panic") {
		t.Errorf("output has a panic:\n%s", appOut.String())
	}
}

// testOutputDir is where screenshots go: $TEST_OUTPUT_DIR, else a temp dir.
func testOutputDir(t *testing.T) string {
	if d := os.Getenv("TEST_OUTPUT_DIR"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	d := filepath.Join(os.TempDir(), fmt.Sprintf("aw-timetracker-e2e-%d", os.Getpid()))
	os.MkdirAll(d, 0o755)
	return d
}

func TestNoDisplayIsOneClearLine(t *testing.T) {
	u := newUser(t)
	var env []string
	for _, kv := range u.env {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	u.env = env
	out, errOut, code := u.run("")
	if code != exitFailed || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "aw-timetracker daemon") || strings.Contains(errOut, "panic") {
		t.Errorf("no display: %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}
