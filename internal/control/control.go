// Package control is the small local socket through which the processes of
// one user talk: a second start asks the running app to show its settings,
// the settings and entries windows ask it to sync and read its status. The
// socket is a Unix domain socket in a private folder; requests and answers
// are one JSON object per line.
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
)

// Request is one command.
type Request struct {
	Cmd    string `json:"cmd"`              // "show", "sync", "status", "reload", "ping"
	Wait   bool   `json:"wait,omitempty"`   // for "sync": answer when it has finished
	Window string `json:"window,omitempty"` // for "show": "settings" or "entries"
}

// Response answers a request.
type Response struct {
	OK     bool            `json:"ok"`
	Error  string          `json:"error,omitempty"`
	Status json.RawMessage `json:"status,omitempty"`
}

// Handler serves requests.
type Handler func(ctx context.Context, req Request) Response

// Listen creates the socket at path (removing a stale one: callers hold the
// instance lock, so no live process owns it) and serves until ctx ends.
func Listen(ctx context.Context, path string, h Handler) (func() error, error) {
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
			go serve(ctx, conn, h)
		}
	}()
	return func() error { err := ln.Close(); _ = os.Remove(path); return err }, nil
}

func serve(ctx context.Context, conn net.Conn, h Handler) {
	defer conn.Close()
	// Long enough for a waited-for sync; the client's context bounds it too.
	_ = conn.SetDeadline(time.Now().Add(30 * time.Minute))
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), 64<<10)
	enc := json.NewEncoder(conn)
	for sc.Scan() {
		var req Request
		resp := Response{}
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			resp.Error = "bad request: " + err.Error()
		} else {
			resp = h(ctx, req)
		}
		if err := enc.Encode(resp); err != nil {
			return
		}
	}
}

// ErrNoServer means nothing listens on the socket.
var ErrNoServer = errors.New("no running aw-timetracker answers")

// Call sends one request and returns the answer.
func Call(ctx context.Context, path string, req Request) (Response, error) {
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
		return Response{}, fmt.Errorf("reading answer to %s: %w", req.Cmd, err)
	}
	if !resp.OK && resp.Error != "" {
		return resp, errors.New(resp.Error)
	}
	return resp, nil
}
