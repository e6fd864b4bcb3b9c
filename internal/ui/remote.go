package ui

import (
	"context"
	"errors"
	"fmt"
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

// The "Blocks follow" choices, in the select's order.
const (
	followApp     = iota // a block per app
	followProject        // fewer, longer blocks
)

func followLabels() []string {
	return []string{i18n.T("remote.follow.app"), i18n.T("remote.follow.project")}
}

// pushModes are the push modes the select offers, in its order.
func pushModes() []application.PushMode {
	return []application.PushMode{application.PushAuto, application.PushReview}
}

func pushModeLabel(m application.PushMode) string {
	switch m {
	case application.PushAuto:
		return i18n.T("remote.mode.auto")
	case application.PushReview:
		return i18n.T("remote.mode.review")
	}
	return ""
}

// Remote is the TimeTracker tab of the settings window.
type Remote struct {
	backend Backend
	async   Async

	URL, Token, MergeGap, MinBlock, Settle *keyEntry
	Project                                *widget.Select
	Mode                                   *widget.Select
	GroupBy                                *widget.Select
	CutAFK                                 *widget.Check
	SaveButton, PushButton                 *widget.Button
	Result, Status                         *widget.Label

	projectIDs map[string]int64
	loaded     application.Remote // as saved: Save edits only the tab's fields
	pushing    bool               // the engine's status, last seen
	lastPush   time.Time
	content    fyne.CanvasObject
}

// NewRemote builds the tab; call Load to fill it.
func NewRemote(b Backend, async Async, onClose func()) *Remote {
	r := &Remote{backend: b, async: async, projectIDs: map[string]int64{}, loaded: application.DefaultRemote()}
	esc := func() {
		if onClose != nil {
			onClose()
		}
	}
	r.URL = newEntry("https://timetracker.example.com", r.Save, esc)
	r.URL.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		return application.CheckTimeTrackerURL(v)
	}
	r.Token = newEntry(i18n.T("remote.token.placeholder"), r.Save, esc)
	r.Token.Password = true
	num := func(max int) func(string) error {
		return func(v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > max {
				return errors.New(i18n.T("remote.number.out_of_range", "value", fmt.Sprintf("%q", v), "max", max))
			}
			return nil
		}
	}
	r.MergeGap = newEntry("60", r.Save, esc)
	r.MergeGap.Validator = num(3600)
	r.MinBlock = newEntry("60", r.Save, esc)
	r.MinBlock.Validator = num(3600)
	r.Settle = newEntry("5", r.Save, esc)
	r.Settle.Validator = num(120)
	r.Project = widget.NewSelect(nil, nil)
	r.Project.PlaceHolder = i18n.T("remote.project.placeholder")
	var modes []string
	for _, m := range pushModes() {
		modes = append(modes, pushModeLabel(m))
	}
	r.Mode = widget.NewSelect(modes, nil)
	r.CutAFK = widget.NewCheck(i18n.T("remote.cut_afk"), nil)
	r.GroupBy = widget.NewSelect(followLabels(), nil)
	r.SaveButton = widget.NewButton(i18n.T("remote.save"), r.Save)
	r.SaveButton.Importance = widget.HighImportance
	r.PushButton = widget.NewButton(i18n.T("remote.push_now"), r.PushNow)
	r.Result = widget.NewLabel("")
	r.Result.Wrapping = fyne.TextWrapWord
	r.Status = widget.NewLabel("")
	r.Status.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("remote.form.url"), r.URL),
		widget.NewFormItem(i18n.T("remote.form.token"), r.Token),
		widget.NewFormItem(i18n.T("remote.form.default_project"), r.Project),
		widget.NewFormItem(i18n.T("remote.form.mode"), r.Mode),
		widget.NewFormItem(i18n.T("remote.form.follow"), r.GroupBy),
		widget.NewFormItem(i18n.T("remote.form.merge_gap"), r.MergeGap),
		widget.NewFormItem(i18n.T("remote.form.min_block"), r.MinBlock),
		widget.NewFormItem(i18n.T("remote.form.settle"), r.Settle),
		widget.NewFormItem(i18n.T("remote.form.away"), r.CutAFK),
	)
	form.Items[1].HintText = i18n.T("remote.form.token.hint")
	r.content = container.NewBorder(nil, container.NewVBox(r.Result, r.Status, container.NewHBox(r.PushButton, layout.NewSpacer(), r.SaveButton)),
		nil, nil, container.NewVScroll(form))
	return r
}

// Content is the tab's content.
func (r *Remote) Content() fyne.CanvasObject { return r.content }

// Load fills the tab (call off the UI goroutine).
func (r *Remote) Load(ctx context.Context) {
	st, err := r.backend.RemoteState(ctx)
	fyne.Do(func() {
		if err != nil {
			r.Result.SetText(i18n.T("remote.load_failed", "error", err.Error()))
			return
		}
		c := st.Config
		r.loaded = c
		r.URL.SetText(c.ServerURL)
		r.MergeGap.SetText(strconv.Itoa(c.MergeGapSeconds))
		r.MinBlock.SetText(strconv.Itoa(c.MinBlockSeconds))
		r.Settle.SetText(strconv.Itoa(c.SettleMinutes))
		r.Mode.SetSelected(pushModeLabel(c.PushMode))
		r.CutAFK.SetChecked(c.CutAFK)
		r.GroupBy.SetSelectedIndex(followApp)
		if c.ByProject {
			r.GroupBy.SetSelectedIndex(followProject)
		}
		if c.DefaultProjectName != "" {
			r.setProjects([]string{c.DefaultProjectName}, map[string]int64{c.DefaultProjectName: c.DefaultProjectID})
			r.Project.SetSelected(c.DefaultProjectName)
		}
		r.Status.SetText(RemoteSummary(st))
	})
}

func (r *Remote) setProjects(names []string, ids map[string]int64) {
	r.projectIDs = ids
	r.Project.Options = names
	r.Project.Refresh()
}

// Config reads the tab.
func (r *Remote) Config() (application.Remote, error) {
	c := r.loaded
	c.ServerURL = strings.TrimSpace(r.URL.Text)
	if i, modes := r.Mode.SelectedIndex(), pushModes(); i >= 0 && i < len(modes) {
		c.PushMode = modes[i]
	}
	c.CutAFK = r.CutAFK.Checked
	c.ByProject = r.GroupBy.SelectedIndex() == followProject
	for _, f := range []struct {
		e   *keyEntry
		dst *int
	}{{r.MergeGap, &c.MergeGapSeconds}, {r.MinBlock, &c.MinBlockSeconds}, {r.Settle, &c.SettleMinutes}} {
		if err := f.e.Validate(); err != nil {
			return c, err
		}
		*f.dst, _ = strconv.Atoi(strings.TrimSpace(f.e.Text))
	}
	if c.ServerURL == "" {
		return c, errors.New(i18n.T("remote.no_url"))
	}
	return c, c.Validate()
}

// Save tests the server and the token, and saves.
func (r *Remote) Save() {
	cfg, err := r.Config()
	if err != nil {
		r.Result.SetText(i18n.T("remote.please_fix", "problems", err.Error()))
		return
	}
	token := strings.TrimSpace(r.Token.Text)
	project := r.Project.Selected
	if id, ok := r.projectIDs[project]; ok {
		project = strconv.FormatInt(id, 10)
	}
	r.Result.SetText(i18n.T("remote.checking"))
	r.SaveButton.Disable()
	loaded := r.loaded // read on the UI goroutine
	r.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		res, err := r.backend.RemoteSetup(ctx, loaded, cfg, token, project)
		st, serr := r.backend.RemoteState(ctx)
		fyne.Do(func() {
			r.SaveButton.Enable()
			if len(res.Projects) > 0 {
				names := make([]string, 0, len(res.Projects))
				ids := map[string]int64{}
				for _, p := range res.Projects {
					names = append(names, p.Name)
					ids[p.Name] = p.ID
				}
				r.setProjects(names, ids)
				if st.Config.DefaultProjectName != "" {
					r.Project.SetSelected(st.Config.DefaultProjectName)
				}
			}
			if err != nil {
				r.Result.SetText("✗ " + err.Error())
				return
			}
			r.Token.SetText("")
			if serr == nil {
				r.loaded = st.Config // the next Save patches from what is saved now
			}
			msg := i18n.T("remote.connected", "version", res.Version, "zone", res.Zone)
			if st.Config.DefaultProjectID == 0 {
				msg += " " + i18n.T("remote.choose_project")
			}
			if res.Warning != "" {
				msg += " " + i18n.T("remote.note", "warning", res.Warning)
			}
			r.Result.SetText(msg)
			r.Status.SetText(RemoteSummary(st))
		})
	})
}

// PushNow pushes the ready blocks.
// ShowStatus follows the engine's status: when a push ends (this tab's,
// the tray's, a scheduled one), the push state line is read again (call
// on the UI goroutine).
func (r *Remote) ShowStatus(st application.Status) {
	ended := (r.pushing && !st.Pushing) || !st.LastPush.Equal(r.lastPush)
	r.pushing, r.lastPush = st.Pushing, st.LastPush
	if !ended {
		return
	}
	r.async(func(ctx context.Context) {
		rs, err := r.backend.RemoteState(ctx)
		if err != nil {
			return // the line keeps what it said; the next change tries again
		}
		fyne.Do(func() { r.Status.SetText(RemoteSummary(rs)) })
	})
}

func (r *Remote) PushNow() {
	r.PushButton.Disable()
	r.Result.SetText(i18n.T("remote.pushing"))
	r.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		out, err := r.backend.PushNow(ctx)
		st, _ := r.backend.RemoteState(ctx)
		fyne.Do(func() {
			r.PushButton.Enable()
			if err != nil {
				r.Result.SetText(i18n.T("remote.push_stopped", "error", explain(err)))
			} else {
				r.Result.SetText(i18n.T("remote.pushed", "outcome", PushOutcomeText(out)))
			}
			r.Status.SetText(RemoteSummary(st))
		})
	})
}

// PushOutcomeText is what a push did, in a few words.
func PushOutcomeText(o application.PushOutcome) string {
	return i18n.T("remote.outcome", "created", o.Created, "updated", o.Updated, "failed", o.Failed, "conflicts", o.Conflicts, "waiting", o.Waiting)
}

// RemoteSummary is the push state in a few words.
func RemoteSummary(st application.RemoteState) string {
	if !st.Configured {
		return i18n.T("remote.summary.not_set_up")
	}
	var b strings.Builder
	if st.Active {
		b.WriteString(i18n.T("remote.summary.connected", "url", st.Config.ServerURL))
	} else {
		b.WriteString(i18n.T("remote.summary.not_connected", "error", st.LastError))
	}
	if st.Pushed {
		p := st.LastPush
		// The layout is the language's: "Jan 2 15:04", "2.1. 15:04".
		at := p.At.Local().Format(i18n.T("remote.summary.push_time"))
		if p.Status != application.StatusSuccess {
			b.WriteString(" " + i18n.T("remote.summary.last_push_status", "at", at, "sent", p.Sent, "status", runStatusText(p.Status)))
		} else {
			b.WriteString(" " + i18n.T("remote.summary.last_push", "at", at, "sent", p.Sent))
		}
		if p.Message != "" {
			b.WriteString(" " + p.Message)
		}
	}
	var parts []string
	for _, s := range []application.BlockState{application.BlockPending, application.BlockApproved, application.BlockPushed, application.BlockFailed, application.BlockConflict} {
		if n := st.Counts[s]; n > 0 {
			parts = append(parts, blockCountText(s, n))
		}
	}
	if len(parts) > 0 {
		b.WriteString(" " + i18n.T("remote.summary.blocks", "counts", strings.Join(parts, ", ")))
	}
	return b.String()
}

// runStatusText is a push's status that is not a success, in words.
func runStatusText(s application.RunStatus) string {
	switch s {
	case application.StatusPartial:
		return i18n.T("remote.status.partial")
	case application.StatusError:
		return i18n.T("remote.status.error")
	}
	return string(s)
}

// blockCountText is n blocks in state s, for the summary ("3 pending").
func blockCountText(s application.BlockState, n int) string {
	switch s {
	case application.BlockPending:
		return i18n.T("remote.blocks.pending", "n", n)
	case application.BlockApproved:
		return i18n.T("remote.blocks.approved", "n", n)
	case application.BlockPushed:
		return i18n.T("remote.blocks.pushed", "n", n)
	case application.BlockFailed:
		return i18n.T("remote.blocks.failed", "n", n)
	case application.BlockConflict:
		return i18n.T("remote.blocks.conflict", "n", n)
	}
	return fmt.Sprintf("%d %s", n, s)
}
