package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// AwayBackend is what the "what was it?" window needs.
type AwayBackend interface {
	AwayPeriods(ctx context.Context, from, to time.Time) ([]application.AwayPeriod, error)
	AnswerAway(ctx context.Context, answers []application.AwayBooking) error
	RecentProjects(ctx context.Context, n int) ([]string, error)
}

// Away asks about the newest unanswered absence: a project (recent ones
// first) with a note, booked whole or up to a time (the rest is asked about
// next: a split), not work, or later.
type Away struct {
	backend AwayBackend
	async   Async
	loc     *time.Location
	onClose func()
	now     func() time.Time

	Question, Message *widget.Label
	Project           *widget.Select
	Note, Until       *keyEntry
	BookButton        *widget.Button
	NotWorkButton     *widget.Button
	LaterButton       *widget.Button

	period  *application.AwayPeriod
	from    time.Time // where the next answer starts (after a split part)
	content fyne.CanvasObject
}

// NewAway returns the window's content; call Load to fill it.
func NewAway(b AwayBackend, async Async, loc *time.Location, onClose func()) *Away {
	a := &Away{backend: b, async: async, loc: loc, onClose: onClose, now: time.Now}
	a.Question = widget.NewLabel(i18n.T("away.looking"))
	a.Question.Wrapping = fyne.TextWrapWord
	a.Message = widget.NewLabel("")
	a.Message.Wrapping = fyne.TextWrapWord
	a.Project = widget.NewSelect(nil, nil)
	a.Project.PlaceHolder = i18n.T("away.project")
	a.Note = newEntry(i18n.T("away.note_hint"), a.Book, a.close)
	a.Until = newEntry(i18n.T("away.until_hint"), a.Book, a.close)
	a.BookButton = widget.NewButton(i18n.T("away.book"), a.Book)
	a.BookButton.Importance = widget.HighImportance
	a.NotWorkButton = widget.NewButton(i18n.T("away.not_work"), func() { a.answer(application.AwayNotWork) })
	a.LaterButton = widget.NewButton(i18n.T("away.later"), func() { a.answer(application.AwayLater) })
	form := widget.NewForm(widget.NewFormItem(i18n.T("away.project"), a.Project), widget.NewFormItem(i18n.T("away.note"), a.Note),
		widget.NewFormItem(i18n.T("away.until"), a.Until))
	a.content = container.NewVBox(a.Question, form,
		container.NewHBox(a.LaterButton, a.NotWorkButton, layout.NewSpacer(), a.BookButton), a.Message)
	a.enable(false)
	return a
}

// Content is the window's content.
func (a *Away) Content() fyne.CanvasObject { return a.content }

func (a *Away) close() {
	if a.onClose != nil {
		a.onClose()
	}
}

func (a *Away) enable(on bool) {
	for _, w := range []fyne.Disableable{a.Project, a.Note, a.Until, a.BookButton, a.NotWorkButton, a.LaterButton} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// Load finds the newest unanswered absence of the last day (call off the
// UI goroutine).
func (a *Away) Load(ctx context.Context) {
	now := a.now()
	periods, err := a.backend.AwayPeriods(ctx, now.Add(-24*time.Hour), now)
	var names []string
	if err == nil {
		names, err = a.backend.RecentProjects(ctx, 20)
	}
	fyne.Do(func() {
		if err != nil {
			a.Message.SetText(i18n.T("away.read_failed", "error", explain(err)))
			return
		}
		a.Project.Options = names
		a.Project.Refresh()
		a.period = nil
		for i := len(periods) - 1; i >= 0; i-- {
			if periods[i].Unanswered() {
				a.period = &periods[i]
				break
			}
		}
		a.show()
	})
}

// show asks about what is left of the period.
func (a *Away) show() {
	if a.period == nil {
		a.Question.SetText(i18n.T("away.none"))
		a.enable(false)
		return
	}
	p := a.period
	a.from = p.Start
	for _, ans := range p.Answers { // a split: continue after the booked parts
		if ans.Kind != application.AwayLater && !ans.Start.After(a.from) && ans.End.After(a.from) {
			a.from = ans.End
		}
	}
	a.Question.SetText(i18n.T("away.question", "day", i18n.Date(a.from.In(a.loc)), "from", i18n.Clock(a.from.In(a.loc)),
		"to", i18n.Clock(p.End.In(a.loc)), "length", i18n.Duration(p.End.Sub(a.from))))
	a.Until.SetText("")
	for _, ans := range p.Answers { // a note given before (aw-watcher-afk-prompt, or put off)
		if ans.Kind == application.AwayLater && ans.Note != "" && a.Note.Text == "" {
			a.Note.SetText(ans.Note)
		}
	}
	a.enable(true)
}

// Book books the time (up to Until, else to the end) to the chosen project.
func (a *Away) Book() {
	if a.period == nil {
		return
	}
	project := a.Project.Selected
	if project == "" {
		a.Message.SetText(i18n.T("away.choose_project"))
		return
	}
	end := a.period.End
	if text := strings.TrimSpace(a.Until.Text); text != "" {
		t, err := time.ParseInLocation("15:04", text, a.loc)
		day := a.from.In(a.loc)
		if err == nil {
			end = time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, a.loc)
		}
		if err != nil || !end.After(a.from) || end.After(a.period.End) {
			a.Message.SetText(i18n.T("away.until_invalid", "from", i18n.Clock(a.from.In(a.loc)), "to", i18n.Clock(a.period.End.In(a.loc))))
			return
		}
	}
	a.save(application.AwayBooking{Start: a.from, End: end, Kind: application.AwayWork, Project: project, Note: a.Note.Text})
}

func (a *Away) answer(kind application.AwayKind) {
	if a.period == nil {
		return
	}
	a.save(application.AwayBooking{Start: a.from, End: a.period.End, Kind: kind})
}

func (a *Away) save(ans application.AwayBooking) {
	a.enable(false)
	a.Message.SetText(i18n.T("away.saving"))
	a.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		err := a.backend.AnswerAway(ctx, []application.AwayBooking{ans})
		fyne.Do(func() {
			if err != nil {
				a.enable(true)
				a.Message.SetText(explain(err))
				return
			}
			from, to := i18n.Clock(ans.Start.In(a.loc)), i18n.Clock(ans.End.In(a.loc))
			switch ans.Kind {
			case application.AwayWork:
				a.Message.SetText(i18n.T("away.booked", "from", from, "to", to, "project", ans.Project))
			case application.AwayNotWork:
				a.Message.SetText(i18n.T("away.kept_out", "from", from, "to", to))
			default:
				a.Message.SetText(i18n.T("away.ask_later"))
			}
			if ans.Kind == application.AwayWork && ans.End.Before(a.period.End) {
				// A split: the rest is asked about next.
				a.period.Answers = append(a.period.Answers, application.AwayAnswer{Start: ans.Start, End: ans.End, Kind: ans.Kind})
				a.Note.SetText("")
				a.show()
				return
			}
			a.period = nil
			a.close()
		})
	})
}
