package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Review lists a day's timesheet blocks and lets the person approve,
// discard or re-word them before they are pushed (review mode), and see
// what happened to each (pushed, failed, conflict).
type Review struct {
	backend Backend
	async   Async

	List                                    *widget.List
	Notes                                   *keyEntry
	Project                                 *widget.Select
	Approve, Discard, SaveNotes, ApproveAll *widget.Button
	Message                                 *widget.Label
	blocks                                  []application.Block
	projects                                []application.Project
	selected                                int
	from, to                                time.Time
	content                                 fyne.CanvasObject
}

// NewReview builds the panel.
func NewReview(b Backend, async Async) *Review {
	r := &Review{backend: b, async: async, selected: -1}
	r.List = widget.NewList(func() int { return len(r.blocks) }, func() fyne.CanvasObject { return newRow(blockColumns(), 6) }, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(r.blocks) {
			bl := r.blocks[i]
			cells := []string{bl.Start.Local().Format("15:04:05"), bl.End.Local().Format("15:04:05"), i18n.Duration(bl.Duration()), stateName(bl.State),
				r.projectName(bl.ProjectID), bl.Notes}
			for k, obj := range o.(*fyne.Container).Objects {
				obj.(*widget.Label).SetText(cells[k])
			}
		}
	})
	r.List.OnSelected = func(i widget.ListItemID) {
		r.selected = i
		if i < len(r.blocks) {
			r.Notes.SetText(r.blocks[i].Notes)
			r.Project.SetSelected(r.projectName(r.blocks[i].ProjectID))
			msg := stateText(r.blocks[i].State)
			if t := r.blocks[i].Trimmed; t > 0 {
				msg = i18n.T("review.block.trimmed", "state", msg, "time", i18n.Duration(t))
			}
			if r.blocks[i].LastError != "" {
				msg = i18n.T("review.block.error", "text", msg, "error", r.blocks[i].LastError)
			}
			r.Message.SetText(msg)
		}
	}
	r.Notes = newEntry(i18n.T("review.notes.placeholder"), func() { r.act(actEdit) }, nil)
	r.Project = widget.NewSelect([]string{noProject()}, nil)
	r.Project.SetSelected(noProject())
	r.Approve = widget.NewButton(i18n.T("review.approve"), func() { r.act(actApprove) })
	r.Discard = widget.NewButton(i18n.T("review.discard"), func() { r.act(actDiscard) })
	r.SaveNotes = widget.NewButton(i18n.T("review.save"), func() { r.act(actEdit) })
	r.ApproveAll = widget.NewButton(i18n.T("review.approve_all"), func() { r.act(actApproveAll) })
	r.Message = widget.NewLabel("")
	r.Message.Wrapping = fyne.TextWrapWord
	head := header(blockColumns(), i18n.T("review.column.start"), i18n.T("review.column.end"), i18n.T("review.column.duration"),
		i18n.T("review.column.state"), i18n.T("entries.col.project"), i18n.T("review.column.notes"))
	bottom := container.NewVBox(r.Message, container.NewBorder(nil, nil, r.Project,
		container.NewHBox(r.SaveNotes, r.Approve, r.Discard, r.ApproveAll), r.Notes))
	r.content = container.NewBorder(head, bottom, nil, nil, r.List)
	return r
}

// Content is the panel.
func (r *Review) Content() fyne.CanvasObject { return r.content }

func (r *Review) projectName(id int64) string {
	for _, p := range r.projects {
		if p.ID == id {
			return p.Name
		}
	}
	return noProject()
}

// Show loads the blocks of [from, to) and the local projects to file them under.
func (r *Review) Show(from, to time.Time) {
	r.from, r.to = from, to
	r.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		bs, err := r.backend.Blocks(ctx, from, to)
		ps, _ := r.backend.Projects(ctx)
		fyne.Do(func() {
			r.projects = ps
			names := []string{noProject()}
			for _, p := range ps {
				names = append(names, p.Name)
			}
			r.Project.Options = names
			r.Project.Refresh()
			if err != nil {
				r.Message.SetText(i18n.T("review.load_failed", "error", err.Error()))
				return
			}
			r.blocks, r.selected = bs, -1
			r.List.UnselectAll()
			r.List.Refresh()
			r.Message.SetText(ReviewSummary(bs))
		})
	})
}

// reviewButton is what a button of the review tab does.
type reviewButton int

const (
	actApprove reviewButton = iota
	actDiscard
	actEdit       // save the selected block's project and notes
	actApproveAll // every pending block shown
)

func (r *Review) act(button reviewButton) {
	var ids []string
	action := application.Approve
	if button == actDiscard {
		action = application.Discard
	}
	switch {
	case button == actApproveAll:
		for _, b := range r.blocks {
			if b.State == application.BlockPending {
				ids = append(ids, b.ID)
			}
		}
	case r.selected < 0 || r.selected >= len(r.blocks):
		r.Message.SetText(i18n.T("review.none_selected"))
		return
	default:
		ids = []string{r.blocks[r.selected].ID}
	}
	notes := r.Notes.Text
	project := r.Project.Selected
	if project == noProject() {
		project = ""
	}
	r.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		var err error
		switch {
		case button == actEdit:
			_, err = r.backend.EditBlock(ctx, ids[0], &project, &notes)
		case len(ids) > 0: // none: Approve would mean every pending block, shown or not
			_, err = r.backend.ReviewBlocks(ctx, action, ids)
		}
		fyne.Do(func() {
			if err != nil {
				r.Message.SetText(explain(err))
				return
			}
			r.Show(r.from, r.to)
		})
	})
}

// stateText says what a block's state means, for the person.
func stateText(s application.BlockState) string {
	switch s {
	case application.BlockPending:
		return i18n.T("review.state_text.pending")
	case application.BlockApproved:
		return i18n.T("review.state_text.approved")
	case application.BlockSending:
		return i18n.T("review.state_text.sending")
	case application.BlockConflict:
		return i18n.T("review.state_text.conflict")
	case application.BlockRetract:
		return i18n.T("review.state_text.retract")
	case application.BlockTaken:
		return i18n.T("review.state_text.taken")
	case application.BlockChanged:
		return i18n.T("review.state_text.changed")
	case application.BlockDeleted:
		return i18n.T("review.state_text.deleted")
	}
	return stateName(s) // pushed, failed, discarded say it themselves
}

// stateName is a block's state as the list's State column shows it (in
// English the state's own name: "pending", "pushed").
func stateName(s application.BlockState) string {
	switch s {
	case application.BlockPending:
		return i18n.T("review.state.pending")
	case application.BlockApproved:
		return i18n.T("review.state.approved")
	case application.BlockSending:
		return i18n.T("review.state.sending")
	case application.BlockPushed:
		return i18n.T("review.state.pushed")
	case application.BlockFailed:
		return i18n.T("review.state.failed")
	case application.BlockConflict:
		return i18n.T("review.state.conflict")
	case application.BlockDiscarded:
		return i18n.T("review.state.discarded")
	case application.BlockRetract:
		return i18n.T("review.state.retract")
	case application.BlockTaken:
		return i18n.T("review.state.taken")
	case application.BlockChanged:
		return i18n.T("review.state.changed")
	case application.BlockDeleted:
		return i18n.T("review.state.deleted")
	}
	return string(s)
}

// ReviewSummary is the review tab's line about the shown blocks: how many
// were pushed, wait, were trimmed (and by how much), skipped because taken,
// changed or deleted on the server.
func ReviewSummary(bs []application.Block) string {
	counts := map[application.BlockState]int{}
	var trimmed time.Duration
	nTrimmed := 0
	for _, b := range bs {
		counts[b.State]++
		if b.Trimmed > 0 {
			trimmed += b.Trimmed
			nTrimmed++
		}
	}
	parts := []string{i18n.N("review.summary.blocks", len(bs))}
	for _, s := range []application.BlockState{application.BlockPushed, application.BlockPending, application.BlockApproved,
		application.BlockTaken, application.BlockChanged, application.BlockDeleted, application.BlockConflict, application.BlockFailed} {
		if n := counts[s]; n > 0 {
			parts = append(parts, summaryCount(s, n))
		}
	}
	if nTrimmed > 0 {
		parts = append(parts, i18n.N("review.summary.trimmed", nTrimmed, "time", i18n.Duration(trimmed)))
	}
	return strings.Join(parts, ", ") + "."
}

// summaryCount is n blocks in state s, for ReviewSummary ("2 pushed").
func summaryCount(s application.BlockState, n int) string {
	switch s {
	case application.BlockPushed:
		return i18n.N("review.summary.pushed", n)
	case application.BlockPending:
		return i18n.N("review.summary.pending", n)
	case application.BlockApproved:
		return i18n.N("review.summary.approved", n)
	case application.BlockTaken:
		return i18n.N("review.summary.taken", n)
	case application.BlockChanged:
		return i18n.N("review.summary.changed", n)
	case application.BlockDeleted:
		return i18n.N("review.summary.deleted", n)
	case application.BlockConflict:
		return i18n.N("review.summary.conflict", n)
	case application.BlockFailed:
		return i18n.N("review.summary.failed", n)
	}
	return string(s)
}
