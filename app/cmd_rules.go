package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
)

func rulesUsage() string { return i18n.T("cli.usage.rules") }

func cmdRules(ctx context.Context, e *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, rulesUsage())
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	core, err := e.core(ctx)
	if err != nil {
		return e.fail(err)
	}
	switch args[0] {
	case "list":
		return rulesList(ctx, e, core, args[1:])
	case "add":
		return rulesAdd(ctx, e, core, args[1:])
	case "edit":
		return rulesEdit(ctx, e, core, args[1:])
	case "remove":
		return rulesRemove(ctx, e, core, args[1:])
	case "move":
		return rulesMove(ctx, e, core, args[1:])
	case "test":
		return rulesTest(ctx, e, core, args[1:])
	case "import":
		return rulesImport(ctx, e, core, args[1:])
	}
	fmt.Fprintln(e.stderr, "aw-timetracker rules:", i18n.T("cli.rules.unknown_action", "action", args[0]))
	return exitUsage
}

// ruleJSON is one rule of `rules list --format json` (a contract).
type ruleJSON struct {
	ID         int64   `json:"id"`
	Position   int     `json:"position"`
	Action     string  `json:"action"`
	Project    *string `json:"project"`
	Match      string  `json:"match"`
	App        string  `json:"app"`
	Title      string  `json:"title"`
	URL        string  `json:"url"`
	IgnoreCase bool    `json:"ignore_case"`
	Source     string  `json:"source"`
	Task       string  `json:"task"`     // a TimeTracker task of the project, "" none
	Billable   *bool   `json:"billable"` // null: the server's default (billable)
	Tags       string  `json:"tags"`     // added to "activitywatch"
}

func formatFlag(fs *flag.FlagSet) *string {
	return fs.String("format", "table", i18n.T("cli.flag.common.format"))
}

func checkFormat(e *cliEnv, cmd, format string, allowed ...string) bool {
	for _, a := range allowed {
		if format == a {
			return true
		}
	}
	fmt.Fprintf(e.stderr, "aw-timetracker %s: %s\n", cmd, i18n.T("cli.common.bad_format", "format", format, "allowed", strings.Join(allowed, ", ")))
	return false
}

func rulesList(ctx context.Context, e *cliEnv, core *application.Core, args []string) int {
	fs := newFlagSet(e, "rules list", "[--format table|json]", i18n.T("cli.about.rules_list"))
	format := formatFlag(fs)
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if !checkFormat(e, "rules list", *format, "table", "json") {
		return exitUsage
	}
	rs, err := core.Rules(ctx)
	if err != nil {
		return e.fail(err)
	}
	if *format == "json" {
		out := make([]ruleJSON, len(rs))
		for i, r := range rs {
			out[i] = ruleJSON{ID: r.ID, Position: r.Position, Action: string(r.Action), Match: r.Match, App: r.App, Title: r.Title,
				URL: r.URL, IgnoreCase: r.IgnoreCase, Source: string(r.Source), Task: r.Task, Billable: r.Billable, Tags: r.Tags}
			if r.Project != "" {
				p := r.Project
				out[i].Project = &p
			}
		}
		return writeJSON(e, out)
	}
	if len(rs) == 0 {
		fmt.Fprintln(e.stdout, i18n.T("cli.rules.none"))
		return exitOK
	}
	printRules(e.stdout, rs)
	return exitOK
}

func printRules(w io.Writer, rs []rules.Rule) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T("cli.rules.header"))
	for _, r := range rs {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", r.Position, r.ID, r.Action, projectText(r), r.Conditions(), r.Source)
	}
	tw.Flush()
}

// projectText is the rule's project with what it says about the time on
// TimeTracker: task, billable, tags.
func projectText(r rules.Rule) string {
	s := orDash(r.Project)
	if r.Task != "" {
		s = i18n.T("cli.rules.with_task", "project", s, "task", r.Task)
	}
	if r.Billable != nil && !*r.Billable {
		s = i18n.T("cli.rules.not_billable", "project", s)
	}
	if r.Tags != "" {
		s += " [" + r.Tags + "]"
	}
	return s
}

// ruleFlags are the flags of add and edit.
type ruleFlags struct {
	fs                          *flag.FlagSet
	project                     *string
	exclude, redact, ignoreCase *bool
	match, app, title, url      *string
	task, billable, tags        *string
	position                    *int
	given                       map[string]bool
}

func newRuleFlags(e *cliEnv, name, args, about string) *ruleFlags {
	f := &ruleFlags{fs: newFlagSet(e, name, args, about)}
	f.project = f.fs.String("project", "", i18n.T("cli.flag.rules_rule.project"))
	f.exclude = f.fs.Bool("exclude", false, i18n.T("cli.flag.rules_rule.exclude"))
	f.redact = f.fs.Bool("redact", false, i18n.T("cli.flag.rules_rule.redact"))
	f.match = f.fs.String("match", "", i18n.T("cli.flag.rules_rule.match"))
	f.app = f.fs.String("app", "", i18n.T("cli.flag.rules_rule.app"))
	f.title = f.fs.String("title", "", i18n.T("cli.flag.rules_rule.title"))
	f.url = f.fs.String("url", "", i18n.T("cli.flag.rules_rule.url"))
	f.ignoreCase = f.fs.Bool("ignore-case", false, i18n.T("cli.flag.rules_rule.ignore_case"))
	f.position = f.fs.Int("position", 0, i18n.T("cli.flag.rules_rule.position"))
	f.task = f.fs.String("task", "", i18n.T("cli.flag.rules_rule.task"))
	f.billable = f.fs.String("billable", "", i18n.T("cli.flag.rules_rule.billable"))
	f.tags = f.fs.String("tags", "", i18n.T("cli.flag.rules_rule.tags"))
	return f
}

func (f *ruleFlags) parse(args []string, positional int) ([]string, bool, int) {
	pos, err := parseAll(f.fs, args) // flags may follow the id
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, true, exitOK
		}
		return nil, true, exitUsage
	}
	if len(pos) != positional {
		fmt.Fprintln(f.fs.Output(), i18n.N("cli.rules.arguments", positional, "got", fmt.Sprintf("%q", pos)))
		f.fs.Usage()
		return nil, true, exitUsage
	}
	f.given = map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { f.given[fl.Name] = true })
	return pos, false, 0
}

// apply sets the given flags on r.
func (f *ruleFlags) apply(r *rules.Rule) error {
	actions := 0
	for _, a := range []string{"project", "exclude", "redact"} {
		if f.given[a] {
			actions++
		}
	}
	if actions > 1 {
		return errors.New(i18n.T("cli.rules.one_action"))
	}
	switch {
	case f.given["project"]:
		if strings.TrimSpace(*f.project) == "" {
			return errors.New(i18n.T("cli.rules.project_name"))
		}
		r.Action, r.Project = rules.ActionProject, strings.TrimSpace(*f.project)
	case f.given["exclude"] && *f.exclude:
		r.Action, r.Project = rules.ActionExclude, ""
	case f.given["redact"] && *f.redact:
		r.Action, r.Project = rules.ActionRedact, ""
	}
	for _, c := range []struct {
		name     string
		dst, src *string
	}{{"match", &r.Match, f.match}, {"app", &r.App, f.app}, {"title", &r.Title, f.title}, {"url", &r.URL, f.url}} {
		if f.given[c.name] {
			*c.dst = strings.TrimSpace(*c.src)
		}
	}
	if f.given["ignore-case"] {
		r.IgnoreCase = *f.ignoreCase
	}
	if f.given["task"] {
		r.Task = strings.TrimSpace(*f.task)
	}
	if f.given["tags"] {
		r.Tags = strings.TrimSpace(*f.tags)
	}
	if f.given["billable"] {
		b, err := parseBillable(*f.billable)
		if err != nil {
			return err
		}
		r.Billable = b
	}
	if r.Action != rules.ActionProject && r.Action != "" {
		r.Task, r.Billable, r.Tags = "", nil, "" // they go with a project
		if f.given["task"] || f.given["billable"] || f.given["tags"] {
			return errors.New(i18n.T("cli.rules.extras_with_project"))
		}
	}
	if r.Action == "" {
		return errors.New(i18n.T("cli.rules.no_action"))
	}
	if r.Match+r.App+r.Title+r.URL == "" {
		return errors.New(i18n.T("cli.rules.no_condition"))
	}
	return nil
}

// checkPosition says what is wrong with a --position given for a list of
// n rules (1 to n; the flag's 0 means "not given": last).
func (f *ruleFlags) checkPosition(n int) error {
	if p := *f.position; f.given["position"] && (p < 1 || p > n) {
		return errors.New(i18n.T("cli.rules.position_range", "pos", p, "max", n))
	}
	return nil
}

// place moves rule i of rs to position pos (1-based; 0, not given: last).
func place(rs []rules.Rule, i, pos int) []rules.Rule {
	r := rs[i]
	rs = append(rs[:i:i], rs[i+1:]...)
	if pos < 1 || pos > len(rs)+1 {
		pos = len(rs) + 1
	}
	return append(rs[:pos-1:pos-1], append([]rules.Rule{r}, rs[pos-1:]...)...)
}

func rulesAdd(ctx context.Context, e *cliEnv, core *application.Core, args []string) int {
	f := newRuleFlags(e, "rules add", "(--project NAME [--task NAME] [--billable yes|no] [--tags LIST] | --exclude | --redact) [--match RE] [--app RE] [--title RE] [--url RE] [--ignore-case] [--position N]",
		i18n.T("cli.about.rules_add"))
	if _, done, code := f.parse(args, 0); done {
		return code
	}
	var r rules.Rule
	r.Source = rules.SourceUser
	if err := f.apply(&r); err != nil {
		return e.usage("rules add", err)
	}
	rs, err := core.Rules(ctx)
	if err != nil {
		return e.fail(err)
	}
	if err := f.checkPosition(len(rs) + 1); err != nil {
		return e.usage("rules add", err)
	}
	rs = place(append(rs, r), len(rs), *f.position)
	return e.saveRules(ctx, core, "rules add", rs, r.Project)
}

func ruleIndex(rs []rules.Rule, arg string) (int, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return 0, errors.New(i18n.T("cli.rules.not_an_id", "arg", arg))
	}
	for i, r := range rs {
		if r.ID == id {
			return i, nil
		}
	}
	noRule := classify.ErrNoRule{ID: id}
	return 0, &messageError{i18n.T("cli.rules.no_rule", "err", noRule.Error()), noRule}
}

func rulesEdit(ctx context.Context, e *cliEnv, core *application.Core, args []string) int {
	f := newRuleFlags(e, "rules edit", i18n.T("cli.args.rules_edit"), i18n.T("cli.about.rules_edit"))
	pos, done, code := f.parse(args, 1)
	if done {
		return code
	}
	rs, err := core.Rules(ctx)
	if err != nil {
		return e.fail(err)
	}
	i, err := ruleIndex(rs, pos[0])
	if err != nil {
		return e.usage("rules edit", err)
	}
	if err := f.apply(&rs[i]); err != nil {
		return e.usage("rules edit", err)
	}
	project := ""
	if f.given["project"] {
		project = rs[i].Project
	}
	if err := f.checkPosition(len(rs)); err != nil {
		return e.usage("rules edit", err)
	}
	if f.given["position"] {
		rs = place(rs, i, *f.position)
	}
	return e.saveRules(ctx, core, "rules edit", rs, project)
}

func rulesRemove(ctx context.Context, e *cliEnv, core *application.Core, args []string) int {
	fs := newFlagSet(e, "rules remove", "ID", i18n.T("cli.about.rules_remove"))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		return e.usage("rules remove", errors.New(i18n.T("cli.rules.remove_id")))
	}
	rs, err := core.Rules(ctx)
	if err != nil {
		return e.fail(err)
	}
	i, err := ruleIndex(rs, fs.Arg(0))
	if err != nil {
		return e.usage("rules remove", err)
	}
	return e.saveRules(ctx, core, "rules remove", append(rs[:i:i], rs[i+1:]...), "")
}

func rulesMove(ctx context.Context, e *cliEnv, core *application.Core, args []string) int {
	f := newRuleFlags(e, "rules move", "ID --position N", i18n.T("cli.about.rules_move"))
	pos, done, code := f.parse(args, 1)
	if done {
		return code
	}
	if !f.given["position"] || len(f.given) > 1 { // the other flags are add's and edit's
		return e.usage("rules move", errors.New(i18n.T("cli.rules.position")))
	}
	rs, err := core.Rules(ctx)
	if err != nil {
		return e.fail(err)
	}
	i, err := ruleIndex(rs, pos[0])
	if err != nil {
		return e.usage("rules move", err)
	}
	if err := f.checkPosition(len(rs)); err != nil {
		return e.usage("rules move", err)
	}
	return e.saveRules(ctx, core, "rules move", place(rs, i, *f.position), "")
}

// saveRules stores a changed list; the engine (the running app's, or one
// here) applies it. A list the rules package refuses, or one naming a
// project that does not exist, is bad input: exit 2, nothing changed.
func (e *cliEnv) saveRules(ctx context.Context, core *application.Core, cmd string, rs []rules.Rule, checkProject string) int {
	if checkProject != "" {
		if _, err := e.st.ProjectByName(ctx, checkProject); err != nil {
			return e.usage(cmd, &push.NotFoundError{What: "local project", Name: checkProject})
		}
	}
	saved, err := core.SaveRules(ctx, rs)
	var pe *rules.PatternError
	var re *rules.RuleError
	if errors.As(err, &pe) || errors.As(err, &re) {
		return e.usage(cmd, err)
	}
	if err != nil {
		return e.fail(err)
	}
	printRules(e.stdout, saved)
	return e.applyRules(ctx)
}

// applyRules has the engine apply the saved rules to all stored activity
// and rebuild the blocks (pushed ones are updated at the next push).
func (e *cliEnv) applyRules(ctx context.Context) int {
	core, err := e.core(ctx)
	if err != nil {
		return e.fail(err)
	}
	a, err := core.ApplyRules(ctx)
	if err != nil {
		return e.fail(err)
	}
	return e.printApplied(a)
}

// printApplied says what applying the rules changed.
func (e *cliEnv) printApplied(a classify.Applied) int {
	fmt.Fprintln(e.stdout, i18n.N("cli.rules.applied", a.Events, "projects", a.Projects, "removed", a.Excluded, "redacted", a.Redacted,
		"took", a.Took.Round(time.Millisecond).String()))
	if a.Timeouts > 0 {
		fmt.Fprintln(e.stderr, i18n.N("cli.rules.timeouts", int(a.Timeouts)))
	}
	return exitOK
}

// usage reports bad input to a command that changes things: exit 2,
// nothing changed.
func (e *cliEnv) usage(cmd string, err error) int {
	fmt.Fprintf(e.stderr, "aw-timetracker %s: %s\n", cmd, i18n.T("cli.common.nothing_changed", "err", explain(err)))
	return exitUsage
}

// badFlag reports bad input to a command that only reads: exit 2.
func (e *cliEnv) badFlag(cmd string, err error) int {
	fmt.Fprintf(e.stderr, "aw-timetracker %s: %s\n", cmd, explain(err))
	return exitUsage
}

// decisionJSON is `rules test --format json` (a contract).
type decisionJSON struct {
	Project *string `json:"project"`
	Action  *string `json:"action"`
	RuleID  *int64  `json:"rule_id"`
}

func rulesTest(ctx context.Context, e *cliEnv, core *application.Core, args []string) int {
	fs := newFlagSet(e, "rules test", "[--app A] [--title T] [--url U] [--format table|json]",
		i18n.T("cli.about.rules_test"))
	app := fs.String("app", "", i18n.T("cli.flag.rules_test.app"))
	title := fs.String("title", "", i18n.T("cli.flag.rules_test.title"))
	url := fs.String("url", "", i18n.T("cli.flag.rules_test.url"))
	format := formatFlag(fs)
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if !checkFormat(e, "rules test", *format, "table", "json") {
		return exitUsage
	}
	d, verdicts, project, err := core.TestRule(ctx, rules.Activity{App: *app, Title: *title, URL: *url})
	if err != nil {
		return e.fail(err)
	}
	var out decisionJSON
	if project != "" {
		out.Project = &project
	}
	winner := d.ProjectRule
	if d.PrivacyRule != nil {
		winner = d.PrivacyRule
	}
	if winner != nil {
		a, id := string(winner.Action), winner.ID
		out.Action, out.RuleID = &a, &id
	}
	if *format == "json" {
		return writeJSON(e, out)
	}
	switch {
	case d.Excluded:
		fmt.Fprintln(e.stdout, i18n.T("cli.rules.test.excluded", "id", winner.ID))
	case d.Redacted:
		fmt.Fprintln(e.stdout, i18n.T("cli.rules.test.redacted", "project", orDash(project), "id", d.PrivacyRule.ID))
	case d.ProjectRule != nil:
		fmt.Fprintln(e.stdout, i18n.T("cli.rules.test.project", "project", project, "id", d.ProjectRule.ID))
	default:
		fmt.Fprintln(e.stdout, i18n.T("cli.rules.test.default", "project", orDash(project)))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, v := range verdicts {
		if !v.Matched {
			continue
		}
		state := i18n.T("cli.rules.test.lost")
		if v.Decides {
			state = i18n.T("cli.rules.test.decides")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", i18n.T("cli.rules.test.rule", "id", v.Rule.ID, "pos", v.Rule.Position), state, v.Rule.Conditions(), v.Reason)
	}
	tw.Flush()
	return exitOK
}

func rulesImport(ctx context.Context, e *cliEnv, core *application.Core, args []string) int {
	fs := newFlagSet(e, "rules import", "[--dry-run]",
		i18n.T("cli.about.rules_import"))
	dry := fs.Bool("dry-run", false, i18n.T("cli.flag.rules_import.dry_run"))
	if done, code := parseFlags(fs, args); done {
		return code
	}
	st, err := core.State(ctx)
	if err != nil {
		return e.fail(err)
	}
	plan, err := core.PlanImport(ctx, st.Config)
	if err != nil {
		return e.fail(err)
	}
	printImportPlan(e.stdout, plan)
	if *dry {
		return exitOK
	}
	a, err := core.ImportCategories(ctx, plan)
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprint(e.stdout, i18n.T("cli.rules.import.done"))
	return e.printApplied(a)
}

func printImportPlan(w io.Writer, p classify.ImportPlan) {
	if p.FromDefault {
		fmt.Fprintln(w, i18n.N("cli.rules.import.plan_default", p.Categories, "added", p.Added, "updated", p.Updated, "removed", p.Removed))
	} else {
		fmt.Fprintln(w, i18n.N("cli.rules.import.plan", p.Categories, "added", p.Added, "updated", p.Updated, "removed", p.Removed))
	}
	if len(p.NewProjects) > 0 {
		fmt.Fprintln(w, i18n.T("cli.rules.import.new_projects", "names", strings.Join(p.NewProjects, ", ")))
	}
}

func writeJSON(e *cliEnv, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // project names hold ">"
	if err := enc.Encode(v); err != nil {
		return e.fail(err)
	}
	return exitOK
}
