package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/adrg/xdg"

	"github.com/aw-timetracker/aw-timetracker/internal/autostart"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/control"
	"github.com/aw-timetracker/aw-timetracker/internal/integration"
	"github.com/aw-timetracker/aw-timetracker/internal/runner"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
	"github.com/aw-timetracker/aw-timetracker/internal/ui"
)

const appID = "io.github.awtimetracker.app"

// loginItem is the start-at-login entry for this executable.
func loginItem() autostart.Manager {
	exe, err := os.Executable()
	if err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
	}
	home := xdg.ConfigHome
	if d, err := os.UserHomeDir(); err == nil && isDarwin() {
		home = d
	}
	return autostart.Manager{
		Entry: autostart.Entry{ID: appID, Name: "aw-timetracker", Comment: "ActivityWatch activity as time entries",
			Exec: exe, Args: []string{"--background"}},
		Location: autostart.DefaultLocation(home),
	}
}

// windowBackend is what the settings and entries windows call: the store
// and integration directly, and the running app (over the control socket)
// for syncs, so a sync never runs twice at once.
type windowBackend struct {
	*integration.Service
	ui.PushBackend
	st        *store.Store
	login     autostart.Manager
	socket    string
	syncLocal func(ctx context.Context) error
}

func (b *windowBackend) Projects(ctx context.Context) ([]store.Project, error) {
	return b.st.Projects(ctx)
}

func (b *windowBackend) AddProject(ctx context.Context, name string) (store.Project, error) {
	return b.st.AddProject(ctx, name)
}

func (b *windowBackend) Entries(ctx context.Context, from, to time.Time) ([]store.Entry, error) {
	return b.st.Entries(ctx, from, to)
}

func (b *windowBackend) AutostartEnabled() bool { return b.login.Enabled() }

func (b *windowBackend) SetAutostart(on bool) error {
	if on {
		return b.login.Enable()
	}
	return b.login.Disable()
}

// Setup saves and then tells the running app to re-read the settings.
func (b *windowBackend) Setup(ctx context.Context, cfg config.Config) (integration.TestResult, error) {
	res, err := b.Service.Setup(ctx, cfg)
	_, _ = control.Call(ctx, b.socket, control.Request{Cmd: "reload"})
	return res, err
}

// SyncNow asks the tray process to sync and waits until it has finished;
// with no tray process running, it syncs here.
func (b *windowBackend) SyncNow(ctx context.Context) error {
	_, err := control.Call(ctx, b.socket, control.Request{Cmd: "sync", Wait: true})
	if errors.Is(err, control.ErrNoServer) {
		return b.syncLocal(ctx)
	}
	return err
}

// pushViaApp asks the tray process to push; with none running, it pushes here.
func (b *windowBackend) pushViaApp(ctx context.Context) (string, error) {
	resp, err := control.Call(ctx, b.socket, control.Request{Cmd: "push", Wait: true})
	if errors.Is(err, control.ErrNoServer) {
		return b.PushBackend.PushHere(ctx)
	}
	if err != nil {
		return "", err
	}
	var st runner.Status
	if err := json.Unmarshal(resp.Status, &st); err != nil {
		return "", fmt.Errorf("reading status: %w", err)
	}
	if st.PushProblem != "" {
		return st.LastPush, errors.New(st.PushProblem)
	}
	return st.LastPush, nil
}

// Status asks the tray process; without one, it reads the store.
func (b *windowBackend) Status(ctx context.Context) (runner.Status, error) {
	resp, err := control.Call(ctx, b.socket, control.Request{Cmd: "status"})
	if err == nil {
		var st runner.Status
		if err := json.Unmarshal(resp.Status, &st); err != nil {
			return st, fmt.Errorf("reading status: %w", err)
		}
		return st, nil
	}
	st, err := b.State(ctx)
	if err != nil {
		return runner.Status{}, err
	}
	return runner.Status{Configured: st.Configured, Active: st.IsActive, AutoSync: st.Config.AutoSync, Paused: st.Config.Paused,
		LastSync: st.LastSyncAt, LastStatus: st.LastSyncStatus, LastError: st.LastError}, nil
}

func syncNowLocally(svc *integration.Service) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := svc.Sync(ctx, integration.SyncRequest{Mode: syncer.Full})
		return err
	}
}
