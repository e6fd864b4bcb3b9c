package main

import "github.com/aw-timetracker/aw-timetracker/internal/kind"

// explain is an error as the terminal shows it: the fact from the core,
// then what to type about it, one sentence a kind (the windows say it
// their own way).
func explain(err error) string {
	if err == nil {
		return ""
	}
	if advice := cliAdvice[kind.Of(err)]; advice != "" {
		return err.Error() + advice
	}
	return err.Error()
}

var cliAdvice = map[kind.Kind]string{
	kind.NotSetUp:             ": run `aw-timetracker setup --aw-url http://localhost:5600` (or open Settings in the tray app)",
	kind.NoRemote:             ": run `aw-timetracker remote setup --url URL`",
	kind.NoToken:              ": pass it to `aw-timetracker remote setup` on standard input",
	kind.SetupFailed:          ": run `aw-timetracker remote setup` again, with the token on standard input",
	kind.NoProject:            ": run `aw-timetracker remote setup --project NAME`",
	kind.PushStopped:          ": check the token (Admin → API tokens; pushing needs write:time_entries) and run `aw-timetracker remote setup` with it",
	kind.MissingBuckets:       ": give bucket IDs from that list with `aw-timetracker setup --buckets`, or --buckets \"\" for the defaults",
	kind.NoWindows:            ": stop it and start the tray app, or use the CLI",
	kind.NoBlock:              " (see `aw-timetracker blocks list`)",
	kind.NoLocalProject:       " (see `aw-timetracker projects list`; add one with `aw-timetracker projects add NAME`)",
	kind.NoTimeTrackerProject: " (see `aw-timetracker remote projects`)",
	kind.NoTask:               ": fix the rule's task (`aw-timetracker rules list`, then `rules edit ID --task NAME`), or add the task in TimeTracker",
}
