package ui

import (
	"context"
	"image/color"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Report is the report window's content: an ISO week or a month at a
// time, a stacked bar a day by project, totals per project and day (a
// week) or ISO week (a month), and what of it is pushed, waiting, or kept
// local.
type Report struct {
	backend Backend
	async   Async
	loc     *time.Location

	Week                         *application.Report
	Title, Totals, Message       *widget.Label
	Prev, Next, ThisWeek, Export *widget.Button
	Span                         *widget.RadioGroup // Week or Month
	Bars                         *WeekBars
	Table                        *fyne.Container
	// OpenDay opens the entries window at a day (a tap on its bar).
	OpenDay    func(day time.Time)
	body       *fyne.Container
	content    fyne.CanvasObject
	saveDialog func(write func(io.Writer) error)
	start      time.Time // the shown week's Monday or month's first
	month      bool
	syncing    bool
	shown      int // counts show calls: only the last one's answer is shown
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
	weekLabel, monthLabel := i18n.T("report.week"), i18n.T("report.month")
	r.Span = widget.NewRadioGroup([]string{weekLabel, monthLabel}, func(v string) {
		if month := v == monthLabel; month != r.month && !r.start.IsZero() {
			r.show(r.switchTo(month, time.Now()), month)
		}
	})
	r.Span.Horizontal, r.Span.Required = true, true
	r.Span.SetSelected(weekLabel)
	r.labelButtons()
	r.Export = widget.NewButton(i18n.T("common.export_csv"), r.exportCSV)
	r.Bars = NewWeekBars()
	r.Bars.OnTapDay = func(i int) {
		if r.Week != nil && r.OpenDay != nil && i < len(r.Week.Days) {
			if d, err := time.ParseInLocation("2006-01-02", r.Week.Days[i], r.loc); err == nil {
				r.OpenDay(d)
			}
		}
	}
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

// switchTo is the day whose month (or week) is shown when the person
// switches from the shown week (or month): a week's month is that of its
// Thursday (the ISO rule: week 49 of 2026, 30 November – 6 December, is
// December's); a month's week is today's when today is in the month.
func (r *Report) switchTo(month bool, now time.Time) time.Time {
	if month {
		return r.start.AddDate(0, 0, 3)
	}
	if now = now.In(r.loc); application.MonthStart(now, r.loc).Equal(r.start) {
		return now
	}
	return r.start
}

// step is a day of the week or month before (-1) or after (1) the shown one.
func (r *Report) step(n int) time.Time {
	if r.month {
		return r.start.AddDate(0, n, 0)
	}
	return r.start.AddDate(0, 0, 7*n)
}

func (r *Report) labelButtons() {
	if r.month {
		r.Prev.SetText(i18n.T("report.previous_month"))
		r.Next.SetText(i18n.T("report.next_month"))
		r.ThisWeek.SetText(i18n.T("report.this_month"))
		return
	}
	r.Prev.SetText(i18n.T("report.previous_week"))
	r.Next.SetText(i18n.T("report.next_week"))
	r.ThisWeek.SetText(i18n.T("report.this_week"))
}

func (r *Report) show(t time.Time, month bool) {
	r.month = month
	load := r.backend.Week
	if month {
		r.start, load = application.MonthStart(t, r.loc), r.backend.Month
		r.Span.SetSelected(r.Span.Options[1])
	} else {
		r.start = application.ISOWeek(t, r.loc)
		r.Span.SetSelected(r.Span.Options[0])
	}
	r.labelButtons()
	r.shown++
	start, n := r.start, r.shown
	r.Message.SetText(i18n.T("report.adding_up"))
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
				if r.month {
					r.Message.SetText(i18n.T("report.month_failed", "error", explain(err)))
				} else {
					r.Message.SetText(i18n.T("report.week_failed", "error", explain(err)))
				}
				return
			}
			r.display(w, st)
		})
	})
}

// ShowStatus shows st: a note while a sync fills the period, and the
// period again when it ends (call on the UI goroutine).
func (r *Report) ShowStatus(st application.Status) {
	was := r.syncing
	r.syncing = st.Syncing
	r.Message.SetText(syncNote(st, r.month))
	if was && !st.Syncing && !r.start.IsZero() {
		r.show(r.start, r.month)
	}
}

func syncNote(st application.Status, month bool) string {
	p := st.Progress
	switch {
	case st.Syncing && p.Buckets > 0 && month:
		return i18n.T("report.filling_month_progress", "bucket", p.BucketIndex, "buckets", p.Buckets, "events", p.Imported)
	case st.Syncing && p.Buckets > 0:
		return i18n.T("report.filling_week_progress", "bucket", p.BucketIndex, "buckets", p.Buckets, "events", p.Imported)
	case st.Syncing && month:
		return i18n.T("report.filling_month")
	case st.Syncing:
		return i18n.T("report.filling_week")
	}
	return ""
}

// PeriodTitle is the window's title of a period: "Week 13, 23 March – 29
// March 2026" or "March 2026", in the language's words.
func PeriodTitle(w application.Report) string {
	if w.Unit == "month" {
		return i18n.MonthYear(w.Start)
	}
	_, iso := w.Start.ISOWeek()
	return i18n.T("report.week_title", "week", iso, "from", i18n.DayMonth(w.Start), "to", i18n.DayMonthYear(w.Start.AddDate(0, 0, 6)))
}

// ColumnLabel is a table column's heading: a week's day ("Fri 27"), or a
// month's ISO week and its days ("W13" over "23–29").
func ColumnLabel(w application.Report, c application.ReportColumn) string {
	first := w.Start.AddDate(0, 0, c.From)
	if w.Unit != "month" {
		return i18n.ShortDay(first)
	}
	_, iso := first.ISOWeek()
	if c.To == c.From+1 {
		return i18n.T("report.month_column_day", "week", iso, "day", c.To)
	}
	return i18n.T("report.month_column", "week", iso, "from", c.From+1, "to", c.To)
}

func (r *Report) display(w application.Report, st application.Status) {
	r.Week = &w
	r.syncing = st.Syncing
	r.Title.SetText(PeriodTitle(w))
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
	r.Message.SetText(syncNote(st, w.Unit == "month"))
}

// WeekTotalsText is the line under the table: the period's total and
// what of it is pushed, waiting or kept local.
func WeekTotalsText(w application.Report) string {
	month := w.Unit == "month"
	if w.Total == 0 && month {
		return i18n.T("report.no_time_month")
	}
	if w.Total == 0 {
		return i18n.T("report.no_time_week")
	}
	d := func(s int64) string { return i18n.Duration(time.Duration(s) * time.Second) }
	if month {
		return i18n.T("report.totals_month", "total", d(w.Total), "pushed", d(w.Push.Pushed), "waiting", d(w.Push.Waiting), "local", d(w.Push.Local))
	}
	return i18n.T("report.totals_week", "total", d(w.Total), "pushed", d(w.Push.Pushed), "waiting", d(w.Push.Waiting), "local", d(w.Push.Local))
}

// WeekTableCells is the table: a header of columns (days of a week, ISO
// weeks of a month), a row per project (its colour, its time a column,
// its total), then the column totals.
func WeekTableCells(w application.Report) []fyne.CanvasObject {
	d := func(s int64) string {
		if s == 0 {
			return "–"
		}
		return i18n.Duration(time.Duration(s) * time.Second)
	}
	cells := []fyne.CanvasObject{widget.NewLabelWithStyle(i18n.T("report.col.project"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	for _, c := range w.Columns {
		cells = append(cells, widget.NewLabelWithStyle(ColumnLabel(w, c), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	cells = append(cells, widget.NewLabelWithStyle(i18n.T("report.col.total"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	for _, l := range w.Projects {
		name := i18n.T("day.event_no_project")
		if l.Project != nil {
			name = *l.Project
		}
		if l.Local {
			name = i18n.T("report.local_project", "project", name)
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
	cells = append(cells, widget.NewLabelWithStyle(i18n.T("report.col.all"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, c := range w.Columns {
		cells = append(cells, widget.NewLabelWithStyle(d(c.Sum(w.DayTotal)), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	return append(cells, widget.NewLabelWithStyle(d(w.Total), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
}

func (r *Report) exportCSV() {
	if r.Week == nil || r.Week.Total == 0 {
		if r.month {
			r.Message.SetText(i18n.T("report.nothing_to_export_month"))
		} else {
			r.Message.SetText(i18n.T("report.nothing_to_export_week"))
		}
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
			r.Message.SetText(i18n.N("report.exported", len(w.Projects)))
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
// project's time in its colour, on a value axis of whole hours (or half
// hours) with lines across, the day's total over its bar; a tap on a bar
// calls OnTapDay with the day's index.
type WeekBars struct {
	widget.BaseWidget
	week     application.Report
	OnTapDay func(day int)
	hover    int // the day under the pointer, -1 none
}

// NewWeekBars returns an empty chart.
func NewWeekBars() *WeekBars {
	b := &WeekBars{hover: -1}
	b.ExtendBaseWidget(b)
	return b
}

// Set shows a week.
func (b *WeekBars) Set(w application.Report) {
	b.week = w
	b.Refresh()
}

// Segment is one project's part of one day's bar, as fractions of the
// axis (0 = bottom, 1 = its top mark).
type Segment struct {
	Day      int
	From, To float64
	Color    string
}

// Axis is the value axis: its top and the step between its marks, so
// that the busiest day fits under at most five marks of a round size.
func (b *WeekBars) Axis() (top, step time.Duration) {
	var busiest int64
	for _, t := range b.week.DayTotal {
		busiest = max(busiest, t)
	}
	if busiest == 0 {
		return 0, 0
	}
	most := time.Duration(busiest) * time.Second
	for _, step = range []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 4 * time.Hour, 6 * time.Hour} {
		if n := (most + step - 1) / step; n <= 5 {
			return n * step, step
		}
	}
	return (most + step - 1) / step * step, step
}

// Segments lays out the bars: a testable description of the picture.
func (b *WeekBars) Segments() []Segment {
	top, _ := b.Axis()
	if top == 0 {
		return nil
	}
	var out []Segment
	for day := range b.week.Days {
		at := 0.0
		for _, l := range b.week.Projects {
			if l.Days[day] == 0 {
				continue
			}
			h := float64(time.Duration(l.Days[day])*time.Second) / float64(top)
			out = append(out, Segment{Day: day, From: at, To: at + h, Color: l.Color})
			at += h
		}
	}
	return out
}

// axisW is the width of the value axis' labels, left of the bars.
const axisW = 44

// dayAt is the day whose column holds x (-1: none).
func (b *WeekBars) dayAt(x float32) int {
	n := len(b.week.Days)
	w := b.Size().Width - axisW
	if n == 0 || w <= 0 || x < axisW {
		return -1
	}
	if day := int((x - axisW) / (w / float32(n))); day < n {
		return day
	}
	return -1
}

// Tapped opens the day under the tap.
func (b *WeekBars) Tapped(ev *fyne.PointEvent) {
	if day := b.dayAt(ev.Position.X); day >= 0 && b.OnTapDay != nil && b.week.DayTotal[day] > 0 {
		b.OnTapDay(day)
	}
}

// MouseIn, MouseMoved and MouseOut show what the day under the pointer
// holds, at the chart's top.
func (b *WeekBars) MouseIn(ev *desktop.MouseEvent)    { b.MouseMoved(ev) }
func (b *WeekBars) MouseMoved(ev *desktop.MouseEvent) { b.setHover(b.dayAt(ev.Position.X)) }
func (b *WeekBars) MouseOut()                         { b.setHover(-1) }

func (b *WeekBars) setHover(day int) {
	if day != b.hover {
		b.hover = day
		b.Refresh()
	}
}

// HoverText is the line about the day under the pointer: its date, its
// total and its biggest projects ("" when none).
func (b *WeekBars) HoverText() string {
	d := b.hover
	if d < 0 || d >= len(b.week.Days) || b.week.DayTotal[d] == 0 {
		return ""
	}
	type share struct {
		name string
		s    int64
	}
	var shares []share
	for _, l := range b.week.Projects {
		if l.Days[d] > 0 {
			name := i18n.T("common.no_project")
			if l.Project != nil {
				name = *l.Project
			}
			shares = append(shares, share{name, l.Days[d]})
		}
	}
	sort.SliceStable(shares, func(i, j int) bool { return shares[i].s > shares[j].s })
	var parts []string
	for i, sh := range shares {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, sh.name+" "+i18n.Duration(time.Duration(sh.s)*time.Second))
	}
	day, _ := time.Parse("2006-01-02", b.week.Days[d])
	return i18n.T("report.hover", "day", i18n.Date(day), "total", i18n.Duration(time.Duration(b.week.DayTotal[d])*time.Second),
		"projects", strings.Join(parts, ", "))
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
	labels  []*canvas.Text // under each bar
	totals  []*canvas.Text // over each bar
	marks   []*canvas.Text // the axis' values
	lines   []*canvas.Rectangle
	hover   *canvas.Text
}

func (r *weekBarsRenderer) rebuild() {
	r.segs = r.b.Segments()
	r.rects, r.labels, r.totals, r.marks, r.lines, r.objects = nil, nil, nil, nil, nil, nil
	grey := color.Gray{Y: 0x80}
	text := func(s string, size float32) *canvas.Text {
		t := canvas.NewText(s, grey)
		t.TextSize = size
		t.Alignment = fyne.TextAlignCenter
		return t
	}
	r.hover = text(r.b.HoverText(), 11)
	r.hover.Alignment = fyne.TextAlignLeading
	r.hover.Color = theme.Color(theme.ColorNameForeground)
	top, step := r.b.Axis()
	for v := time.Duration(0); step > 0 && v <= top; v += step {
		line := canvas.NewRectangle(color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x50})
		mark := text(i18n.DurationShort(v), 10)
		mark.Alignment = fyne.TextAlignTrailing
		r.lines, r.marks = append(r.lines, line), append(r.marks, mark)
		r.objects = append(r.objects, line, mark)
	}
	for _, s := range r.segs {
		rect := canvas.NewRectangle(hexColor(s.Color))
		r.rects = append(r.rects, rect)
		r.objects = append(r.objects, rect)
	}
	month := len(r.b.week.Days) > 7
	for i, day := range r.b.week.Days {
		t, _ := time.Parse("2006-01-02", day)
		label := i18n.WeekdayShort(t.Weekday())
		if month {
			label = strconv.Itoa(t.Day())
		}
		total := ""
		if s := r.b.week.DayTotal[i]; s > 0 {
			total = i18n.Duration(time.Duration(s) * time.Second)
		}
		l, tt := text(label, 11), text(total, 10)
		r.labels, r.totals = append(r.labels, l), append(r.totals, tt)
		r.objects = append(r.objects, l, tt)
	}
	r.objects = append(r.objects, r.hover) // over the bars
}

func (r *weekBarsRenderer) Layout(size fyne.Size) {
	if len(r.labels) == 0 {
		return
	}
	labelH := r.labels[0].MinSize().Height
	totalH := r.totals[0].MinSize().Height
	chartTop := r.hover.MinSize().Height + totalH + 4 // room for the hover line and the busiest day's total
	chartH := size.Height - labelH - 4 - chartTop
	width := size.Width - axisW
	col := width / float32(len(r.labels))
	barW := col * 0.6
	y := func(f float64) float32 { return chartTop + chartH*float32(1-f) }
	for i, line := range r.lines {
		f := float64(i) / float64(max(1, len(r.lines)-1))
		line.Move(fyne.NewPos(axisW, y(f)))
		line.Resize(fyne.NewSize(width, 1))
		m := r.marks[i]
		m.Move(fyne.NewPos(0, y(f)-m.MinSize().Height/2))
		m.Resize(fyne.NewSize(axisW-6, m.MinSize().Height))
	}
	r.hover.Move(fyne.NewPos(axisW+4, 0))
	tops := make([]float64, len(r.labels))
	for i, s := range r.segs {
		x := axisW + col*float32(s.Day) + (col-barW)/2
		r.rects[i].Move(fyne.NewPos(x, y(s.To)))
		r.rects[i].Resize(fyne.NewSize(barW, chartH*float32(s.To-s.From)))
		tops[s.Day] = max(tops[s.Day], s.To)
	}
	for i, l := range r.labels {
		l.Move(fyne.NewPos(axisW+col*float32(i), chartTop+chartH+2))
		l.Resize(fyne.NewSize(col, labelH))
		t := r.totals[i]
		// A total wider than its column (a month's narrow bars) is left
		// out: the table under the chart has it.
		if t.MinSize().Width > col {
			t.Hide()
			continue
		}
		t.Show()
		t.Move(fyne.NewPos(axisW+col*float32(i), y(tops[i])-totalH-1))
		t.Resize(fyne.NewSize(col, totalH))
	}
}

func (r *weekBarsRenderer) MinSize() fyne.Size { return fyne.NewSize(420, 200) }

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
