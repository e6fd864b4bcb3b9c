package rules

import (
	"errors"
	"fmt"
	"sort"
	"sync/atomic"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Activity is what rules look at: the focused app, its window title, and
// the URL the browser showed ("" when none).
type Activity struct{ App, Title, URL string }

// Decision is what the rules make of one activity.
type Decision struct {
	Excluded bool   // never store it; nothing else applies
	Redacted bool   // keep time and app, never title or URL
	Project  string // "" = no project rule matched (or excluded)

	// The rules that decided, nil when none did. They point into the Set
	// and must not be modified.
	ProjectRule *Rule
	PrivacyRule *Rule // the exclude rule, else the first redact rule
}

// Set is a compiled rule list. It is safe for concurrent use.
type Set struct {
	rules    []compiledRule // by position
	privacy  []int          // indexes of exclude and redact rules
	project  []int          // indexes of project rules
	timeouts atomic.Int64
}

// Compile validates and compiles rules, ordered by Position (ties keep
// their order in rs). It returns every problem joined, each naming its
// rule, and no set when there is any.
func Compile(rs []Rule) (*Set, error) {
	sorted := append([]Rule(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Position < sorted[j].Position })
	s := &Set{rules: make([]compiledRule, 0, len(sorted))}
	var errs []error
	for _, r := range sorted {
		if err := r.checkShape(); err != nil {
			errs = append(errs, err)
			continue
		}
		cr, err := compileRule(r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if r.Action == ActionProject {
			s.project = append(s.project, len(s.rules))
		} else {
			s.privacy = append(s.privacy, len(s.rules))
		}
		s.rules = append(s.rules, cr)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("compiling rules: %w", errors.Join(errs...))
	}
	return s, nil
}

// Rules returns the set's rules in order.
func (s *Set) Rules() []Rule {
	out := make([]Rule, len(s.rules))
	for i, cr := range s.rules {
		out[i] = cr.rule
	}
	return out
}

// Timeouts counts matches abandoned so far (time or backtracking limit of
// the backtracking engine). Each counted as no match.
func (s *Set) Timeouts() int64 { return s.timeouts.Load() }

// Classify decides one activity: any matching exclude rule wins; a
// matching redact rule combines with the project; the first matching
// project rule names the project.
func (s *Set) Classify(a Activity) Decision {
	return s.decide(func(i int) bool { return s.matches(&s.rules[i], a) })
}

// decide makes the decision from which rules match, asking about each
// rule at most once and only as far as needed.
func (s *Set) decide(matched func(i int) bool) Decision {
	var d Decision
	for _, i := range s.privacy {
		if !matched(i) {
			continue
		}
		r := &s.rules[i].rule
		if r.Action == ActionExclude {
			return Decision{Excluded: true, PrivacyRule: r}
		}
		if !d.Redacted {
			d.Redacted, d.PrivacyRule = true, r
		}
	}
	for _, i := range s.project {
		if matched(i) {
			r := &s.rules[i].rule
			d.Project, d.ProjectRule = r.Project, r
			break
		}
	}
	return d
}

// matches tests all of a rule's conditions; a match abandoned by the
// engine counts as no match.
func (s *Set) matches(cr *compiledRule, a Activity) bool {
	return s.why(cr, a) == missNone
}

// miss is which condition of a rule failed.
type miss int

const (
	missNone miss = iota // the rule matches
	missApp
	missNoURL
	missURL
	missTitle
	missMatch
)

// text says m for people, in the current language.
func (m miss) text() string {
	switch m {
	case missApp:
		return i18n.T("core.rules.miss.app")
	case missNoURL:
		return i18n.T("core.rules.miss.no_url")
	case missURL:
		return i18n.T("core.rules.miss.url")
	case missTitle:
		return i18n.T("core.rules.miss.title")
	case missMatch:
		return i18n.T("core.rules.miss.match")
	}
	return ""
}

// why returns missNone when the rule matches, else which condition failed.
// A match the engine abandons (timeout) counts as no match for a project
// rule, but as a match for a privacy rule: privacy fails closed.
func (s *Set) why(cr *compiledRule, a Activity) miss {
	onTimeout := cr.rule.Action != ActionProject
	run := func(m matcher, text string) bool { return s.run(m, text, onTimeout) }
	if cr.app != nil && !run(cr.app, a.App) {
		return missApp
	}
	if cr.url != nil {
		if a.URL == "" {
			return missNoURL
		}
		if !run(cr.url, a.URL) {
			return missURL
		}
	}
	if cr.title != nil && !run(cr.title, a.Title) {
		return missTitle
	}
	// match: tested against the app and the title separately, either
	// suffices. aw-core aw_transform/classify.py Rule.match searches every
	// string value of the event's data (a window event's data is app and
	// title; on macOS also url, which is not used here); aw-webui
	// src/util/classes.ts classifyEvents tests CLASSIFY_KEYS = app, title.
	if cr.match != nil && !run(cr.match, a.App) && !run(cr.match, a.Title) {
		return missMatch
	}
	return missNone
}

func (s *Set) run(m matcher, text string, onTimeout bool) bool {
	ok, err := m.match(text)
	if err != nil {
		s.timeouts.Add(1)
		return onTimeout
	}
	return ok
}

// Classifier caches decisions per distinct activity for one run over many
// pieces of time (titles repeat a lot). Not safe for concurrent use; make
// one per run. The cache is bounded: when full it starts over.
type Classifier struct {
	set       *Set
	decisions map[Activity]Decision
	max       int
}

// DefaultCacheSize bounds a Classifier's cache (distinct activities).
const DefaultCacheSize = 200_000

// Classifier returns a caching classifier over s.
func (s *Set) Classifier() *Classifier {
	return &Classifier{set: s, decisions: make(map[Activity]Decision), max: DefaultCacheSize}
}

// Classify is Set.Classify, cached.
func (c *Classifier) Classify(a Activity) Decision {
	if d, ok := c.decisions[a]; ok {
		return d
	}
	d := c.set.Classify(a)
	if len(c.decisions) >= c.max {
		clear(c.decisions)
	}
	c.decisions[a] = d
	return d
}

// Verdict is one rule's part in a decision, for `rules test`.
type Verdict struct {
	Rule    Rule
	Matched bool
	Decides bool   // this rule is (part of) the decision
	Reason  string // why it matched and lost, or why it did not match (for people, in the current language)
}

// Explain lists every rule in order with whether it matched and, for
// matching rules that lost, why.
func (s *Set) Explain(a Activity) []Verdict {
	out := make([]Verdict, len(s.rules))
	for i := range s.rules {
		m := s.why(&s.rules[i], a)
		out[i] = Verdict{Rule: s.rules[i].rule, Matched: m == missNone, Reason: m.text()}
	}
	// the decision from these very answers (a timed-out match must not
	// make the explanation disagree with itself)
	d := s.decide(func(i int) bool { return out[i].Matched })
	for i := range out {
		if out[i].Matched {
			out[i].Decides, out[i].Reason = verdictOf(&s.rules[i].rule, d)
		}
	}
	return out
}

// verdictOf says what a matching rule did in decision d.
func verdictOf(r *Rule, d Decision) (bool, string) {
	switch r.Action {
	case ActionExclude:
		if d.PrivacyRule == r {
			return true, i18n.T("core.rules.verdict.excludes")
		}
		return false, i18n.T("core.rules.verdict.excluded_earlier", "rule", d.PrivacyRule.title())
	case ActionRedact:
		switch {
		case d.Excluded:
			return false, i18n.T("core.rules.verdict.exclude_wins", "rule", d.PrivacyRule.title())
		case d.PrivacyRule == r:
			return true, i18n.T("core.rules.verdict.redacts")
		default:
			return false, i18n.T("core.rules.verdict.redacted_earlier", "rule", d.PrivacyRule.title())
		}
	default:
		switch {
		case d.Excluded:
			return false, i18n.T("core.rules.verdict.exclude_wins", "rule", d.PrivacyRule.title())
		case d.ProjectRule == r:
			return true, i18n.T("core.rules.verdict.decides", "project", fmt.Sprintf("%q", r.Project))
		default:
			return false, i18n.T("core.rules.verdict.decided_earlier", "rule", d.ProjectRule.title())
		}
	}
}
