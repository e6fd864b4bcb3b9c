package main

import (
	"context"
	"fmt"
	"strings"
)

func cmdProjects(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "projects", "list | add NAME", "Lists the local projects, or adds one.")
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
	if _, err := e.service(ctx); err != nil {
		return e.fail(err)
	}
	switch rest[0] {
	case "list":
		if len(rest) > 1 {
			fmt.Fprintf(e.stderr, "aw-timetracker projects list: unexpected argument %q\n", rest[1])
			return exitUsage
		}
		ps, err := e.st.Projects(ctx)
		if err != nil {
			return e.fail(err)
		}
		if len(ps) == 0 {
			fmt.Fprintln(e.stdout, "No projects yet. Add one with: aw-timetracker projects add NAME")
		}
		for _, p := range ps {
			fmt.Fprintf(e.stdout, "%d\t%s\n", p.ID, p.Name)
		}
		return exitOK
	case "add":
		name := strings.TrimSpace(strings.Join(rest[1:], " "))
		if name == "" {
			fmt.Fprintln(e.stderr, "aw-timetracker projects add: give the project's name, e.g. aw-timetracker projects add \"Client A\"")
			return exitUsage
		}
		p, err := e.st.AddProject(ctx, name)
		if err != nil {
			return e.fail(err)
		}
		fmt.Fprintf(e.stdout, "%d\t%s\n", p.ID, p.Name)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "aw-timetracker projects: unknown action %q: use list or add NAME\n", rest[0])
	return exitUsage
}
