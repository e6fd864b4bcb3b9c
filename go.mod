module github.com/aw-timetracker/aw-timetracker

go 1.26.8

require (
	fyne.io/systray v1.12.2
	github.com/adrg/xdg v0.5.3
	github.com/godbus/dbus/v5 v5.1.0
	github.com/mattn/go-sqlite3 v1.14.53
	github.com/rs/zerolog v1.35.1
	golang.org/x/sys v0.30.0
)

require (
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/stretchr/testify v1.11.1 // indirect
)
