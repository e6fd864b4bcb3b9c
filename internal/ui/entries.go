package ui

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/export"
	"github.com/aw-timetracker/aw-timetracker/internal/report"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
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
	Timeline                              *Timeline
	Review                                *Review
	entries                               []store.Entry
	content                               fyne.CanvasObject
	saveDialog                            func(write func(io.Writer) error)
	// OpenReport opens the report window (nil: no button).
	OpenReport   func()
	ReportButton *widget.Button
	// OpenRuleForm opens the Rules tab with the form pre-filled.
	OpenRuleForm                 func(rules.Rule)
	MakeRule, MakeRuleUnassigned *widget.Button
	Unassigned                   *widget.List
	unassigned                   []Unassigned
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
	v.Prev = widget.NewButton("◀ Previous", func() { v.ShowDay(v.Day.AddDate(0, 0, -1)) })
	v.Next = widget.NewButton("Next ▶", func() { v.ShowDay(v.Day.AddDate(0, 0, 1)) })
	v.Today = widget.NewButton("Today", func() { v.ShowDay(time.Now()) })
	v.Export = widget.NewButton("Export CSV…", v.exportCSV)
	v.SyncButton = widget.NewButton("Sync Now", v.syncNow)
	v.ReportButton = widget.NewButton("Report…", func() {
		if v.OpenReport != nil {
			v.OpenReport()
		}
	})
	v.Timeline = NewTimeline(loc)
	v.List = widget.NewList(func() int { return len(v.entries) }, newEntryRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(v.entries) {
			setEntryRow(o, v.entries[i])
		}
	})
	v.List.OnSelected = func(i widget.ListItemID) { v.selected = i; v.MakeRule.Enable() }
	v.MakeRule = widget.NewButton("Make a rule…", func() {
		if v.selected >= 0 && v.selected < len(v.entries) && v.OpenRuleForm != nil {
			v.OpenRuleForm(RuleFromEntry(v.entries[v.selected]))
		}
	})
	v.MakeRule.Disable()
	v.Unassigned = widget.NewList(func() int { return len(v.unassigned) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(v.unassigned) {
			u := v.unassigned[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  ·  %s  ·  %s", export.Duration(time.Duration(u.Seconds)*time.Second), u.App, u.Title))
		}
	})
	v.Unassigned.OnSelected = func(i widget.ListItemID) { v.selectedUnassigned = i; v.MakeRuleUnassigned.Enable() }
	v.MakeRuleUnassigned = widget.NewButton("Make a rule…", func() {
		if i := v.selectedUnassigned; i >= 0 && i < len(v.unassigned) && v.OpenRuleForm != nil {
			v.OpenRuleForm(RuleFromEntry(v.unassigned[i].Entry))
		}
	})
	v.MakeRuleUnassigned.Disable()
	header := container.NewBorder(nil, nil, container.NewHBox(v.Prev, v.Today), v.Next, v.DayLabel)
	top := container.NewVBox(header, v.Timeline, columnsHeader())
	v.Total.Wrapping = fyne.TextWrapWord
	bottom := container.NewVBox(v.Total, container.NewHBox(v.Message, layout.NewSpacer(), v.SyncButton, v.ReportButton, v.Export))
	v.Review = NewReview(b, async)
	tabs := container.NewAppTabs(
		container.NewTabItem("Entries", container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), v.MakeRule), nil, nil, v.List)),
		container.NewTabItem("Without a project", container.NewBorder(nil,
			container.NewHBox(widget.NewLabel("The day's window time no rule files, by app and title."), layout.NewSpacer(), v.MakeRuleUnassigned),
			nil, nil, v.Unassigned)),
		container.NewTabItem("Blocks to push", v.Review.Content()))
	v.content = container.NewBorder(top, bottom, nil, nil, tabs)
	return v
}

// Content is the window content.
func (v *Entries) Content() fyne.CanvasObject { return v.content }

// ShowDay loads the local day containing t.
func (v *Entries) ShowDay(t time.Time) {
	t = t.In(v.loc)
	v.Day = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, v.loc)
	end := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, v.loc) // 23 or 25 h on DST days
	v.DayLabel.SetText(v.Day.Format("Monday, 2 January 2006"))
	day := v.Day
	v.Review.Show(day, end)
	v.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		entries, err := v.backend.Entries(ctx, day, end)
		var rows []report.Row
		var colors map[int64]string
		if err == nil {
			rows, colors, err = v.backend.Day(ctx, day, end, v.loc)
		}
		fyne.Do(func() {
			if !v.Day.Equal(day) {
				return // the person moved on to another day
			}
			if err != nil {
				v.Message.SetText("Could not read entries: " + err.Error())
				return
			}
			v.Message.SetText("")
			v.entries, v.selected, v.selectedUnassigned = entries, -1, -1
			v.unassigned = UnassignedTime(entries)
			v.List.UnselectAll()
			v.Unassigned.UnselectAll()
			v.Unassigned.Refresh()
			v.MakeRule.Disable()
			v.MakeRuleUnassigned.Disable()
			v.Total.SetText(DayTotalText(rows, len(entries)))
			v.Timeline.Set(day, end, entries, colors)
			v.List.Refresh()
		})
	})
}

func (v *Entries) exportCSV() {
	if len(v.entries) == 0 {
		v.Message.SetText("Nothing to export for this day.")
		return
	}
	entries := v.entries
	v.saveDialog(func(w io.Writer) error {
		err := export.CSV(w, entries)
		fyne.Do(func() {
			if err != nil {
				v.Message.SetText("Export failed: " + err.Error())
			} else {
				v.Message.SetText(fmt.Sprintf("Exported %d entries.", len(entries)))
			}
		})
		return err
	})
}

func (v *Entries) syncNow() {
	v.SyncButton.Disable()
	v.Message.SetText("Syncing…")
	v.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		_, err := v.backend.SyncNow(ctx, engine.SyncRequest{})
		fyne.Do(func() {
			v.SyncButton.Enable()
			if err != nil {
				v.Message.SetText("Sync failed: " + explain(err))
				return
			}
			v.ShowDay(v.Day)
		})
	})
}

// columnWidths are the fixed columns (start, end, duration, project); notes
// take the rest of the row.
var columnWidths = []float32{84, 84, 76, 140}

// rowLayout places fixed-width columns, then one that fills the row.
type rowLayout struct{}

func (rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width - x
		if i < len(columnWidths) {
			w = columnWidths[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		if m := o.MinSize().Height; m > h {
			h = m
		}
	}
	w := float32(120)
	for _, c := range columnWidths {
		w += c
	}
	return fyne.NewSize(w, h)
}

func columnsHeader() fyne.CanvasObject {
	bold := fyne.TextStyle{Bold: true}
	row := container.New(rowLayout{})
	for _, title := range []string{"Start", "End", "Duration", "Project", "Notes"} {
		row.Add(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, bold))
	}
	return row
}

func newEntryRow() fyne.CanvasObject {
	row := container.New(rowLayout{})
	for i := 0; i < 5; i++ {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		row.Add(l)
	}
	return row
}

func setEntryRow(o fyne.CanvasObject, e store.Entry) {
	cells := []string{e.Start.Format("15:04:05"), e.End.Format("15:04:05"),
		export.Duration(time.Duration(e.DurationSeconds) * time.Second), e.ProjectName, strings.ReplaceAll(e.Notes, "\n", " ")}
	for i, obj := range o.(*fyne.Container).Objects {
		obj.(*widget.Label).SetText(cells[i])
	}
}

// DayTotalText is the entries window's footer: the day's active time (the
// report's figure: window time when not away, each second once, excluded
// time left out), its biggest projects, and the raw entry count beside it
// (window and browser entries of the same minutes overlap).
func DayTotalText(rows []report.Row, entries int) string {
	var total int64
	for _, r := range rows {
		total += r.Seconds
	}
	text := "Active " + export.Duration(time.Duration(total)*time.Second)
	var parts []string
	byProject := report.ByProject(rows)
	sort.SliceStable(byProject, func(i, j int) bool { return byProject[i].Seconds > byProject[j].Seconds })
	for i, p := range byProject {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		name := "no project"
		if p.Project != nil {
			name = *p.Project
		}
		parts = append(parts, name+" "+export.Duration(time.Duration(p.Seconds)*time.Second))
	}
	if len(parts) > 0 {
		text += " (" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprintf("%s · %d entries", text, entries)
}

// Timeline draws a day as a bar with the entries on it, each in its
// project's colour (the same as in the report).
type Timeline struct {
	widget.BaseWidget
	loc        *time.Location
	start, end time.Time
	entries    []store.Entry
	colors     map[int64]string // project id → "#rrggbb"
}

// NewTimeline returns an empty timeline.
func NewTimeline(loc *time.Location) *Timeline {
	t := &Timeline{loc: loc}
	t.ExtendBaseWidget(t)
	return t
}

// Set shows the entries of [start, end), coloured by project.
func (t *Timeline) Set(start, end time.Time, entries []store.Entry, colors map[int64]string) {
	t.start, t.end, t.entries, t.colors = start, end, entries, colors
	t.Refresh()
}

// Spans are the bar segments as fractions of the day, for tests and drawing.
func (t *Timeline) Spans() [][2]float64 {
	total := t.end.Sub(t.start).Seconds()
	if total <= 0 {
		return nil
	}
	var out [][2]float64
	for _, e := range t.entries {
		a := e.Start.Sub(t.start).Seconds() / total
		b := e.End.Sub(t.start).Seconds() / total
		out = append(out, [2]float64{clampUnit(a), clampUnit(b)})
	}
	return out
}

func clampUnit(f float64) float64 {
	if f < 0 {
		return 0
	}
	if f > 1 {
		return 1
	}
	return f
}

// CreateRenderer draws the bar.
func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{t: t, bg: canvas.NewRectangle(color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x30})}
	r.rebuild()
	return r
}

type timelineRenderer struct {
	t     *Timeline
	bg    *canvas.Rectangle
	bars  []*canvas.Rectangle
	ticks []*canvas.Text
}

func (r *timelineRenderer) rebuild() {
	r.bars = r.bars[:0]
	for _, e := range r.t.entries {
		r.bars = append(r.bars, canvas.NewRectangle(hexColor(r.t.colors[e.ProjectID])))
	}
	if len(r.ticks) == 0 {
		for _, h := range []int{0, 6, 12, 18} {
			txt := canvas.NewText(fmt.Sprintf("%02d:00", h), color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff})
			txt.TextSize = 10
			r.ticks = append(r.ticks, txt)
		}
	}
}

func (r *timelineRenderer) Layout(size fyne.Size) {
	barH := size.Height - 14
	r.bg.Resize(fyne.NewSize(size.Width, barH))
	r.bg.Move(fyne.NewPos(0, 0))
	spans := r.t.Spans()
	for i, b := range r.bars {
		if i >= len(spans) {
			b.Hide()
			continue
		}
		x := float32(spans[i][0]) * size.Width
		w := float32(spans[i][1]-spans[i][0]) * size.Width
		if w < 1 {
			w = 1
		}
		b.Move(fyne.NewPos(x, 0))
		b.Resize(fyne.NewSize(w, barH))
	}
	total := r.t.end.Sub(r.t.start).Seconds()
	for i, txt := range r.ticks {
		// Hours sit where they really fall: a DST day is 23 or 25 hours long.
		at := time.Date(r.t.start.Year(), r.t.start.Month(), r.t.start.Day(), i*6, 0, 0, 0, r.t.loc)
		x := float32(i) / 4
		if total > 0 {
			x = float32(at.Sub(r.t.start).Seconds() / total)
		}
		txt.Move(fyne.NewPos(size.Width*x, barH))
	}
}

func (r *timelineRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 36) }

func (r *timelineRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.t.Size())
	canvas.Refresh(r.t)
}

func (r *timelineRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg}
	for _, b := range r.bars {
		objs = append(objs, b)
	}
	for _, t := range r.ticks {
		objs = append(objs, t)
	}
	return objs
}

func (r *timelineRenderer) Destroy() {}
