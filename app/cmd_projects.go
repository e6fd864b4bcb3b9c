package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
)

func cmdProjects(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "projects", "list | add NAME | set NAME --push on|off",
		i18n.T("cli.about.projects"))
	if err := fs.Parse(args); err != nil {
		if err.Error() == "flag: help requested" {
			return exitOK
		}
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		rest = []string{"list"}
	}
	if rest[0] != "set" && len(rest) > 1 && (rest[1] == "-h" || rest[1] == "--help" || rest[1] == "-help") {
		fs.Usage() // "projects list --help" (set has flags of its own)
		return exitOK
	}
	if _, err := e.service(ctx); err != nil {
		return e.fail(err)
	}
	switch rest[0] {
	case "list":
		if len(rest) > 1 {
			fmt.Fprintln(e.stderr, "aw-timetracker projects list:", i18n.T("cli.common.unexpected_argument", "arg", rest[1]))
			return exitUsage
		}
		core, err := e.core(ctx)
		if err != nil {
			return e.fail(err)
		}
		ps, err := core.Projects(ctx)
		if err != nil {
			return e.fail(err)
		}
		if len(ps) == 0 {
			fmt.Fprintln(e.stdout, i18n.T("cli.projects.none"))
		}
		for _, p := range ps {
			extra := ""
			if !p.Push {
				extra = "\t" + i18n.T("cli.projects.not_pushed")
			}
			fmt.Fprintf(e.stdout, "%d\t%s%s\n", p.ID, p.Name, extra)
		}
		return exitOK
	case "add":
		name := strings.TrimSpace(strings.Join(rest[1:], " "))
		if name == "" {
			fmt.Fprintln(e.stderr, "aw-timetracker projects add:", i18n.T("cli.projects.add_name"))
			return exitUsage
		}
		core, err := e.core(ctx)
		if err != nil {
			return e.fail(err)
		}
		p, err := core.AddProject(ctx, name)
		if err != nil {
			return e.fail(err)
		}
		fmt.Fprintf(e.stdout, "%d\t%s\n", p.ID, p.Name)
		return exitOK
	case "set":
		return projectsSet(ctx, e, rest[1:])
	}
	fmt.Fprintln(e.stderr, "aw-timetracker projects:", i18n.T("cli.projects.unknown_action", "action", rest[0]))
	return exitUsage
}

func projectsSet(ctx context.Context, e *cliEnv, args []string) int {
	// The name comes first and may hold spaces when quoted.
	fs := newFlagSet(e, "projects set", "NAME --push on|off", i18n.T("cli.about.projects_set"))
	pushFlag := fs.String("push", "", i18n.T("cli.flag.projects_set.push"))
	if helpAt(args, 0) {
		fs.Usage()
		return exitOK
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return e.usage("projects set", errors.New(i18n.T("cli.projects.set_name")))
	}
	name := args[0]
	if done, code := parseFlags(fs, args[1:]); done {
		return code
	}
	var on bool
	switch strings.ToLower(*pushFlag) {
	case "on":
		on = true
	case "off":
	default:
		return e.usage("projects set", errors.New(i18n.T("cli.projects.push_value", "value", *pushFlag)))
	}
	core, err := e.core(ctx)
	if err != nil {
		return e.fail(err)
	}
	p, a, err := core.SetProjectPush(ctx, name, on)
	var unknown *application.UnknownProjectError
	switch {
	case errors.As(err, &unknown):
		return e.usage("projects set", &push.NotFoundError{What: "local project", Name: name})
	case err != nil && p.ID == 0:
		return e.fail(err)
	}
	if on {
		fmt.Fprintln(e.stdout, i18n.T("cli.projects.pushed", "name", p.Name))
	} else {
		fmt.Fprintln(e.stdout, i18n.T("cli.projects.kept_local", "name", p.Name))
	}
	if err != nil { // saved; applying the rules again failed
		return e.fail(err)
	}
	return e.printApplied(a)
}
