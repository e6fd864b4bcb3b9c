package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

func pinAbout() string { return i18n.T("cli.about.pin") }

func cmdPin(ctx context.Context, e *cliEnv, args []string) int {
	if helpAt(args, 0) || (len(args) > 0 && (args[0] == "off" || args[0] == "status") && helpAt(args, 1)) {
		fmt.Fprintf(e.stderr, "%s\n\n%s\n", i18n.T("cli.usage.pin"), pinAbout())
		return exitOK
	}
	core, loc, err := e.coreIn(ctx)
	if err != nil {
		return e.fail(err)
	}
	switch {
	case len(args) == 0 || args[0] == "status":
		p, ok, err := core.CurrentPin(ctx)
		if err != nil {
			return e.fail(err)
		}
		if !ok {
			fmt.Fprintln(e.stdout, i18n.T("cli.pin.nothing"))
			return exitOK
		}
		fmt.Fprintln(e.stdout, pinLine(p, loc)+".")
		return exitOK
	case args[0] == "off":
		if len(args) > 1 {
			return e.usage("pin off", errors.New(i18n.T("cli.common.unexpected_argument", "arg", args[1])))
		}
		p, ok, err := core.CurrentPin(ctx)
		if err != nil {
			return e.fail(err)
		}
		if _, err := core.Unpin(ctx); err != nil {
			return e.fail(err)
		}
		if !ok {
			fmt.Fprintln(e.stdout, i18n.T("cli.pin.nothing_was"))
			return exitOK
		}
		fmt.Fprintln(e.stdout, i18n.T("cli.pin.stopped", "project", p.Project, "since", clock(p.Start, loc)))
		return exitOK
	case args[0] == "list":
		return pinList(ctx, e, core, args[1:], loc)
	}
	// pin PROJECT [--until TIME]: the name comes first and may hold spaces when quoted.
	name := args[0]
	if strings.HasPrefix(name, "-") {
		return e.usage("pin", errors.New(i18n.T("cli.pin.project_first")))
	}
	fs := newFlagSet(e, "pin", "PROJECT [--until TIME] [--task NAME] [--billable yes|no] [--tags LIST]", pinAbout())
	until := fs.String("until", "", i18n.T("cli.flag.pin.until"))
	task := fs.String("task", "", i18n.T("cli.flag.pin.task"))
	billable := fs.String("billable", "", i18n.T("cli.flag.pin.billable"))
	tags := fs.String("tags", "", i18n.T("cli.flag.pin.tags"))
	if done, code := parseFlags(fs, args[1:]); done {
		return code
	}
	if fs.NArg() > 0 {
		return e.usage("pin", errors.New(i18n.T("cli.common.unexpected_argument_quote", "arg", fs.Arg(0))))
	}
	var end time.Time
	if *until != "" {
		if end, err = parseClockTime(*until, time.Now().In(loc)); err != nil {
			return e.usage("pin", fmt.Errorf("--until: %w", err))
		}
	}
	billed, err := parseBillable(*billable)
	if err != nil {
		return e.usage("pin", err)
	}
	notBillable := billed != nil && !*billed
	p, err := core.Pin(ctx, application.PinRequest{Project: name, Until: end, Task: *task, NotBillable: notBillable, Tags: *tags})
	var unknown *application.UnknownProjectError
	var badUntil *application.UntilError
	switch {
	case errors.As(err, &unknown):
		return e.usage("pin", &messageError{i18n.T("cli.common.unknown_project", "err", err.Error()), err})
	case errors.As(err, &badUntil):
		return e.usage("pin", err)
	case err != nil:
		return e.fail(err)
	}
	fmt.Fprintln(e.stdout, i18n.T("cli.pin.pinned", "line", pinLine(p, loc)))
	return exitOK
}

func pinLine(p application.PinState, loc *time.Location) string {
	if !p.End.IsZero() {
		return i18n.T("cli.pin.line_until", "project", p.Project, "start", clock(p.Start, loc), "end", clock(p.End, loc))
	}
	return i18n.T("cli.pin.line", "project", p.Project, "start", clock(p.Start, loc))
}

// clock is t as HH:MM, with the date when it is not today.
func clock(t time.Time, loc *time.Location) string {
	t, now := t.In(loc), time.Now().In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// coreIn is the application layer and the configured time zone: what
// the commands that read and write times start from.
func (e *cliEnv) coreIn(ctx context.Context) (*application.Core, *time.Location, error) {
	_, st, err := e.awState(ctx)
	if err != nil {
		return nil, nil, err
	}
	core, err := e.core(ctx)
	return core, st.Config.Location(), err
}

// parseBillable reads --billable: yes or no; "" (or default) is nil, the
// server's default.
func parseBillable(s string) (*bool, error) {
	var b bool
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "default":
		return nil, nil
	case "yes", "on", "true":
		b = true
	case "no", "off", "false":
		b = false
	default:
		return nil, errors.New(i18n.T("cli.common.bad_billable", "value", s))
	}
	return &b, nil
}

// parseClockTime reads HH:MM (on now's day) or YYYY-MM-DD HH:MM, in now's
// zone.
func parseClockTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("15:04", s, now.Location()); err == nil {
		return time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, now.Location()), nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, now.Location()); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New(i18n.T("cli.common.bad_clock", "value", s))
}

type pinJSON struct {
	Project string     `json:"project"`
	Start   time.Time  `json:"start"`
	End     *time.Time `json:"end"` // null: still pinned
}

func pinList(ctx context.Context, e *cliEnv, core *application.Core, args []string, loc *time.Location) int {
	fs := newFlagSet(e, "pin list", "[--from DATE] [--to DATE] [--format table|json]", pinAbout())
	from := fs.String("from", "", i18n.T("cli.flag.pin_list.from"))
	to := fs.String("to", "", i18n.T("cli.flag.pin_list.to"))
	format := fs.String("format", "table", i18n.T("cli.flag.pin_list.format"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if *format != "table" && *format != "json" {
		return e.badFlag("pin list", errors.New(i18n.T("cli.common.format_table_json", "format", *format)))
	}
	start, end, err := dayRange(*from, *to, loc, 6)
	if err != nil {
		return e.badFlag("pin list", err)
	}
	pins, err := core.Pins(ctx, start, end)
	if err != nil {
		return e.fail(err)
	}
	if *format == "json" {
		out := make([]pinJSON, 0, len(pins))
		for _, p := range pins {
			j := pinJSON{Project: p.Project, Start: p.Start.UTC()}
			if !p.End.IsZero() {
				end := p.End.UTC()
				j.End = &end
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	if len(pins) == 0 {
		fmt.Fprintln(e.stdout, i18n.T("cli.pin.none_listed"))
		return exitOK
	}
	for _, p := range pins {
		until := i18n.T("cli.pin.still_pinned")
		if !p.End.IsZero() {
			until = p.End.In(loc).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(e.stdout, "%s → %s\t%s\n", p.Start.In(loc).Format("2006-01-02 15:04"), until, p.Project)
	}
	return exitOK
}
