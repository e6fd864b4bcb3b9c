package engine

import (
	"fmt"
	"os"
	"testing"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// The tests read the English words, whatever the machine's language.
func TestMain(m *testing.M) {
	if err := i18n.Use("en"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
