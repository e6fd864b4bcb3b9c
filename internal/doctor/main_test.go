package doctor

import (
	"testing"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n/i18ntest"
)

// The tests read the English words, whatever the machine's language.
func TestMain(m *testing.M) { i18ntest.Main(m) }
