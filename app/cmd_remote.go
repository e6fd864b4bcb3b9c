package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/export"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func cmdRemote(ctx context.Context, e *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, `Usage: aw-timetracker remote setup --url URL [--project NAME|ID] [--push auto|review] [flags]
       aw-timetracker remote status
       aw-timetracker remote projects
       aw-timetracker remote map LOCAL-PROJECT REMOTE-PROJECT

setup reads the API token from standard input (or asks for it on a terminal);
it is never taken from the command line.
`)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "setup":
		return remoteSetup(ctx, e, args[1:])
	case "status":
		return remoteStatus(ctx, e, args[1:])
	case "projects":
		return remoteProjects(ctx, e)
	case "map":
		return remoteMap(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "aw-timetracker remote: unknown action %q: use setup, status, projects or map\n", args[0])
	return exitUsage
}

func remoteSetup(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "remote setup", "--url URL [--project NAME|ID] [--push auto|review]",
		"Connects to a central TimeTracker: checks the server (/api/v1/info), the token and its\n"+
			"scopes, chooses the default project, and keeps the token in the OS keyring (or a\n"+
			"file only you can read). The token is read from standard input.")
	url := fs.String("url", "", "TimeTracker server URL, e.g. https://timetracker.example.com")
	project := fs.String("project", "", "default TimeTracker project for pushed blocks (name or id)")
	mode := fs.String("push", "", "push mode: auto (after each sync) or review (after approval)")
	mergeGap := fs.Int("merge-gap", -1, "merge runs of one app closer than this many seconds (default 60)")
	minBlock := fs.Int("min-block", -1, "shortest block in seconds; shorter runs are folded or dropped (default 60)")
	settle := fs.Int("settle", -1, "minutes a block must be finished before it is pushed (default 5)")
	afk := fs.String("cut-afk", "", "leave out time aw-watcher-afk marks as away: on or off (default on)")
	groupBy := fs.String("group-by", "", "blocks follow each app, or only the project: app or project (default app)")
	perMinute := fs.Int("rate-per-minute", -1, "requests a minute at most (default 90; the server's default limit is 100)")
	perHour := fs.Int("rate-per-hour", -1, "requests an hour at most (default 900; the server's default limit is 1000)")
	if done, code := parseFlags(fs, args); done {
		return code
	}
	svc, st, err := e.pushState(ctx)
	if err != nil {
		return e.fail(err)
	}
	cfg := st.Config
	if *url != "" {
		cfg.ServerURL = *url
	}
	if cfg.ServerURL == "" {
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup: give the server with --url, e.g. --url https://timetracker.example.com")
		return exitUsage
	}
	if *mode != "" {
		cfg.PushMode = config.PushMode(*mode)
	}
	for _, f := range []struct {
		v   int
		dst *int
	}{{*mergeGap, &cfg.MergeGapSeconds}, {*minBlock, &cfg.MinBlockSeconds}, {*settle, &cfg.SettleMinutes},
		{*perMinute, &cfg.RatePerMinute}, {*perHour, &cfg.RatePerHour}} {
		if f.v >= 0 {
			*f.dst = f.v
		}
	}
	switch strings.ToLower(*groupBy) {
	case "":
	case "app":
		cfg.ByProject = false
	case "project":
		cfg.ByProject = true
	default:
		fmt.Fprintf(e.stderr, "aw-timetracker remote setup: --group-by %q is not app or project\n", *groupBy)
		return exitUsage
	}
	switch strings.ToLower(*afk) {
	case "":
	case "on", "true", "yes":
		cfg.CutAFK = true
	case "off", "false", "no":
		cfg.CutAFK = false
	default:
		fmt.Fprintf(e.stderr, "aw-timetracker remote setup: --cut-afk %q is not on or off\n", *afk)
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		for _, p := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(e.stderr, "aw-timetracker remote setup:", p)
		}
		return exitUsage
	}
	token, err := readSecret(e, "TimeTracker API token (empty keeps the saved one)")
	if err != nil {
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup:", err)
		return exitUsage
	}
	core, err := e.core(ctx)
	if err != nil {
		return e.fail(err)
	}
	// RemoteSetup rebuilds the blocks: they follow the new settings.
	res, err := core.RemoteSetup(ctx, settings.Patch(st.Config, cfg), token, *project)
	var checkErr *push.CheckError
	switch {
	case errors.As(err, &checkErr):
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup: settings saved, but the check failed:")
		fmt.Fprintln(e.stderr, "  "+explain(err))
		fmt.Fprintln(e.stderr, "The token was not kept. Nothing is pushed until a setup succeeds: run it again with the token on standard input.")
		return exitFailed
	case err != nil:
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup: "+explain(err))
		fmt.Fprintln(e.stderr, "Nothing was saved.")
		return exitFailed
	}
	if res.Warning != "" {
		fmt.Fprintln(e.stderr, "warning:", res.Warning)
	}
	st, _ = svc.State(ctx)
	fmt.Fprintf(e.stdout, "Connected to TimeTracker %s at %s (time zone %s); the token is valid and can read projects and entries (write access shows at the first push).\n",
		res.Info.AppVersion, st.Config.ServerURL, res.Info.Timezone)
	if st.Config.DefaultProjectID != 0 {
		fmt.Fprintf(e.stdout, "Default project: %s (#%d). Push mode: %s.\n", st.Config.DefaultProjectName, st.Config.DefaultProjectID, st.Config.PushMode)
	} else {
		fmt.Fprintf(e.stdout, "No default project yet: blocks wait for one (remote setup --project NAME). %d projects are available: aw-timetracker remote projects.\n", len(res.Projects))
	}
	return exitOK
}

// readSecret reads a secret from standard input: a prompt without echo on
// a terminal, else the first line. Secrets never come from argv.
func readSecret(e *cliEnv, what string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(e.stderr, "%s (input hidden): ", what)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return strings.TrimSpace(string(b)), err
	}
	if e.stdin == nil {
		return "", nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the %s from standard input: %w", what, err)
	}
	return strings.TrimSpace(line), nil
}

func remoteStatus(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "remote status", "", "Shows the TimeTracker connection, the last push and the outbox.")
	if done, code := parseFlags(fs, args); done {
		return code
	}
	_, st, err := e.pushState(ctx)
	if err != nil {
		return e.fail(err)
	}
	w := e.stdout
	if !st.Configured {
		fmt.Fprintln(w, "TimeTracker:     not set up (aw-timetracker remote setup --url URL)")
		return exitOK
	}
	c := st.Config
	active := "active"
	if !st.IsActive {
		active = "inactive: the last check failed; run remote setup again"
	}
	fmt.Fprintf(w, "TimeTracker:     %s (%s)\n", c.ServerURL, active)
	fmt.Fprintf(w, "Server:          version %s, time zone %s\n", orDash(c.ServerVersion), orDash(c.ServerTimezone))
	fmt.Fprintf(w, "Token:           %s\n", orDash(c.TokenStore))
	project := "none (blocks wait for one)"
	if c.DefaultProjectID != 0 {
		project = fmt.Sprintf("%s (#%d)", c.DefaultProjectName, c.DefaultProjectID)
	}
	fmt.Fprintf(w, "Default project: %s\n", project)
	follow := "app"
	if c.ByProject {
		follow = "project"
	}
	fmt.Fprintf(w, "Push mode:       %s; blocks follow the %s, merge gaps < %ds, shortest %ds, settle %d min, afk cut %v\n",
		c.PushMode, follow, c.MergeGapSeconds, c.MinBlockSeconds, c.SettleMinutes, c.CutAFK)
	last := "never"
	if p := st.LastPush; st.Pushed {
		last = fmt.Sprintf("%s (%s) · %d sent (%d new, %d updated)", p.At.Local().Format("2006-01-02 15:04:05"), p.Status,
			p.Sent(), p.Created, p.Updated)
		for _, n := range []struct {
			n    int
			what string
		}{{p.Removed, "removed"}, {p.Failed, "failed"}, {p.Conflicts, "in conflict"}, {p.Waiting, "waiting"}} {
			if n.n > 0 {
				last += fmt.Sprintf(", %d %s", n.n, n.what)
			}
		}
	}
	fmt.Fprintf(w, "Last push:       %s\n", last)
	if st.Pushed && st.LastPush.Message != "" {
		fmt.Fprintf(w, "Last error:      %s\n", st.LastPush.Message)
	}
	if !st.IsActive && st.LastError != "" {
		fmt.Fprintf(w, "Setup error:     %s\n", st.LastError)
	}
	var parts []string
	for _, s := range store.BlockStates() {
		if n := st.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) == 0 {
		parts = []string{"empty"}
	}
	fmt.Fprintf(w, "Blocks:          %s\n", strings.Join(parts, ", "))
	if st.Trimmed > 0 {
		fmt.Fprintf(w, "Trimmed:         %d blocks lost %s to entries already on the server (typed there, a timer, another device)\n",
			st.TrimmedBlocks, export.Duration(st.Trimmed))
	}
	return exitOK
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func remoteProjects(ctx context.Context, e *cliEnv) int {
	svc, err := e.pushService(ctx)
	if err != nil {
		return e.fail(err)
	}
	ps, err := svc.RemoteProjects(ctx)
	if err != nil {
		return e.fail(err)
	}
	for _, p := range ps {
		fmt.Fprintf(e.stdout, "%d\t%s\n", p.ID, p.Name)
	}
	return exitOK
}

func remoteMap(ctx context.Context, e *cliEnv, args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(e.stderr, "aw-timetracker remote map: give a local project and a TimeTracker project, e.g. remote map \"Client A\" \"Website Relaunch\"")
		return exitUsage
	}
	svc, err := e.pushService(ctx)
	if err != nil {
		return e.fail(err)
	}
	local, remote, err := svc.MapProject(ctx, args[0], args[1])
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "Local project %q is pushed to TimeTracker project %q (#%d).\n", local.Name, remote.Name, remote.ID)
	return exitOK
}
