package ui

import (
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/kind"
)

// explain is an error as a window shows it: the fact from the core, and
// what to do in this app's own words, one sentence a kind (the CLI says it
// its way).
func explain(err error) string {
	if err == nil {
		return ""
	}
	if advice := windowAdvice(kind.Of(err)); advice != "" {
		return err.Error() + advice
	}
	return err.Error()
}

// windowAdvice is what to do about an error of kind k, in the windows'
// words ("" when there is nothing to add).
func windowAdvice(k kind.Kind) string {
	switch k {
	case kind.NotSetUp:
		return i18n.T("advice.not_set_up")
	case kind.NoRemote:
		return i18n.T("advice.no_remote")
	case kind.NoToken:
		return i18n.T("advice.no_token")
	case kind.SetupFailed:
		return i18n.T("advice.setup_failed")
	case kind.NoProject:
		return i18n.T("advice.no_project")
	case kind.PushStopped:
		return i18n.T("advice.push_stopped")
	case kind.MissingBuckets:
		return i18n.T("advice.missing_buckets")
	case kind.NoWindows:
		return i18n.T("advice.no_windows")
	case kind.NoBlock:
		return i18n.T("advice.no_block")
	case kind.NoLocalProject:
		return i18n.T("advice.no_local_project")
	case kind.NoTimeTrackerProject:
		return i18n.T("advice.no_timetracker_project")
	case kind.NoTask:
		return i18n.T("advice.no_task")
	}
	return ""
}
