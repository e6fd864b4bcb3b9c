package ui

import (
	"context"
	"fmt"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// PushBackend implements RemoteBackend over the push service. Push runs a
// push; nil pushes here with Lookback days of blocks.
type PushBackend struct {
	Svc      *push.Service
	Lookback func() int
	Push     func(ctx context.Context) (string, error)
}

func (p PushBackend) RemoteState(ctx context.Context) (push.State, error) { return p.Svc.State(ctx) }

func (p PushBackend) RemoteSetup(ctx context.Context, cfg config.Remote, token, project string) (push.SetupResult, error) {
	return p.Svc.Setup(ctx, cfg, token, project)
}

func (p PushBackend) PushNow(ctx context.Context) (string, error) {
	if p.Push != nil {
		return p.Push(ctx)
	}
	return p.PushHere(ctx)
}

// PushHere pushes in this process.
func (p PushBackend) PushHere(ctx context.Context) (string, error) {
	res, err := p.Svc.Push(ctx, p.Lookback())
	return fmt.Sprintf("%d new, %d updated, %d failed, %d in conflict, %d waiting", res.Created, res.Updated, res.Failed, res.Conflicts, res.Waiting), err
}

func (p PushBackend) Blocks(ctx context.Context, from, to time.Time) ([]store.OutboxBlock, error) {
	if _, err := p.Svc.RebuildRange(ctx, from, to); err != nil && err != push.ErrNoRemote {
		return nil, err
	}
	return p.Svc.Store().OutboxBlocks(ctx, from, to)
}

func (p PushBackend) ReviewBlock(ctx context.Context, action, id string) error {
	_, err := p.Svc.Review(ctx, action, []string{id})
	return err
}

func (p PushBackend) EditBlock(ctx context.Context, id, project, notes string) error {
	return p.Svc.Edit(ctx, id, &project, &notes)
}
