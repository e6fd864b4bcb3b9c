package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func cmdBlocks(ctx context.Context, e *cliEnv, args []string) int {
	fs := flag.NewFlagSet("blocks", flag.ContinueOnError)
	fs.SetOutput(flagErrors{e.stderr})
	var states []string
	for _, st := range store.BlockStates() {
		states = append(states, string(st))
	}
	state := fs.String("state", "", i18n.T("cli.flag.blocks.state", "states", strings.Join(states, ", ")))
	all := fs.Bool("all", false, i18n.T("cli.flag.blocks.all"))
	format := fs.String("format", "table", i18n.T("cli.flag.blocks.format"))
	project := fs.String("project", "", i18n.T("cli.flag.blocks.project"))
	notes := fs.String("notes", "", i18n.T("cli.flag.blocks.notes"))
	fs.Usage = func() {
		fmt.Fprint(e.stderr, i18n.T("cli.usage.blocks"))
		printFlags(e.stderr, fs)
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
	pos, err := parseAll(fs, args[1:]) // "edit ID --notes X" as well as "edit --notes X ID"
	if err != nil {
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
				fmt.Fprintln(e.stderr, "aw-timetracker blocks list:", i18n.T("cli.blocks.bad_state", "state", *state, "states", fmt.Sprint(store.BlockStates())))
				return exitUsage
			}
			states = []store.BlockState{s}
		}
		if !checkFormat(e, "blocks list", *format, "table", "json") {
			return exitUsage
		}
		bs, err := svc.Blocks(ctx, time.Time{}, time.Time{}, states...)
		if err != nil {
			return e.fail(err)
		}
		if *format == "json" {
			return writeBlocksJSON(ctx, e, bs)
		}
		names, err := projectNamesByID(ctx, e)
		if err != nil {
			return e.fail(err)
		}
		printBlocks(e.stdout, bs, names)
		return exitOK
	case string(push.Approve), string(push.Discard):
		ids := pos
		if *all && action == string(push.Approve) {
			ids = nil
		} else if len(ids) == 0 {
			fmt.Fprintf(e.stderr, "aw-timetracker blocks %s: %s\n", action, i18n.T("cli.blocks.give_ids"))
			return exitUsage
		}
		core, err := e.core(ctx)
		if err != nil {
			return e.fail(err)
		}
		n, err := core.ReviewBlocks(ctx, application.ReviewAction(action), ids)
		if err != nil {
			return e.inputOrFail("blocks "+action, err)
		}
		if action == string(push.Approve) {
			fmt.Fprintln(e.stdout, i18n.N("cli.blocks.approved", n))
		} else {
			fmt.Fprintln(e.stdout, i18n.N("cli.blocks.discarded", n))
		}
		return exitOK
	case "restore":
		if len(pos) != 1 {
			fmt.Fprintln(e.stderr, "aw-timetracker blocks restore:", i18n.T("cli.blocks.restore_id"))
			return exitUsage
		}
		core, err := e.core(ctx)
		if err != nil {
			return e.fail(err)
		}
		b, err := core.RestoreBlock(ctx, pos[0])
		if err != nil {
			return e.inputOrFail("blocks restore", err)
		}
		fmt.Fprintln(e.stdout, blockNext(b.State, i18n.T("cli.blocks.restored_short", "id", b.ID[:10],
			"start", b.Start.Local().Format("2006-01-02 15:04"), "end", b.End.Local().Format("15:04"))))
		return exitOK
	case "edit":
		if len(pos) != 1 {
			fmt.Fprintln(e.stderr, "aw-timetracker blocks edit:", i18n.T("cli.blocks.edit_id"))
			return exitUsage
		}
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if !given["project"] && !given["notes"] {
			return e.usage("blocks edit", errors.New(i18n.T("cli.blocks.edit_what")))
		}
		var projectPtr, notesPtr *string
		if given["project"] {
			projectPtr = project
		}
		if given["notes"] {
			notesPtr = notes
		}
		core, err := e.core(ctx)
		if err != nil {
			return e.fail(err)
		}
		b, err := core.EditBlock(ctx, pos[0], projectPtr, notesPtr)
		if err != nil {
			return e.inputOrFail("blocks edit", err)
		}
		fmt.Fprintln(e.stdout, blockNext(b.State, i18n.T("cli.blocks.updated_short")))
		return exitOK
	}
	fmt.Fprintln(e.stderr, "aw-timetracker blocks:", i18n.T("cli.common.unknown_action", "action", action))
	return exitUsage
}

// blockJSON is one block of `blocks list --format json` (a contract).
type blockJSON struct {
	ID             string  `json:"id"`
	Start          string  `json:"start"`
	End            string  `json:"end"`
	Project        *string `json:"project"`
	State          string  `json:"state"`
	RemoteID       *int64  `json:"remote_id"`
	Notes          string  `json:"notes"`
	TrimmedSeconds int64   `json:"trimmed_seconds"`
}

func writeBlocksJSON(ctx context.Context, e *cliEnv, bs []store.OutboxBlock) int {
	names, err := projectNamesByID(ctx, e)
	if err != nil {
		return e.fail(err)
	}
	out := make([]blockJSON, len(bs))
	for i, b := range bs {
		out[i] = blockJSON{ID: b.ID, Start: b.Start.Format(time.RFC3339), End: b.End.Format(time.RFC3339), State: string(b.State),
			Notes: b.Notes, TrimmedSeconds: int64(b.Trimmed / time.Second)}
		if name, ok := names[b.ProjectID]; ok && b.ProjectID != 0 {
			out[i].Project = &name
		}
		if b.RemoteID != 0 {
			id := b.RemoteID
			out[i].RemoteID = &id
		}
	}
	return writeJSON(e, out)
}

// inputOrFail reports a command's error: an id or a name (block, project)
// that names nothing is bad input (exit 2, nothing changed), the rest a
// failure.
func (e *cliEnv) inputOrFail(cmd string, err error) int {
	var notFound *push.NotFoundError
	var badID *push.BadIDError
	if errors.As(err, &notFound) || errors.As(err, &badID) {
		return e.usage(cmd, err)
	}
	return e.fail(err)
}

// blockNext is what happened to a block and what happens to it next, by
// the state it is in now.
func blockNext(s application.BlockState, done string) string {
	switch s {
	case application.BlockPending:
		return i18n.T("cli.blocks.next_review", "done", done)
	case application.BlockChanged, application.BlockDeleted:
		return i18n.T("cli.blocks.next_theirs", "done", done)
	case application.BlockPushed:
		return i18n.T("cli.blocks.next_nothing", "done", done)
	case application.BlockDiscarded, application.BlockTaken, application.BlockRetract:
		return i18n.T("cli.blocks.next_not_sent", "done", done, "state", string(s))
	}
	return i18n.T("cli.blocks.next_push", "done", done)
}
