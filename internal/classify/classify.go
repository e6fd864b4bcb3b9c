// Package classify is the stored activity seen through the rules: it
// keeps the ordered rule list, decides what each piece of time was for
// (project, or excluded, or redacted), applies every rule change to what is
// already stored, and reads the classified pieces the report and the
// timesheet blocks are built from.
package classify

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// Service answers what the time was for.
type Service struct {
	st       *store.Store
	settings *settings.Owner // read only: the default project
	log      zerolog.Logger
}

// New returns a service on st.
func New(st *store.Store, log zerolog.Logger) *Service {
	return &Service{st: st, settings: settings.New(st), log: log}
}

// Rules lists the rules in order.
func (s *Service) Rules(ctx context.Context) ([]rules.Rule, error) { return s.st.Rules(ctx) }

// ErrNoRule names a rule id that does not exist.
type ErrNoRule struct{ ID int64 }

func (e ErrNoRule) Error() string { return fmt.Sprintf("no rule %d", e.ID) }

// compiled is the rule set with its projects resolved to ids.
type compiled struct {
	set      *rules.Set
	ids      map[string]int64 // lower-case project name → id
	names    map[int64]string
	def      int64 // default project of unmatched time
	needsURL bool
	excludes bool
}

// load compiles the saved rules. A saved list that no longer compiles
// (it always did when saved) is an error naming the rule.
func (s *Service) load(ctx context.Context) (compiled, error) {
	rs, err := s.st.Rules(ctx)
	if err != nil {
		return compiled{}, err
	}
	set, err := rules.Compile(rs)
	if err != nil {
		return compiled{}, fmt.Errorf("the saved rules: %w; syncs stop until it is edited or removed (Settings → Rules, or `aw-timetracker rules list`)", err)
	}
	ps, err := s.st.Projects(ctx)
	if err != nil {
		return compiled{}, err
	}
	c := compiled{set: set, ids: map[string]int64{}, names: map[int64]string{}}
	for _, p := range ps {
		c.ids[strings.ToLower(p.Name)], c.names[p.ID] = p.ID, p.Name
	}
	for _, r := range rs {
		c.needsURL = c.needsURL || r.URL != ""
		c.excludes = c.excludes || r.Action == rules.ActionExclude
	}
	saved, err := s.settings.Load(ctx)
	if err != nil {
		return compiled{}, err
	}
	c.def = saved.ActivityWatch.DefaultProjectID
	return c, nil
}

// project is the id a decision files time under: its rule's project, else
// the default one.
func (c compiled) project(d rules.Decision) int64 {
	if d.Excluded {
		return 0
	}
	if d.Project != "" {
		return c.ids[strings.ToLower(d.Project)]
	}
	return c.def
}

// Classifier is the rules as the syncer applies them to new events.
func (s *Service) Classifier(ctx context.Context) (syncer.Classifier, error) {
	c, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	return &importClassifier{c: c, run: c.set.Classifier(), browsers: browserCache{}}, nil
}

type importClassifier struct {
	c        compiled
	run      *rules.Classifier
	browsers browserCache
}

func (k *importClassifier) Excludes() bool { return k.c.excludes }

func (k *importClassifier) NeedsURL(app string) bool {
	return k.c.needsURL && (app == "" || k.browsers.is(app))
}

// browserCache remembers which apps are browsers (a dozen regexes each):
// one run sees few distinct apps.
type browserCache map[string]bool

func (b browserCache) is(app string) bool {
	v, ok := b[app]
	if !ok {
		v = timeline.BrowserOf(app) != ""
		b[app] = v
	}
	return v
}

func (k *importClassifier) Classify(app, title, url string) syncer.Class {
	d := k.run.Classify(rules.Activity{App: app, Title: title, URL: url})
	cl := syncer.Class{ProjectID: k.c.project(d), Excluded: d.Excluded, Redacted: d.Redacted}
	if d.PrivacyRule != nil && d.Excluded {
		cl.RuleKey = d.PrivacyRule.Key()
	}
	if d.PrivacyRule != nil && d.Redacted && !d.Excluded {
		cl.RedactKey = d.PrivacyRule.Key()
	}
	return cl
}

// RuleProject is the project a project rule gives a note about time away
// (app Away, the note as title); 0 when no project rule matches.
func (s *Service) RuleProject(ctx context.Context, note string) (int64, error) {
	c, err := s.load(ctx)
	if err != nil {
		return 0, err
	}
	d := c.set.Classifier().Classify(rules.Activity{App: AwayApp, Title: note})
	if d.Excluded || d.ProjectRule == nil {
		return 0, nil
	}
	return c.ids[strings.ToLower(d.Project)], nil
}

// SaveRules validates and stores a new rule list (in its order) without
// applying it: the engine applies it (ApplyRules), one thing at a time
// with its syncs and pushes. Nothing changes when any rule is invalid.
func (s *Service) SaveRules(ctx context.Context, rs []rules.Rule) ([]rules.Rule, error) {
	for i := range rs {
		rs[i].Position = i + 1
		if rs[i].Source == "" {
			rs[i].Source = rules.SourceUser
		}
	}
	if _, err := rules.Compile(rs); err != nil {
		return nil, err
	}
	return s.st.SaveRules(ctx, rs)
}

// Checkpoint scrubs the WAL after text went (store.Checkpoint); one held
// up by a reader is left to the next.
func (s *Service) Checkpoint(ctx context.Context) error {
	if err := s.st.Checkpoint(ctx); err != nil && !errors.Is(err, store.ErrCheckpointBusy) {
		return err
	}
	return nil
}

// Applied is what a rule change did to stored activity.
type Applied struct {
	Events   int   // imported events looked at
	Projects int   // entries whose project changed
	Excluded int   // entries removed (text and all)
	Redacted int   // entries whose title and URL were removed
	Timeouts int64 // regex matches abandoned (privacy rules counted them as matches)
	Took     time.Duration
}

// Apply decides every stored event again under the current rules: projects
// change, newly excluded events go (text, time and the other bucket's
// events of that time), newly redacted ones lose their title and URL; the
// file and its WAL are scrubbed when text went. Time of exclude rules that
// were removed is released (its events come back when a sync reads them).
func (s *Service) Apply(ctx context.Context) (Applied, error) {
	started := time.Now()
	c, err := s.load(ctx)
	if err != nil {
		return Applied{}, err
	}
	in, err := s.st.Integration(ctx, settings.ActivityWatch)
	if errors.Is(err, store.ErrNotConfigured) {
		return Applied{}, nil // nothing imported yet
	}
	if err != nil {
		return Applied{}, err
	}
	all, err := s.st.AllClassified(ctx, in.ID)
	if err != nil {
		return Applied{}, err
	}
	spans, err := s.st.PrivateSpans(ctx, time.Time{}, time.Time{})
	if err != nil {
		return Applied{}, err
	}
	plan := c.reclassify(all, spans)
	live := map[string]bool{}
	for _, r := range c.set.Rules() {
		if r.Action == rules.ActionExclude {
			live[r.Key()] = true
		}
	}
	known, err := s.st.SpanKeys(ctx)
	if err != nil {
		return Applied{}, err
	}
	for _, key := range known {
		if !live[key] {
			plan.DropSpans = append(plan.DropSpans, key)
		}
	}
	a := Applied{Events: len(all), Projects: len(plan.Project), Excluded: len(plan.Delete), Redacted: len(plan.Redact)}
	if !plan.Empty() {
		if err := s.st.Reclassify(ctx, in.ID, plan); err != nil {
			return Applied{}, err
		}
	}
	a.Took, a.Timeouts = time.Since(started), c.set.Timeouts()
	s.log.Info().Int("events", a.Events).Int("projects", a.Projects).Int("excluded", a.Excluded).Int("redacted", a.Redacted).
		Dur("took", a.Took).Msg("rules applied")
	return a, nil
}

// reclassify decides every event (all in any order).
func (c compiled) reclassify(all []store.Classified, known []store.PrivateSpan) store.Reclassification {
	var plan store.Reclassification
	run := c.set.Classifier()
	type verdict struct {
		d    rules.Decision
		kind store.SpanKind
	}
	verdicts := make([]verdict, len(all))
	// A redacted event's title and URL are gone, so its rule cannot match
	// it again: it stays redacted while the rule that did it lives.
	liveRedact := map[string]*rules.Rule{}
	for _, r := range c.set.Rules() {
		if r.Action == rules.ActionRedact {
			liveRedact[r.Key()] = &r
		}
	}
	keep := func(e store.Classified, d *rules.Decision) {
		if !e.Redacted || d.Excluded || d.Redacted {
			return
		}
		switch r := liveRedact[e.RedactedBy]; {
		case r != nil:
			d.Redacted, d.PrivacyRule = true, r
		case e.RedactedBy == "" && len(liveRedact) > 0:
			// Redacted before the rule was recorded (or through its
			// page): kept while any redact rule lives; the next read of
			// it records which (an import decides from the whole event).
			d.Redacted = true
		}
	}
	// The pages first: a window's URL is the page it showed longest, and
	// a page that stays redacted (its URL gone) redacts the window too.
	var webs []store.Classified
	for i, e := range all {
		if syncer.IsWebBucket(e.BucketID) {
			d := run.Classify(rules.Activity{App: timeline.BrowserFromBucket(e.BucketID), Title: e.Title, URL: e.URL})
			keep(e, &d)
			verdicts[i] = verdict{d, store.SpanWeb}
			if d.Redacted && !d.Excluded {
				e.URL = store.RedactedPage // its window is redacted too, as at import
			}
			webs = append(webs, e)
		}
	}
	sort.Slice(webs, func(i, j int) bool { return webs[i].Start.Before(webs[j].Start) })
	pages := newPageIndex(webs)
	browsers := browserCache{}
	excluded := map[store.SpanKind][]store.Span{}
	for _, sp := range known {
		excluded[sp.Kind] = append(excluded[sp.Kind], sp.Span)
	}
	for i, e := range all {
		kind := store.SpanWeb
		if !syncer.IsWebBucket(e.BucketID) {
			kind = store.SpanWindow
			a := rules.Activity{App: e.App, Title: e.Title, URL: e.URL}
			redactedPage := false
			if c.needsURL && a.URL == "" && browsers.is(e.App) {
				a.URL = pages.longest(e.Start, e.End)
				if a.URL == store.RedactedPage {
					a.URL, redactedPage = "", true
				}
			}
			d := run.Classify(a)
			if d.Excluded && a.URL != e.URL {
				// Excluded only by the page it showed: the page goes, the
				// window keeps its time but not its title (as at import,
				// where an excluded page is never stored to be shown).
				if own := run.Classify(rules.Activity{App: e.App, Title: e.Title}); !own.Excluded {
					d = own
					d.Redacted, d.PrivacyRule = true, nil
				}
			}
			keep(e, &d)
			if redactedPage && !d.Excluded && !d.Redacted {
				d.Redacted, d.PrivacyRule = true, nil // no rule of its own: its page's
			}
			verdicts[i] = verdict{d, kind}
		}
		d := verdicts[i].d
		if d.Excluded {
			excluded[kind] = append(excluded[kind], store.Span{Start: e.Start, End: e.End})
			if d.PrivacyRule != nil {
				plan.Spans = append(plan.Spans, store.PrivateSpan{Span: store.Span{Start: e.Start, End: e.End}, Kind: kind, RuleKey: d.PrivacyRule.Key()})
			}
		}
	}
	overWindows, overPages := newSpanIndex(excluded[store.SpanWindow]), newSpanIndex(excluded[store.SpanWeb])
	for i, e := range all {
		v := verdicts[i]
		d := v.d
		switch {
		case d.Excluded:
		case v.kind == store.SpanWeb && overWindows.overlaps(e.Start, e.End):
			d.Excluded = true // a page shown during an excluded window
		case v.kind == store.SpanWindow && overPages.overlaps(e.Start, e.End):
			d.Redacted = true // a browser window during an excluded page
		}
		switch {
		case d.Excluded:
			plan.Delete = append(plan.Delete, e)
		case d.Redacted && (e.Title != "" || e.URL != ""):
			e.ProjectID = c.project(d)
			app := e.App
			if v.kind == store.SpanWeb {
				app = timeline.BrowserFromBucket(e.BucketID)
			}
			e.Notes = syncer.Notes(activitywatch.Fields{App: app})
			e.RedactedBy = ""
			if r := d.PrivacyRule; r != nil && r.Action == rules.ActionRedact {
				e.RedactedBy = r.Key()
			}
			plan.Redact = append(plan.Redact, e)
		case c.project(d) != e.ProjectID:
			e.ProjectID = c.project(d)
			plan.Project = append(plan.Project, e)
		}
		if e.Redacted && !d.Redacted && !d.Excluded {
			plan.Unredact = true
		}
	}
	return plan
}

// spanIndex answers "does this overlap any of these spans" in log time.
type spanIndex []span.Span // merged, sorted, disjoint

func newSpanIndex(spans []span.Span) spanIndex { return spanIndex(span.Merge(spans)) }

func (x spanIndex) overlaps(start, end time.Time) bool {
	return span.Overlaps(x, span.Span{Start: start, End: end})
}

// pageIndex finds the page a browser showed longest during a span.
type pageIndex struct {
	webs   []store.Classified // sorted by start
	maxDur time.Duration
}

func newPageIndex(webs []store.Classified) pageIndex {
	p := pageIndex{webs: webs}
	for _, w := range webs {
		p.maxDur = max(p.maxDur, w.End.Sub(w.Start))
	}
	return p
}

func (p pageIndex) longest(start, end time.Time) string {
	return span.Longest(len(p.webs), func(i int) (span.Span, string) {
		return span.Span{Start: p.webs[i].Start, End: p.webs[i].End}, p.webs[i].URL
	}, p.maxDur+time.Second, span.Span{Start: start, End: end})
}

func lower(s string) string { return strings.ToLower(s) }
