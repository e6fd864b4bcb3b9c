package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// PreviewDays is how far back the rule form's preview looks.
const PreviewDays = 14

// actions are the form's choices, in the order shown.
func actions() []application.RuleAction {
	return []application.RuleAction{application.ActionProject, application.ActionExclude, application.ActionRedact}
}

func actionLabel(a application.RuleAction) string {
	switch a {
	case application.ActionProject:
		return i18n.T("rules.action.project")
	case application.ActionExclude:
		return i18n.T("rules.action.exclude")
	case application.ActionRedact:
		return i18n.T("rules.action.redact")
	}
	return string(a)
}

// RulesTab is the settings window's Rules tab: the ordered list (first
// matching project rule wins), a form to add or change a rule with a live
// preview of what it matches, and the import of ActivityWatch's categories.
type RulesTab struct {
	backend    Backend
	async      Async
	badPattern bool // the message shows a pattern's error

	List                                *widget.List
	Up, Down, Remove, Add, Save, Import *widget.Button
	ImportConfirm                       *widget.Button
	Action                              *widget.Select
	Project, Match, App, Title, URL     *keyEntry
	IgnoreCase                          *widget.Check
	Preview, Message, ImportText        *widget.Label
	rules                               []application.Rule
	selected                            int
	plan                                application.ImportPlan
	content                             fyne.CanvasObject
	filling                             bool // fill is setting fields: one refresh after, not one a field
}

// NewRulesTab builds the tab; call Load to fill it.
func NewRulesTab(b Backend, async Async, onClose func()) *RulesTab {
	t := &RulesTab{backend: b, async: async, selected: -1}
	esc := func() {
		if onClose != nil {
			onClose()
		}
	}
	t.List = lineList(func() int { return len(t.rules) }, func(i int) string { return RuleLine(t.rules[i]) })
	t.List.OnSelected = t.selectRule
	t.Up = widget.NewButton(i18n.T("rules.move_up"), func() { t.move(-1) })
	t.Down = widget.NewButton(i18n.T("rules.move_down"), func() { t.move(1) })
	t.Remove = widget.NewButton(i18n.T("rules.remove"), t.remove)
	t.Import = widget.NewButton(i18n.T("rules.import"), t.planImport)
	t.ImportConfirm = widget.NewButton(i18n.T("rules.import.confirm"), t.doImport)
	t.ImportConfirm.Hide()
	t.ImportText = widget.NewLabel("")
	t.ImportText.Wrapping = fyne.TextWrapWord

	var labels []string
	for _, a := range actions() {
		labels = append(labels, actionLabel(a))
	}
	t.Action = widget.NewSelect(labels, func(string) { t.refreshForm() })
	t.Action.SetSelected(labels[0])
	t.Project = newEntry(i18n.T("rules.project.placeholder"), t.add, esc)
	t.IgnoreCase = widget.NewCheck(i18n.T("rules.ignore_case"), func(bool) { t.refreshForm() })
	pattern := func(placeholder string) *keyEntry {
		e := newEntry(placeholder, t.add, esc)
		// The form shows a short line under the field (a long one would
		// widen the window); the whole reason goes to the message below.
		e.Validator = func(v string) error {
			if application.CheckPattern(strings.TrimSpace(v), t.IgnoreCase.Checked) != nil {
				return errors.New(i18n.T("rules.pattern_invalid"))
			}
			return nil
		}
		e.OnChanged = func(string) { t.refreshForm() }
		return e
	}
	t.Match = pattern(i18n.T("rules.match.placeholder"))
	t.App = pattern(i18n.T("rules.app.placeholder"))
	t.Title = pattern(i18n.T("rules.title.placeholder"))
	t.URL = pattern(i18n.T("rules.url.placeholder"))
	t.Add = widget.NewButton(i18n.T("rules.add"), t.add)
	t.Add.Importance = widget.HighImportance
	t.Save = widget.NewButton(i18n.T("rules.save"), t.saveSelected)
	t.Preview = widget.NewLabel("")
	t.Preview.Truncation = fyne.TextTruncateEllipsis // one line: the list and form keep their place
	t.Message = widget.NewLabel("")
	t.Message.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(
		widget.NewFormItem(i18n.T("rules.form.action"), t.Action),
		widget.NewFormItem(i18n.T("rules.form.project"), t.Project),
		widget.NewFormItem(i18n.T("rules.form.match"), t.Match),
		widget.NewFormItem(i18n.T("rules.form.app"), t.App),
		widget.NewFormItem(i18n.T("rules.form.title"), t.Title),
		widget.NewFormItem(i18n.T("rules.form.url"), t.URL),
		widget.NewFormItem("", t.IgnoreCase),
	)
	listButtons := container.NewHBox(t.Up, t.Down, t.Remove, layout.NewSpacer(), t.Import)
	top := container.NewBorder(nil, container.NewVBox(listButtons, container.NewBorder(nil, nil, nil, t.ImportConfirm, t.ImportText)), nil, nil, t.List)
	bottom := container.NewVBox(widget.NewSeparator(), form, t.Preview, container.NewHBox(t.Save, layout.NewSpacer(), t.Add), t.Message)
	t.content = container.NewBorder(nil, bottom, nil, nil, top)
	return t
}

// Content is the tab's content.
func (t *RulesTab) Content() fyne.CanvasObject { return t.content }

// RuleLine is a rule as the list shows it.
func RuleLine(r application.Rule) string {
	var line string
	conditions := r.Conditions()
	switch r.Action {
	case application.ActionExclude:
		line = i18n.T("rules.line.exclude", "position", r.Position, "conditions", conditions)
	case application.ActionRedact:
		line = i18n.T("rules.line.redact", "position", r.Position, "conditions", conditions)
	default:
		line = i18n.T("rules.line.project", "position", r.Position, "project", r.Project, "conditions", conditions)
	}
	if r.Source == application.SourceActivityWatch {
		line = i18n.T("rules.line.from_activitywatch", "line", line)
	}
	return line
}

// Load reads the rules.
func (t *RulesTab) Load(ctx context.Context) {
	rs, err := t.backend.Rules(ctx)
	fyne.Do(func() {
		if err != nil {
			t.Message.SetText(i18n.T("rules.load_failed", "error", explain(err)))
			return
		}
		t.show(rs)
	})
}

func (t *RulesTab) show(rs []application.Rule) {
	t.rules = rs
	if t.selected >= len(rs) {
		t.selected = -1
	}
	t.List.Refresh()
	if len(rs) == 0 {
		t.Message.SetText(i18n.T("rules.none"))
	}
}

func (t *RulesTab) selectRule(i widget.ListItemID) {
	if i >= len(t.rules) {
		return
	}
	t.selected = i
	t.fill(t.rules[i])
	t.refreshForm()
}

// fill puts a rule's fields into the form (the caller refreshes it once).
func (t *RulesTab) fill(r application.Rule) {
	t.filling = true
	defer func() { t.filling = false }()
	t.Action.SetSelected(actionLabel(r.Action))
	t.Project.SetText(r.Project)
	t.Match.SetText(r.Match)
	t.App.SetText(r.App)
	t.Title.SetText(r.Title)
	t.URL.SetText(r.URL)
	t.IgnoreCase.SetChecked(r.IgnoreCase)
}

// FormRule is the rule the form describes.
func (t *RulesTab) FormRule() application.Rule {
	r := application.Rule{Match: strings.TrimSpace(t.Match.Text), App: strings.TrimSpace(t.App.Text), Title: strings.TrimSpace(t.Title.Text),
		URL: strings.TrimSpace(t.URL.Text), IgnoreCase: t.IgnoreCase.Checked, Source: application.SourceUser}
	for _, a := range actions() {
		if actionLabel(a) == t.Action.Selected {
			r.Action = a
		}
	}
	if r.Action == application.ActionProject {
		r.Project = strings.TrimSpace(t.Project.Text)
	}
	return r
}

// refreshForm marks bad patterns on their fields and previews what the
// rule matches, off the UI goroutine.
func (t *RulesTab) refreshForm() {
	if t.Preview == nil || t.filling {
		return // still being built, or being filled
	}
	if t.FormRule().Action == application.ActionProject {
		t.Project.Enable()
	} else {
		t.Project.Disable()
	}
	var bad error
	for _, e := range []*keyEntry{t.Match, t.App, t.Title, t.URL} {
		if err := application.CheckPattern(strings.TrimSpace(e.Text), t.IgnoreCase.Checked); err != nil && bad == nil {
			bad = err
		}
		_ = e.Validate() // marks the field
	}
	r := t.FormRule()
	if bad != nil {
		t.Preview.SetText("")
		t.Message.SetText(bad.Error())
		t.badPattern = true
		return
	}
	if t.badPattern { // the pattern is fixed: its message goes
		t.Message.SetText("")
		t.badPattern = false
	}
	if r.Match+r.App+r.Title+r.URL == "" {
		t.Preview.SetText("")
		return
	}
	t.Preview.SetText(i18n.T("rules.previewing"))
	t.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		p, err := t.backend.PreviewRule(ctx, r, PreviewDays)
		fyne.Do(func() {
			if now := t.FormRule(); now.Key() != r.Key() || now.Project != r.Project {
				return // the form changed meanwhile: a newer preview follows
			}
			if err != nil {
				t.Preview.SetText(explain(err))
				return
			}
			t.Preview.SetText(PreviewText(p))
		})
	})
}

// PreviewText is the line under the form.
func PreviewText(p application.Preview) string {
	if p.Pieces == 0 {
		return i18n.T("rules.preview.nothing", "days", PreviewDays)
	}
	if len(p.TopTitles) > 0 {
		return i18n.N("rules.preview.titles", p.Pieces, "time", i18n.Duration(p.Time), "days", PreviewDays,
			"titles", strings.Join(p.TopTitles, "; "))
	}
	return i18n.N("rules.preview", p.Pieces, "time", i18n.Duration(p.Time), "days", PreviewDays)
}

// ErrNoCondition means the form has no condition (the form says it with
// the key rules.no_condition, in the language).
var ErrNoCondition = errors.New("give at least one of match, app, title or URL")

func (t *RulesTab) add() { t.store(-1) }

func (t *RulesTab) saveSelected() {
	if t.selected < 0 {
		t.Message.SetText(i18n.T("rules.save.none_selected"))
		return
	}
	t.store(t.selected)
}

// store puts the form's rule at index i (-1: at the end) and saves.
func (t *RulesTab) store(i int) {
	r := t.FormRule()
	for _, e := range []*keyEntry{t.Match, t.App, t.Title, t.URL} {
		if err := e.Validate(); err != nil {
			t.Message.SetText(i18n.T("rules.fix_field"))
			return
		}
	}
	if r.Match+r.App+r.Title+r.URL == "" {
		t.Message.SetText(i18n.T("rules.no_condition"))
		return
	}
	if r.Action == application.ActionProject && r.Project == "" {
		t.Message.SetText(i18n.T("rules.no_project"))
		return
	}
	rs := append([]application.Rule(nil), t.rules...)
	if i < 0 {
		rs = append(rs, r)
	} else {
		r.ID = rs[i].ID
		rs[i] = r
	}
	t.save(rs, ruleSaved)
}

func (t *RulesTab) move(by int) {
	i := t.selected
	if i < 0 || i+by < 0 || i+by >= len(t.rules) {
		return
	}
	rs := append([]application.Rule(nil), t.rules...)
	rs[i], rs[i+by] = rs[i+by], rs[i]
	t.selected = i + by
	t.save(rs, ruleMoved)
	t.List.Select(t.selected)
}

func (t *RulesTab) remove() {
	if t.selected < 0 {
		t.Message.SetText(i18n.T("rules.remove.none_selected"))
		return
	}
	rs := append(append([]application.Rule(nil), t.rules[:t.selected]...), t.rules[t.selected+1:]...)
	t.selected = -1
	t.List.UnselectAll()
	t.save(rs, ruleRemoved)
}

// ruleChange is what a save of the list did to it.
type ruleChange int

const (
	ruleSaved ruleChange = iota
	ruleMoved
	ruleRemoved
)

// appliedText says what a change of the list did to the stored activity.
func appliedText(done ruleChange, a application.Applied) string {
	switch done {
	case ruleMoved:
		return i18n.N("rules.applied.moved", a.Events, "projects", a.Projects, "excluded", a.Excluded, "redacted", a.Redacted)
	case ruleRemoved:
		return i18n.N("rules.applied.removed", a.Events, "projects", a.Projects, "excluded", a.Excluded, "redacted", a.Redacted)
	}
	return i18n.N("rules.applied.saved", a.Events, "projects", a.Projects, "excluded", a.Excluded, "redacted", a.Redacted)
}

// save stores a new list; the engine applies it to all stored activity.
func (t *RulesTab) save(rs []application.Rule, done ruleChange) {
	t.Message.SetText(i18n.T("rules.applying"))
	t.change(t.Message, func(ctx context.Context) (application.Applied, error) { return t.backend.SetRules(ctx, rs) },
		func(a application.Applied) string { return appliedText(done, a) })
}

// change runs a change of the rules off the UI thread, then shows the
// stored list and, on out, what the change did or why it failed.
func (t *RulesTab) change(out *widget.Label, run func(context.Context) (application.Applied, error), said func(application.Applied) string) {
	t.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		a, err := run(ctx)
		saved, rerr := t.backend.Rules(ctx)
		fyne.Do(func() {
			if rerr == nil {
				t.show(saved)
			}
			if err != nil {
				out.SetText("✗ " + explain(err))
				return
			}
			out.SetText(said(a))
		})
	})
}

// planImport reads ActivityWatch's categories and says what importing
// them changes; ImportConfirm does it.
func (t *RulesTab) planImport() {
	t.ImportText.SetText(i18n.T("rules.import.reading"))
	t.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		st, err := t.backend.State(ctx)
		var plan application.ImportPlan
		if err == nil {
			plan, err = t.backend.PlanImport(ctx, st.Config)
		}
		fyne.Do(func() {
			if err != nil {
				t.ImportText.SetText("✗ " + explain(err))
				return
			}
			t.plan = plan
			if plan.Added+plan.Updated+plan.Removed == 0 {
				t.ImportText.SetText(i18n.T("rules.import.nothing_new"))
				t.ImportConfirm.Hide()
				return
			}
			t.ImportText.SetText(ImportOfferText(plan))
			t.ImportConfirm.Show()
		})
	})
}

func (t *RulesTab) doImport() {
	plan := t.plan
	t.ImportConfirm.Hide()
	t.ImportText.SetText(i18n.T("rules.importing"))
	t.change(t.ImportText, func(ctx context.Context) (application.Applied, error) { return t.backend.ImportCategories(ctx, plan) },
		func(a application.Applied) string {
			return i18n.N("rules.import.done", plan.Categories, "events", i18n.N("rules.import.done.events", a.Projects))
		})
}

// Prefill puts r in the form as a new rule (from an entry's "Make a
// rule…"): the person names the project and adds it.
func (t *RulesTab) Prefill(r application.Rule) {
	t.selected = -1
	t.List.UnselectAll()
	t.fill(r)
	t.Message.SetText(i18n.T("rules.prefilled"))
	t.refreshForm()
}
