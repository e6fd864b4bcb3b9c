//go:build linux || freebsd || openbsd || netbsd

package desktop

import (
	"fmt"

	"github.com/godbus/dbus/v5"
)

func notify(title, body string) error {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return fmt.Errorf("no session bus: %w", err)
	}
	defer conn.Close()
	obj := conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
	call := obj.Call("org.freedesktop.Notifications.Notify", 0, "aw-timetracker", uint32(0), "", title, body,
		[]string{}, map[string]dbus.Variant{}, int32(-1))
	return call.Err
}
