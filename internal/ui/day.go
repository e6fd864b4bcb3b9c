package ui

import (
	"context"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// DayView is the entries window's first tab: the day as blocks by
// project, a list beside the bar; a block picked shows its events, a rule
// to make from them and another project to move it to.
type DayView struct {
	backend Backend
	async   Async
	loc     *time.Location
	reload  func() // the window shows the day again (after a move)

	blocks   []application.DayBlock
	colors   map[int64]string
	selected int

	List               *widget.List
	Title              *widget.Label // the picked block, or a hint
	Events             *widget.List
	events             []application.BlockEvent
	MakeRule, Move     *widget.Button
	MoveTo             *widget.Select
	Message            *widget.Label
	OpenRuleForm       func(application.Entry) // the window's rule form
	content            fyne.CanvasObject
	projectsLoadedOnce bool
}

func newDayView(b Backend, async Async, loc *time.Location, reload func()) *DayView {
	d := &DayView{backend: b, async: async, loc: loc, reload: reload, selected: -1}
	d.List = widget.NewList(func() int { return len(d.blocks) }, newBlockRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(d.blocks) {
			setBlockRow(o, d.blocks[i], d.colors, d.loc)
		}
	})
	d.List.OnSelected = func(i widget.ListItemID) { d.pick(i) }
	d.Title = widget.NewLabel(i18n.T("day.pick_hint"))
	d.Title.Wrapping = fyne.TextWrapWord
	d.Events = lineList(func() int { return len(d.events) }, func(i int) string { return eventLine(d.events[i]) })
	d.MakeRule = widget.NewButton(i18n.T("entries.make_rule"), func() {
		if len(d.events) > 0 && d.OpenRuleForm != nil {
			e := d.events[0] // the longest
			d.OpenRuleForm(application.Entry{App: e.App, Title: e.Title, URL: e.URL, Notes: e.Title})
		}
	})
	d.MoveTo = widget.NewSelect(nil, func(string) { d.enableMove() })
	d.MoveTo.PlaceHolder = i18n.T("day.move_to")
	d.Move = widget.NewButton(i18n.T("day.move"), d.move)
	d.Message = widget.NewLabel("")
	d.Message.Wrapping = fyne.TextWrapWord
	d.MakeRule.Disable()
	d.Move.Disable()
	d.MoveTo.Disable()
	actions := container.NewVBox(container.NewGridWithColumns(2, d.MakeRule, widget.NewLabel("")),
		container.NewBorder(nil, nil, nil, d.Move, d.MoveTo), d.Message)
	details := container.NewBorder(d.Title, actions, nil, nil, d.Events)
	split := container.NewHSplit(d.List, details)
	split.Offset = 0.55
	d.content = split
	return d
}

// Set shows the day's blocks, none picked.
func (d *DayView) Set(blocks []application.DayBlock, colors map[int64]string) {
	d.blocks, d.colors, d.selected, d.events = blocks, colors, -1, nil
	d.List.UnselectAll()
	d.List.Refresh()
	d.Events.Refresh()
	d.Title.SetText(i18n.T("day.pick_hint"))
	if len(blocks) == 0 {
		d.Title.SetText(i18n.T("day.empty"))
	}
	d.MakeRule.Disable()
	d.MoveTo.Disable()
	d.Move.Disable()
	d.Message.SetText("")
}

// Select picks block i (from the list or a tap on the bar).
func (d *DayView) Select(i int) { d.List.Select(i) }

func (d *DayView) pick(i int) {
	if i < 0 || i >= len(d.blocks) {
		return
	}
	d.selected = i
	b := d.blocks[i]
	d.events = b.Events
	d.Events.Refresh()
	d.Events.ScrollToTop()
	d.Title.SetText(blockTitle(b, d.loc))
	d.MakeRule.Enable()
	d.Message.SetText("")
	d.MoveTo.Enable()
	if !d.projectsLoadedOnce {
		d.loadProjects()
	}
	d.enableMove()
}

func (d *DayView) enableMove() {
	if d.selected >= 0 && d.MoveTo.Selected != "" && d.MoveTo.Selected != d.blocks[d.selected].Project {
		d.Move.Enable()
		return
	}
	d.Move.Disable()
}

func (d *DayView) loadProjects() {
	d.async(func(ctx context.Context) {
		ps, err := d.backend.Projects(ctx)
		fyne.Do(func() {
			if err != nil {
				d.Message.SetText(i18n.T("day.projects_failed", "error", explain(err)))
				return
			}
			var names []string
			for _, p := range ps {
				names = append(names, p.Name)
			}
			d.MoveTo.SetOptions(names)
			d.projectsLoadedOnce = true
		})
	})
}

func (d *DayView) move() {
	if d.selected < 0 || d.MoveTo.Selected == "" {
		return
	}
	b, project := d.blocks[d.selected], d.MoveTo.Selected
	d.Move.Disable()
	d.Message.SetText(i18n.T("day.moving"))
	d.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		err := d.backend.MoveBlock(ctx, b.Start, b.End, project)
		fyne.Do(func() {
			if err != nil {
				d.Message.SetText(i18n.T("day.move_failed", "error", explain(err)))
				d.enableMove()
				return
			}
			d.reload()
			d.Message.SetText(i18n.T("day.moved", "from", i18n.Clock(b.Start.In(d.loc)), "to", i18n.Clock(b.End.In(d.loc)), "project", project))
		})
	})
}

func eventLine(e application.BlockEvent) string {
	what := e.App
	if e.Title != "" {
		what += " · " + e.Title
	}
	if e.URL != "" {
		what += " · " + e.URL
	}
	line := i18n.Duration(time.Duration(e.Seconds)*time.Second) + "  " + strings.ReplaceAll(what, "\n", " ")
	if e.Project == "" {
		return line + "  " + i18n.T("day.event_no_project")
	}
	return line
}

func blockProject(b application.DayBlock) string {
	if b.Project == "" {
		return i18n.T("common.no_project")
	}
	return b.Project
}

func blockTitle(b application.DayBlock, loc *time.Location) string {
	from, to := i18n.Clock(b.Start.In(loc)), i18n.Clock(b.End.In(loc))
	if own := b.Own; own.Round(time.Second) != b.Active.Round(time.Second) {
		return i18n.T("day.block_title_mixed", "project", blockProject(b), "from", from, "to", to,
			"active", i18n.Duration(b.Active), "other", i18n.Duration(b.Active-own))
	}
	return i18n.T("day.block_title", "project", blockProject(b), "from", from, "to", to, "active", i18n.Duration(b.Active))
}

func newBlockRow() fyne.CanvasObject {
	swatch := canvas.NewRectangle(color.Transparent)
	what := widget.NewLabel("")
	what.Truncation = fyne.TextTruncateEllipsis
	dur := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
	return container.New(blockRowLayout{}, swatch, widget.NewLabel(""), what, dur)
}

func setBlockRow(o fyne.CanvasObject, b application.DayBlock, colors map[int64]string, loc *time.Location) {
	objs := o.(*fyne.Container).Objects
	swatch := objs[0].(*canvas.Rectangle)
	swatch.FillColor = hexColor(colors[b.ProjectID])
	swatch.Refresh()
	objs[1].(*widget.Label).SetText(i18n.Clock(b.Start.In(loc)) + "–" + i18n.Clock(b.End.In(loc)))
	objs[2].(*widget.Label).SetText(blockProject(b))
	objs[3].(*widget.Label).SetText(i18n.Duration(b.Active))
}

// blockRowLayout lays out a block's row: its colour, its hours, its
// project (the rest of the width) and its active time at the end.
type blockRowLayout struct{}

const blockHoursW, blockDurW = 112, 84

func (blockRowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(4, (size.Height-12)/2))
	objs[0].Resize(fyne.NewSize(12, 12))
	objs[1].Move(fyne.NewPos(18, 0))
	objs[1].Resize(fyne.NewSize(blockHoursW, size.Height))
	objs[2].Move(fyne.NewPos(18+blockHoursW, 0))
	objs[2].Resize(fyne.NewSize(max(0, size.Width-18-blockHoursW-blockDurW), size.Height))
	objs[3].Move(fyne.NewPos(size.Width-blockDurW, 0))
	objs[3].Resize(fyne.NewSize(blockDurW, size.Height))
}

func (blockRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(18+blockHoursW+blockDurW+80, objs[1].MinSize().Height)
}

// DayBar draws the day's blocks on a line of the hours they span, each in
// its project's colour (the report's); a tap picks the block under it.
type DayBar struct {
	widget.BaseWidget
	loc        *time.Location
	start, end time.Time // the shown hours (the day's active ones)
	blocks     []application.DayBlock
	colors     map[int64]string
	// OnTap is called with the index of the tapped block.
	OnTap func(i int)
}

// NewDayBar returns an empty bar.
func NewDayBar(loc *time.Location) *DayBar {
	t := &DayBar{loc: loc}
	t.ExtendBaseWidget(t)
	return t
}

// Set shows blocks of the day [dayStart, dayEnd), zoomed to the whole
// hours they span (at least four), so a working day fills the width.
func (t *DayBar) Set(dayStart, dayEnd time.Time, blocks []application.DayBlock, colors map[int64]string) {
	t.blocks, t.colors = blocks, colors
	t.start, t.end = dayStart, dayEnd
	if len(blocks) > 0 {
		from := hourOf(blocks[0].Start, t.loc)
		to := blocks[len(blocks)-1].End
		if h := hourOf(to, t.loc); h.Before(to) {
			to = h.Add(time.Hour)
		}
		if to.Sub(from) < 4*time.Hour {
			to = from.Add(4 * time.Hour)
		}
		t.start, t.end = span(from, dayStart, dayEnd), span(to, dayStart, dayEnd)
	}
	t.Refresh()
}

// hourOf is the start of t's hour in loc (zones with half-hour offsets too).
func hourOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, loc)
}

func span(t, lo, hi time.Time) time.Time {
	if t.Before(lo) {
		return lo
	}
	if t.After(hi) {
		return hi
	}
	return t
}

// Spans are the blocks as fractions of the shown hours, for tests and
// drawing.
func (t *DayBar) Spans() [][2]float64 {
	total := t.end.Sub(t.start).Seconds()
	if total <= 0 {
		return nil
	}
	var out [][2]float64
	for _, b := range t.blocks {
		out = append(out, [2]float64{clampUnit(b.Start.Sub(t.start).Seconds() / total), clampUnit(b.End.Sub(t.start).Seconds() / total)})
	}
	return out
}

// Hours are the hour marks shown, as fractions of the width: every hour,
// or every second or third when they would crowd.
func (t *DayBar) Hours() (at []float64, labels []string) {
	total := t.end.Sub(t.start)
	if total <= 0 {
		return nil, nil
	}
	step := 1
	switch {
	case total > 16*time.Hour:
		step = 3
	case total > 8*time.Hour:
		step = 2
	}
	// Hours where they really fall: a DST day has one twice or not at all.
	first := hourOf(t.start, t.loc)
	seen := map[time.Time]bool{}
	for k := 0; k <= int(total/time.Hour)+2; k++ {
		hh := time.Date(first.Year(), first.Month(), first.Day(), first.Hour()+k, 0, 0, 0, t.loc)
		if hh.Before(t.start) || hh.After(t.end) || seen[hh] || hh.Hour()%step != 0 {
			continue
		}
		seen[hh] = true
		at = append(at, hh.Sub(t.start).Seconds()/total.Seconds())
		labels = append(labels, hh.Format("15:04"))
	}
	return at, labels
}

func clampUnit(f float64) float64 { return min(1, max(0, f)) }

// Tapped picks the block under the tap.
func (t *DayBar) Tapped(ev *fyne.PointEvent) {
	w := t.Size().Width
	if w <= 0 || t.OnTap == nil {
		return
	}
	x := float64(ev.Position.X / w)
	best, bestD := -1, 0.02 // the block under it, else one within 2 % of the width
	for i, s := range t.Spans() {
		d := max(s[0]-x, x-s[1], 0)
		if d < bestD {
			best, bestD = i, d
		}
	}
	if best >= 0 {
		t.OnTap(best)
	}
}

// CreateRenderer draws the bar.
func (t *DayBar) CreateRenderer() fyne.WidgetRenderer {
	r := &dayBarRenderer{t: t, bg: canvas.NewRectangle(color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x30})}
	r.rebuild()
	return r
}

type dayBarRenderer struct {
	t     *DayBar
	bg    *canvas.Rectangle
	bars  []*canvas.Rectangle
	ticks []*canvas.Text
	lines []*canvas.Rectangle
}

func (r *dayBarRenderer) rebuild() {
	r.bars, r.ticks, r.lines = r.bars[:0], r.ticks[:0], r.lines[:0]
	for _, b := range r.t.blocks {
		r.bars = append(r.bars, canvas.NewRectangle(hexColor(r.t.colors[b.ProjectID])))
	}
	grey := color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
	_, labels := r.t.Hours()
	for _, l := range labels {
		txt := canvas.NewText(l, grey)
		txt.TextSize = 10
		r.ticks = append(r.ticks, txt)
		r.lines = append(r.lines, canvas.NewRectangle(color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x60}))
	}
}

func (r *dayBarRenderer) Layout(size fyne.Size) {
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
		w := max(float32(spans[i][1]-spans[i][0])*size.Width, 2) // a short block stays visible
		b.Move(fyne.NewPos(x, 0))
		b.Resize(fyne.NewSize(w, barH))
	}
	at, _ := r.t.Hours()
	for i, txt := range r.ticks {
		if i >= len(at) {
			break
		}
		x := size.Width * float32(at[i])
		r.lines[i].Move(fyne.NewPos(x, 0))
		r.lines[i].Resize(fyne.NewSize(1, barH))
		txt.Move(fyne.NewPos(min(x, size.Width-txt.MinSize().Width), barH))
	}
}

func (r *dayBarRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 48) }

func (r *dayBarRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.t.Size())
	canvas.Refresh(r.t)
}

func (r *dayBarRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg}
	for _, l := range r.lines {
		objs = append(objs, l)
	}
	for _, b := range r.bars {
		objs = append(objs, b)
	}
	for _, t := range r.ticks {
		objs = append(objs, t)
	}
	return objs
}

func (r *dayBarRenderer) Destroy() {}
