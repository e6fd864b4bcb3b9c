package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/assets"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/ui"
)

// runWindow is the child process that shows the settings and entries
// windows. It reads window names from stdin (one per line) and exits when
// its last window closes or stdin ends.
func runWindow(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if msg := desktopMissing(); msg != "" {
		fmt.Fprintln(stderr, "aw-timetracker:", msg)
		return exitFailed
	}
	env, err := newCLIEnv(stdin, stdout, stderr, false)
	if err != nil {
		fmt.Fprintln(stderr, "aw-timetracker:", err)
		return exitFailed
	}
	defer env.Close()
	_, st, err := env.awState(ctx)
	if err != nil {
		return env.fail(err)
	}
	// Decided once: the tray's engine when it answers (it started us), else
	// one here, so the windows work without a tray too.
	backend, err := env.core(ctx)
	if err != nil {
		return env.fail(err)
	}
	defer backend.Close()

	a := fyneapp.NewWithID(appID)
	icon := fyne.NewStaticResource("icon.png", assets.AppIcon)
	a.SetIcon(icon)
	w := &windows{app: a, backend: backend, loc: st.Config.Location(), open: map[string]fyne.Window{}, log: env.log}

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdin)
		for sc.Scan() {
			lines <- strings.TrimSpace(sc.Text())
		}
		close(lines)
	}()
	go func() {
		for name := range lines {
			name := name
			fyne.Do(func() { w.show(name) })
		}
		fyne.Do(a.Quit) // the tray quit (or the person ran this by hand and closed stdin)
	}()
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	for _, name := range args {
		name := name
		a.Lifecycle().SetOnStarted(func() { w.show(name) })
	}
	a.Run()
	return exitOK
}

// windows tracks the open windows of the child process.
type windows struct {
	app     fyne.App
	backend ui.Backend
	loc     *time.Location
	open    map[string]fyne.Window
	log     zerolog.Logger
	// The settings window's tabs and Rules tab, while it is open.
	settingsTabs *container.AppTabs
	rulesTab     *ui.RulesTab
	entries      *ui.Entries // the entries window, while it is open
	firstDay     time.Time   // the day a new entries window opens on (zero: today)
}

// showDay opens the entries window (or raises it) at day.
func (w *windows) showDay(day time.Time) {
	if w.entries != nil {
		w.show("entries")
		w.entries.ShowDay(day)
		return
	}
	w.firstDay = day // the new window opens on it, read once
	w.show("entries")
}

func (w *windows) show(name string) {
	if win, ok := w.open[name]; ok {
		win.Show()
		win.RequestFocus()
		w.log.Info().Str("window", name).Msg("window raised")
		return
	}
	var win fyne.Window
	// One context a window: what it started stops when it closes.
	ctx, cancel := context.WithCancel(context.Background())
	async := ui.In(ctx)
	switch name {
	case "settings":
		win = w.app.NewWindow(i18n.T("window.settings"))
		s := ui.NewSettings(w.backend, async, func() { win.Close() })
		r := ui.NewRemote(w.backend, async, func() { win.Close() })
		rt := ui.NewRulesTab(w.backend, async, func() { win.Close() })
		tabs := container.NewAppTabs(container.NewTabItem(i18n.T("window.tab.activitywatch"), s.Content()),
			container.NewTabItem(i18n.T("window.tab.timetracker"), r.Content()), container.NewTabItem(i18n.T("window.tab.rules"), rt.Content()))
		w.settingsTabs, w.rulesTab = tabs, rt
		win.SetContent(tabs)
		win.Resize(fyne.NewSize(720, 720))
		go s.Load(ctx)
		go r.Load(ctx)
		go rt.Load(ctx)
		go w.watchStatus(ctx, s)
		go w.watchStatus(ctx, r)
	case "report":
		win = w.app.NewWindow(i18n.T("window.report"))
		r := ui.NewReport(w.backend, async, w.loc, func(write func(io.Writer) error) { saveFile(win, "report", write) })
		r.OpenDay = func(day time.Time) { w.showDay(day) }
		win.SetContent(r.Content())
		win.Resize(fyne.NewSize(900, 640))
		r.ShowWeek(time.Now())
		go w.watchStatus(ctx, r)
	case "entries":
		win = w.app.NewWindow(i18n.T("window.entries"))
		v := ui.NewEntries(w.backend, async, w.loc, func(write func(io.Writer) error) { saveFile(win, "entries", write) })
		v.OpenReport = func() { w.show("report") }
		v.OpenRuleForm = func(r rules.Rule) {
			w.show("settings")
			w.settingsTabs.SelectIndex(2)
			w.rulesTab.Prefill(r)
		}
		w.entries = v
		win.SetContent(v.Content())
		win.Resize(fyne.NewSize(900, 600))
		day := time.Now()
		if !w.firstDay.IsZero() {
			day, w.firstDay = w.firstDay, time.Time{}
		}
		v.ShowDay(day)
	case "away":
		win = w.app.NewWindow(i18n.T("window.away"))
		a := ui.NewAway(w.backend, async, w.loc, func() { win.Close() })
		win.SetContent(a.Content())
		win.Resize(fyne.NewSize(520, 300))
		go a.Load(ctx)
	default:
		cancel()
		return
	}
	w.open[name] = win
	// Escape closes the window wherever the focus is (the form's entries
	// handle it themselves).
	win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			win.Close()
		}
	})
	win.SetOnClosed(func() {
		cancel()
		delete(w.open, name)
		if name == "entries" {
			w.entries = nil
		}
		if len(w.open) == 0 {
			w.app.Quit() // last window closed: the tray stays, this process goes
		}
	})
	win.Show()
	w.log.Info().Str("window", name).Msg("window shown")
}

// watchStatus refreshes a window's status line at every change of the
// engine's status while the window is open (a long sync's progress
// shows), without asking when nothing changed.
func (w *windows) watchStatus(ctx context.Context, v interface{ ShowStatus(engine.Status) }) {
	err := w.backend.Watch(ctx, func(st engine.Status) { fyne.Do(func() { v.ShowStatus(st) }) })
	if err != nil && ctx.Err() == nil {
		w.log.Warn().Err(err).Msg("watching the status")
	}
}

func saveFile(win fyne.Window, what string, write func(io.Writer) error) {
	d := dialog.NewFileSave(func(f fyne.URIWriteCloser, err error) {
		if err != nil || f == nil {
			return
		}
		go func() {
			defer f.Close()
			_ = write(f)
		}()
	}, win)
	d.SetFileName("aw-timetracker-" + what + "-" + time.Now().Format("2006-01-02") + ".csv")
	d.Show()
}
