package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/logging"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

func cmdSync(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "sync", "[--full | --scheduled | --from DATE [--to DATE]] [--quiet]",
		i18n.T("cli.about.sync"))
	full := fs.Bool("full", false, i18n.T("cli.flag.sync.full"))
	scheduled := fs.Bool("scheduled", false, i18n.T("cli.flag.sync.scheduled"))
	from := fs.String("from", "", i18n.T("cli.flag.sync.from"))
	to := fs.String("to", "", i18n.T("cli.flag.sync.to"))
	quiet := fs.Bool("quiet", false, i18n.T("cli.flag.sync.quiet"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if *full && *scheduled {
		fmt.Fprintln(e.stderr, "aw-timetracker sync:", i18n.T("cli.sync.full_and_scheduled"))
		return exitUsage
	}
	_, state, err := e.awState(ctx)
	if err != nil {
		return e.fail(err)
	}
	req := engine.SyncRequest{Mode: syncer.Now}
	switch {
	case *full:
		req.Mode = syncer.Reread
	case *scheduled:
		req.Mode = syncer.Incremental
	}
	if *from != "" || *to != "" {
		if *scheduled || *full || *from == "" {
			fmt.Fprintln(e.stderr, "aw-timetracker sync:", i18n.T("cli.sync.from_needed"))
			return exitUsage
		}
		loc := state.Config.Location()
		f, err := parseDate(*from, loc)
		if err != nil {
			fmt.Fprintln(e.stderr, "aw-timetracker sync: --from:", err)
			return exitUsage
		}
		t := time.Now()
		if *to != "" {
			if t, err = parseDate(*to, loc); err != nil {
				fmt.Fprintln(e.stderr, "aw-timetracker sync: --to:", err)
				return exitUsage
			}
			if len(*to) == len("2006-01-02") {
				t = t.AddDate(0, 0, 1) // the whole day
			}
		}
		if !t.After(f) && *to == "" {
			fmt.Fprintln(e.stderr, "aw-timetracker sync:", i18n.T("cli.sync.from_in_future", "from", *from))
			return exitUsage
		}
		if !t.After(f) {
			fmt.Fprintln(e.stderr, "aw-timetracker sync:", i18n.T("cli.sync.to_not_after_from", "to", *to, "from", *from))
			return exitUsage
		}
		req.Mode, req.From, req.To = syncer.Range, f, t
	}
	ctrl, err := e.controller(ctx)
	if err != nil {
		return e.fail(err)
	}
	stopProgress := func() {}
	if f, ok := e.stderr.(*os.File); ok && logging.IsTerminal(f) && !*quiet {
		stopProgress = showProgress(ctx, ctrl, e.stderr)
	}
	res, err := ctrl.SyncNow(ctx, req)
	stopProgress()
	if err != nil {
		msg := res.Message
		if msg == "" {
			msg = err.Error()
		}
		fmt.Fprintln(e.stderr, "aw-timetracker sync:", i18n.T("cli.sync.failed", "err", explain(&messageError{msg, err})))
		fmt.Fprintln(e.stderr, i18n.T("cli.sync.nothing_half_way"))
		return exitFailed
	}
	if !*quiet {
		fmt.Fprintln(e.stdout, res.Message)
		if !res.From.IsZero() {
			loc := state.Config.Location()
			from, to := res.From.In(loc).Format("2006-01-02 15:04"), res.To.In(loc).Format("2006-01-02 15:04")
			if req.Mode == syncer.Now && res.To.Sub(res.From) < time.Duration(state.Config.LookbackDays)*24*time.Hour-time.Hour {
				fmt.Fprintln(e.stdout, i18n.T("cli.sync.read_new", "from", from, "to", to))
			} else {
				fmt.Fprintln(e.stdout, i18n.T("cli.sync.read", "from", from, "to", to))
			}
		} else if req.Mode == syncer.Now {
			fmt.Fprintln(e.stdout, i18n.T("cli.sync.nothing_new"))
		}
		for _, b := range res.Buckets {
			fmt.Fprintln(e.stdout, i18n.T("cli.sync.bucket", "bucket", b.Bucket, "imported", b.Imported, "updated", b.Updated, "skipped", b.Skipped))
		}
	}
	if len(res.Errors) > 0 {
		for _, msg := range res.Errors {
			fmt.Fprintln(e.stderr, i18n.T("cli.sync.error", "msg", msg))
		}
		return exitPartial
	}
	return exitOK
}

// showProgress prints the running sync's progress (read from the engine's
// status, here or in the running app) on one terminal line until stopped.
func showProgress(ctx context.Context, ctrl engine.Controller, w io.Writer) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		shown := false
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprintln(w)
				}
				return
			case <-t.C:
			}
			st, err := ctrl.Status(ctx)
			if err != nil || !st.Syncing || st.Progress.Buckets == 0 {
				continue
			}
			p := st.Progress
			shown = true
			fmt.Fprint(w, "\r\033[K"+i18n.T("cli.sync.progress", "index", p.BucketIndex, "buckets", p.Buckets, "bucket", p.Bucket,
				"day", p.ChunksDone, "days", p.Chunks, "imported", p.Imported, "updated", p.Updated, "skipped", p.Skipped))
		}
	}()
	return func() { close(done); <-finished }
}

// messageError shows a sync's own message for its error, keeping the
// error's kind for advice.
type messageError struct {
	msg string
	err error
}

func (e *messageError) Error() string { return e.msg }
func (e *messageError) Unwrap() error { return e.err }
