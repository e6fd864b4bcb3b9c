package ui

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strconv"
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
)

// Report is the report window's content: one ISO week at a time, a
// stacked bar a day by project, totals per project and day, and what of
// it is pushed, waiting, or kept local.
type Report struct {
	backend Backend
	async   Async
	loc     *time.Location

	Week                         *report.Week
	Title, Totals, Message       *widget.Label
	Prev, Next, ThisWeek, Export *widget.Button
	Bars                         *WeekBars
	Table                        *fyne.Container
	body                         *fyne.Container
	content                      fyne.CanvasObject
	saveDialog                   func(write func(io.Writer) error)
	monday                       time.Time
	syncing                      bool
}

// NewReport builds the window for the current week in loc; saveDialog
// asks where to save the CSV export.
func NewReport(b Backend, async Async, loc *time.Location, saveDialog func(write func(io.Writer) error)) *Report {
	r := &Report{backend: b, async: async, loc: loc, saveDialog: saveDialog}
	r.Title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	r.Totals = widget.NewLabel("")
	r.Totals.Wrapping = fyne.TextWrapWord
	r.Message = widget.NewLabel("")
	r.Prev = widget.NewButton("◀ Previous week", func() { r.ShowWeek(r.monday.AddDate(0, 0, -7)) })
	r.Next = widget.NewButton("Next week ▶", func() { r.ShowWeek(r.monday.AddDate(0, 0, 7)) })
	r.ThisWeek = widget.NewButton("This week", func() { r.ShowWeek(time.Now()) })
	r.Export = widget.NewButton("Export CSV…", r.exportCSV)
	r.Bars = NewWeekBars()
	r.Table = container.NewVBox()
	header := container.NewBorder(nil, nil, container.NewHBox(r.Prev, r.ThisWeek), r.Next, r.Title)
	bottom := container.NewHBox(r.Message, layout.NewSpacer(), r.Export)
	r.body = container.NewVBox(r.Bars, widget.NewSeparator(), r.Table, widget.NewSeparator(), r.Totals)
	r.content = container.NewBorder(header, bottom, nil, nil, container.NewVScroll(r.body))
	return r
}

// Content is the window content.
func (r *Report) Content() fyne.CanvasObject { return r.content }

// ShowWeek loads the ISO week holding t, computed off the UI goroutine.
func (r *Report) ShowWeek(t time.Time) {
	r.monday = report.ISOWeek(t, r.loc)
	monday := r.monday
	r.Message.SetText("Adding up…")
	r.async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		w, err := r.backend.Week(ctx, monday, r.loc)
		st, _ := r.backend.Status(ctx)
		fyne.Do(func() {
			if err != nil {
				r.Message.SetText("Could not add up the week: " + explain(err))
				return
			}
			r.show(w, st)
		})
	})
}

// RefreshStatus follows a sync while the window is open: its progress in
// the message line, and the week added up again when it has finished.
func (r *Report) RefreshStatus(ctx context.Context) {
	st, err := r.backend.Status(ctx)
	if err != nil {
		return
	}
	fyne.Do(func() {
		was := r.syncing
		r.syncing = st.Syncing
		r.Message.SetText(syncNote(st))
		if was && !st.Syncing && !r.monday.IsZero() {
			r.ShowWeek(r.monday)
		}
	})
}

func syncNote(st engine.Status) string {
	switch {
	case st.Syncing && st.Progress.Buckets > 0:
		return fmt.Sprintf("A sync is still filling this week (bucket %d of %d, %d events so far): figures will grow.",
			st.Progress.BucketIndex, st.Progress.Buckets, st.Progress.Imported)
	case st.Syncing:
		return "A sync is still filling this week: figures will grow."
	}
	return ""
}

func (r *Report) show(w report.Week, st engine.Status) {
	r.Week = &w
	r.syncing = st.Syncing
	r.Title.SetText(w.Label)
	r.Bars.Set(w)
	// A new table, so the page lays it out at its new size.
	cells := WeekTableCells(w)
	rows := container.NewVBox()
	for i := 0; i+9 <= len(cells); i += 9 {
		rows.Add(container.New(weekRowLayout{}, cells[i:i+9]...))
	}
	r.Table = rows
	r.body.Objects[2] = r.Table
	r.body.Refresh()
	r.Totals.SetText(WeekTotalsText(w))
	r.Message.SetText(syncNote(st))
}

// WeekTotalsText is the line under the table: the week's total and what
// of it is pushed, waiting or kept local.
func WeekTotalsText(w report.Week) string {
	if w.Total == 0 {
		return "No active time this week."
	}
	d := func(s int64) string { return export.Duration(time.Duration(s) * time.Second) }
	return fmt.Sprintf("Week total %s: %s pushed to TimeTracker, %s waiting, %s kept local.", d(w.Total), d(w.Push.Pushed),
		d(w.Push.Waiting), d(w.Push.Local))
}

// WeekTableCells is the table of the week: a header of days, a row per
// project (its colour, its time a day, its total), then the day totals.
func WeekTableCells(w report.Week) []fyne.CanvasObject {
	d := func(s int64) string {
		if s == 0 {
			return "–"
		}
		return export.Duration(time.Duration(s) * time.Second)
	}
	cells := []fyne.CanvasObject{widget.NewLabelWithStyle("Project", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	for _, day := range w.Days {
		t, _ := time.Parse("2006-01-02", day)
		cells = append(cells, widget.NewLabelWithStyle(t.Format("Mon 2"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	cells = append(cells, widget.NewLabelWithStyle("Total", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	for _, l := range w.Projects {
		name := "(no project)"
		if l.Project != nil {
			name = *l.Project
		}
		if l.Local {
			name += " (local)"
		}
		swatch := canvas.NewRectangle(hexColor(l.Color))
		swatch.SetMinSize(fyne.NewSize(12, 12))
		label := widget.NewLabel(name)
		label.Truncation = fyne.TextTruncateEllipsis
		cells = append(cells, container.NewBorder(nil, nil, container.NewCenter(swatch), nil, label))
		for _, s := range l.Days {
			cells = append(cells, widget.NewLabelWithStyle(d(s), fyne.TextAlignTrailing, fyne.TextStyle{}))
		}
		cells = append(cells, widget.NewLabelWithStyle(d(l.Total), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	cells = append(cells, widget.NewLabelWithStyle("All", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, s := range w.DayTotal {
		cells = append(cells, widget.NewLabelWithStyle(d(s), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	return append(cells, widget.NewLabelWithStyle(d(w.Total), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
}

func (r *Report) exportCSV() {
	if r.Week == nil || r.Week.Total == 0 {
		r.Message.SetText("Nothing to export for this week.")
		return
	}
	w := *r.Week
	r.saveDialog(func(out io.Writer) error {
		err := w.WriteCSV(out)
		fyne.Do(func() {
			if err != nil {
				r.Message.SetText(err.Error())
				return
			}
			r.Message.SetText(fmt.Sprintf("Exported %d projects.", len(w.Projects)))
		})
		return err
	})
}

// hexColor reads a CSS hex colour, "#rrggbb" or "#rgb" as aw-webui writes
// them (anything else: grey).
func hexColor(s string) color.Color {
	h := strings.TrimPrefix(s, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil || len(h) != 6 {
		return color.NRGBA{R: 0xBA, G: 0xB0, B: 0xAC, A: 0xFF}
	}
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xFF}
}

// WeekBars draws a stacked bar a day: each project's time in its colour,
// bars scaled to the busiest day.
type WeekBars struct {
	widget.BaseWidget
	week report.Week
}

// NewWeekBars returns an empty chart.
func NewWeekBars() *WeekBars {
	b := &WeekBars{}
	b.ExtendBaseWidget(b)
	return b
}

// Set shows a week.
func (b *WeekBars) Set(w report.Week) {
	b.week = w
	b.Refresh()
}

// Segment is one project's part of one day's bar, as fractions of the
// chart's height (0 = bottom).
type Segment struct {
	Day      int
	From, To float64
	Color    string
}

// Segments lays out the bars: a testable description of the picture.
func (b *WeekBars) Segments() []Segment {
	var busiest int64
	for _, t := range b.week.DayTotal {
		busiest = max(busiest, t)
	}
	if busiest == 0 {
		return nil
	}
	var out []Segment
	for day := range b.week.Days {
		at := 0.0
		for _, l := range b.week.Projects {
			if l.Days[day] == 0 {
				continue
			}
			h := float64(l.Days[day]) / float64(busiest)
			out = append(out, Segment{Day: day, From: at, To: at + h, Color: l.Color})
			at += h
		}
	}
	return out
}

func (b *WeekBars) CreateRenderer() fyne.WidgetRenderer {
	r := &weekBarsRenderer{b: b}
	r.rebuild()
	return r
}

type weekBarsRenderer struct {
	b       *WeekBars
	objects []fyne.CanvasObject
	rects   []*canvas.Rectangle
	segs    []Segment
	labels  []*canvas.Text
}

func (r *weekBarsRenderer) rebuild() {
	r.segs = r.b.Segments()
	r.rects, r.labels, r.objects = nil, nil, nil
	for _, s := range r.segs {
		rect := canvas.NewRectangle(hexColor(s.Color))
		r.rects = append(r.rects, rect)
		r.objects = append(r.objects, rect)
	}
	for i, day := range r.b.week.Days {
		t, _ := time.Parse("2006-01-02", day)
		text := canvas.NewText(t.Format("Mon")+" "+export.Duration(time.Duration(r.b.week.DayTotal[i])*time.Second), color.Gray{Y: 0x80})
		text.TextSize = 11
		text.Alignment = fyne.TextAlignCenter
		r.labels = append(r.labels, text)
		r.objects = append(r.objects, text)
	}
}

func (r *weekBarsRenderer) Layout(size fyne.Size) {
	if len(r.labels) == 0 {
		return
	}
	labelH := r.labels[0].MinSize().Height
	chartH := size.Height - labelH - 4
	col := size.Width / 7
	barW := col * 0.6
	for i, s := range r.segs {
		x := col*float32(s.Day) + (col-barW)/2
		top := chartH * float32(1-s.To)
		r.rects[i].Move(fyne.NewPos(x, top))
		r.rects[i].Resize(fyne.NewSize(barW, chartH*float32(s.To-s.From)))
	}
	for i, l := range r.labels {
		l.Move(fyne.NewPos(col*float32(i), chartH+2))
		l.Resize(fyne.NewSize(col, labelH))
	}
}

func (r *weekBarsRenderer) MinSize() fyne.Size { return fyne.NewSize(420, 180) }

func (r *weekBarsRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.b.Size())
	canvas.Refresh(r.b)
}

func (r *weekBarsRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *weekBarsRenderer) Destroy()                     {}

// weekRowLayout lays out a table row: the project name takes a third of
// the width, the seven days and the total share the rest.
type weekRowLayout struct{}

func (weekRowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	first := size.Width / 3
	rest := (size.Width - first) / float32(len(objs)-1)
	x := float32(0)
	for i, o := range objs {
		w := rest
		if i == 0 {
			w = first
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (weekRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objs))*40, h)
}
