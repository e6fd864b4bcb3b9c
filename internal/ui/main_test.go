package ui

import (
	"fmt"
	"os"
	"testing"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// The windows' tests read their English words; TestGerman switches.
func TestMain(m *testing.M) {
	if err := i18n.Use("en"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
