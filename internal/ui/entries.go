package ui

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Entries is the entries window's content: one day at a time.
type Entries struct {
	backend Backend
	async   Async
	loc     *time.Location

	Day                                   time.Time // local midnight
	DayLabel, Total, Message              *widget.Label
	Prev, Next, Today, Export, SyncButton *widget.Button
	List                                  *widget.List
	Bar                                   *DayBar
	DayView                               *DayView
	Tabs                                  *container.AppTabs
	Review                                *Review
	entries                               []application.Entry
	content                               fyne.CanvasObject
	saveDialog                            func(write func(io.Writer) error)
	// OpenReport opens the report window (nil: no button).
	OpenReport   func()
	ReportButton *widget.Button
	// OpenRuleForm opens the Rules tab with the form pre-filled.
	OpenRuleForm                 func(application.Rule)
	MakeRule, MakeRuleUnassigned *widget.Button
	Unassigned                   *widget.List
	unassigned                   []application.Unassigned
	selected, selectedUnassigned int
}

// NewEntries builds the view for today in loc. saveDialog asks where to
// save an export and calls write with the file.
func NewEntries(b Backend, async Async, loc *time.Location, saveDialog func(write func(io.Writer) error)) *Entries {
	v := &Entries{backend: b, async: async, loc: loc, saveDialog: saveDialog, selected: -1, selectedUnassigned: -1}
	v.DayLabel = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	v.Total = widget.NewLabel("")
	v.Message = widget.NewLabel("")
	v.Message.Wrapping = fyne.TextWrapWord
	v.Prev = widget.NewButtonWithIcon(i18n.T("entries.previous"), theme.NavigateBackIcon(), func() { v.ShowDay(v.Day.AddDate(0, 0, -1)) })
	v.Next = widget.NewButtonWithIcon(i18n.T("entries.next"), theme.NavigateNextIcon(), func() { v.ShowDay(v.Day.AddDate(0, 0, 1)) })
	v.Next.IconPlacement = widget.ButtonIconTrailingText
	v.Today = widget.NewButton(i18n.T("entries.today"), func() { v.ShowDay(time.Now()) })
	v.Export = widget.NewButton(i18n.T("common.export_csv"), v.exportCSV)
	v.SyncButton = widget.NewButton(i18n.T("common.sync_now"), v.syncNow)
	v.ReportButton = widget.NewButton(i18n.T("entries.report"), func() {
		if v.OpenReport != nil {
			v.OpenReport()
		}
	})
	v.DayView = newDayView(b, async, loc, func() { v.ShowDay(v.Day) })
	v.DayView.OpenRuleForm = func(e application.Entry) {
		if v.OpenRuleForm != nil {
			v.OpenRuleForm(application.RuleFromEntry(e))
		}
	}
	v.Bar = NewDayBar(loc)
	v.Bar.OnTap = func(i int) {
		v.Tabs.SelectIndex(0)
		v.DayView.Select(i)
	}
	v.List = widget.NewList(func() int { return len(v.entries) }, newEntryRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(v.entries) {
			setEntryRow(o, v.entries[i])
		}
	})
	v.List.OnSelected = func(i widget.ListItemID) { v.selected = i; v.MakeRule.Enable() }
	v.MakeRule = widget.NewButton(i18n.T("entries.make_rule"), func() {
		if v.selected >= 0 && v.selected < len(v.entries) && v.OpenRuleForm != nil {
			v.OpenRuleForm(application.RuleFromEntry(v.entries[v.selected]))
		}
	})
	v.MakeRule.Disable()
	v.Unassigned = lineList(func() int { return len(v.unassigned) }, func(i int) string {
		u := v.unassigned[i]
		return fmt.Sprintf("%s  ·  %s  ·  %s", i18n.Duration(time.Duration(u.Seconds)*time.Second), u.App, u.Title)
	})
	v.Unassigned.OnSelected = func(i widget.ListItemID) { v.selectedUnassigned = i; v.MakeRuleUnassigned.Enable() }
	v.MakeRuleUnassigned = widget.NewButton(i18n.T("entries.make_rule"), func() {
		if i := v.selectedUnassigned; i >= 0 && i < len(v.unassigned) && v.OpenRuleForm != nil {
			v.OpenRuleForm(application.RuleFromEntry(v.unassigned[i].Entry))
		}
	})
	v.MakeRuleUnassigned.Disable()
	header := container.NewBorder(nil, nil, container.NewHBox(v.Prev, v.Today), v.Next, v.DayLabel)
	top := container.NewVBox(header, v.Bar)
	v.Total.Wrapping = fyne.TextWrapWord
	bottom := container.NewVBox(v.Total, container.NewHBox(v.Message, layout.NewSpacer(), v.SyncButton, v.ReportButton, v.Export))
	v.Review = NewReview(b, async)
	// Each tab its own headers: the raw list's columns label only it.
	v.Tabs = container.NewAppTabs(
		container.NewTabItem(i18n.T("entries.tab.day"), v.DayView.content),
		container.NewTabItem(i18n.T("entries.tab.entries"), container.NewBorder(columnsHeader(), container.NewHBox(layout.NewSpacer(), v.MakeRule), nil, nil, v.List)),
		container.NewTabItem(i18n.T("entries.tab.unassigned"), container.NewBorder(nil,
			container.NewHBox(widget.NewLabel(i18n.T("entries.unassigned_hint")), layout.NewSpacer(), v.MakeRuleUnassigned),
			nil, nil, v.Unassigned)),
		container.NewTabItem(i18n.T("entries.tab.blocks"), v.Review.Content()))
	v.content = container.NewBorder(top, bottom, nil, nil, v.Tabs)
	return v
}

// Content is the window content.
func (v *Entries) Content() fyne.CanvasObject { return v.content }

// ShowDay loads the local day containing t.
func (v *Entries) ShowDay(t time.Time) {
	t = t.In(v.loc)
	v.Day = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, v.loc)
	end := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, v.loc) // 23 or 25 h on DST days
	v.DayLabel.SetText(i18n.Date(v.Day))
	day := v.Day
	v.Review.Show(day, end)
	v.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		entries, err := v.backend.Entries(ctx, day, end)
		var rows []application.DayRow
		var colors map[int64]string
		var blocks []application.DayBlock
		if err == nil {
			rows, colors, err = v.backend.Day(ctx, day, end, v.loc)
		}
		if err == nil {
			blocks, err = v.backend.DayBlocks(ctx, day, end)
		}
		fyne.Do(func() {
			if !v.Day.Equal(day) {
				return // the person moved on to another day
			}
			if err != nil {
				v.Message.SetText(i18n.T("entries.read_failed", "error", explain(err)))
				return
			}
			v.Message.SetText("")
			v.entries, v.selected, v.selectedUnassigned = entries, -1, -1
			v.unassigned = application.UnassignedTime(entries)
			v.List.UnselectAll()
			v.Unassigned.UnselectAll()
			v.Unassigned.Refresh()
			v.MakeRule.Disable()
			v.MakeRuleUnassigned.Disable()
			v.Total.SetText(DayTotalText(rows, len(entries)))
			v.Bar.Set(day, end, blocks, colors)
			v.DayView.Set(blocks, colors)
			v.List.Refresh()
		})
	})
}

func (v *Entries) exportCSV() {
	if len(v.entries) == 0 {
		v.Message.SetText(i18n.T("entries.nothing_to_export"))
		return
	}
	entries := v.entries
	v.saveDialog(func(w io.Writer) error {
		err := application.WriteCSV(w, entries)
		fyne.Do(func() {
			if err != nil {
				v.Message.SetText(i18n.T("entries.export_failed", "error", err.Error()))
			} else {
				v.Message.SetText(i18n.N("entries.exported", len(entries)))
			}
		})
		return err
	})
}

func (v *Entries) syncNow() {
	v.SyncButton.Disable()
	v.Message.SetText(i18n.T("common.syncing"))
	v.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		_, err := v.backend.SyncNow(ctx, application.SyncNewRequest)
		fyne.Do(func() {
			v.SyncButton.Enable()
			if err != nil {
				v.Message.SetText(i18n.T("common.sync_failed", "error", explain(err)))
				return
			}
			v.ShowDay(v.Day)
		})
	})
}

// rowLayout places fixed-width columns, then one that fills the row.
type rowLayout struct{ widths []float32 }

// The entries list's fixed columns (start, end, duration, project) and the
// blocks list's (start, end, duration, state, project); notes take the rest.
func entryColumns() rowLayout { return rowLayout{[]float32{84, 84, 76, 140}} }
func blockColumns() rowLayout { return rowLayout{[]float32{84, 84, 76, 110, 170}} }

func (l rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width - x
		if i < len(l.widths) {
			w = l.widths[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (l rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		if m := o.MinSize().Height; m > h {
			h = m
		}
	}
	w := float32(120)
	for _, c := range l.widths {
		w += c
	}
	return fyne.NewSize(w, h)
}

// header is a row of bold column titles laid out by l.
func header(l rowLayout, titles ...string) fyne.CanvasObject {
	row := container.New(l)
	for _, t := range titles {
		row.Add(widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	return row
}

func columnsHeader() fyne.CanvasObject {
	return header(entryColumns(), i18n.T("entries.col.start"), i18n.T("entries.col.end"), i18n.T("entries.col.duration"),
		i18n.T("entries.col.project"), i18n.T("entries.col.notes"))
}

// lineList is a list of one truncated line an item: n items, line i's text.
func lineList(n func() int, line func(i int) string) *widget.List {
	return widget.NewList(n, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < n() {
			o.(*widget.Label).SetText(line(i))
		}
	})
}

// newRow is a list row of n truncating labels laid out by l.
func newRow(l rowLayout, n int) fyne.CanvasObject {
	row := container.New(l)
	for range n {
		c := widget.NewLabel("")
		c.Truncation = fyne.TextTruncateEllipsis
		row.Add(c)
	}
	return row
}

func newEntryRow() fyne.CanvasObject { return newRow(entryColumns(), 5) }

func setEntryRow(o fyne.CanvasObject, e application.Entry) {
	cells := []string{e.Start.Format("15:04:05"), e.End.Format("15:04:05"),
		i18n.Duration(time.Duration(e.DurationSeconds) * time.Second), e.ProjectName, strings.ReplaceAll(e.Notes, "\n", " ")}
	for i, obj := range o.(*fyne.Container).Objects {
		obj.(*widget.Label).SetText(cells[i])
	}
}

// DayTotalText is the entries window's footer: the day's active time (the
// report's figure: window time when not away, each second once, excluded
// time left out), its biggest projects, and the raw entry count beside it
// (window and browser entries of the same minutes overlap).
func DayTotalText(rows []application.DayRow, entries int) string {
	var total int64
	for _, r := range rows {
		total += r.Seconds
	}
	var parts []string
	byProject := application.ByProject(rows)
	sort.SliceStable(byProject, func(i, j int) bool { return byProject[i].Seconds > byProject[j].Seconds })
	for i, p := range byProject {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		name := i18n.T("common.no_project")
		if p.Project != nil {
			name = *p.Project
		}
		parts = append(parts, name+" "+i18n.Duration(time.Duration(p.Seconds)*time.Second))
	}
	active := i18n.Duration(time.Duration(total) * time.Second)
	if len(parts) == 0 {
		return i18n.N("entries.total", entries, "active", active)
	}
	return i18n.N("entries.total_by_project", entries, "active", active, "projects", strings.Join(parts, ", "))
}
