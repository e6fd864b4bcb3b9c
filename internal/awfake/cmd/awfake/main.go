// Command awfake runs the fake aw-server as its own process, loaded with the
// shared fixtures: for end-to-end tests and for trying the app without
// ActivityWatch installed.
//
//	go run ./internal/awfake/cmd/awfake -addr 127.0.0.1:5600 [-flavour rust] [-shift-to-now]
//	    [-settings internal/awfake/testdata/aw/settings-categories.json]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5600", "listen address (port 0 picks a free port)")
	flavour := flag.String("flavour", "python", "server to imitate: python or rust")
	empty := flag.Bool("empty", false, "start with no buckets instead of the fixtures")
	generate := flag.Int("generate-days", 0, "instead of the fixtures, generate this many days of window, web and afk data ending now")
	dense := flag.Int("generate-max-seconds", 120, "with -generate-days: the longest window event (10 gives about 3,400 a day)")
	shift := flag.Bool("shift-to-now", false, "move the fixtures by whole days so their newest event ends within the last day")
	apiKey := flag.String("api-key-env", "", "name of an environment variable holding an API key to require (aw-server-rust)")
	urlFile := flag.String("url-file", "", "write the server URL to this file once listening")
	latency := flag.String("latency", "", "answer events queries as slowly as a real server: python (Python aw-server 0.14: 14 ms a request, 33 µs an event), or PER_REQUEST,PER_EVENT (e.g. 10ms,20us)")
	settings := flag.String("settings", "", "serve the settings in this JSON object file at /api/0/settings (default: none, as on a fresh server)")
	flag.Parse()

	f := awfake.Python
	switch *flavour {
	case "python":
	case "rust":
		f = awfake.Rust
	default:
		fmt.Fprintf(os.Stderr, "awfake: -flavour %q is not python or rust\n", *flavour)
		os.Exit(2)
	}
	var srv *awfake.Server
	switch {
	case *generate > 0:
		srv = awfake.New(f, "devbox")
		n := awfake.GenerateDense(srv, *generate, time.Now().UTC(), 1, *dense)
		fmt.Fprintf(os.Stderr, "awfake: generated %d events over %d days\n", n, *generate)
	case *empty:
		srv = awfake.New(f, "devbox")
	default:
		var err error
		if srv, err = awfake.NewFromFixtures(f); err != nil {
			fmt.Fprintln(os.Stderr, "awfake:", err)
			os.Exit(1)
		}
	}
	if *shift {
		days := time.Since(srv.Latest()) / (24 * time.Hour)
		srv.Shift(days * 24 * time.Hour)
	}
	if *settings != "" {
		raw, err := os.ReadFile(*settings)
		if err == nil {
			err = srv.LoadSettings(raw)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "awfake: -settings %s: %v\n", *settings, err)
			os.Exit(2)
		}
	}
	if *apiKey != "" {
		srv.APIKey = os.Getenv(*apiKey)
	}
	if *latency != "" {
		l, err := parseLatency(*latency)
		if err != nil {
			fmt.Fprintf(os.Stderr, "awfake: -latency %q: %v\n", *latency, err)
			os.Exit(2)
		}
		srv.Latency = l
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "awfake:", err)
		os.Exit(1)
	}
	url := "http://" + ln.Addr().String()
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(url), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "awfake:", err)
			os.Exit(1)
		}
	}
	fmt.Println("awfake: listening on", url)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "awfake:", err)
		os.Exit(1)
	}
}

func parseLatency(v string) (awfake.Latency, error) {
	if v == "python" {
		return awfake.RealPython(), nil
	}
	req, ev, ok := strings.Cut(v, ",")
	if !ok {
		return awfake.Latency{}, fmt.Errorf("want python or PER_REQUEST,PER_EVENT")
	}
	r, err := time.ParseDuration(req)
	if err != nil {
		return awfake.Latency{}, err
	}
	e, err := time.ParseDuration(ev)
	if err != nil {
		return awfake.Latency{}, err
	}
	return awfake.Latency{PerRequest: r, PerEvent: e}, nil
}
