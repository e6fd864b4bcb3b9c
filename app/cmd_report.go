package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
)

func cmdReport(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "report", "[--from DATE] [--to DATE] [--format table|csv|json]",
		i18n.T("cli.about.report"))
	from := fs.String("from", "", i18n.T("cli.flag.report.from"))
	to := fs.String("to", "", i18n.T("cli.flag.report.to"))
	format := fs.String("format", "table", i18n.T("cli.flag.report.format"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if !checkFormat(e, "report", *format, "table", "csv", "json") {
		return exitUsage
	}
	_, st, err := e.awState(ctx)
	if err != nil {
		return e.fail(err)
	}
	loc := st.Config.Location()
	first, end, err := dayRange(*from, *to, loc, 6)
	if err != nil {
		return e.badFlag("report", err)
	}
	core, err := e.core(ctx)
	if err != nil {
		return e.fail(err)
	}
	rows, err := core.DayRows(ctx, first, end, loc)
	if err != nil {
		return e.fail(err)
	}
	if rows == nil {
		rows = []report.Row{}
	}
	switch *format {
	case "json":
		return writeJSON(e, rows)
	case "csv":
		w := csv.NewWriter(e.stdout)
		_ = w.Write([]string{"date", "project", "seconds"})
		for _, r := range rows {
			p := ""
			if r.Project != nil {
				p = *r.Project
			}
			_ = w.Write([]string{r.Date, p, strconv.FormatInt(r.Seconds, 10)})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, i18n.T("cli.report.header_days"))
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", r.Date, projectLabel(r.Project), i18n.Duration(time.Duration(r.Seconds)*time.Second))
	}
	tw.Flush()
	fmt.Fprintln(e.stdout)
	var total int64
	tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, i18n.T("cli.report.header_projects"))
	for _, p := range report.ByProject(rows) {
		total += p.Seconds
		fmt.Fprintf(tw, "%s\t%s\t\n", projectLabel(p.Project), i18n.Duration(time.Duration(p.Seconds)*time.Second))
	}
	fmt.Fprintf(tw, "%s\t%s\t\n", i18n.T("cli.report.all"), i18n.Duration(time.Duration(total)*time.Second))
	tw.Flush()
	return exitOK
}

func projectLabel(p *string) string {
	if p == nil {
		return i18n.T("cli.report.no_project")
	}
	return *p
}
