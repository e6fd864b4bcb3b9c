// Command fynetray is the obvious single-process design, measured beside
// aw-timetracker's idle tray in BENCHMARKS.md: a Fyne app with only a tray
// icon and a three-item menu, no window shown.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/aw-timetracker/aw-timetracker/assets"
)

func main() {
	a := app.NewWithID("io.github.awtimetracker.fynetray")
	icon := fyne.NewStaticResource("icon.png", assets.TrayIdle)
	a.SetIcon(icon)
	if d, ok := a.(desktop.App); ok {
		quit := fyne.NewMenuItem("Quit", a.Quit)
		quit.IsQuit = true
		d.SetSystemTrayMenu(fyne.NewMenu("fynetray", fyne.NewMenuItem("Sync now", func() {}), fyne.NewMenuItem("Settings…", func() {}), quit))
		d.SetSystemTrayIcon(icon)
	}
	a.Run()
}
