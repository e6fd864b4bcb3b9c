// Package rules decides what a piece of active time was for: which local
// project it goes to, and whether it may be kept at all.
//
// Rules are an ordered list. Project rules name a project; the first one
// that matches an activity decides (no match: no project, the caller's
// default). Privacy rules stand apart from that order: any matching
// exclude rule wins over everything, and a redact rule combines with the
// project. ActivityWatch users already wrote their categories as regexes
// on app and title; ImportRules turns them into project rules ordered so
// that first-match gives exactly ActivityWatch's answer.
//
// Patterns mean what they mean to ActivityWatch's server (Python's re with
// search semantics), not what RE2 would make of them: see compilePattern.
package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Action is what a rule does when it matches.
type Action string

const (
	ActionProject Action = "project" // the activity goes to Rule.Project
	ActionExclude Action = "exclude" // the activity is never stored
	ActionRedact  Action = "redact"  // title and URL are never stored
)

// Source tells who wrote a rule: imports replace only their own.
type Source string

const (
	SourceUser          Source = "user"
	SourceActivityWatch Source = "activitywatch"
)

// Rule is one entry of the ordered list.
type Rule struct {
	ID       int64
	Position int // 1 = first
	Action   Action
	Project  string // local project name; set iff Action is ActionProject

	// Conditions: regexes, "" = not a condition. All given ones must hold.
	Match string // app or title (what ActivityWatch categories test)
	App   string
	Title string
	URL   string // the page the browser showed; never matches an activity without one

	IgnoreCase bool
	Source     Source

	Category []string // imported: the ActivityWatch category path
	Color    string   // imported: the category's colour as ActivityWatch shows it

	// What a project rule also says about its time on TimeTracker.
	Task     string // a task of the project, by name; "" = none
	Billable *bool  // nil: the server's default (billable)
	Tags     string // comma-separated, added to "activitywatch"
}

// Key names what the rule decides and on what: equal for equal rules
// whatever their id or place. Time an exclude rule removed is kept under
// it, so that time comes back when the rule changes or goes.
func (r Rule) Key() string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%s\x00%t", r.Action, r.Match, r.App, r.Title, r.URL, r.IgnoreCase)))
	return hex.EncodeToString(sum[:12])
}

// Validate reports what is wrong with r alone: an unknown action or
// source, a project on a privacy rule or none on a project rule, no
// condition (a *RuleError), or patterns no engine accepts (one
// *PatternError per field, joined).
func (r Rule) Validate() error {
	if err := r.checkShape(); err != nil {
		return err
	}
	_, err := compileRule(r)
	return err
}

// checkShape is Validate without compiling the patterns.
func (r Rule) checkShape() error {
	switch r.Action {
	case ActionProject:
		if r.Project == "" {
			return r.errorf("project", "a project rule needs a project")
		}
	case ActionExclude, ActionRedact:
		if r.Project != "" {
			return r.errorf("project", "an %s rule takes no project", r.Action)
		}
		if r.Task != "" || r.Billable != nil || r.Tags != "" {
			return r.errorf("task", "an %s rule takes no task, billable or tags (they go with a project)", r.Action)
		}
	default:
		return r.errorf("action", "unknown action %q (want project, exclude or redact)", r.Action)
	}
	switch r.Source {
	case "", SourceUser, SourceActivityWatch:
	default:
		return r.errorf("source", "unknown source %q", r.Source)
	}
	if r.Match == "" && r.App == "" && r.Title == "" && r.URL == "" {
		return r.errorf("match", "a rule needs at least one of match, app, title, url")
	}
	return nil
}

// Conditions is the rule's text form in the current language: its
// patterns as `name /re/` joined by "and" (in the order match, app,
// title, url), "(ignore case)" after when set. The CLI and the windows
// show rules this way.
func (r Rule) Conditions() string {
	var parts []string
	if r.Match != "" {
		parts = append(parts, i18n.T("core.rules.condition.match", "pattern", r.Match))
	}
	if r.App != "" {
		parts = append(parts, i18n.T("core.rules.condition.app", "pattern", r.App))
	}
	if r.Title != "" {
		parts = append(parts, i18n.T("core.rules.condition.title", "pattern", r.Title))
	}
	if r.URL != "" {
		parts = append(parts, i18n.T("core.rules.condition.url", "pattern", r.URL))
	}
	s := ""
	for i := len(parts) - 1; i >= 0; i-- { // "a and b and c"
		if s == "" {
			s = parts[i]
		} else {
			s = i18n.T("core.rules.condition.and", "first", parts[i], "rest", s)
		}
	}
	if r.IgnoreCase {
		s = i18n.T("core.rules.condition.ignore_case", "conditions", s)
	}
	return s
}

// conditions lists a rule's patterns by field name, in the order they are
// tested (cheap, short fields first).
func (r Rule) conditions() [4]struct{ field, pattern string } {
	return [4]struct{ field, pattern string }{
		{"app", r.App}, {"url", r.URL}, {"title", r.Title}, {"match", r.Match},
	}
}

// title names a rule for people in the current language: its position,
// and its id once stored.
func (r Rule) title() string {
	if r.ID != 0 {
		return i18n.T("core.rules.label", "position", r.Position, "id", r.ID)
	}
	return i18n.T("core.rules.label_new", "position", r.Position)
}

// label is title in English, for the errors.
func (r Rule) label() string {
	if r.ID != 0 {
		return fmt.Sprintf("rule #%d (id %d)", r.Position, r.ID)
	}
	return fmt.Sprintf("rule #%d", r.Position)
}

func (r Rule) errorf(field, format string, args ...any) error {
	return &RuleError{RuleID: r.ID, Position: r.Position, Field: field, Err: fmt.Errorf(format, args...)}
}

// RuleError is a rule that cannot be used as written.
type RuleError struct {
	RuleID   int64
	Position int
	Field    string // the field at fault: action, project, source, or match (no condition at all)
	Err      error
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("%s: %v", Rule{ID: e.RuleID, Position: e.Position}.label(), e.Err)
}

func (e *RuleError) Unwrap() error { return e.Err }

// PatternError is a pattern that neither regex engine accepts.
type PatternError struct {
	RuleID   int64
	Position int
	Field    string // match, app, title or url
	Pattern  string
	Err      error
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("%s: bad %s pattern %q: %v", Rule{ID: e.RuleID, Position: e.Position}.label(), e.Field, e.Pattern, e.Err)
}

func (e *PatternError) Unwrap() error { return e.Err }

// compiledRule is a rule with its patterns ready.
type compiledRule struct {
	rule                   Rule
	app, url, title, match matcher // nil: not a condition
}

func compileRule(r Rule) (compiledRule, error) {
	cr := compiledRule{rule: r}
	var errs []error
	for _, c := range r.conditions() {
		if c.pattern == "" {
			continue
		}
		m, err := compilePattern(c.pattern, r.IgnoreCase)
		if err != nil {
			errs = append(errs, &PatternError{RuleID: r.ID, Position: r.Position, Field: c.field, Pattern: c.pattern, Err: err})
			continue
		}
		switch c.field {
		case "app":
			cr.app = m
		case "url":
			cr.url = m
		case "title":
			cr.title = m
		case "match":
			cr.match = m
		}
	}
	return cr, errors.Join(errs...)
}
