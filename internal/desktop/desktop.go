// Package desktop reaches the user's desktop session: opening a file or
// folder in its default application, and desktop notifications.
package desktop

import (
	"fmt"
	"os/exec"
	"runtime"

	"github.com/rs/zerolog"
)

// Open shows path in the desktop's default application. It does not wait
// for that application.
func Open(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", path)
	case "windows":
		cmd = exec.Command("explorer", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	go cmd.Wait() // reap it
	return nil
}

// Notifier sends desktop notifications and logs when it cannot.
type Notifier struct {
	Log zerolog.Logger
}

// Notify shows a notification; a desktop without a notification service
// gets a log line instead.
func (n Notifier) Notify(title, body string) {
	if err := notify(title, body); err != nil {
		n.Log.Warn().Err(err).Str("title", title).Msg("desktop notification not shown")
	}
}
