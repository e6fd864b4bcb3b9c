package classify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/span"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// Piece is a piece of active time and what it was for.
type Piece struct {
	timeline.Piece
	ProjectID int64  // 0: no project
	Project   string // its name, "" for none
	Redacted  bool
	// From the project rule that decided (none for the default project or
	// a pin): the TimeTracker task by name, not billable, extra tags.
	Task        string
	NotBillable bool
	Tags        string
	// Away marks time the person answered for after being away (App is
	// AwayApp, Title the note): never an ActivityWatch event.
	Away bool
}

// Pieces reads the active time of [from, to): window time cut to not-afk
// time (all of it when no AFK status was ever recorded), split by the page
// a browser showed, minus time exclude rules removed, each piece with the
// project the rules give it. Excluded pieces are left out.
func (s *Service) Pieces(ctx context.Context, from, to time.Time, cutAFK bool) ([]Piece, error) {
	c, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	raw, pinned, away, err := s.pinnedPieces(ctx, from, to, cutAFK)
	if err != nil {
		return nil, err
	}
	run := c.set.Classifier()
	out := make([]Piece, 0, len(raw))
	for i, p := range raw {
		if a := away[i]; a != nil { // the person's own answer: no rule applies
			out = append(out, Piece{Piece: p, ProjectID: a.ProjectID, Project: c.names[a.ProjectID], Away: true,
				Task: a.Task, NotBillable: a.NotBillable, Tags: a.Tags})
			continue
		}
		d := run.Classify(rules.Activity{App: p.App, Title: p.Title, URL: p.URL})
		if d.Excluded {
			continue // privacy first: a pin does not bring excluded time back
		}
		id := c.project(d)
		pc := Piece{Piece: p, Redacted: d.Redacted}
		if r := d.ProjectRule; r != nil {
			pc.Task, pc.NotBillable, pc.Tags = r.Task, r.Billable != nil && !*r.Billable, r.Tags
		}
		if pin := pinned[i]; pin != nil {
			id = pin.ProjectID // a pin outranks the rules for its interval
			pc.Task, pc.NotBillable, pc.Tags = pin.Task, pin.NotBillable, pin.Tags
		}
		pc.ProjectID, pc.Project = id, c.names[id]
		out = append(out, pc)
	}
	return out, nil
}

// pinnedPieces is timelinePieces with the away answers in (their work
// time as pieces of its own, their time cut out of the rest), split at the
// pins' edges, with the pin of each piece and the answer of each away
// piece (nil: none; an answer outranks a pin).
func (s *Service) pinnedPieces(ctx context.Context, from, to time.Time, cutAFK bool) ([]timeline.Piece, []*store.Pin, []*store.AwayAnswer, error) {
	raw, err := s.timelinePieces(ctx, from, to, cutAFK)
	if err != nil {
		return nil, nil, nil, err
	}
	answers, err := s.st.AwayAnswers(ctx, from, to)
	if err != nil {
		return nil, nil, nil, err
	}
	var answered []span.Span
	for _, a := range answers {
		if a.Kind != store.AwayLater {
			answered = append(answered, span.Span{Start: a.Start, End: a.End})
		}
	}
	raw = cut(raw, newSpanIndex(answered)) // an answer says what that time was
	pins, err := s.st.Pins(ctx, from, to)
	if err != nil {
		return nil, nil, nil, err
	}
	pieces, pinned := atPins(raw, pins)
	away := make([]*store.AwayAnswer, len(pieces))
	for i := range answers {
		a := &answers[i]
		if a.Kind != store.AwayWork {
			continue
		}
		in, ok := span.Intersect(span.Span{Start: a.Start, End: a.End}, span.Span{Start: from, End: to})
		if !ok {
			continue
		}
		pieces = append(pieces, timeline.Piece{Start: in.Start, End: in.End, App: AwayApp, Title: a.Note, WindowIndex: -1})
		pinned, away = append(pinned, nil), append(away, a)
	}
	sortPieces(pieces, pinned, away)
	return pieces, pinned, away, nil
}

// AwayApp is the app an away answer's time shows as.
const AwayApp = "Away"

// sortPieces sorts the pieces by start, keeping the parallel slices in step.
func sortPieces(pieces []timeline.Piece, pinned []*store.Pin, away []*store.AwayAnswer) {
	idx := make([]int, len(pieces))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return pieces[idx[a]].Start.Before(pieces[idx[b]].Start) })
	ps, pn, aw := slices.Clone(pieces), slices.Clone(pinned), slices.Clone(away)
	for i, j := range idx {
		pieces[i], pinned[i], away[i] = ps[j], pn[j], aw[j]
	}
}

// timelinePieces builds the unclassified pieces of [from, to).
func (s *Service) timelinePieces(ctx context.Context, from, to time.Time, cutAFK bool) ([]timeline.Piece, error) {
	// Events overlapping the range, read a little wider so flooding at the
	// edges sees its neighbours; pieces are clipped to the range after.
	acts, err := s.st.Activities(ctx, from.Add(-time.Minute), to.Add(time.Minute))
	if err != nil {
		return nil, err
	}
	var windows []timeline.Window
	var webs []timeline.Web
	for _, a := range acts {
		if syncer.IsWebBucket(a.BucketID) {
			webs = append(webs, timeline.Web{Start: a.Start, End: a.End, URL: a.URL, Title: a.Title, Browser: timeline.BrowserFromBucket(a.BucketID)})
		} else {
			windows = append(windows, timeline.Window{Start: a.Start, End: a.End, App: a.App, Title: a.Title})
		}
	}
	notAFK, known, err := s.st.NotAFKPeriods(ctx, from.Add(-time.Minute), to.Add(time.Minute))
	if err != nil {
		return nil, err
	}
	opts := timeline.DefaultOptions()
	opts.CutAFK = known && cutAFK // without aw-watcher-afk every window second counts
	pieces := timeline.Pieces(windows, webs, notAFK, opts)
	private, err := s.st.PrivateSpans(ctx, from, to)
	if err != nil {
		return nil, err
	}
	spans := make([]store.Span, len(private))
	for i, p := range private {
		spans[i] = p.Span
	}
	return clip(cut(pieces, newSpanIndex(spans)), from, to), nil
}

// cut removes the spans' time from the pieces (both sorted by start).
func cut(pieces []timeline.Piece, spans spanIndex) []timeline.Piece {
	if len(spans) == 0 {
		return pieces
	}
	out := make([]timeline.Piece, 0, len(pieces))
	j := 0
	for _, p := range pieces {
		for j < len(spans) && !spans[j].End.After(p.Start) {
			j++
		}
		rest := p
		for k := j; k < len(spans) && spans[k].Start.Before(rest.End); k++ {
			if spans[k].Start.After(rest.Start) {
				before := rest
				before.End = spans[k].Start
				out = append(out, before)
			}
			if spans[k].End.After(rest.Start) {
				rest.Start = spans[k].End
			}
		}
		if rest.End.After(rest.Start) {
			out = append(out, rest)
		}
	}
	return out
}

func clip(pieces []timeline.Piece, from, to time.Time) []timeline.Piece {
	out := pieces[:0]
	for _, p := range pieces {
		if p.Start.Before(from) {
			p.Start = from
		}
		if p.End.After(to) {
			p.End = to
		}
		if p.End.After(p.Start) {
			out = append(out, p)
		}
	}
	return out
}

// Report is the active time per local date and project of [from, to):
// each second on the project of its rule (unmatched: the default
// project), excluded time left out, nothing folded.
func (s *Service) Report(ctx context.Context, from, to time.Time, loc *time.Location) ([]report.Row, error) {
	c, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	raw, pinned, away, err := s.pinnedPieces(ctx, from, to, true)
	if err != nil {
		return nil, err
	}
	pinOf := make(map[int64]int64, len(raw)) // pieces do not overlap: a start names one
	for i, p := range raw {
		switch {
		case away[i] != nil:
			pinOf[p.Start.UnixNano()] = away[i].ProjectID // the answer's project
		case pinned[i] != nil:
			pinOf[p.Start.UnixNano()] = pinned[i].ProjectID
		}
	}
	run := c.set.Classifier()
	def := c.names[c.def]
	return report.Build(raw, func(p timeline.Piece) rules.Decision {
		if p.WindowIndex < 0 { // an away answer: no rule applies
			return rules.Decision{Project: c.names[pinOf[p.Start.UnixNano()]]}
		}
		d := run.Classify(rules.Activity{App: p.App, Title: p.Title, URL: p.URL})
		switch {
		case d.Excluded:
		case pinOf[p.Start.UnixNano()] != 0:
			d.Project = c.names[pinOf[p.Start.UnixNano()]] // the pin outranks the rules
		case d.Project == "":
			d.Project = def
		default:
			if id, ok := c.ids[lower(d.Project)]; ok {
				d.Project = c.names[id] // the project's own spelling
			}
		}
		return d
	}, loc), nil
}

// Test says what the rules decide for one activity, and why each rule
// matched or lost.
func (s *Service) Test(ctx context.Context, a rules.Activity) (rules.Decision, []rules.Verdict, string, error) {
	c, err := s.load(ctx)
	if err != nil {
		return rules.Decision{}, nil, "", err
	}
	d := c.set.Classify(a)
	return d, c.set.Explain(a), c.names[c.project(d)], nil
}

// ImportPlan is what importing ActivityWatch's categories would do.
type ImportPlan struct {
	Rules       []rules.Rule // the whole list after the import
	Categories  int          // categories with a rule
	Added       int          // imported rules new to the list
	Updated     int          // imported rules whose pattern or place changed
	Removed     int          // imported rules whose category is gone
	NewProjects []string     // projects the import creates (with the categories' colours)
	FromDefault bool         // the server has no categories: aw-webui's defaults
}

// PlanImport reads aw-server's settings object and merges its categories
// into the rule list, keeping the person's own rules and their places.
func (s *Service) PlanImport(ctx context.Context, settings json.RawMessage) (ImportPlan, error) {
	cats, err := rules.ParseSettings(settings)
	if err != nil {
		return ImportPlan{}, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(settings, &all); err != nil {
		return ImportPlan{}, fmt.Errorf("reading ActivityWatch's settings: %w", err)
	}
	_, hasClasses := all["classes"]
	_, hasSets := all["category_sets"]
	existing, err := s.st.Rules(ctx)
	if err != nil {
		return ImportPlan{}, err
	}
	imported := rules.ImportRules(cats)
	merged := rules.Merge(existing, imported)
	plan := ImportPlan{Rules: merged, Categories: len(imported), FromDefault: !hasClasses && !hasSets}
	before := map[string]rules.Rule{}
	for _, r := range existing {
		if r.Source == rules.SourceActivityWatch {
			before[rules.ProjectName(r.Category)] = r
		}
	}
	after := map[string]bool{}
	for _, r := range merged {
		if r.Source != rules.SourceActivityWatch {
			continue
		}
		key := rules.ProjectName(r.Category)
		after[key] = true
		if old, ok := before[key]; !ok {
			plan.Added++
		} else if old.Match != r.Match || old.IgnoreCase != r.IgnoreCase || old.Position != r.Position {
			plan.Updated++
		}
	}
	for key := range before {
		if !after[key] {
			plan.Removed++
		}
	}
	ps, err := s.st.Projects(ctx)
	if err != nil {
		return ImportPlan{}, err
	}
	have := map[string]bool{}
	for _, p := range ps {
		have[lower(p.Name)] = true
	}
	for _, r := range merged {
		if r.Project != "" && !have[lower(r.Project)] {
			have[lower(r.Project)] = true
			plan.NewProjects = append(plan.NewProjects, r.Project)
		}
	}
	return plan, nil
}

// SaveImport saves a plan's rules (their projects take the categories'
// colours); the engine applies them (ApplyRules).
func (s *Service) SaveImport(ctx context.Context, plan ImportPlan) error {
	_, err := s.SaveRules(ctx, plan.Rules)
	return err
}

// Preview is what one rule matches in recent activity.
type Preview struct {
	Pieces    int
	Time      time.Duration
	TopTitles []string // the titles (or apps) it matched longest, up to five
}

// PreviewRule tries r alone on the active time of [from, to): how many
// pieces it matches, for how long, and on what. Nothing is stored.
func (s *Service) PreviewRule(ctx context.Context, r rules.Rule, from, to time.Time) (Preview, error) {
	// Only the conditions are tried: as an exclude rule, a match of any
	// kind shows in the decision whatever the form's action and project.
	r.Position, r.ID, r.Action, r.Project = 1, 0, rules.ActionExclude, ""
	set, err := rules.Compile([]rules.Rule{r})
	if err != nil {
		return Preview{}, err
	}
	raw, err := s.timelinePieces(ctx, from, to, true)
	if err != nil {
		return Preview{}, err
	}
	run := set.Classifier()
	var p Preview
	byTitle := map[string]time.Duration{}
	for _, pc := range raw {
		d := run.Classify(rules.Activity{App: pc.App, Title: pc.Title, URL: pc.URL})
		if !d.Excluded && !d.Redacted && d.ProjectRule == nil {
			continue
		}
		p.Pieces++
		p.Time += pc.End.Sub(pc.Start)
		name := pc.Title
		if name == "" {
			name = pc.App
		}
		byTitle[name] += pc.End.Sub(pc.Start)
	}
	for len(p.TopTitles) < 5 && len(byTitle) > 0 {
		best := ""
		for t, d := range byTitle {
			if best == "" || d > byTitle[best] || d == byTitle[best] && t < best {
				best = t
			}
		}
		p.TopTitles = append(p.TopTitles, best)
		delete(byTitle, best)
	}
	return p, nil
}
