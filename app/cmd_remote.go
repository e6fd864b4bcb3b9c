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
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func cmdRemote(ctx context.Context, e *cliEnv, args []string) int {
	if len(args) == 0 || isHelp(args[0]) || args[0] == "help" || ((args[0] == "projects" || args[0] == "map") && helpAt(args, 1)) {
		fmt.Fprint(e.stderr, i18n.T("cli.usage.remote"))
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
		if len(args) > 1 { // it has no flags: a --format would be ignored
			return e.badFlag("remote projects", errors.New(i18n.T("cli.common.unexpected_argument", "arg", args[1])))
		}
		return remoteProjects(ctx, e)
	case "map":
		return remoteMap(ctx, e, args[1:])
	}
	fmt.Fprintln(e.stderr, "aw-timetracker remote:", i18n.T("cli.remote.unknown_action", "action", args[0]))
	return exitUsage
}

func remoteSetup(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "remote setup", "--url URL [--project NAME|ID] [--push auto|review]",
		i18n.T("cli.about.remote_setup"))
	url := fs.String("url", "", i18n.T("cli.flag.remote_setup.url"))
	project := fs.String("project", "", i18n.T("cli.flag.remote_setup.project"))
	mode := fs.String("push", "", i18n.T("cli.flag.remote_setup.push"))
	mergeGap := fs.Int("merge-gap", -1, i18n.T("cli.flag.remote_setup.merge_gap"))
	minBlock := fs.Int("min-block", -1, i18n.T("cli.flag.remote_setup.min_block"))
	settle := fs.Int("settle", -1, i18n.T("cli.flag.remote_setup.settle"))
	afk := fs.String("cut-afk", "", i18n.T("cli.flag.remote_setup.cut_afk"))
	groupBy := fs.String("group-by", "", i18n.T("cli.flag.remote_setup.group_by"))
	perMinute := fs.Int("rate-per-minute", -1, i18n.T("cli.flag.remote_setup.rate_per_minute"))
	perHour := fs.Int("rate-per-hour", -1, i18n.T("cli.flag.remote_setup.rate_per_hour"))
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
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup:", i18n.T("cli.remote.setup.no_url"))
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
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup:", i18n.T("cli.remote.setup.bad_group_by", "value", *groupBy))
		return exitUsage
	}
	switch strings.ToLower(*afk) {
	case "":
	case "on", "true", "yes":
		cfg.CutAFK = true
	case "off", "false", "no":
		cfg.CutAFK = false
	default:
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup:", i18n.T("cli.remote.setup.bad_cut_afk", "value", *afk))
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		for _, p := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(e.stderr, "aw-timetracker remote setup:", p)
		}
		return exitUsage
	}
	token, err := readSecret(e, i18n.T("cli.remote.setup.token_prompt"))
	if err != nil {
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup:", err)
		return exitUsage
	}
	core, err := e.core(ctx)
	if err != nil {
		return e.fail(err)
	}
	// RemoteSetup rebuilds the blocks: they follow the new settings.
	res, err := core.RemoteSetup(ctx, st.Config, cfg, token, *project)
	var checkErr *push.CheckError
	var choiceErr *push.ProjectChoiceError
	switch {
	case errors.As(err, &choiceErr):
		return e.usage("remote setup", err)
	case errors.As(err, &checkErr):
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup:", i18n.T("cli.remote.setup.check_failed"))
		fmt.Fprintln(e.stderr, "  "+explain(err))
		fmt.Fprintln(e.stderr, i18n.T("cli.remote.setup.token_not_kept"))
		return exitFailed
	case err != nil:
		fmt.Fprintln(e.stderr, "aw-timetracker remote setup: "+explain(err))
		fmt.Fprintln(e.stderr, i18n.T("cli.remote.setup.nothing_saved"))
		return exitFailed
	}
	if res.Warning != "" {
		fmt.Fprintln(e.stderr, i18n.T("cli.common.warning", "msg", res.Warning))
	}
	st, _ = svc.State(ctx)
	fmt.Fprintln(e.stdout, i18n.T("cli.remote.setup.connected", "version", res.Version, "url", st.Config.ServerURL, "zone", res.Zone))
	if st.Config.DefaultProjectID != 0 {
		fmt.Fprintln(e.stdout, i18n.T("cli.remote.setup.default_project", "name", st.Config.DefaultProjectName, "id", st.Config.DefaultProjectID,
			"mode", string(st.Config.PushMode)))
	} else {
		fmt.Fprintln(e.stdout, i18n.N("cli.remote.setup.no_default_project", len(res.Projects)))
	}
	return exitOK
}

// readSecret reads a secret from standard input: a prompt without echo on
// a terminal, else the first line. Secrets never come from argv.
func readSecret(e *cliEnv, what string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, i18n.T("cli.secret.prompt", "what", what))
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return strings.TrimSpace(string(b)), err
	}
	if e.stdin == nil {
		return "", nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", &messageError{i18n.T("cli.secret.read_failed", "what", what, "err", err.Error()), err}
	}
	return strings.TrimSpace(line), nil
}

func remoteStatus(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "remote status", "", i18n.T("cli.about.remote_status"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	_, st, err := e.pushState(ctx)
	if err != nil {
		return e.fail(err)
	}
	w := e.stdout
	if !st.Configured {
		fmt.Fprintln(w, i18n.T("cli.remote.status.not_set_up"))
		return exitOK
	}
	c := st.Config
	active := i18n.T("cli.remote.status.active")
	if !st.IsActive {
		active = i18n.T("cli.remote.status.inactive")
	}
	fmt.Fprintln(w, i18n.T("cli.remote.status.timetracker", "url", c.ServerURL, "state", active))
	fmt.Fprintln(w, i18n.T("cli.remote.status.server", "version", orDash(c.ServerVersion), "zone", orDash(c.ServerTimezone)))
	fmt.Fprintln(w, i18n.T("cli.remote.status.token", "store", orDash(c.TokenStore)))
	project := i18n.T("cli.remote.status.project_none")
	if c.DefaultProjectID != 0 {
		project = fmt.Sprintf("%s (#%d)", c.DefaultProjectName, c.DefaultProjectID)
	}
	fmt.Fprintln(w, i18n.T("cli.remote.status.default_project", "project", project))
	afkCut := i18n.T("cli.common.false")
	if c.CutAFK {
		afkCut = i18n.T("cli.common.true")
	}
	if c.ByProject {
		fmt.Fprintln(w, i18n.T("cli.remote.status.push_mode_project", "mode", string(c.PushMode), "gap", c.MergeGapSeconds, "min", c.MinBlockSeconds,
			"settle", c.SettleMinutes, "afk", afkCut))
	} else {
		fmt.Fprintln(w, i18n.T("cli.remote.status.push_mode_app", "mode", string(c.PushMode), "gap", c.MergeGapSeconds, "min", c.MinBlockSeconds,
			"settle", c.SettleMinutes, "afk", afkCut))
	}
	last := i18n.T("cli.remote.status.never")
	if p := st.LastPush; st.Pushed {
		last = i18n.T("cli.remote.status.last_push_summary", "at", p.At.Local().Format("2006-01-02 15:04:05"), "status", runStatusWord(p.Status),
			"sent", p.Sent(), "created", p.Created, "updated", p.Updated)
		for _, n := range []struct {
			n    int
			text string
		}{{p.Removed, i18n.T("cli.remote.status.removed", "n", p.Removed)}, {p.Failed, i18n.T("cli.remote.status.failed", "n", p.Failed)},
			{p.Conflicts, i18n.T("cli.remote.status.conflicts", "n", p.Conflicts)}, {p.Waiting, i18n.T("cli.remote.status.waiting", "n", p.Waiting)}} {
			if n.n > 0 {
				last += ", " + n.text
			}
		}
	}
	fmt.Fprintln(w, i18n.T("cli.remote.status.last_push", "last", last))
	if st.Pushed && st.LastPush.Message != "" {
		fmt.Fprintln(w, i18n.T("cli.remote.status.last_error", "err", st.LastPush.Message))
	}
	if !st.IsActive && st.LastError != "" {
		fmt.Fprintln(w, i18n.T("cli.remote.status.setup_error", "err", st.LastError))
	}
	var parts []string
	for _, s := range store.BlockStates() {
		if n := st.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) == 0 {
		parts = []string{i18n.T("cli.remote.status.empty")}
	}
	fmt.Fprintln(w, i18n.T("cli.remote.status.blocks", "blocks", strings.Join(parts, ", ")))
	if st.Trimmed > 0 {
		fmt.Fprintln(w, i18n.N("cli.remote.status.trimmed", st.TrimmedBlocks, "time", i18n.Duration(st.Trimmed)))
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
		fmt.Fprintln(e.stderr, "aw-timetracker remote map:", i18n.T("cli.remote.map.args"))
		return exitUsage
	}
	svc, err := e.pushService(ctx)
	if err != nil {
		return e.fail(err)
	}
	local, remote, err := svc.MapProject(ctx, args[0], args[1])
	if err != nil {
		return e.inputOrFail("remote map", err) // a name that names nothing: bad input
	}
	fmt.Fprintln(e.stdout, i18n.T("cli.remote.map.done", "local", local.Name, "remote", remote.Name, "id", remote.ID))
	return exitOK
}
