// Package locale gives Fyne a message locale it can parse. With LANG unset
// or "C" (common under systemd, cron and CI), Fyne's lang package logs a
// three-line "Error parsing user locale C" at start-up of every command,
// CLI included. Imported for its side effect by main; it has no
// dependencies outside the standard library, so Go initialises it before
// Fyne's packages (which depend on modules that sort after this path).
package locale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LC_ALL") != "" {
		return // an explicit LC_ALL is the person's choice
	}
	if usable(os.Getenv("LC_MESSAGES")) || usable(os.Getenv("LANG")) {
		return
	}
	// Only the messages category: dates, numbers and collation stay as they are.
	os.Setenv("LC_MESSAGES", "en_US.UTF-8")
}

// usable reports whether a locale names a language (not empty, C or POSIX).
func usable(l string) bool {
	l = strings.TrimSpace(l)
	return l != "" && l != "C" && l != "POSIX" && !strings.HasPrefix(l, "C.")
}
