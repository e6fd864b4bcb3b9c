package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

func cmdEntries(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "entries", "[--from DATE] [--to DATE] [--format table|csv|json]",
		i18n.T("cli.about.entries"))
	from := fs.String("from", "", i18n.T("cli.flag.entries.from"))
	to := fs.String("to", "", i18n.T("cli.flag.entries.to"))
	format := fs.String("format", "table", i18n.T("cli.flag.entries.format"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		fmt.Fprintln(e.stderr, "aw-timetracker entries:", i18n.T("cli.common.bad_format", "format", *format, "allowed", "table, csv, json"))
		return exitUsage
	}
	_, st, err := e.awState(ctx)
	if err != nil {
		return e.fail(err)
	}
	start, end, err := dayRange(*from, *to, st.Config.Location(), 0)
	if err != nil {
		return e.badFlag("entries", err)
	}
	core, err := e.core(ctx)
	if err != nil {
		return e.fail(err)
	}
	entries, err := core.Entries(ctx, start, end) // time booked after an absence too
	if err != nil {
		return e.fail(err)
	}
	switch *format {
	case "json":
		if err := application.WriteJSON(e.stdout, entries); err != nil {
			return e.fail(err)
		}
		return exitOK
	case "csv":
		if err := application.WriteCSV(e.stdout, entries); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T("cli.entries.header"))
	var total int64
	for _, en := range entries {
		total += en.DurationSeconds
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", en.Start.Format("2006-01-02 15:04:05"), en.End.Format("15:04:05"),
			i18n.Duration(time.Duration(en.DurationSeconds)*time.Second), en.ProjectName, truncate(en.Notes, 80))
	}
	tw.Flush()
	fmt.Fprintln(e.stdout, i18n.N("cli.entries.total", len(entries), "total", i18n.Duration(time.Duration(total)*time.Second)))
	return exitOK
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
