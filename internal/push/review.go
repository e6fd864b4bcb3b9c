package push

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// savedClient connects with the saved settings and token.
func (s *Service) savedClient(ctx context.Context) (API, State, error) {
	st, err := s.State(ctx)
	if err != nil {
		return nil, st, err
	}
	if !st.Configured {
		return nil, st, ErrNoRemote
	}
	token, err := s.token(st)
	if err != nil {
		return nil, st, err
	}
	c, err := s.connect(ctx, st.Config, token)
	return c, st, err
}

// RemoteProjects lists the server's projects.
func (s *Service) RemoteProjects(ctx context.Context) ([]timetracker.Project, error) {
	c, _, err := s.savedClient(ctx)
	if err != nil {
		return nil, err
	}
	return c.Projects(ctx)
}

// MapProject makes blocks of a local project go to a remote one (by name or id).
func (s *Service) MapProject(ctx context.Context, localName, remote string) (store.Project, timetracker.Project, error) {
	local, err := s.st.ProjectByName(ctx, localName)
	if err != nil {
		return store.Project{}, timetracker.Project{}, &NotFoundError{What: "local project", Name: localName}
	}
	ps, err := s.RemoteProjects(ctx)
	if err != nil {
		return local, timetracker.Project{}, err
	}
	for _, p := range ps {
		if strconv.FormatInt(p.ID, 10) == remote || strings.EqualFold(p.Name, remote) {
			// What was pushed follows at the next push (it finds the
			// entries in another project than the block now goes to).
			return local, p, s.st.SetRemoteProject(ctx, local.ID, p.ID)
		}
	}
	return local, timetracker.Project{}, &NotFoundError{What: "TimeTracker project", Name: remote}
}

// approvable are the states Approve takes a block from: waiting for
// review, refused (sent again), discarded (taken back).
var approvable = map[store.BlockState]bool{store.BlockPending: true, store.BlockFailed: true, store.BlockConflict: true,
	store.BlockDiscarded: true}

// RetryFailed sends failed and conflicting blocks again at the next push.
func (s *Service) RetryFailed(ctx context.Context) (int, error) {
	bs, err := s.st.OutboxBlocks(ctx, time.Time{}, time.Time{}, store.BlockFailed, store.BlockConflict)
	if err != nil {
		return 0, err
	}
	for _, b := range bs { // sent before, so approved before: in review mode too
		if err := s.st.SetBlockState(ctx, b.ID, store.BlockApproved, "", time.Time{}); err != nil {
			return 0, err
		}
	}
	return len(bs), nil
}

// find resolves an id prefix to one block.
func (s *Service) find(ctx context.Context, prefix string) (store.OutboxBlock, error) {
	bs, err := s.st.OutboxBlocks(ctx, time.Time{}, time.Time{})
	if err != nil {
		return store.OutboxBlock{}, err
	}
	var hits []store.OutboxBlock
	for _, b := range bs {
		if strings.HasPrefix(b.ID, prefix) {
			hits = append(hits, b)
		}
	}
	switch {
	case len(hits) == 0:
		return store.OutboxBlock{}, &NotFoundError{What: "block", Name: prefix}
	case len(prefix) < 4:
		return store.OutboxBlock{}, &BadIDError{i18n.T("core.push.block_id_short", "id", fmt.Sprintf("%q", prefix))}
	case len(hits) > 1:
		return store.OutboxBlock{}, &BadIDError{i18n.N("core.push.block_id_ambiguous", len(hits), "id", fmt.Sprintf("%q", prefix))}
	}
	return hits[0], nil
}

// BadIDError is a block id that names no one block: too short, or the
// start of several (bad input, like a NotFoundError).
type BadIDError struct{ text string }

func (e *BadIDError) Error() string { return e.text }

// ReviewAction is what the person decides about a block.
type ReviewAction string

// Review actions.
const (
	Approve ReviewAction = "approve"
	Discard ReviewAction = "discard"
)

// NotFoundError names something asked for that does not exist.
type NotFoundError struct {
	What string // "block", "local project", "TimeTracker project" (what code compares)
	Name string
}

// Error says it in the current language.
func (e *NotFoundError) Error() string {
	name := fmt.Sprintf("%q", e.Name)
	switch e.What {
	case "block":
		return i18n.T("core.push.no_block", "name", name)
	case "local project":
		return i18n.T("core.push.no_local_project", "name", name)
	case "TimeTracker project":
		return i18n.T("core.push.no_remote_project", "name", name)
	}
	return fmt.Sprintf("no %s %s", e.What, name)
}

// Review approves or discards blocks (ids nil with approve: every pending
// block).
func (s *Service) Review(ctx context.Context, action ReviewAction, ids []string) (int, error) {
	state := map[ReviewAction]store.BlockState{Approve: store.BlockApproved, Discard: store.BlockDiscarded}[action]
	if state == "" {
		return 0, errors.New(i18n.T("core.push.unknown_review_action", "action", fmt.Sprintf("%q", action)))
	}
	var targets []store.OutboxBlock
	if ids == nil {
		bs, err := s.st.OutboxBlocks(ctx, time.Time{}, time.Time{}, store.BlockPending)
		if err != nil {
			return 0, err
		}
		targets = bs
	}
	for _, id := range ids {
		b, err := s.find(ctx, id)
		if err != nil {
			return 0, err
		}
		targets = append(targets, b)
	}
	n := 0
	for _, b := range targets {
		if b.State == store.BlockPushed && state == store.BlockDiscarded {
			return 0, errors.New(i18n.T("core.push.discard_pushed", "id", b.ID[:10]))
		}
		if state == store.BlockApproved && !approvable[b.State] {
			continue // a pushed block approved again was sent again; a person's (changed, deleted) is theirs
		}
		if err := s.st.SetBlockState(ctx, b.ID, state, "", time.Time{}); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// Edit changes a block's local project and/or notes; nil leaves a field.
// A block already pushed (or refused) is sent again as a push would send
// a new one: at once, or after approval in review mode; one a person
// changed or deleted on the server keeps its state (theirs now). It
// returns the block as it is now.
func (s *Service) Edit(ctx context.Context, id string, project, notes *string) (store.OutboxBlock, error) {
	b, err := s.find(ctx, id)
	if err != nil {
		return b, err
	}
	wasProject, wasNotes := b.ProjectID, b.Notes
	if project != nil {
		b.ProjectID = 0
		if *project != "" {
			p, err := s.st.ProjectByName(ctx, *project)
			if err != nil {
				return b, &NotFoundError{What: "local project", Name: *project}
			}
			b.ProjectID = p.ID
		}
	}
	if notes != nil {
		b.Notes = strings.TrimSpace(*notes)
	}
	if b.ProjectID == wasProject && b.Notes == wasNotes {
		return b, nil // nothing changes: a pushed block stays pushed
	}
	st, err := s.configured(ctx)
	if err != nil {
		return b, err
	}
	again := s.options(st.Config, 1).InitialState()
	if err := s.st.EditBlock(ctx, b.ID, b.ProjectID, b.Notes, ContentHash(b), again); err != nil {
		return b, err
	}
	return s.st.OutboxBlock(ctx, b.ID)
}

// Restore brings back a block whose entry a person deleted on the server:
// it is pushed again (as a new entry) at the next push.
func (s *Service) Restore(ctx context.Context, id string) (store.OutboxBlock, error) {
	b, err := s.find(ctx, id)
	if err != nil {
		return b, err
	}
	if b.State != store.BlockDeleted {
		return b, errors.New(i18n.T("core.push.restore_not_deleted", "id", b.ID[:10], "state", string(b.State)))
	}
	if err := s.st.ClearRemote(ctx, b.ID, Key(fmt.Sprintf("%s|restored|%d", b.ID, b.RemoteID))); err != nil {
		return b, err
	}
	st, err := s.configured(ctx)
	if err != nil {
		return b, err
	}
	b.State = s.options(st.Config, 1).InitialState()
	return b, s.st.SetBlockState(ctx, b.ID, b.State, "", time.Time{})
}

// Check is what doctor reports about the TimeTracker side.
type Check struct {
	Configured bool
	ServerURL  string
	Info       timetracker.Info
	Scopes     []string
	TokenStore string // the keyring, or the file holding the token
}

// Diagnose connects with the saved settings and asks the server what it is
// and what the token may do, writing nothing.
func (s *Service) Diagnose(ctx context.Context) (Check, error) {
	c, st, err := s.savedClient(ctx)
	chk := Check{Configured: st.Configured, ServerURL: st.Config.ServerURL, TokenStore: st.Config.TokenStore}
	if err != nil {
		return chk, err
	}
	if chk.Info, err = c.Info(ctx); err != nil {
		return chk, err
	}
	scoped, ok := c.(interface {
		Scopes(ctx context.Context) ([]string, error)
	})
	if !ok {
		return chk, nil
	}
	chk.Scopes, err = scoped.Scopes(ctx)
	return chk, err
}
