package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// scheduleIntervals are the schedules the select offers, in its order;
// scheduleLabels are their labels.
func scheduleIntervals() []string {
	return []string{application.Interval15Min, application.IntervalHourly, application.IntervalDaily}
}

func scheduleLabels() []string {
	return []string{i18n.T("settings.schedule.15min"), i18n.T("settings.schedule.hourly"), i18n.T("settings.schedule.daily")}
}

// noProject is the project select's choice of no project.
func noProject() string { return i18n.T("settings.no_project") }

// languageLabels are the Language select's options: the system's, then
// each language in its own name.
func languageLabels() []string {
	out := []string{i18n.T("settings.language.system")}
	for _, l := range i18n.Languages() {
		out = append(out, i18n.Native(l))
	}
	return out
}

// Settings is the settings window's content: the integration's Setup as a form.
type Settings struct {
	backend Backend
	async   Async
	onClose func()

	URL, APIKey, Override, Lookback, DailyAt, Zone, NewProject *keyEntry

	Buckets   *widget.CheckGroup
	Project   *widget.Select
	AutoSync  *widget.Check
	Schedule  *widget.Select
	Autostart *widget.Check
	// Language is the system's (first) or one of i18n.Languages().
	Language *widget.Select

	TestButton, SaveButton, SyncButton, AddProjectButton, CloseButton *widget.Button
	// RereadButton reads the saved lookback window again (Sync Now reads
	// only what it has not read yet).
	RereadButton   *widget.Button
	DiagnoseButton *widget.Button

	TestResult, Message, StatusLine *widget.Label
	// The offer to import ActivityWatch's categories, shown after a Test
	// when the server has categories the rules do not have yet.
	ImportOffer  *widget.Label
	ImportButton *widget.Button
	importRow    *fyne.Container
	plan         application.ImportPlan

	projects []application.Project
	loaded   application.Config // as saved: Test starts from it, Save edits only the form's fields
	selected []string           // buckets a default selection picks, from the last test
	updating bool               // set while code (not the person) changes the bucket checks
	form     *widget.Form
	content  fyne.CanvasObject
}

// NewSettings builds the form; call Load to fill it.
func NewSettings(b Backend, async Async, onClose func()) *Settings {
	s := &Settings{backend: b, async: async, onClose: onClose, loaded: application.DefaultConfig()}
	esc := func() {
		if s.onClose != nil {
			s.onClose()
		}
	}
	s.URL = newEntry("http://localhost:5600", s.Save, esc)
	s.URL.Validator = validURL
	s.APIKey = newEntry(i18n.T("settings.api_key.placeholder"), s.Save, esc)
	s.APIKey.Password = true
	s.Override = newEntry(i18n.T("settings.bucket_ids.placeholder"), s.Save, esc)
	s.Override.Validator = func(v string) error { _, err := application.ParseBucketIDs(v); return err }
	s.Override.OnChanged = func(string) { s.syncChecksFromOverride() }
	s.Lookback = newEntry("1–90", s.Save, esc)
	s.Lookback.Validator = validLookback
	s.DailyAt = newEntry("HH:MM", s.Save, esc)
	s.DailyAt.Validator = func(v string) error { _, err := application.ParseClock(v); return err }
	s.Zone = newEntry(i18n.T("settings.zone.placeholder"), s.Save, esc)
	s.Zone.Validator = func(v string) error { _, err := application.LoadZone(v); return err }
	s.NewProject = newEntry(i18n.T("settings.new_project.placeholder"), s.addProject, esc)

	s.Buckets = widget.NewCheckGroup(nil, func([]string) { s.syncOverrideFromChecks() })
	s.Project = widget.NewSelect([]string{noProject()}, nil)
	s.Project.SetSelected(noProject())
	s.Schedule = widget.NewSelect(scheduleLabels(), func(string) { s.refreshEnabled() })
	s.AutoSync = widget.NewCheck(i18n.T("settings.auto_sync.check"), func(bool) { s.refreshEnabled() })
	s.Autostart = widget.NewCheck(i18n.T("settings.autostart.check"), nil)
	s.Language = widget.NewSelect(languageLabels(), nil)
	s.Language.SetSelectedIndex(0)

	s.TestButton = widget.NewButton(i18n.T("settings.test"), s.Test)
	s.SaveButton = widget.NewButton(i18n.T("settings.save"), s.Save)
	s.SaveButton.Importance = widget.HighImportance
	s.SyncButton = widget.NewButton(i18n.T("settings.sync_now"), s.SyncNow)
	s.RereadButton = widget.NewButton(rereadLabel(application.DefaultConfig().LookbackDays), s.Reread)
	s.DiagnoseButton = widget.NewButton(i18n.T("settings.diagnose"), s.Diagnose)
	s.AddProjectButton = widget.NewButton(i18n.T("settings.add_project"), s.addProject)
	s.CloseButton = widget.NewButton(i18n.T("settings.close"), esc)

	s.TestResult = widget.NewLabel("")
	s.TestResult.Wrapping = fyne.TextWrapWord
	s.Message = widget.NewLabel("")
	s.Message.Wrapping = fyne.TextWrapWord
	s.StatusLine = widget.NewLabel("")
	s.ImportOffer = widget.NewLabel("")
	s.ImportOffer.Wrapping = fyne.TextWrapWord
	s.ImportButton = widget.NewButton(i18n.T("settings.import.button"), s.ImportCategories)
	s.importRow = container.NewBorder(nil, nil, nil, s.ImportButton, s.ImportOffer)
	s.importRow.Hide()

	form := widget.NewForm(
		widget.NewFormItem(i18n.T("settings.form.url"), container.NewBorder(nil, nil, nil, s.TestButton, s.URL)),
		widget.NewFormItem("", s.TestResult),
		widget.NewFormItem("", s.importRow),
		widget.NewFormItem(i18n.T("settings.form.api_key"), s.APIKey),
		widget.NewFormItem(i18n.T("settings.form.buckets"), s.Buckets),
		widget.NewFormItem(i18n.T("settings.form.bucket_ids"), s.Override),
		widget.NewFormItem(i18n.T("settings.form.default_project"), container.NewBorder(nil, nil, nil,
			container.NewHBox(s.AddProjectButton), container.NewGridWithColumns(2, s.Project, s.NewProject))),
		widget.NewFormItem(i18n.T("settings.form.lookback"), container.NewBorder(nil, nil, nil, s.RereadButton, s.Lookback)),
		widget.NewFormItem(i18n.T("settings.form.auto_sync"), container.NewHBox(s.AutoSync, s.Schedule, widget.NewLabel(i18n.T("settings.form.daily_at")),
			container.NewGridWrap(fyne.NewSize(90, s.DailyAt.MinSize().Height), s.DailyAt))),
		widget.NewFormItem(i18n.T("settings.form.zone"), s.Zone),
		widget.NewFormItem(i18n.T("settings.form.language"), s.Language),
		widget.NewFormItem(i18n.T("settings.form.startup"), s.Autostart),
	)
	form.Items[5].HintText = i18n.T("settings.form.bucket_ids.hint")
	form.Items[7].HintText = i18n.T("settings.form.lookback.hint")
	buttons := container.NewHBox(s.SyncButton, s.DiagnoseButton, layout.NewSpacer(), s.CloseButton, s.SaveButton)
	s.form = form
	s.content = container.NewBorder(nil, container.NewVBox(s.Message, s.StatusLine, buttons), nil, nil, container.NewVScroll(form))
	return s
}

// Content is the window content.
func (s *Settings) Content() fyne.CanvasObject { return s.content }

func validURL(v string) error { return application.CheckActivityWatchURL(v) }

func validLookback(v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return errors.New(i18n.T("settings.lookback.not_a_number", "value", fmt.Sprintf("%q", v), "min", application.MinLookback, "max", application.MaxLookback))
	}
	if n < application.MinLookback || n > application.MaxLookback {
		return errors.New(i18n.T("settings.lookback.out_of_range", "n", n, "min", application.MinLookback, "max", application.MaxLookback))
	}
	return nil
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Load reads the saved settings (call it off the UI goroutine), fills the
// form, then lists the server's buckets if it answers.
func (s *Settings) Load(ctx context.Context) {
	st, err := s.backend.State(ctx)
	if err != nil {
		fyne.Do(func() { s.Message.SetText(i18n.T("settings.load_failed", "error", err.Error())) })
		return
	}
	projects, perr := s.backend.Projects(ctx)
	autostart := s.backend.AutostartEnabled()
	fyne.Do(func() { s.fill(st, projects, perr, autostart) })
	s.RefreshStatus(ctx)
	if st.Configured {
		fyne.Do(s.Test)
	}
}

func (s *Settings) fill(st application.AWState, projects []application.Project, perr error, autostart bool) {
	if perr != nil {
		s.Message.SetText(i18n.T("settings.projects_failed", "error", perr.Error()))
	}
	s.setProjects(projects, st.Config.DefaultProjectID)
	cfg := st.Config
	s.loaded = cfg
	s.URL.SetText(cfg.ServerURL)
	s.APIKey.SetText(cfg.APIKey)
	s.Override.SetText(cfg.BucketIDs)
	s.Lookback.SetText(strconv.Itoa(cfg.LookbackDays))
	s.RereadButton.SetText(rereadLabel(cfg.LookbackDays))
	s.DailyAt.SetText(cfg.DailyAt)
	s.Zone.SetText(cfg.Timezone)
	s.Language.SetSelectedIndex(0)
	for i, l := range i18n.Languages() {
		if l == cfg.Language {
			s.Language.SetSelectedIndex(i + 1)
		}
	}
	s.AutoSync.SetChecked(cfg.AutoSync)
	schedule := 1 // hourly
	for i, v := range scheduleIntervals() {
		if v == cfg.SyncInterval {
			schedule = i
		}
	}
	s.Schedule.SetSelectedIndex(schedule)
	s.Autostart.SetChecked(autostart)
	switch {
	case !st.Configured:
		s.Message.SetText(i18n.T("settings.welcome"))
	case !st.Active && st.LastError != "":
		s.Message.SetText(i18n.T("settings.not_connected", "error", st.LastError))
	}
	s.refreshEnabled()
}

func (s *Settings) setProjects(ps []application.Project, selectedID int64) {
	s.projects = ps
	opts := []string{noProject()}
	selected := noProject()
	for _, p := range ps {
		opts = append(opts, p.Name)
		if p.ID == selectedID {
			selected = p.Name
		}
	}
	s.Project.Options = opts
	s.Project.SetSelected(selected)
	s.Project.Refresh()
}

func (s *Settings) refreshEnabled() {
	if s.AutoSync.Checked {
		s.Schedule.Enable()
	} else {
		s.Schedule.Disable()
	}
	if s.AutoSync.Checked && scheduleAt(s.Schedule.SelectedIndex()) == application.IntervalDaily {
		s.DailyAt.Enable()
	} else {
		s.DailyAt.Disable()
	}
}

// Config reads the form. It returns every problem, each naming its field.
func (s *Settings) Config() (application.Config, error) {
	cfg := s.loaded
	cfg.ServerURL = strings.TrimSpace(s.URL.Text)
	cfg.APIKey = strings.TrimSpace(s.APIKey.Text)
	cfg.BucketIDs = strings.TrimSpace(s.Override.Text)
	cfg.DailyAt = strings.TrimSpace(s.DailyAt.Text)
	cfg.Timezone = strings.TrimSpace(s.Zone.Text)
	cfg.Language = ""
	if i := s.Language.SelectedIndex(); i > 0 {
		cfg.Language = i18n.Languages()[i-1]
	}
	cfg.AutoSync = s.AutoSync.Checked
	cfg.SyncInterval = application.IntervalManual
	if cfg.AutoSync {
		cfg.SyncInterval = scheduleAt(s.Schedule.SelectedIndex())
		if cfg.SyncInterval == "" {
			cfg.SyncInterval = application.IntervalHourly
		}
	}
	var problems []error
	if err := validLookback(s.Lookback.Text); err != nil {
		problems = append(problems, &application.FieldError{Field: i18n.T("settings.field.lookback"), Msg: err.Error()})
	} else {
		cfg.LookbackDays, _ = strconv.Atoi(strings.TrimSpace(s.Lookback.Text))
	}
	for _, p := range s.projects {
		if p.Name == s.Project.Selected {
			cfg.DefaultProjectID = p.ID
		}
	}
	if err := cfg.Validate(); err != nil {
		for _, e := range unjoin(err) {
			var fe *application.FieldError
			if errors.As(e, &fe) && fe.Field == application.FieldLookbackDays {
				continue // reported above with the text as typed
			}
			problems = append(problems, e)
		}
	}
	return cfg, errors.Join(problems...)
}

// Test checks the connection with the form's values and lists the buckets.
func (s *Settings) Test() {
	cfg, err := s.Config()
	if err != nil && validURL(s.URL.Text) != nil {
		s.TestResult.SetText("✗ " + validURL(s.URL.Text).Error())
		return
	}
	s.TestResult.SetText(i18n.T("settings.testing"))
	s.TestButton.Disable()
	s.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		res, err := s.backend.Test(ctx, cfg)
		fyne.Do(func() {
			s.TestButton.Enable()
			s.showBuckets(res)
			if err != nil {
				s.TestResult.SetText("✗ " + explain(err))
				return
			}
			s.TestResult.SetText("✓ " + res.Message())
		})
		if err == nil {
			s.offerImport(ctx, cfg)
		}
	})
}

// offerImport asks the server for its categories and, when importing them
// would change the rules, says what it would create.
func (s *Settings) offerImport(ctx context.Context, cfg application.Config) {
	plan, err := s.backend.PlanImport(ctx, cfg)
	fyne.Do(func() {
		if err != nil || plan.FromDefault || plan.Categories == 0 || plan.Added+plan.Updated+plan.Removed == 0 {
			s.importRow.Hide()
			return
		}
		s.plan = plan
		s.ImportOffer.SetText(ImportOfferText(plan))
		s.ImportButton.Enable()
		s.importRow.Show()
	})
}

// ImportOfferText says what importing ActivityWatch's categories does.
func ImportOfferText(p application.ImportPlan) string {
	categories := i18n.N("settings.import.categories", p.Categories)
	newRules := i18n.N("settings.import.new_rules", p.Added)
	changes := p.Updated+p.Removed > 0
	n := len(p.NewProjects)
	if n == 0 {
		if changes {
			return i18n.T("settings.import.offer_changes", "categories", categories, "rules", newRules, "updated", p.Updated, "removed", p.Removed)
		}
		return i18n.T("settings.import.offer", "categories", categories, "rules", newRules)
	}
	names := p.NewProjects
	if n > 3 {
		names = append(names[:3:3], "…")
	}
	projects := i18n.N("settings.import.new_projects", n, "names", strings.Join(names, ", "))
	if changes {
		return i18n.T("settings.import.offer_changes_projects", "categories", categories, "rules", newRules,
			"updated", p.Updated, "removed", p.Removed, "projects", projects)
	}
	return i18n.T("settings.import.offer_projects", "categories", categories, "rules", newRules, "projects", projects)
}

// ImportCategories imports the offered categories and applies them.
func (s *Settings) ImportCategories() {
	plan := s.plan
	s.ImportButton.Disable()
	s.ImportOffer.SetText(i18n.T("settings.importing"))
	s.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		a, err := s.backend.ImportCategories(ctx, plan)
		fyne.Do(func() {
			if err != nil {
				s.ImportButton.Enable()
				s.ImportOffer.SetText("✗ " + explain(err))
				return
			}
			s.ImportOffer.SetText(i18n.N("settings.import.done", plan.Categories,
				"events", i18n.N("settings.import.done.events", a.Projects)))
		})
	})
}

// showBuckets lists the server's buckets, the selected ones ticked.
func (s *Settings) showBuckets(res application.Connection) {
	if len(res.Buckets) == 0 {
		return
	}
	s.selected = res.Defaults
	s.updating = true
	s.Buckets.Options = res.Buckets
	s.Buckets.Refresh()
	s.form.Refresh() // the bucket list changed height
	s.updating = false
	s.syncChecksFromOverride()
}

func (s *Settings) syncChecksFromOverride() {
	if s.updating || len(s.Buckets.Options) == 0 {
		return
	}
	ids, err := application.ParseBucketIDs(s.Override.Text)
	if err != nil {
		return
	}
	if len(ids) == 0 {
		ids = s.selected
	}
	s.updating = true
	s.Buckets.SetSelected(ids)
	s.updating = false
}

// syncOverrideFromChecks writes the ticked buckets into the override field
// (empty when they are exactly the default selection).
func (s *Settings) syncOverrideFromChecks() {
	if s.updating {
		return
	}
	picked := append([]string(nil), s.Buckets.Selected...)
	sort.Strings(picked)
	def := append([]string(nil), s.selected...)
	sort.Strings(def)
	text := strings.Join(picked, ", ")
	if text == strings.Join(def, ", ") {
		text = ""
	}
	s.updating = true
	s.Override.SetText(text)
	s.updating = false
}

// Save validates every field, tests the connection, saves, and marks the
// integration active on success (Setup's Save).
func (s *Settings) Save() {
	cfg, err := s.Config()
	if err != nil {
		s.Message.SetText(i18n.T("settings.please_fix", "problems", strings.ReplaceAll(err.Error(), "\n", "; ")))
		return
	}
	autostart := s.Autostart.Checked
	s.Message.SetText(i18n.T("settings.saving"))
	s.SaveButton.Disable()
	loaded := s.loaded // read on the UI goroutine
	s.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		res, err := s.backend.Setup(ctx, loaded, cfg)
		var autoErr error
		if autostart != s.backend.AutostartEnabled() {
			autoErr = s.backend.SetAutostart(autostart)
		}
		fyne.Do(func() {
			s.SaveButton.Enable()
			s.RereadButton.SetText(rereadLabel(cfg.LookbackDays))
			s.showBuckets(res)
			switch {
			case err != nil:
				s.Message.SetText(i18n.T("settings.saved_inactive", "error", explain(err)))
				s.TestResult.SetText("✗ " + explain(err))
			case autoErr != nil:
				s.Message.SetText(i18n.T("settings.saved_autostart_failed", "error", autoErr.Error()))
			default:
				s.Message.SetText(i18n.T("settings.saved", "result", res.Message()))
				s.TestResult.SetText("✓ " + res.Message())
			}
			if err == nil && cfg.Language != s.loaded.Language {
				// Saved: windows opened from now on speak it (this one
				// keeps the words it was drawn with).
				if lerr := i18n.Use(cfg.Language); lerr == nil {
					s.Message.SetText(s.Message.Text + " " + i18n.T("settings.language_changed"))
				}
			}
			if err == nil {
				s.loaded = cfg // the next Save patches from what is saved now
			}
			s.Autostart.SetChecked(s.backend.AutostartEnabled())
		})
	})
}

// SyncNow asks the running app for a Sync Now.
func (s *Settings) SyncNow() {
	s.sync(application.SyncNewRequest, i18n.T("settings.syncing"))
}

// Reread asks the running app to read the whole lookback window again.
func (s *Settings) Reread() {
	s.sync(application.RereadRequest, i18n.T("settings.rereading"))
}

func rereadLabel(days int) string { return i18n.N("settings.reread", days) }

// scheduleAt is the schedule of the select's i-th choice ("" for none).
func scheduleAt(i int) string {
	if is := scheduleIntervals(); i >= 0 && i < len(is) {
		return is[i]
	}
	return ""
}

func (s *Settings) sync(req application.SyncRequest, doing string) {
	s.SyncButton.Disable()
	s.RereadButton.Disable()
	s.StatusLine.SetText(doing)
	s.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		_, err := s.backend.SyncNow(ctx, req)
		fyne.Do(func() {
			s.SyncButton.Enable()
			s.RereadButton.Enable()
			if err != nil {
				s.StatusLine.SetText(i18n.T("settings.sync_failed", "error", explain(err)))
			}
		})
		s.RefreshStatus(ctx)
	})
}

// RefreshStatus reads the status once and shows it.
func (s *Settings) RefreshStatus(ctx context.Context) {
	st, err := s.backend.Status(ctx)
	if err != nil {
		return
	}
	fyne.Do(func() { s.ShowStatus(st) })
}

// ShowStatus shows st in the status line and enables the sync buttons
// when a sync can start (call on the UI goroutine).
func (s *Settings) ShowStatus(st application.Status) {
	text, _ := st.Summary(time.Local)
	if p := st.PushSummary(time.Local); p != "" {
		text += " · " + p // "Last push 10:42 · 3 sent"
	}
	s.StatusLine.SetText(text)
	for _, b := range []*widget.Button{s.SyncButton, s.RereadButton} {
		if st.Syncing || !st.Configured {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (s *Settings) addProject() {
	name := strings.TrimSpace(s.NewProject.Text)
	if name == "" {
		s.Message.SetText(i18n.T("settings.add_project.no_name"))
		return
	}
	s.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		p, err := s.backend.AddProject(ctx, name)
		var ps []application.Project
		if err == nil {
			ps, err = s.backend.Projects(ctx)
		}
		fyne.Do(func() {
			if err != nil {
				s.Message.SetText(i18n.T("settings.add_project.failed", "error", err.Error()))
				return
			}
			s.setProjects(ps, p.ID)
			s.NewProject.SetText("")
			s.Message.SetText(i18n.T("settings.add_project.done", "name", fmt.Sprintf("%q", p.Name)))
		})
	})
}

// Diagnose runs doctor's checks and shows them, one line each.
func (s *Settings) Diagnose() {
	s.DiagnoseButton.Disable()
	s.Message.SetText(i18n.T("settings.checking"))
	s.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		lines, err := s.backend.Diagnose(ctx)
		fyne.Do(func() {
			s.DiagnoseButton.Enable()
			if err != nil {
				s.Message.SetText("✗ " + explain(err))
				return
			}
			s.Message.SetText(strings.TrimSpace(application.DoctorText(lines)))
		})
	})
}
