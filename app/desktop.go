package main

import (
	"context"
	"fmt"
	"io"
)

// runDesktop starts the desktop app. Until the tray app lands, it points to
// the CLI and the headless daemon.
func runDesktop(_ context.Context, _ []string, stdout, _ io.Writer) int {
	usage(stdout)
	fmt.Fprintln(stdout, "\nThe tray app is not part of this build yet: use the commands above, and 'aw-timetracker daemon' for automatic syncs.")
	return exitOK
}
