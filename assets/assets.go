// Package assets holds the app's icons, embedded. All are PNG: Linux tray
// hosts cannot read SVG.
package assets

import _ "embed"

var (
	//go:embed icon.png
	AppIcon []byte
	//go:embed tray-idle.png
	TrayIdle []byte
	//go:embed tray-syncing.png
	TraySyncing []byte
	//go:embed tray-error.png
	TrayError []byte
	// TrayTemplate is the monochrome variant macOS tints for light and dark menu bars.
	//go:embed tray-template.png
	TrayTemplate []byte
)
