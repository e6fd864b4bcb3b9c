package main

import (
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/kind"
)

// explain is an error as the terminal shows it: the fact from the core,
// then what to type about it, one sentence a kind (the windows say it
// their own way).
func explain(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	switch kind.Of(err) {
	case kind.NotSetUp:
		return i18n.T("cli.advice.not_set_up", "err", msg)
	case kind.NoRemote:
		return i18n.T("cli.advice.no_remote", "err", msg)
	case kind.NoToken:
		return i18n.T("cli.advice.no_token", "err", msg)
	case kind.SetupFailed:
		return i18n.T("cli.advice.setup_failed", "err", msg)
	case kind.NoProject:
		return i18n.T("cli.advice.no_project", "err", msg)
	case kind.PushStopped:
		return i18n.T("cli.advice.push_stopped", "err", msg)
	case kind.MissingBuckets:
		return i18n.T("cli.advice.missing_buckets", "err", msg)
	case kind.NoWindows:
		return i18n.T("cli.advice.no_windows", "err", msg)
	case kind.NoBlock:
		return i18n.T("cli.advice.no_block", "err", msg)
	case kind.NoLocalProject:
		return i18n.T("cli.advice.no_local_project", "err", msg)
	case kind.NoTimeTrackerProject:
		return i18n.T("cli.advice.no_remote_project", "err", msg)
	case kind.NoTask:
		return i18n.T("cli.advice.no_task", "err", msg)
	}
	return msg
}
