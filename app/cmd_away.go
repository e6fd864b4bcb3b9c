package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

func awayAbout() string { return i18n.T("cli.about.away") }

func cmdAway(ctx context.Context, e *cliEnv, args []string) int {
	if len(args) == 0 || isHelp(args[0]) || (args[0] != "list" && helpAt(args, 1)) { // list has flags of its own
		fmt.Fprintf(e.stderr, "%s\n\n%s\n", i18n.T("cli.usage.away"), awayAbout())
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	core, loc, err := e.coreIn(ctx)
	if err != nil {
		return e.fail(err)
	}
	switch args[0] {
	case "list":
		return awayList(ctx, e, core, args[1:], loc)
	case "book", "ignore", "later":
		return awayAnswer(ctx, e, core, args[0], args[1:], loc)
	}
	return e.usage("away", errors.New(i18n.T("cli.away.unknown_action", "action", args[0])))
}

type awayAnswerJSON struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Kind     string    `json:"kind"`
	Project  *string   `json:"project"`
	Note     string    `json:"note"`
	Task     string    `json:"task"`
	Billable bool      `json:"billable"`
	Tags     string    `json:"tags"`
}

type awayJSON struct {
	Start       time.Time        `json:"start"`
	End         time.Time        `json:"end"`
	Minutes     int              `json:"minutes"`
	OpenMinutes int              `json:"open_minutes"`
	Later       bool             `json:"later"`
	Answers     []awayAnswerJSON `json:"answers"`
}

func awayList(ctx context.Context, e *cliEnv, core *application.Core, args []string, loc *time.Location) int {
	fs := newFlagSet(e, "away list", "[--days N] [--format table|json]", awayAbout())
	days := fs.Int("days", 2, i18n.T("cli.flag.away_list.days"))
	format := formatFlag(fs)
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if !checkFormat(e, "away list", *format, "table", "json") {
		return exitUsage
	}
	if *days < 1 || *days > 90 {
		return e.badFlag("away list", errors.New(i18n.T("cli.away.days_range", "days", *days)))
	}
	now := time.Now()
	periods, err := core.AwayPeriods(ctx, now.AddDate(0, 0, -*days), now)
	if err != nil {
		return e.fail(err)
	}
	names, err := projectNamesByID(ctx, e)
	if err != nil {
		return e.fail(err)
	}
	if *format == "json" {
		out := make([]awayJSON, 0, len(periods))
		for _, p := range periods {
			j := awayJSON{Start: p.Start.UTC(), End: p.End.UTC(), Minutes: int(p.Duration() / time.Minute),
				OpenMinutes: int(p.Open / time.Minute), Later: p.Later, Answers: []awayAnswerJSON{}}
			for _, a := range p.Answers {
				aj := awayAnswerJSON{Start: a.Start.UTC(), End: a.End.UTC(), Kind: string(a.Kind), Note: a.Note, Task: a.Task,
					Billable: !a.NotBillable, Tags: a.Tags}
				if a.Kind == application.AwayWork {
					name := names[a.ProjectID]
					aj.Project = &name
				}
				j.Answers = append(j.Answers, aj)
			}
			out = append(out, j)
		}
		return writeJSON(e, out)
	}
	if len(periods) == 0 {
		fmt.Fprintln(e.stdout, i18n.T("cli.away.none"))
		return exitOK
	}
	for _, p := range periods {
		fmt.Fprintln(e.stdout, awayLine(p, names, loc))
	}
	return exitOK
}

func awayLine(p application.AwayPeriod, names map[int64]string, loc *time.Location) string {
	line := fmt.Sprintf("%s → %s (%d min)", p.Start.In(loc).Format("2006-01-02 15:04"), p.End.In(loc).Format("15:04"), int(p.Duration()/time.Minute))
	var parts []string
	for _, a := range p.Answers {
		span := a.Start.In(loc).Format("15:04") + "–" + a.End.In(loc).Format("15:04")
		switch a.Kind {
		case application.AwayWork:
			s := span + " " + names[a.ProjectID]
			if a.Note != "" {
				s += fmt.Sprintf(" %q", a.Note)
			}
			parts = append(parts, s)
		case application.AwayNotWork:
			parts = append(parts, i18n.T("cli.away.not_work", "span", span))
		}
	}
	switch {
	case p.Unanswered() && p.Later:
		parts = append(parts, i18n.T("cli.away.unanswered_later", "min", int(p.Open/time.Minute)))
	case p.Unanswered():
		parts = append(parts, i18n.T("cli.away.unanswered", "min", int(p.Open/time.Minute)))
	}
	return line + "\t" + strings.Join(parts, "; ")
}

// projectNamesByID is the local projects' names by id.
func projectNamesByID(ctx context.Context, e *cliEnv) (map[int64]string, error) {
	ps, err := e.st.Projects(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(ps))
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	return names, nil
}

func awayAnswer(ctx context.Context, e *cliEnv, core *application.Core, action string, args []string, loc *time.Location) int {
	cmd := "away " + action
	want := 1
	if action == "book" {
		want = 2
	}
	if len(args) < want || strings.HasPrefix(args[0], "-") || (want == 2 && strings.HasPrefix(args[1], "-")) {
		return e.usage(cmd, errors.New(map[string]string{
			"book": i18n.T("cli.away.book_args"), "ignore": i18n.T("cli.away.ignore_args"),
			"later": i18n.T("cli.away.later_args")}[action]))
	}
	fs := newFlagSet(e, cmd, "WHEN ...", awayAbout())
	from := fs.String("from", "", i18n.T("cli.flag.away_answer.from"))
	to := fs.String("to", "", i18n.T("cli.flag.away_answer.to"))
	note := fs.String("note", "", i18n.T("cli.flag.away_answer.note"))
	task := fs.String("task", "", i18n.T("cli.flag.away_answer.task"))
	billable := fs.String("billable", "", i18n.T("cli.flag.away_answer.billable"))
	tags := fs.String("tags", "", i18n.T("cli.flag.away_answer.tags"))
	if done, code := parseFlags(fs, args[want:]); done {
		return code
	}
	if fs.NArg() > 0 {
		return e.usage(cmd, errors.New(i18n.T("cli.common.unexpected_argument_quote", "arg", fs.Arg(0))))
	}
	now := time.Now().In(loc)
	when, err := parseClockTime(args[0], now)
	if err != nil {
		return e.usage(cmd, err)
	}
	periods, err := core.AwayPeriods(ctx, when.Add(-24*time.Hour), when.Add(24*time.Hour)) // whole absences around it
	if err != nil {
		return e.fail(err)
	}
	var p *application.AwayPeriod
	for i := range periods {
		if periods[i].Start.Truncate(time.Minute).Equal(when) || (!when.Before(periods[i].Start) && when.Before(periods[i].End)) {
			p = &periods[i]
		}
	}
	if p == nil {
		return e.usage(cmd, errors.New(i18n.T("cli.away.no_absence", "when", when.Format("2006-01-02 15:04"))))
	}
	a := application.AwayBooking{Start: p.Start, End: p.End, Note: *note, Task: *task, Tags: *tags}
	for _, f := range []struct {
		text string
		dst  *time.Time
	}{{*from, &a.Start}, {*to, &a.End}} {
		if f.text == "" {
			continue
		}
		t, err := parseClockTime(f.text, p.Start.In(loc))
		if err != nil {
			return e.usage(cmd, err)
		}
		*f.dst = t
	}
	if a.Start.Before(p.Start) || a.End.After(p.End) || !a.End.After(a.Start) {
		return e.usage(cmd, errors.New(i18n.T("cli.away.outside", "start", p.Start.In(loc).Format("15:04"), "end", p.End.In(loc).Format("15:04"))))
	}
	switch action {
	case "book":
		a.Kind, a.Project = application.AwayWork, args[1]
		billed, err := parseBillable(*billable)
		if err != nil {
			return e.usage(cmd, err)
		}
		a.NotBillable = billed != nil && !*billed
	case "ignore":
		a.Kind = application.AwayNotWork
	case "later":
		a.Kind = application.AwayLater
	}
	err = core.AnswerAway(ctx, []application.AwayBooking{a})
	var unknown *application.UnknownProjectError
	switch {
	case errors.As(err, &unknown):
		return e.usage(cmd, &messageError{i18n.T("cli.common.unknown_project", "err", err.Error()), err})
	case err != nil:
		return e.fail(err)
	}
	span := a.Start.In(loc).Format("15:04") + "–" + a.End.In(loc).Format("15:04")
	switch a.Kind {
	case application.AwayWork:
		fmt.Fprintln(e.stdout, i18n.T("cli.away.booked", "span", span, "project", a.Project))
	case application.AwayNotWork:
		fmt.Fprintln(e.stdout, i18n.T("cli.away.kept_out", "span", span))
	default:
		fmt.Fprintln(e.stdout, i18n.T("cli.away.later", "span", span))
	}
	return exitOK
}
