package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

const (
	followApp     = "Each app (a block per app)"
	followProject = "The project (fewer, longer blocks)"
)

var pushModeLabels = map[config.PushMode]string{config.PushAuto: "Automatically after each sync", config.PushReview: "After I review them"}

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
	loaded     config.Remote // as saved: Save edits only the tab's fields
	content    fyne.CanvasObject
}

// NewRemote builds the tab; call Load to fill it.
func NewRemote(b Backend, async Async, onClose func()) *Remote {
	r := &Remote{backend: b, async: async, projectIDs: map[string]int64{}, loaded: config.DefaultRemote()}
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
		_, err := timetracker.ParseServerURL(v)
		return err
	}
	r.Token = newEntry("tt_… (empty keeps the saved token)", r.Save, esc)
	r.Token.Password = true
	num := func(max int) func(string) error {
		return func(v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > max {
				return fmt.Errorf("%q: choose 0 to %d", v, max)
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
	r.Project.PlaceHolder = "(test the connection to list projects)"
	r.Mode = widget.NewSelect([]string{pushModeLabels[config.PushAuto], pushModeLabels[config.PushReview]}, nil)
	r.CutAFK = widget.NewCheck("Leave out time marked away (aw-watcher-afk)", nil)
	r.GroupBy = widget.NewSelect([]string{followApp, followProject}, nil)
	r.SaveButton = widget.NewButton("Test and save", r.Save)
	r.SaveButton.Importance = widget.HighImportance
	r.PushButton = widget.NewButton("Push now", r.PushNow)
	r.Result = widget.NewLabel("")
	r.Result.Wrapping = fyne.TextWrapWord
	r.Status = widget.NewLabel("")
	r.Status.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("TimeTracker URL", r.URL),
		widget.NewFormItem("API token", r.Token),
		widget.NewFormItem("Default project", r.Project),
		widget.NewFormItem("Push blocks", r.Mode),
		widget.NewFormItem("Blocks follow", r.GroupBy),
		widget.NewFormItem("Merge gaps under (s)", r.MergeGap),
		widget.NewFormItem("Shortest block (s)", r.MinBlock),
		widget.NewFormItem("Settle time (min)", r.Settle),
		widget.NewFormItem("Away time", r.CutAFK),
	)
	form.Items[1].HintText = "Kept in the OS keyring (or a file only you can read); never shown again."
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
			r.Result.SetText("Could not read the TimeTracker settings: " + err.Error())
			return
		}
		c := st.Config
		r.loaded = c
		r.URL.SetText(c.ServerURL)
		r.MergeGap.SetText(strconv.Itoa(c.MergeGapSeconds))
		r.MinBlock.SetText(strconv.Itoa(c.MinBlockSeconds))
		r.Settle.SetText(strconv.Itoa(c.SettleMinutes))
		r.Mode.SetSelected(pushModeLabels[c.PushMode])
		r.CutAFK.SetChecked(c.CutAFK)
		r.GroupBy.SetSelected(followApp)
		if c.ByProject {
			r.GroupBy.SetSelected(followProject)
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
func (r *Remote) Config() (config.Remote, error) {
	c := r.loaded
	c.ServerURL = strings.TrimSpace(r.URL.Text)
	for mode, label := range pushModeLabels {
		if label == r.Mode.Selected {
			c.PushMode = mode
		}
	}
	c.CutAFK = r.CutAFK.Checked
	c.ByProject = r.GroupBy.Selected == followProject
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
		return c, fmt.Errorf("give the TimeTracker URL")
	}
	return c, c.Validate()
}

// Save tests the server and the token, and saves.
func (r *Remote) Save() {
	cfg, err := r.Config()
	if err != nil {
		r.Result.SetText("Please fix: " + err.Error())
		return
	}
	token := strings.TrimSpace(r.Token.Text)
	project := r.Project.Selected
	if id, ok := r.projectIDs[project]; ok {
		project = strconv.FormatInt(id, 10)
	}
	r.Result.SetText("Checking the server and the token…")
	r.SaveButton.Disable()
	edit := settings.Patch(r.loaded, cfg) // read on the UI goroutine
	r.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		res, err := r.backend.RemoteSetup(ctx, edit, token, project)
		st, _ := r.backend.RemoteState(ctx)
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
			msg := fmt.Sprintf("✓ Connected to TimeTracker %s (time zone %s).", res.Info.AppVersion, res.Info.Timezone)
			if st.Config.DefaultProjectID == 0 {
				msg += " Choose a default project and save again."
			}
			if res.Warning != "" {
				msg += " Note: " + res.Warning + "."
			}
			r.Result.SetText(msg)
			r.Status.SetText(RemoteSummary(st))
		})
	})
}

// PushNow pushes the ready blocks.
func (r *Remote) PushNow() {
	r.PushButton.Disable()
	r.Result.SetText("Pushing…")
	r.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		out, err := r.backend.PushNow(ctx)
		st, _ := r.backend.RemoteState(ctx)
		fyne.Do(func() {
			r.PushButton.Enable()
			if err != nil {
				r.Result.SetText("✗ Push stopped: " + explain(err))
			} else {
				r.Result.SetText("Pushed: " + PushOutcomeText(out))
			}
			r.Status.SetText(RemoteSummary(st))
		})
	})
}

// PushOutcomeText is what a push did, in a few words.
func PushOutcomeText(o engine.PushOutcome) string {
	return fmt.Sprintf("%d new, %d updated, %d failed, %d in conflict, %d waiting", o.Created, o.Updated, o.Failed, o.Conflicts, o.Waiting)
}

// RemoteSummary is the push state in a few words.
func RemoteSummary(st push.State) string {
	if !st.Configured {
		return "No TimeTracker set up: pushing is off."
	}
	var b strings.Builder
	if st.IsActive {
		b.WriteString("Connected to " + st.Config.ServerURL + ".")
	} else {
		b.WriteString("Not connected: " + st.LastError)
	}
	if st.Pushed {
		p := st.LastPush
		fmt.Fprintf(&b, " Last push %s · %d sent", p.At.Local().Format("Jan 2 15:04"), p.Sent())
		if p.Status != store.StatusSuccess {
			fmt.Fprintf(&b, " (%s)", p.Status)
		}
		b.WriteString(".")
		if p.Message != "" {
			b.WriteString(" " + p.Message)
		}
	}
	var parts []string
	for _, s := range []store.BlockState{store.BlockPending, store.BlockApproved, store.BlockPushed, store.BlockFailed, store.BlockConflict} {
		if n := st.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) > 0 {
		b.WriteString(" Blocks: " + strings.Join(parts, ", ") + ".")
	}
	return b.String()
}
