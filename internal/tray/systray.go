package tray

import (
	"context"
	"runtime"
	"sync"
	"time"

	"fyne.io/systray"

	"github.com/aw-timetracker/aw-timetracker/assets"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Actions are what the menu items do besides driving the engine. Each runs
// on its own goroutine, so a slow action never loses another click.
type Actions struct {
	ShowEntries      func()
	ShowReport       func()
	ShowSettings     func()
	ShowAway         func()      // the "what was it?" window for the unanswered absence
	AutostartEnabled func() bool // reads the OS state; never fails
	SetAutostart     func(bool)
	OpenDataFolder   func()
	OpenLogFile      func()
	Quit             func()
	Failed           func(what string, err error) // an engine call failed (the status shows it too)
	// PinChoices are the projects "Working on…" offers (recent first; read
	// each time the menu opens); Pin pins one, Unpin ends the pin.
	PinChoices func() []string
	Pin        func(project string) error
	Unpin      func() error
}

// Tray owns the systray menu items and applies Menus to them.
type Tray struct {
	ctrl engine.Controller
	act  Actions
	loc  *time.Location

	mu      sync.Mutex
	status  engine.Status
	applied *Menu
	ready   bool
	lang    string // the settings' language the words are in ("" the system's)

	statusItem, syncItem, pushItem, entriesItem, reportItem, settingsItem *systray.MenuItem
	pauseItem, autostartItem, dataItem, logItem, quit                     *systray.MenuItem
	pinMenu, unpinItem, awayItem                                          *systray.MenuItem
	pinItems                                                              [PinSlots]*systray.MenuItem
	pinNames                                                              [PinSlots]string // what each slot pins (mu)
}

// New returns a tray driving ctrl, its words in the settings' language
// lang ("" the system's, as i18n.Use was given it); Run shows it.
func New(ctrl engine.Controller, act Actions, loc *time.Location, lang string) *Tray {
	return &Tray{ctrl: ctrl, act: act, loc: loc, lang: lang}
}

// Run shows the tray icon and blocks until ctx ends or Quit is clicked.
// It must be called from the main goroutine (macOS and Windows need the
// main thread for the tray).
func (t *Tray) Run(ctx context.Context) {
	go func() {
		<-ctx.Done()
		systray.Quit()
	}()
	systray.Run(func() { t.onReady(ctx) }, func() {})
}

func (t *Tray) onReady(ctx context.Context) {
	systray.SetTitle("aw-timetracker")
	t.statusItem = systray.AddMenuItem("…", "")
	t.statusItem.Disable()
	t.awayItem = systray.AddMenuItem("", "")
	t.awayItem.Hide()
	systray.AddSeparator()
	t.syncItem = systray.AddMenuItem("", "")
	t.pushItem = systray.AddMenuItem("", "")
	t.entriesItem = systray.AddMenuItem("", "")
	t.reportItem = systray.AddMenuItem("", "")
	t.settingsItem = systray.AddMenuItem("", "")
	t.pinMenu = systray.AddMenuItem("", "")
	for i := range t.pinItems {
		t.pinItems[i] = t.pinMenu.AddSubMenuItem("", "")
		t.pinItems[i].Hide()
	}
	t.unpinItem = t.pinMenu.AddSubMenuItem("", "")
	systray.AddSeparator()
	t.pauseItem = systray.AddMenuItemCheckbox("", "", false)
	t.autostartItem = systray.AddMenuItemCheckbox("", "", false)
	systray.AddSeparator()
	t.dataItem = systray.AddMenuItem("", "")
	t.logItem = systray.AddMenuItem("", "")
	systray.AddSeparator()
	t.quit = systray.AddMenuItem("", "")
	t.label()
	systray.SetOnTapped(func() { go t.act.ShowEntries() })

	t.mu.Lock()
	t.ready = true
	t.mu.Unlock()
	t.apply()

	on := func(item *systray.MenuItem, f func()) {
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-item.ClickedCh:
					go f()
				}
			}
		}()
	}
	on(t.syncItem, func() {
		_, err := t.ctrl.SyncNow(ctx, engine.SyncRequest{})
		t.failed(i18n.T("common.sync_now"), err)
	})
	on(t.pushItem, func() {
		_, err := t.ctrl.PushNow(ctx)
		t.failed(i18n.T("tray.push"), err)
	})
	on(t.entriesItem, t.act.ShowEntries)
	on(t.reportItem, t.act.ShowReport)
	on(t.settingsItem, t.act.ShowSettings)
	if t.act.ShowAway != nil {
		on(t.awayItem, t.act.ShowAway)
	}
	on(t.pauseItem, func() { t.failed(i18n.T("tray.pause"), t.ctrl.SetPaused(ctx, !t.Status().Paused)) })
	on(t.autostartItem, func() { t.act.SetAutostart(!t.act.AutostartEnabled()); t.apply() })
	on(t.dataItem, t.act.OpenDataFolder)
	on(t.logItem, t.act.OpenLogFile)
	on(t.quit, func() { t.act.Quit(); systray.Quit() })
	for i, item := range t.pinItems {
		on(item, func() {
			t.mu.Lock()
			name := t.pinNames[i]
			t.mu.Unlock()
			if name != "" && t.act.Pin != nil {
				t.failed(i18n.T("tray.working_on", "project", name), t.act.Pin(name))
			}
		})
	}
	on(t.unpinItem, func() {
		if t.act.Unpin != nil {
			t.failed(i18n.T("tray.stop_working"), t.act.Unpin())
		}
	})
	t.fillPins()
	go func() { // re-read the login-item state each time the menu opens
		for {
			select {
			case <-ctx.Done():
				return
			case <-systray.TrayOpenedCh:
				t.fillPins()
				t.apply()
			}
		}
	}()
}

// fillPins puts the projects to pin into the "Working on…" menu.
func (t *Tray) fillPins() {
	if t.act.PinChoices == nil {
		t.pinMenu.Hide()
		return
	}
	names := t.act.PinChoices()
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, item := range t.pinItems {
		t.pinNames[i] = ""
		if i < len(names) {
			t.pinNames[i] = names[i]
			item.SetTitle(names[i])
			item.Show()
		} else {
			item.Hide()
		}
	}
}

func (t *Tray) failed(what string, err error) {
	if err != nil && t.act.Failed != nil {
		t.act.Failed(what, err)
	}
}

// Status is the last status shown.
func (t *Tray) Status() engine.Status {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.status
}

// Update shows a new status; safe from any goroutine.
func (t *Tray) Update(st engine.Status) {
	t.mu.Lock()
	t.status = st
	t.mu.Unlock()
	t.apply()
}

// label gives the fixed items their words, in the current language.
func (t *Tray) label() {
	for _, l := range []struct {
		item       *systray.MenuItem
		title, tip string
		keepTitle  bool // the status line sets it
	}{
		{t.awayItem, "", i18n.T("tray.away_tip"), true},
		{t.syncItem, i18n.T("common.sync_now"), i18n.T("tray.sync_tip"), false},
		{t.pushItem, i18n.T("tray.push"), i18n.T("tray.push_tip"), false},
		{t.entriesItem, i18n.T("tray.entries"), i18n.T("tray.entries_tip"), false},
		{t.reportItem, i18n.T("entries.report"), i18n.T("tray.report_tip"), false},
		{t.settingsItem, i18n.T("tray.settings"), i18n.T("tray.settings_tip"), false},
		{t.pinMenu, i18n.T("tray.working_on_menu"), i18n.T("tray.working_on_tip"), false},
		{t.unpinItem, "", i18n.T("tray.stop_tip"), true},
		{t.pauseItem, i18n.T("tray.pause"), i18n.T("tray.pause_tip"), false},
		{t.autostartItem, i18n.T("tray.autostart"), i18n.T("tray.autostart_tip"), false},
		{t.dataItem, i18n.T("tray.data_folder"), "", false},
		{t.logItem, i18n.T("tray.log_file"), "", false},
		{t.quit, i18n.T("tray.quit"), i18n.T("tray.quit_tip"), false},
	} {
		if !l.keepTitle {
			l.item.SetTitle(l.title)
		}
		l.item.SetTooltip(l.tip)
	}
}

func (t *Tray) apply() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.ready {
		return
	}
	if to, ok := languageChange(t.lang, t.status); ok {
		t.lang = to // tried once a change, not at every status
		if err := i18n.Use(to); err != nil {
			go t.failed(i18n.T("settings.form.language"), err)
		} else {
			t.applied = nil // every word again: the menu, the status line
			t.label()
		}
	}
	m := Build(t.status, t.act.AutostartEnabled(), t.loc)
	if t.applied != nil && *t.applied == m {
		return // nothing changed: no D-Bus traffic
	}
	t.applied = &m
	t.statusItem.SetTitle(m.Status)
	systray.SetTooltip(m.Tooltip)
	setEnabled(t.syncItem, m.SyncEnabled)
	setEnabled(t.pushItem, m.PushEnabled)
	setEnabled(t.pauseItem, m.PauseEnabled)
	setChecked(t.pauseItem, m.PauseChecked)
	setChecked(t.autostartItem, m.AutostartChecked)
	if m.Away != "" && t.act.ShowAway != nil {
		t.awayItem.SetTitle(m.Away)
		t.awayItem.Show()
	} else {
		t.awayItem.Hide()
	}
	if m.Pinned != "" {
		t.unpinItem.SetTitle(i18n.T("tray.stop_working_on", "project", m.Pinned))
		t.unpinItem.Enable()
	} else {
		t.unpinItem.SetTitle(i18n.T("tray.stop"))
		t.unpinItem.Disable()
	}
	icon := map[Icon][]byte{IconIdle: assets.TrayIdle, IconSyncing: assets.TraySyncing, IconError: assets.TrayError}[m.Icon]
	if runtime.GOOS == "darwin" && m.Icon == IconIdle {
		systray.SetTemplateIcon(assets.TrayTemplate, icon)
	} else {
		systray.SetIcon(icon)
	}
}

func setEnabled(item *systray.MenuItem, on bool) {
	if on {
		item.Enable()
	} else {
		item.Disable()
	}
}

func setChecked(item *systray.MenuItem, on bool) {
	if on {
		item.Check()
	} else {
		item.Uncheck()
	}
}
