//go:build windows

package desktop

import "errors"

func notify(title, body string) error {
	return errors.New("desktop notifications are not supported on Windows yet; the tray status line shows the state")
}
