package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func cmdPush(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "push", "[--dry-run] [--retry-failed]",
		i18n.T("cli.about.push"))
	dry := fs.Bool("dry-run", false, i18n.T("cli.flag.push.dry_run"))
	retry := fs.Bool("retry-failed", false, i18n.T("cli.flag.push.retry_failed"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	svc, st, err := e.pushState(ctx)
	if err != nil {
		return e.fail(err)
	}
	if !st.Configured {
		return e.fail(push.ErrNoRemote)
	}
	if *dry {
		bs, err := svc.DryRun(ctx)
		if err != nil {
			return e.fail(err)
		}
		names, err := projectNamesByID(ctx, e)
		if err != nil {
			return e.fail(err)
		}
		printBlocks(e.stdout, bs, names)
		fmt.Fprintln(e.stdout, i18n.N("cli.push.would_send", len(bs)))
		return exitOK
	}
	if *retry {
		n, err := svc.RetryFailed(ctx)
		if err != nil {
			return e.fail(err)
		}
		fmt.Fprintln(e.stdout, i18n.N("cli.push.retry", n))
	}
	ctrl, err := e.controller(ctx)
	if err != nil {
		return e.fail(err)
	}
	res, err := ctrl.PushNow(ctx)
	if err == nil || res.Created+res.Updated+res.Failed+res.Conflicts+res.Waiting > 0 {
		fmt.Fprintln(e.stdout, i18n.N("cli.push.result", res.Created, "updated", res.Updated, "failed", res.Failed,
			"conflicts", res.Conflicts, "waiting", res.Waiting))
		if res.Removed > 0 {
			fmt.Fprintln(e.stdout, i18n.N("cli.push.removed", res.Removed))
		}
	}
	for _, m := range res.Errors {
		fmt.Fprintln(e.stderr, "  "+m)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "aw-timetracker push:", explain(err))
		return exitFailed
	}
	if res.Failed+res.Conflicts > 0 {
		return exitPartial
	}
	return exitOK
}

// printBlocks is the blocks as a table, each with its local project
// (names: id → name; "–" for none).
func printBlocks(w io.Writer, bs []store.OutboxBlock, names map[int64]string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T("cli.blocks.header"))
	for _, b := range bs {
		project := names[b.ProjectID]
		if project == "" {
			project = "–"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.ID[:10], b.Start.Local().Format("2006-01-02 15:04"), b.End.Local().Format("15:04"),
			i18n.Duration(b.Duration()), b.State, truncate(project, 40), truncate(b.Notes, 60))
	}
	tw.Flush()
}
