//go:build darwin

package desktop

import (
	"os/exec"
	"strconv"
)

func notify(title, body string) error {
	script := "display notification " + strconv.Quote(body) + " with title " + strconv.Quote(title)
	return exec.Command("osascript", "-e", script).Run()
}
