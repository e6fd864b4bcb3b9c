package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func cmdEntries(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "entries", "[--from DATE] [--to DATE] [--format table|csv|json]",
		"Lists time entries whose start lies in the given days (default: today),\n"+
			"in the configured time zone.")
	from := fs.String("from", "", "first day, YYYY-MM-DD (default: today)")
	to := fs.String("to", "", "last day, inclusive, YYYY-MM-DD (default: --from)")
	format := fs.String("format", "table", "output format: table, csv or json")
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		fmt.Fprintf(e.stderr, "aw-timetracker entries: --format %q is not one of table, csv, json\n", *format)
		return exitUsage
	}
	svc, err := e.service(ctx)
	if err != nil {
		return e.fail(err)
	}
	st, err := svc.State(ctx)
	if err != nil {
		return e.fail(err)
	}
	loc := st.Config.Location()
	now := time.Now().In(loc)
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if *from != "" {
		if start, err = parseDate(*from, loc); err != nil {
			fmt.Fprintln(e.stderr, "aw-timetracker entries: --from:", err)
			return exitUsage
		}
	}
	last := start
	if *to != "" {
		if last, err = parseDate(*to, loc); err != nil {
			fmt.Fprintln(e.stderr, "aw-timetracker entries: --to:", err)
			return exitUsage
		}
	}
	// AddDate on the local date: a DST day is 23 or 25 hours long.
	end := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, loc)
	if !end.After(start) {
		fmt.Fprintf(e.stderr, "aw-timetracker entries: --to %s is before --from %s\n", *to, *from)
		return exitUsage
	}
	entries, err := e.st.Entries(ctx, start, end)
	if err != nil {
		return e.fail(err)
	}
	switch *format {
	case "json":
		return writeJSON(e, entries)
	case "csv":
		return writeCSV(e, entries)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "START\tEND\tDURATION\tPROJECT\tNOTES")
	var total int64
	for _, en := range entries {
		total += en.DurationSeconds
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", en.Start.Format("2006-01-02 15:04:05"), en.End.Format("15:04:05"),
			formatDuration(time.Duration(en.DurationSeconds)*time.Second), en.ProjectName, truncate(en.Notes, 80))
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d entries, %s\n", len(entries), formatDuration(time.Duration(total)*time.Second))
	return exitOK
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

type entryJSON struct {
	ID              int64  `json:"id"`
	ProjectID       *int64 `json:"project_id"`
	Project         string `json:"project,omitempty"`
	StartTime       string `json:"start_time"`
	EndTime         string `json:"end_time"`
	DurationSeconds int64  `json:"duration_seconds"`
	Notes           string `json:"notes"`
	Source          string `json:"source"`
	Bucket          string `json:"bucket,omitempty"`
}

func toJSON(en store.Entry) entryJSON {
	j := entryJSON{ID: en.ID, Project: en.ProjectName, StartTime: en.Start.Format(time.RFC3339), EndTime: en.End.Format(time.RFC3339),
		DurationSeconds: en.DurationSeconds, Notes: en.Notes, Source: en.Source, Bucket: en.BucketID}
	if en.ProjectID != 0 {
		id := en.ProjectID
		j.ProjectID = &id
	}
	return j
}

func writeJSON(e *cliEnv, entries []store.Entry) int {
	out := make([]entryJSON, len(entries))
	for i, en := range entries {
		out[i] = toJSON(en)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return e.fail(err)
	}
	return exitOK
}

func writeCSV(e *cliEnv, entries []store.Entry) int {
	w := csv.NewWriter(e.stdout)
	_ = w.Write([]string{"id", "start_time", "end_time", "duration_seconds", "project", "notes", "source", "bucket"})
	for _, en := range entries {
		_ = w.Write([]string{strconv.FormatInt(en.ID, 10), en.Start.Format(time.RFC3339), en.End.Format(time.RFC3339),
			strconv.FormatInt(en.DurationSeconds, 10), en.ProjectName, en.Notes, en.Source, en.BucketID})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return e.fail(err)
	}
	return exitOK
}
