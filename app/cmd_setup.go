package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// newFlagSet returns a flag set whose errors and help go to stderr.
func newFlagSet(e *cliEnv, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(flagErrors{e.stderr})
	fs.Usage = func() {
		line := "aw-timetracker " + name
		if args != "" {
			line += " " + args
		}
		fmt.Fprint(e.stderr, i18n.T("cli.usage.command", "line", line, "about", about))
		printFlags(e.stderr, fs)
	}
	return fs
}

// flagErrors is the flag package's output, its error lines in the
// language (it writes each one whole, then the usage, which is ours).
type flagErrors struct{ w io.Writer }

var flagErrorForms = []struct {
	re    *regexp.Regexp
	words func(m []string) string
}{
	{regexp.MustCompile(`^flag provided but not defined: (-\S+)$`),
		func(m []string) string { return i18n.T("cli.flag_error.undefined", "flag", m[1]) }},
	{regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?(-\S+): (.*)$`),
		func(m []string) string {
			return i18n.T("cli.flag_error.invalid", "value", m[1], "flag", m[2], "err", m[3])
		}},
	{regexp.MustCompile(`^flag needs an argument: (-\S+)$`),
		func(m []string) string { return i18n.T("cli.flag_error.needs_value", "flag", m[1]) }},
}

func (f flagErrors) Write(p []byte) (int, error) {
	line := strings.TrimSuffix(string(p), "\n")
	for _, form := range flagErrorForms {
		if m := form.re.FindStringSubmatch(line); m != nil {
			if _, err := fmt.Fprintln(f.w, form.words(m)); err != nil {
				return 0, err
			}
			return len(p), nil
		}
	}
	return f.w.Write(p)
}

// printFlags lists a command's flags as flag.PrintDefaults does, in the
// language: the value's kind, the description, and the default when a
// person would not guess it (none for "", 0, false and the -1 that means
// "not given"). Backquotes in a description are kept as they are
// (PrintDefaults would take `pin off` for the value's name).
func printFlags(w io.Writer, fs *flag.FlagSet) {
	header := false
	fs.VisitAll(func(f *flag.Flag) {
		if !header { // none for a command without flags
			fmt.Fprintf(w, "\n%s\n", i18n.T("cli.usage.flags"))
			header = true
		}
		line := "  -" + f.Name
		kind, _ := flag.UnquoteUsage(&flag.Flag{Value: f.Value}) // the value's kind alone: "string", "int", "" for a bool
		isString := kind == "string"
		switch kind {
		case "":
		case "string":
			line += " " + i18n.T("cli.usage.type.string")
		case "int", "uint", "float":
			line += " " + i18n.T("cli.usage.type.number")
		case "duration":
			line += " " + i18n.T("cli.usage.type.duration")
		default:
			line += " " + i18n.T("cli.usage.type.value")
		}
		usage := f.Usage
		switch def := f.DefValue; {
		case def == "" || def == "0" || def == "false" || def == "-1":
		case isString:
			usage += " " + i18n.T("cli.usage.default", "value", strconv.Quote(def))
		default:
			usage += " " + i18n.T("cli.usage.default", "value", def)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
	})
}

// parseFlags returns (done, code): done is true when the command should
// stop (help shown or bad flags).
func parseFlags(fs *flag.FlagSet, args []string) (bool, int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, exitOK
		}
		return true, exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(fs.Output(), i18n.T("cli.common.unexpected_argument", "arg", fs.Arg(0)))
		fs.Usage()
		return true, exitUsage
	}
	return false, 0
}

// parseAll parses flags wherever they stand among the arguments (flag's
// own Parse stops at the first argument: "blocks edit ID --notes X") and
// returns the arguments.
func parseAll(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if args = fs.Args(); len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

func cmdSetup(ctx context.Context, e *cliEnv, args []string) int {
	fs := newFlagSet(e, "setup", i18n.T("cli.args.setup_flags"),
		i18n.T("cli.about.setup"))
	awURL := fs.String("aw-url", "", i18n.T("cli.flag.setup.aw_url"))
	buckets := fs.String("buckets", "", i18n.T("cli.flag.setup.buckets"))
	lookback := fs.String("lookback-days", "", i18n.T("cli.flag.setup.lookback_days"))
	project := fs.String("default-project", "", i18n.T("cli.flag.setup.default_project"))
	autoSync := fs.String("auto-sync", "", i18n.T("cli.flag.setup.auto_sync"))
	dailyAt := fs.String("daily-at", "", i18n.T("cli.flag.setup.daily_at"))
	zone := fs.String("timezone", "", i18n.T("cli.flag.setup.timezone"))
	keyStdin := fs.Bool("aw-api-key-stdin", false, i18n.T("cli.flag.setup.aw_api_key_stdin"))
	clearKey := fs.Bool("clear-aw-api-key", false, i18n.T("cli.flag.setup.clear_aw_api_key"))
	awayMinutes := fs.String("away-minutes", "", i18n.T("cli.flag.setup.away_minutes"))
	language := fs.String("language", "", i18n.T("cli.flag.setup.language"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	_, state, err := e.awState(ctx)
	if err != nil {
		return e.fail(err)
	}
	cfg := state.Config
	var problems []string
	if given["aw-url"] {
		cfg.ServerURL = *awURL
	}
	if given["buckets"] {
		cfg.BucketIDs = strings.TrimSpace(*buckets)
	}
	if given["lookback-days"] {
		n, err := strconv.Atoi(strings.TrimSpace(*lookback))
		if err != nil {
			problems = append(problems, i18n.T("cli.setup.lookback_not_number", "value", *lookback))
		} else {
			cfg.LookbackDays = n
		}
	}
	if given["auto-sync"] {
		on, interval, err := config.IntervalFromFlag(*autoSync)
		if err != nil {
			problems = append(problems, i18n.T("cli.setup.auto_sync_invalid", "err", err.Error()))
		} else {
			cfg.AutoSync, cfg.SyncInterval = on, interval
		}
	}
	if given["daily-at"] {
		cfg.DailyAt = strings.TrimSpace(*dailyAt)
	}
	if given["timezone"] {
		cfg.Timezone = strings.TrimSpace(*zone)
	}
	if given["language"] {
		cfg.Language = strings.ToLower(strings.TrimSpace(*language))
	}
	if given["away-minutes"] {
		switch v := strings.ToLower(strings.TrimSpace(*awayMinutes)); v {
		case "off", "0":
			cfg.AwayMinutes = 0
		default:
			n, err := strconv.Atoi(v)
			if err != nil {
				problems = append(problems, i18n.T("cli.setup.away_not_number", "value", *awayMinutes))
			} else {
				cfg.AwayMinutes = n
			}
		}
	}
	if *clearKey {
		cfg.APIKey = ""
	}
	if *keyStdin {
		key, err := readSecret(e, i18n.T("cli.setup.aw_api_key"))
		if key == "" {
			problems = append(problems, i18n.T("cli.setup.aw_api_key_empty", "err", fmt.Sprint(err)))
		}
		cfg.APIKey = key
	}
	if err := cfg.Validate(); err != nil {
		problems = append(problems, strings.Split(err.Error(), "\n")...)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(e.stderr, "aw-timetracker setup:", p)
		}
		fmt.Fprintln(e.stderr, i18n.T("cli.setup.nothing_saved"))
		return exitUsage
	}
	if given["default-project"] {
		cfg.DefaultProjectID = 0
		if name := strings.TrimSpace(*project); name != "" {
			p, err := e.st.ProjectByName(ctx, name)
			if err != nil {
				if p, err = e.st.AddProject(ctx, name); err != nil {
					return e.fail(err)
				}
				fmt.Fprintln(e.stdout, i18n.T("cli.setup.created_project", "name", p.Name))
			}
			cfg.DefaultProjectID = p.ID
		}
	}
	core, err := e.core(ctx)
	if err != nil {
		return e.fail(err)
	}
	res, err := core.Setup(ctx, state.Config, cfg)
	if err != nil {
		var missing *syncer.MissingBucketsError
		fmt.Fprintln(e.stderr, "aw-timetracker setup:", i18n.T("cli.setup.test_failed"))
		fmt.Fprintln(e.stderr, "  "+err.Error())
		if errors.As(err, &missing) {
			fmt.Fprintln(e.stderr, i18n.T("cli.setup.buckets_hint"))
		}
		fmt.Fprintln(e.stderr, i18n.T("cli.setup.stays_inactive"))
		return exitFailed
	}
	if given["language"] { // the rest of this command speaks it already
		if err := i18n.Use(cfg.Language); err != nil {
			e.log.Warn().Err(err).Msg("choosing the language")
		}
	}
	fmt.Fprintln(e.stdout, res.Message())
	for _, id := range res.Selected {
		fmt.Fprintln(e.stdout, i18n.T("cli.setup.import", "bucket", id))
	}
	fmt.Fprintln(e.stdout, i18n.N("cli.setup.saved", cfg.LookbackDays, "schedule", scheduleLabel(cfg)))
	return exitOK
}
