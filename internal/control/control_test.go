package control

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/kind"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
)

// fakeEngine records what reaches it through the socket.
type fakeEngine struct {
	syncs   []engine.SyncRequest
	pushes  int
	paused  []bool
	reloads int
	syncErr error
	changes chan engine.Status // what Watch passes on
	watches atomic.Int32       // Watch calls still running
}

func (f *fakeEngine) Watch(ctx context.Context, fn func(engine.Status)) error {
	f.watches.Add(1)
	defer f.watches.Add(-1)
	for {
		select {
		case <-ctx.Done():
			return nil
		case st := <-f.changes:
			fn(st)
		}
	}
}

func (f *fakeEngine) SyncNow(_ context.Context, req engine.SyncRequest) (engine.SyncOutcome, error) {
	f.syncs = append(f.syncs, req)
	return engine.SyncOutcome{Message: "Imported 3 events, skipped 1.", Imported: 3, Skipped: 1,
		Buckets: []engine.BucketCount{{Bucket: "aw-watcher-window_h", Imported: 3}}}, f.syncErr
}

func (f *fakeEngine) PushNow(context.Context) (engine.PushOutcome, error) {
	f.pushes++
	return engine.PushOutcome{Created: 2}, push.ErrNoRemote
}

func (f *fakeEngine) Status(context.Context) (engine.Status, error) {
	return engine.Status{Configured: true, Syncing: true, Progress: engine.Progress{Buckets: 3, BucketIndex: 2}}, nil
}

func (f *fakeEngine) Reload(context.Context) error { f.reloads++; return nil }

func (f *fakeEngine) ApplyRules(context.Context) (classify.Applied, error) {
	return classify.Applied{Events: 9, Projects: 2}, nil
}

func (f *fakeEngine) SetPaused(_ context.Context, p bool) error {
	f.paused = append(f.paused, p)
	return nil
}

func listen(t *testing.T, ctrl engine.Controller, show ShowFunc) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dir, _ := os.MkdirTemp("", "ctl") // short: socket paths are limited to ~100 bytes
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "s", "control.sock")
	closeFn, err := Listen(ctx, path, ctrl, show)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFn() })
	return path, closeFn
}

// The client is the engine's interface over the socket: every method
// arrives as a typed request and comes back with its typed answer.
func TestClientRoundTrip(t *testing.T) {
	ctx := context.Background()
	fe := &fakeEngine{}
	var shown []string
	path, closeFn := listen(t, fe, func(w string) error { shown = append(shown, w); return nil })
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode: %v %v", fi.Mode(), err)
	}
	c, err := Dial(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ShowWindow(ctx, "settings"); err != nil || len(shown) != 1 || shown[0] != "settings" {
		t.Errorf("show: %v %v", shown, err)
	}
	out, err := c.SyncNow(ctx, engine.SyncRequest{Mode: 2})
	if err != nil || out.Imported != 3 || len(out.Buckets) != 1 || len(fe.syncs) != 1 || fe.syncs[0].Mode != 2 {
		t.Errorf("sync: %+v %v (engine saw %+v)", out, err, fe.syncs)
	}
	st, err := c.Status(ctx)
	if err != nil || !st.Syncing || st.Progress.BucketsDone() != 1 {
		t.Errorf("status: %+v %v", st, err)
	}
	if p, err := c.PushNow(ctx); !errors.Is(err, push.ErrNoRemote) || p.Created != 2 {
		t.Errorf("push: the sentinel error and the outcome must cross the socket: %+v %v", p, err)
	}
	if err := c.SetPaused(ctx, true); err != nil || len(fe.paused) != 1 || !fe.paused[0] {
		t.Errorf("pause: %v %v", fe.paused, err)
	}
	if err := c.Reload(ctx); err != nil || fe.reloads != 1 {
		t.Errorf("reload: %d %v", fe.reloads, err)
	}
	if a, err := c.ApplyRules(ctx); err != nil || a.Events != 9 || a.Projects != 2 {
		t.Errorf("apply rules: %+v %v", a, err)
	}
	closeFn()
	if _, err := c.Status(ctx); !errors.Is(err, ErrNoServer) {
		t.Errorf("after close: %v", err)
	}
	if _, err := Dial(ctx, path); !errors.Is(err, ErrNoServer) {
		t.Errorf("dial after close: %v", err)
	}
}

// A window watching the status over the socket hears every change, and
// the serving side lets go when the window goes.
func TestWatchStreamsTheStatus(t *testing.T) {
	fe := &fakeEngine{changes: make(chan engine.Status)}
	path, _ := listen(t, fe, nil)
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan engine.Status)
	done := make(chan error, 1)
	go func() { done <- (Client{Path: path}).Watch(ctx, func(st engine.Status) { got <- st }) }()
	for i := 1; i <= 3; i++ {
		fe.changes <- engine.Status{Syncing: true, Progress: engine.Progress{Buckets: 3, BucketIndex: i}}
		if st := <-got; st.Progress.BucketIndex != i {
			t.Fatalf("change %d arrived as %+v", i, st.Progress)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Watch ended with %v after its context did", err)
	}
	for i := 0; fe.watches.Load() != 0; i++ {
		if i > 200 {
			t.Fatal("the server still watches for a client that hung up")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestErrorsKeepTheirKind(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		err   error
		check func(error) bool
	}{
		{awsync.ErrNotSetUp, func(err error) bool { return errors.Is(err, awsync.ErrNotSetUp) }},
		{&activitywatch.UnreachableError{URL: "http://localhost:5600", Err: errors.New("refused")},
			func(err error) bool { return errors.As(err, new(*activitywatch.UnreachableError)) }},
		// every kind crosses as its kind, with or without a core error behind it
		{fmt.Errorf("block x: %w", push.ErrNoProject), func(err error) bool { return kind.Of(err) == kind.NoProject && errors.Is(err, push.ErrNoProject) }},
		{&push.SetupFailedError{Reason: "401"}, func(err error) bool { return kind.Of(err) == kind.SetupFailed }},
		{&push.NotFoundError{What: "block", Name: "abc"}, func(err error) bool { return kind.Of(err) == kind.NoBlock }},
	} {
		path, _ := listen(t, &fakeEngine{syncErr: tt.err}, nil)
		_, err := Client{Path: path}.SyncNow(ctx, engine.SyncRequest{})
		if !tt.check(err) || err.Error() != tt.err.Error() {
			t.Errorf("%v came back as %v", tt.err, err)
		}
	}
}

func TestDaemonHasNoWindowsAndBadRequests(t *testing.T) {
	ctx := context.Background()
	path, _ := listen(t, &fakeEngine{}, nil)
	if err := (Client{Path: path}).ShowWindow(ctx, "settings"); !errors.Is(err, ErrNoWindows) {
		t.Errorf("show on the daemon: %v", err)
	}
	if _, err := Call(ctx, path, Request{Cmd: "dance"}); err == nil || err.Error() != `unknown command "dance"` {
		t.Errorf("unknown: %v", err)
	}
	// Another version (a process left over from an upgrade) is refused.
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(`{"v":99,"cmd":"status"}` + "\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 512)
	n, _ := conn.Read(buf)
	if got := string(buf[:n]); got != `{"v":1,"error":"protocol version 99, this aw-timetracker speaks 1"}`+"\n" {
		t.Errorf("version mismatch answer %q", got)
	}
}
