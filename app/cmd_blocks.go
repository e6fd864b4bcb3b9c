package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func cmdBlocks(ctx context.Context, e *cliEnv, args []string) int {
	fs := flag.NewFlagSet("blocks", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	state := fs.String("state", "", "list only blocks in this state (pending, approved, pushed, failed, conflict, discarded)")
	project := fs.String("project", "", "edit: local project name")
	notes := fs.String("notes", "", "edit: notes")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, `Usage: aw-timetracker blocks list [--state STATE]
       aw-timetracker blocks approve ID... | --all
       aw-timetracker blocks discard ID...
       aw-timetracker blocks edit ID [--project NAME] [--notes TEXT]

IDs are the first characters shown by 'blocks list'.
`)
		fs.PrintDefaults()
	}
	if len(args) == 0 {
		fs.Usage()
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fs.Usage()
		return exitOK
	}
	action := args[0]
	all := false
	fs.BoolVar(&all, "all", false, "approve: every pending block")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	svc, err := e.pushService(ctx)
	if err != nil {
		return e.fail(err)
	}
	switch action {
	case "list":
		var states []store.BlockState
		if *state != "" {
			s := store.BlockState(*state)
			if !slices.Contains(store.BlockStates(), s) {
				fmt.Fprintf(e.stderr, "aw-timetracker blocks list: --state %q is not one of %v\n", *state, store.BlockStates())
				return exitUsage
			}
			states = []store.BlockState{s}
		}
		bs, err := svc.Blocks(ctx, time.Time{}, time.Time{}, states...)
		if err != nil {
			return e.fail(err)
		}
		printBlocks(e.stdout, bs)
		return exitOK
	case string(push.Approve), string(push.Discard):
		ids := fs.Args()
		if all && action == string(push.Approve) {
			ids = nil
		} else if len(ids) == 0 {
			fmt.Fprintf(e.stderr, "aw-timetracker blocks %s: give block IDs (see blocks list)\n", action)
			return exitUsage
		}
		n, err := svc.Review(ctx, push.ReviewAction(action), ids)
		if err != nil {
			return e.fail(err)
		}
		fmt.Fprintf(e.stdout, "%d blocks %sd.\n", n, strings.TrimSuffix(action, "e"))
		return exitOK
	case "edit":
		if fs.NArg() != 1 {
			fmt.Fprintln(e.stderr, "aw-timetracker blocks edit: give one block ID")
			return exitUsage
		}
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		var projectPtr, notesPtr *string
		if given["project"] {
			projectPtr = project
		}
		if given["notes"] {
			notesPtr = notes
		}
		if err := svc.Edit(ctx, fs.Arg(0), projectPtr, notesPtr); err != nil {
			return e.fail(err)
		}
		fmt.Fprintln(e.stdout, "Block updated; it is sent (or updated on the server) at the next push.")
		return exitOK
	}
	fmt.Fprintf(e.stderr, "aw-timetracker blocks: unknown action %q\n", action)
	return exitUsage
}
