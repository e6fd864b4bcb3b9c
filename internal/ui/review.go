package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/aw-timetracker/aw-timetracker/internal/export"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
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
	blocks                                  []store.OutboxBlock
	projects                                []store.Project
	selected                                int
	from, to                                time.Time
	content                                 fyne.CanvasObject
}

// NewReview builds the panel.
func NewReview(b Backend, async Async) *Review {
	r := &Review{backend: b, async: async, selected: -1}
	r.List = widget.NewList(func() int { return len(r.blocks) }, newEntryRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(r.blocks) {
			bl := r.blocks[i]
			cells := []string{bl.Start.Local().Format("15:04:05"), bl.End.Local().Format("15:04:05"), export.Duration(bl.Duration()), string(bl.State), bl.Notes}
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
				msg += fmt.Sprintf("; %s of it was already taken on the server", export.Duration(t))
			}
			if r.blocks[i].LastError != "" {
				msg += ": " + r.blocks[i].LastError
			}
			r.Message.SetText(msg)
		}
	}
	r.Notes = newEntry("notes of the selected block", func() { r.act(actEdit) }, nil)
	r.Project = widget.NewSelect([]string{noProject}, nil)
	r.Project.SetSelected(noProject)
	r.Approve = widget.NewButton("Approve", func() { r.act(actApprove) })
	r.Discard = widget.NewButton("Discard", func() { r.act(actDiscard) })
	r.SaveNotes = widget.NewButton("Save changes", func() { r.act(actEdit) })
	r.ApproveAll = widget.NewButton("Approve all pending", func() { r.act(actApproveAll) })
	r.Message = widget.NewLabel("")
	r.Message.Wrapping = fyne.TextWrapWord
	header := container.New(rowLayout{})
	for _, t := range []string{"Start", "End", "Duration", "State", "Notes"} {
		header.Add(widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	bottom := container.NewVBox(r.Message, container.NewBorder(nil, nil, r.Project,
		container.NewHBox(r.SaveNotes, r.Approve, r.Discard, r.ApproveAll), r.Notes))
	r.content = container.NewBorder(header, bottom, nil, nil, r.List)
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
	return noProject
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
			names := []string{noProject}
			for _, p := range ps {
				names = append(names, p.Name)
			}
			r.Project.Options = names
			r.Project.Refresh()
			if err != nil {
				r.Message.SetText("Could not read the blocks: " + err.Error())
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
	action := push.Approve
	if button == actDiscard {
		action = push.Discard
	}
	switch {
	case button == actApproveAll:
		for _, b := range r.blocks {
			if b.State == store.BlockPending {
				ids = append(ids, b.ID)
			}
		}
	case r.selected < 0 || r.selected >= len(r.blocks):
		r.Message.SetText("Select a block first.")
		return
	default:
		ids = []string{r.blocks[r.selected].ID}
	}
	notes := r.Notes.Text
	project := r.Project.Selected
	if project == noProject {
		project = ""
	}
	r.async(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		var err error
		for _, id := range ids {
			if button == actEdit {
				err = r.backend.EditBlock(ctx, id, project, notes)
			} else {
				err = r.backend.ReviewBlock(ctx, action, id)
			}
			if err != nil {
				break
			}
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
func stateText(s store.BlockState) string {
	switch s {
	case store.BlockPending:
		return "waiting for review"
	case store.BlockApproved:
		return "waiting to be pushed"
	case store.BlockSending:
		return "being pushed"
	case store.BlockConflict:
		return "refused: overlaps an entry on the server"
	case store.BlockRetract:
		return "its entry is removed at the next push"
	case store.BlockTaken:
		return "skipped: the time is already taken on the server"
	case store.BlockChanged:
		return "changed on the server: the entry is yours now, never overwritten"
	case store.BlockDeleted:
		return "deleted on the server: not pushed again (blocks restore ID)"
	}
	return string(s) // pushed, failed, discarded say it themselves
}

// ReviewSummary is the review tab's line about the shown blocks: how many
// were pushed, wait, were trimmed (and by how much), skipped because taken,
// changed or deleted on the server.
func ReviewSummary(bs []store.OutboxBlock) string {
	counts := map[store.BlockState]int{}
	var trimmed time.Duration
	nTrimmed := 0
	for _, b := range bs {
		counts[b.State]++
		if b.Trimmed > 0 {
			trimmed += b.Trimmed
			nTrimmed++
		}
	}
	parts := []string{fmt.Sprintf("%d blocks", len(bs))}
	for _, s := range []struct {
		state store.BlockState
		text  string
	}{{store.BlockPushed, "pushed"}, {store.BlockPending, "waiting for review"}, {store.BlockApproved, "waiting to be pushed"},
		{store.BlockTaken, "skipped (taken)"}, {store.BlockChanged, "changed on the server"}, {store.BlockDeleted, "deleted on the server"},
		{store.BlockConflict, "in conflict"}, {store.BlockFailed, "failed"}} {
		if n := counts[s.state]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.text))
		}
	}
	if nTrimmed > 0 {
		parts = append(parts, fmt.Sprintf("%d trimmed by %s", nTrimmed, export.Duration(trimmed)))
	}
	return strings.Join(parts, ", ") + "."
}
