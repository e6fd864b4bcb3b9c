// Package locale gives Fyne a message locale it can parse. With LANG unset
// or "C" (common under systemd, cron and CI), Fyne's lang package logs a
// three-line "Error parsing user locale C" at start-up of every command,
// CLI included; so does a LANG whose language it does not know. Imported
// for its side effect by main; its only dependency is x/text (which Fyne
// uses too), so Go initialises it before Fyne's lang package (which also
// depends on modules that sort after this path).
package locale

import (
	"os"
	"strings"

	"golang.org/x/text/language"
)

func init() {
	if os.Getenv("LC_ALL") != "" {
		return // an explicit LC_ALL is the person's choice
	}
	// Fyne reads the first of LC_MESSAGES and LANG that is set.
	l := os.Getenv("LC_MESSAGES")
	if l == "" {
		l = os.Getenv("LANG")
	}
	if usable(l) {
		return
	}
	// Only the messages category: dates, numbers and collation stay as they are.
	os.Setenv("LC_MESSAGES", "en_US.UTF-8")
}

// usable reports whether a locale names a language Fyne can parse (not
// empty, C, POSIX or an unknown language such as "xx_YY.UTF-8"). Fyne's
// reader drops the codeset, not a modifier: "de_DE@euro" is unusable.
func usable(l string) bool {
	l = strings.TrimSpace(l)
	if i := strings.IndexByte(l, '.'); i >= 0 {
		l = l[:i]
	}
	if l == "" || l == "C" || l == "POSIX" {
		return false
	}
	_, err := language.Parse(strings.ReplaceAll(l, "_", "-"))
	return err == nil
}
