// Package control is the local socket through which the processes of one
// user talk to the running engine: the window process and the CLI sync,
// push, read the status and ask for a reload; a second start asks the
// running app to show a window. The socket is a Unix domain socket in a
// private folder; each message is one JSON object per line, typed and
// versioned (Request, Response).
package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/engine"
	"github.com/aw-timetracker/aw-timetracker/internal/kind"
)

// Version is the protocol version. A process answers a request of another
// version with an error, so a window process left over from an upgrade
// falls back instead of misreading answers.
const Version = 1

// Command is what a request asks for.
type Command string

// Commands.
const (
	Ping   Command = "ping"   // is anyone there
	Show   Command = "show"   // open a window (Window)
	Sync   Command = "sync"   // engine.Controller.SyncNow (Sync)
	Push   Command = "push"   // engine.Controller.PushNow
	Status Command = "status" // engine.Controller.Status
	Reload Command = "reload" // engine.Controller.Reload
	Pause  Command = "pause"  // engine.Controller.SetPaused (Paused)
	Rules  Command = "rules"  // engine.Controller.ApplyRules
	Watch  Command = "watch"  // engine.Controller.Watch: a Status response now and after each change
)

// Request is one command.
type Request struct {
	V      int                 `json:"v"`
	Cmd    Command             `json:"cmd"`
	Window string              `json:"window,omitempty"` // Show: "settings", "entries", …
	Sync   *engine.SyncRequest `json:"sync,omitempty"`
	Paused bool                `json:"paused,omitempty"`
}

// Response answers a request. Code names a failure the caller can act on
// (see codes), so advice survives the trip.
type Response struct {
	V      int                 `json:"v"`
	Error  string              `json:"error,omitempty"`
	Code   string              `json:"code,omitempty"`
	Status *engine.Status      `json:"status,omitempty"`
	Sync   *engine.SyncOutcome `json:"sync,omitempty"`
	Push   *engine.PushOutcome `json:"push,omitempty"`
	Rules  *classify.Applied   `json:"rules,omitempty"`
}

// ShowFunc opens a window by name; nil when the serving process has none
// (the daemon).
type ShowFunc func(window string) error

// ErrNoWindows is the daemon's answer to Show.
var ErrNoWindows = kind.ErrNoWindows

// Handle answers one request from ctrl (and show).
func Handle(ctx context.Context, ctrl engine.Controller, show ShowFunc, req Request) Response {
	resp := Response{V: Version}
	fail := func(err error) Response {
		resp.Error, resp.Code = err.Error(), codeOf(err)
		return resp
	}
	if req.V != Version {
		return fail(fmt.Errorf("protocol version %d, this aw-timetracker speaks %d", req.V, Version))
	}
	switch req.Cmd {
	case Ping:
	case Show:
		if show == nil {
			return fail(ErrNoWindows)
		}
		if err := show(req.Window); err != nil {
			return fail(err)
		}
	case Sync:
		var sr engine.SyncRequest
		if req.Sync != nil {
			sr = *req.Sync
		}
		out, err := ctrl.SyncNow(ctx, sr)
		resp.Sync = &out
		if err != nil {
			return fail(err) // with the outcome: what was done before the error
		}
	case Push:
		out, err := ctrl.PushNow(ctx)
		resp.Push = &out
		if err != nil {
			return fail(err)
		}
	case Status:
		st, err := ctrl.Status(ctx)
		if err != nil {
			return fail(err)
		}
		resp.Status = &st
	case Reload:
		if err := ctrl.Reload(ctx); err != nil {
			return fail(err)
		}
	case Pause:
		if err := ctrl.SetPaused(ctx, req.Paused); err != nil {
			return fail(err)
		}
	case Rules:
		a, err := ctrl.ApplyRules(ctx)
		if err != nil {
			return fail(err)
		}
		resp.Rules = &a
	default:
		return fail(fmt.Errorf("unknown command %q", req.Cmd))
	}
	return resp
}

// Listen creates the socket at path (removing a stale one: callers hold the
// instance lock, so no live process owns it) and serves ctrl until ctx ends.
func Listen(ctx context.Context, path string, ctrl engine.Controller, show ShowFunc) (func() error, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating control folder: %w", err)
	}
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("opening control socket %s: %w", path, err)
	}
	_ = os.Chmod(path, 0o600)
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(ctx, conn, ctrl, show)
		}
	}()
	return func() error { err := ln.Close(); _ = os.Remove(path); return err }, nil
}

func serve(ctx context.Context, conn net.Conn, ctrl engine.Controller, show ShowFunc) {
	defer conn.Close()
	// Long enough for a waited-for sync; the client's context bounds it too.
	_ = conn.SetDeadline(time.Now().Add(30 * time.Minute))
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), 64<<10)
	enc := json.NewEncoder(conn)
	for sc.Scan() {
		var req Request
		var resp Response
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			resp = Response{V: Version, Error: "bad request: " + err.Error()}
		} else if req.Cmd == Watch && req.V == Version {
			watch(ctx, conn, ctrl)
			return
		} else {
			resp = Handle(ctx, ctrl, show, req)
		}
		if err := enc.Encode(resp); err != nil {
			return
		}
	}
}

// watch streams the status to conn, one Response a change, until the
// client hangs up (a failed write) or ctx ends.
func watch(ctx context.Context, conn net.Conn, ctrl engine.Controller) {
	_ = conn.SetDeadline(time.Time{}) // as long as the window is open
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // a hang-up shows as EOF on the read side
		_, _ = conn.Read(make([]byte, 1))
		cancel()
	}()
	enc := json.NewEncoder(conn)
	err := ctrl.Watch(ctx, func(st engine.Status) {
		if err := enc.Encode(Response{V: Version, Status: &st}); err != nil {
			cancel()
		}
	})
	if err != nil {
		_ = enc.Encode(Response{V: Version, Error: err.Error(), Code: codeOf(err)})
	}
}

// ErrNoServer means nothing listens on the socket.
var ErrNoServer = errors.New("no running aw-timetracker answers")

// Call sends one request (stamped with Version) and returns the answer; a
// failure answered by the server comes back as an error, with its code
// turned back into the error it stands for.
func Call(ctx context.Context, path string, req Request) (Response, error) {
	req.V = Version
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return Response{}, fmt.Errorf("%w (%v)", ErrNoServer, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	}
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return Response{}, fmt.Errorf("sending %s: %w", req.Cmd, err)
	}
	var resp Response
	if err := json.NewDecoder(bufio.NewReader(conn)).Decode(&resp); err != nil {
		return Response{}, fmt.Errorf("reading the answer to %s: %w", req.Cmd, err)
	}
	if resp.Error != "" {
		return resp, errorOf(resp.Code, resp.Error)
	}
	return resp, nil
}

// Client is engine.Controller over the socket of a running app.
type Client struct {
	Path string
}

var _ engine.Controller = Client{}

// Dial returns a client when something answers at path, else ErrNoServer.
func Dial(ctx context.Context, path string) (Client, error) {
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c := Client{Path: path}
	_, err := Call(cctx, path, Request{Cmd: Ping})
	return c, err
}

// waitCtx gives calls that wait for a sync or push no deadline of their
// own (Call would add 10 s): they end with the work or with ctx.
func waitCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, 24*time.Hour)
}

func (c Client) SyncNow(ctx context.Context, req engine.SyncRequest) (engine.SyncOutcome, error) {
	ctx, cancel := waitCtx(ctx)
	defer cancel()
	resp, err := Call(ctx, c.Path, Request{Cmd: Sync, Sync: &req})
	if resp.Sync != nil {
		return *resp.Sync, err
	}
	return engine.SyncOutcome{}, err
}

func (c Client) PushNow(ctx context.Context) (engine.PushOutcome, error) {
	ctx, cancel := waitCtx(ctx)
	defer cancel()
	resp, err := Call(ctx, c.Path, Request{Cmd: Push})
	if resp.Push != nil {
		return *resp.Push, err
	}
	return engine.PushOutcome{}, err
}

func (c Client) Status(ctx context.Context) (engine.Status, error) {
	resp, err := Call(ctx, c.Path, Request{Cmd: Status})
	if err != nil {
		return engine.Status{}, err
	}
	if resp.Status == nil {
		return engine.Status{}, errors.New("the running aw-timetracker sent no status")
	}
	return *resp.Status, nil
}

func (c Client) Reload(ctx context.Context) error {
	_, err := Call(ctx, c.Path, Request{Cmd: Reload})
	return err
}

func (c Client) SetPaused(ctx context.Context, paused bool) error {
	_, err := Call(ctx, c.Path, Request{Cmd: Pause, Paused: paused})
	return err
}

func (c Client) ApplyRules(ctx context.Context) (classify.Applied, error) {
	ctx, cancel := waitCtx(ctx)
	defer cancel()
	resp, err := Call(ctx, c.Path, Request{Cmd: Rules})
	if err != nil || resp.Rules == nil {
		return classify.Applied{}, err
	}
	return *resp.Rules, nil
}

// Watch is Controller.Watch over the socket: one connection held open
// while ctx lasts.
func (c Client) Watch(ctx context.Context, f func(engine.Status)) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", c.Path)
	if err != nil {
		return fmt.Errorf("%w (%v)", ErrNoServer, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := json.NewEncoder(conn).Encode(Request{V: Version, Cmd: Watch}); err != nil {
		return fmt.Errorf("sending watch: %w", err)
	}
	dec := json.NewDecoder(bufio.NewReader(conn))
	for {
		var resp Response
		if err := dec.Decode(&resp); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("reading the status: %w", err)
		}
		if resp.Error != "" {
			return errorOf(resp.Code, resp.Error)
		}
		if resp.Status != nil {
			f(*resp.Status)
		}
	}
}

// ShowWindow asks the running app to open a window.
func (c Client) ShowWindow(ctx context.Context, window string) error {
	_, err := Call(ctx, c.Path, Request{Cmd: Show, Window: window})
	return err
}
