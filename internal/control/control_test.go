package control

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir, _ := os.MkdirTemp("", "ctl") // short: socket paths are limited to ~100 bytes
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "s", "control.sock")
	var shown []string
	closeFn, err := Listen(ctx, path, func(_ context.Context, req Request) Response {
		switch req.Cmd {
		case "show":
			shown = append(shown, req.Window)
			return Response{OK: true}
		case "status":
			return Response{OK: true, Status: json.RawMessage(`{"syncing":true}`)}
		}
		return Response{Error: "unknown command " + req.Cmd}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode: %v %v", fi.Mode(), err)
	}
	if _, err := Call(ctx, path, Request{Cmd: "show", Window: "settings"}); err != nil || len(shown) != 1 || shown[0] != "settings" {
		t.Errorf("show: %v %v", shown, err)
	}
	resp, err := Call(ctx, path, Request{Cmd: "status"})
	if err != nil || string(resp.Status) != `{"syncing":true}` {
		t.Errorf("status: %s %v", resp.Status, err)
	}
	if _, err := Call(ctx, path, Request{Cmd: "dance"}); err == nil || err.Error() != "unknown command dance" {
		t.Errorf("unknown: %v", err)
	}
	closeFn()
	if _, err := Call(ctx, path, Request{Cmd: "ping"}); !errors.Is(err, ErrNoServer) {
		t.Errorf("after close: %v", err)
	}
}
