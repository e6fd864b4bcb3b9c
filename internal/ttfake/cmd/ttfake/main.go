// Command ttfake runs the fake TimeTracker API as its own process, for
// end-to-end tests and for trying push without a server.
//
//	TT_TOKEN=tt_... go run ./internal/ttfake/cmd/ttfake -addr 127.0.0.1:5000 -projects "Deep work,Meetings"
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/ttfake"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5000", "listen address (port 0 picks a free port)")
	tz := flag.String("timezone", "Europe/Rome", "the server's time zone")
	projects := flag.String("projects", "Deep work,Meetings", "comma-separated project names")
	tokenEnv := flag.String("token-env", "TT_TOKEN", "environment variable holding the accepted API token")
	scopes := flag.String("scopes", "read:projects,read:time_entries,write:time_entries", "the token's scopes")
	urlFile := flag.String("url-file", "", "write the server URL to this file once listening")
	perMinute := flag.Int("per-minute", 100, "requests per minute per token before 429")
	flag.Parse()
	s := ttfake.New(*tz)
	token := os.Getenv(*tokenEnv)
	if token == "" {
		fmt.Fprintf(os.Stderr, "ttfake: set %s to the API token to accept (tt_ and 32 characters)\n", *tokenEnv)
		os.Exit(2)
	}
	s.AddToken(token, strings.Split(*scopes, ",")...)
	s.PerMinute = *perMinute
	for _, p := range strings.Split(*projects, ",") {
		if p = strings.TrimSpace(p); p != "" {
			s.AddProject(p)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ttfake:", err)
		os.Exit(1)
	}
	url := "http://" + ln.Addr().String()
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(url), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "ttfake:", err)
			os.Exit(1)
		}
	}
	fmt.Println("ttfake: listening on", url)
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	if err := hs.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "ttfake:", err)
		os.Exit(1)
	}
}
