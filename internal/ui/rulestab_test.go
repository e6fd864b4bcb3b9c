package ui

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
)

func TestRulesTab(t *testing.T) {
	core := syncedCore(t) // the fixture's 22 categories imported
	test.NewTempApp(t)
	rt := NewRulesTab(core, sync, nil)
	w := test.NewWindow(rt.Content())
	defer w.Close()
	w.Resize(fyne.NewSize(720, 720))
	rt.Load(context.Background())
	if len(rt.rules) != 22 || !strings.HasPrefix(RuleLine(rt.rules[0]), "1. → Work > Clients > Nordwind when match /") {
		t.Fatalf("%d rules, first %q", len(rt.rules), RuleLine(rt.rules[0]))
	}
	// A bad pattern is marked on its field, and nothing is saved.
	minWidth := rt.Content().MinSize().Width
	setText(rt.Title, "(unclosed")
	if rt.Title.Validate() == nil {
		t.Error("a bad regex is not marked")
	}
	// The field says it briefly; the message under the form says why; the
	// window does not grow for the long reason.
	if !strings.Contains(rt.Message.Text, "RE2") || rt.Content().MinSize().Width > minWidth {
		t.Errorf("bad pattern: message %q, width %v (was %v)", rt.Message.Text, rt.Content().MinSize().Width, minWidth)
	}
	test.Tap(rt.Add)
	if len(rt.rules) != 22 || rt.Message.Text != "Fix the marked field first." {
		t.Errorf("saved with a bad regex: %d rules, %q", len(rt.rules), rt.Message.Text)
	}
	// A lookahead (only the backtracking engine takes it), with a preview.
	setText(rt.Title, `^(?!.*Jira).*Code`)
	setText(rt.Project, "Editing")
	if !strings.HasPrefix(rt.Preview.Text, "Matches ") || strings.HasPrefix(rt.Preview.Text, "Matches nothing") ||
		!strings.Contains(rt.Preview.Text, "in the last 14 days; top titles: ") {
		t.Errorf("preview %q", rt.Preview.Text)
	}
	rt.Action.SetSelected(actionLabel(rules.ActionProject))
	test.Tap(rt.Add)
	if len(rt.rules) != 23 || rt.rules[22].Project != "Editing" || !strings.HasPrefix(rt.Message.Text, "Saved. Applied to") {
		t.Fatalf("after add: %d rules, %q", len(rt.rules), rt.Message.Text)
	}
	// Move it to the top: it decides before the imported ones now.
	rt.List.Select(22)
	for i := 0; i < 22; i++ {
		test.Tap(rt.Up)
	}
	if rt.rules[0].Project != "Editing" || rt.rules[0].Position != 1 {
		t.Errorf("after moving up: %q", RuleLine(rt.rules[0]))
	}
	saved, _ := core.Rules(context.Background())
	if saved[0].Project != "Editing" {
		t.Error("the move was not saved")
	}
	// Remove it again.
	rt.List.Select(0)
	test.Tap(rt.Remove)
	if len(rt.rules) != 22 || rt.rules[0].Project == "Editing" {
		t.Errorf("after remove: %d, first %q", len(rt.rules), RuleLine(rt.rules[0]))
	}
	// The import finds nothing new.
	test.Tap(rt.Import)
	if rt.ImportText.Text != "The rules already hold ActivityWatch's categories." || rt.ImportConfirm.Visible() {
		t.Errorf("import: %q", rt.ImportText.Text)
	}
	test.AssertRendersToMarkup(t, "settings_rules.xml", w.Canvas())
}

// From an entry to a rule: the entries window's "Make a rule…" (on an
// entry, or on the day's time without a project) opens the Rules form
// pre-filled.
func TestMakeARuleFromAnEntry(t *testing.T) {
	core := syncedCore(t)
	test.NewTempApp(t)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	v := NewEntries(core, sync, berlin, func(func(io.Writer) error) {})
	rt := NewRulesTab(core, sync, nil)
	var asked []rules.Rule
	v.OpenRuleForm = func(r rules.Rule) { asked = append(asked, r); rt.Prefill(r) }
	w := test.NewWindow(container.NewVSplit(v.Content(), rt.Content()))
	defer w.Close()
	w.Resize(fyne.NewSize(900, 1200))
	v.ShowDay(time.Date(2026, 3, 27, 12, 0, 0, 0, berlin))
	if len(v.unassigned) == 0 {
		t.Fatal("no time without a project on the fixture day")
	}
	v.Unassigned.Select(0)
	test.Tap(v.MakeRuleUnassigned)
	if len(asked) != 1 || asked[0].App == "" || rt.App.Text != asked[0].App || !strings.HasPrefix(rt.Message.Text, "Name the project") {
		t.Fatalf("make a rule from unassigned time: %+v, form app %q", asked, rt.App.Text)
	}
	for i, e := range v.entries {
		if e.URL != "" {
			v.List.Select(i)
			break
		}
	}
	test.Tap(v.MakeRule)
	if len(asked) != 2 || !strings.HasPrefix(asked[1].URL, "^https?://") || rt.URL.Text != asked[1].URL {
		t.Errorf("make a rule from a page: %+v", asked)
	}
}

type countingPreviews struct {
	Backend
	n int
}

func (c *countingPreviews) PreviewRule(ctx context.Context, r rules.Rule, days int) (classify.Preview, error) {
	c.n++
	return c.Backend.PreviewRule(ctx, r, days)
}

// Selecting a rule fills seven fields; the preview runs once for it, not
// once a field.
func TestSelectingARulePreviewsOnce(t *testing.T) {
	b := &countingPreviews{Backend: syncedCore(t)}
	test.NewTempApp(t)
	rt := NewRulesTab(b, sync, nil)
	w := test.NewWindow(rt.Content())
	defer w.Close()
	rt.Load(context.Background())
	b.n = 0
	rt.List.Select(3)
	if b.n != 1 || !strings.HasPrefix(rt.Preview.Text, "Matches ") {
		t.Errorf("%d previews for one selection; preview %q", b.n, rt.Preview.Text)
	}
}
