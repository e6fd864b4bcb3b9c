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

// Report is the report window's content: an ISO week or a month at a
// time, a stacked bar a day by project, totals per project and day (a
// week) or ISO week (a month), and what of it is pushed, waiting, or kept
// local.
type Report struct {
	backend Backend
	async   Async
	loc     *time.Location

	Week                         *report.Week
	Title, Totals, Message       *widget.Label
	Prev, Next, ThisWeek, Export *widget.Button
	Span                         *widget.RadioGroup // Week or Month
	Bars                         *WeekBars
	Table                        *fyne.Container
	body                         *fyne.Container
	content                      fyne.CanvasObject
	saveDialog                   func(write func(io.Writer) error)
	start                        time.Time // the shown week's Monday or month's first
	month                        bool
	syncing                      bool
	shown                        int // counts show calls: only the last one's answer is shown
}

// NewReport builds the window for the current week in loc; saveDialog
// asks where to save the CSV export.
func NewReport(b Backend, async Async, loc *time.Location, saveDialog func(write func(io.Writer) error)) *Report {
	r := &Report{backend: b, async: async, loc: loc, saveDialog: saveDialog}
	r.Title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	r.Totals = widget.NewLabel("")
	r.Totals.Wrapping = fyne.TextWrapWord
	r.Message = widget.NewLabel("")
	r.Prev = widget.NewButton("", func() { r.show(r.step(-1), r.month) })
	r.Next = widget.NewButton("", func() { r.show(r.step(1), r.month) })
	r.ThisWeek = widget.NewButton("", func() { r.show(time.Now(), r.month) })
	r.Span = widget.NewRadioGroup([]string{"Week", "Month"}, func(v string) {
		if month := v == "Month"; month != r.month && !r.start.IsZero() {
			r.show(r.start, month)
		}
	})
	r.Span.Horizontal, r.Span.Required = true, true
	r.Span.SetSelected("Week")
	r.labelButtons()
	r.Export = widget.NewButton("Export CSV…", r.exportCSV)
	r.Bars = NewWeekBars()
	r.Table = container.NewVBox()
	header := container.NewBorder(nil, nil, container.NewHBox(r.Prev, r.ThisWeek, r.Span), r.Next, r.Title)
	bottom := container.NewHBox(r.Message, layout.NewSpacer(), r.Export)
	r.body = container.NewVBox(r.Bars, widget.NewSeparator(), r.Table, widget.NewSeparator(), r.Totals)
	r.content = container.NewBorder(header, bottom, nil, nil, container.NewVScroll(r.body))
	return r
}

// Content is the window content.
func (r *Report) Content() fyne.CanvasObject { return r.content }

// ShowWeek loads the ISO week holding t, computed off the UI goroutine.
func (r *Report) ShowWeek(t time.Time) { r.show(t, false) }

// ShowMonth loads the month holding t, computed off the UI goroutine.
func (r *Report) ShowMonth(t time.Time) { r.show(t, true) }

func (r *Report) unit() string {
	if r.month {
		return "month"
	}
	return "week"
}

// step is a day of the week or month before (-1) or after (1) the shown one.
func (r *Report) step(n int) time.Time {
	if r.month {
		return r.start.AddDate(0, n, 0)
	}
	return r.start.AddDate(0, 0, 7*n)
}

func (r *Report) labelButtons() {
	u := r.unit()
	r.Prev.SetText("◀ Previous " + u)
	r.Next.SetText("Next " + u + " ▶")
	r.ThisWeek.SetText("This " + u)
}

func (r *Report) show(t time.Time, month bool) {
	r.month = month
	load := r.backend.Week
	if month {
		r.start, load = report.MonthStart(t, r.loc), r.backend.Month
		r.Span.SetSelected("Month")
	} else {
		r.start = report.ISOWeek(t, r.loc)
		r.Span.SetSelected("Week")
	}
	r.labelButtons()
	r.shown++
	start, n := r.start, r.shown
	r.Message.SetText("Adding up…")
	r.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		w, err := load(ctx, start, r.loc)
		st, _ := r.backend.Status(ctx)
		fyne.Do(func() {
			if n != r.shown {
				return // another week or month was asked for meanwhile
			}
			if err != nil {
				r.Message.SetText("Could not add up the " + r.unit() + ": " + explain(err))
				return
			}
			r.display(w, st)
		})
	})
}

// ShowStatus shows st: a note while a sync fills the period, and the
// period again when it ends (call on the UI goroutine).
func (r *Report) ShowStatus(st engine.Status) {
	was := r.syncing
	r.syncing = st.Syncing
	r.Message.SetText(syncNote(st, r.unit()))
	if was && !st.Syncing && !r.start.IsZero() {
		r.show(r.start, r.month)
	}
}

func syncNote(st engine.Status, unit string) string {
	switch {
	case st.Syncing && st.Progress.Buckets > 0:
		return fmt.Sprintf("A sync is still filling this %s (bucket %d of %d, %d events so far): figures will grow.",
			unit, st.Progress.BucketIndex, st.Progress.Buckets, st.Progress.Imported)
	case st.Syncing:
		return "A sync is still filling this " + unit + ": figures will grow."
	}
	return ""
}

func (r *Report) display(w report.Week, st engine.Status) {
	r.Week = &w
	r.syncing = st.Syncing
	r.Title.SetText(w.Label)
	r.Bars.Set(w)
	// A new table, so the page lays it out at its new size.
	cells := WeekTableCells(w)
	rows := container.NewVBox()
	for n, i := len(w.Columns)+2, 0; i+n <= len(cells); i += n {
		rows.Add(container.New(weekRowLayout{}, cells[i:i+n]...))
	}
	r.Table = rows
	r.body.Objects[2] = r.Table
	r.body.Refresh()
	r.Totals.SetText(WeekTotalsText(w))
	r.Message.SetText(syncNote(st, w.Unit))
}

// WeekTotalsText is the line under the table: the period's total and
// what of it is pushed, waiting or kept local.
func WeekTotalsText(w report.Week) string {
	if w.Total == 0 {
		return "No active time this " + w.Unit + "."
	}
	d := func(s int64) string { return export.Duration(time.Duration(s) * time.Second) }
	return fmt.Sprintf("%s total %s: %s pushed to TimeTracker, %s waiting, %s kept local.", strings.ToUpper(w.Unit[:1])+w.Unit[1:],
		d(w.Total), d(w.Push.Pushed), d(w.Push.Waiting), d(w.Push.Local))
}

// WeekTableCells is the table: a header of columns (days of a week, ISO
// weeks of a month), a row per project (its colour, its time a column,
// its total), then the column totals.
func WeekTableCells(w report.Week) []fyne.CanvasObject {
	d := func(s int64) string {
		if s == 0 {
			return "–"
		}
		return export.Duration(time.Duration(s) * time.Second)
	}
	cells := []fyne.CanvasObject{widget.NewLabelWithStyle("Project", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	for _, c := range w.Columns {
		cells = append(cells, widget.NewLabelWithStyle(c.Label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
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
		for _, c := range w.Columns {
			cells = append(cells, widget.NewLabelWithStyle(d(c.Sum(l.Days)), fyne.TextAlignTrailing, fyne.TextStyle{}))
		}
		cells = append(cells, widget.NewLabelWithStyle(d(l.Total), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	cells = append(cells, widget.NewLabelWithStyle("All", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, c := range w.Columns {
		cells = append(cells, widget.NewLabelWithStyle(d(c.Sum(w.DayTotal)), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	return append(cells, widget.NewLabelWithStyle(d(w.Total), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
}

func (r *Report) exportCSV() {
	if r.Week == nil || r.Week.Total == 0 {
		r.Message.SetText("Nothing to export for this " + r.unit() + ".")
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

// WeekBars draws a stacked bar a day (of a week or a month): each
// project's time in its colour, bars scaled to the busiest day.
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
		label := t.Format("Mon") + " " + export.Duration(time.Duration(r.b.week.DayTotal[i])*time.Second)
		if len(r.b.week.Days) > 7 {
			label = t.Format("2") // a month: the day of the month; totals are in the table
		}
		text := canvas.NewText(label, color.Gray{Y: 0x80})
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
	col := size.Width / float32(len(r.labels))
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
// the width, the columns and the total share the rest.
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
