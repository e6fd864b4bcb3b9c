package ui

import "github.com/aw-timetracker/aw-timetracker/internal/kind"

// explain is an error as a window shows it: the fact from the core, and
// what to do in this app's own words, one sentence a kind (the CLI says it
// its way).
func explain(err error) string {
	if err == nil {
		return ""
	}
	if advice := windowAdvice[kind.Of(err)]; advice != "" {
		return err.Error() + advice
	}
	return err.Error()
}

var windowAdvice = map[kind.Kind]string{
	kind.NotSetUp:             ": open Settings → ActivityWatch, enter the server URL and Save.",
	kind.NoRemote:             ": open Settings → TimeTracker to connect one.",
	kind.NoToken:              ": enter the API token in Settings → TimeTracker and Save.",
	kind.SetupFailed:          ": open Settings → TimeTracker, enter the API token and Save.",
	kind.NoProject:            ": choose a default project in Settings → TimeTracker.",
	kind.PushStopped:          ": check the token (Admin → API tokens; pushing needs write:time_entries) and save it in Settings → TimeTracker.",
	kind.MissingBuckets:       " Tick buckets above or clear Bucket IDs for the defaults.",
	kind.NoWindows:            ": quit the background daemon and start the tray app.",
	kind.NoBlock:              ": the block is gone; the list shows the blocks as they are now.",
	kind.NoLocalProject:       ": add it in Settings → ActivityWatch (Default project → Add).",
	kind.NoTimeTrackerProject: ": create it in TimeTracker, or pick one the token's user can see.",
	kind.NoTask:               ": fix the rule's task in Settings → Rules, or add the task in TimeTracker.",
}
