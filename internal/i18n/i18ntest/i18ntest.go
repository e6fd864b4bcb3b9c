// Package i18ntest pins a package's tests to English, whatever the
// machine's language: the tests read the English words.
package i18ntest

import (
	"fmt"
	"os"
	"testing"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Main is a TestMain: English, then the tests.
func Main(m *testing.M) {
	if err := i18n.Use("en"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
