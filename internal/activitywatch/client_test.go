package activitywatch_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
)

func fixtureServer(t *testing.T, f awfake.Flavour) (*awfake.Server, *activitywatch.Client) {
	t.Helper()
	fake, err := awfake.NewFromFixtures(f)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	c, err := activitywatch.New(hs.URL, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

func TestClientAgainstBothServers(t *testing.T) {
	ctx := context.Background()
	for _, f := range []awfake.Flavour{awfake.Python, awfake.Rust} {
		_, c := fixtureServer(t, f)
		info, err := c.Info(ctx)
		if err != nil || info.Hostname != "devbox" {
			t.Fatalf("flavour %d: Info = %+v, %v", f, info, err)
		}
		buckets, err := c.Buckets(ctx)
		if err != nil || len(buckets) != 5 {
			t.Fatalf("flavour %d: Buckets = %v, %v", f, buckets, err)
		}
		for i := 1; i < len(buckets); i++ {
			if buckets[i-1].ID >= buckets[i].ID {
				t.Errorf("buckets not sorted by id: %v", buckets)
			}
		}
		for _, b := range buckets { // Python's last_updated, Rust's metadata.end
			if _, err := time.Parse(time.RFC3339Nano, b.LastUpdated); err != nil {
				t.Errorf("flavour %d: bucket %s last updated %q: %v", f, b.ID, b.LastUpdated, err)
			}
		}
		start := time.Date(2026, 3, 26, 23, 0, 0, 0, time.UTC)
		end := time.Date(2026, 3, 29, 2, 0, 0, 0, time.UTC)
		evs, err := events(c, ctx, "aw-watcher-window_devbox", start, end, 0)
		if err != nil || len(evs) != 147 {
			t.Fatalf("flavour %d: %d events, %v; want 147", f, len(evs), err)
		}
		// newest first
		var prev time.Time
		for i, ev := range evs {
			ts, _ := ev.TimestampString()
			tt, err := activitywatch.ParseTime(ts)
			if err != nil {
				t.Fatal(err)
			}
			if i > 0 && tt.After(prev) {
				t.Fatalf("event %d out of order", i)
			}
			prev = tt
		}
		id, _ := evs[0].EventID()
		if id != 4183530 {
			t.Errorf("newest event id = %d, want 4183530", id)
		}
	}
}

func TestEventsClippedAndLimited(t *testing.T) {
	ctx := context.Background()
	_, c := fixtureServer(t, awfake.Python)
	// 4183530 starts 00:33:46.610Z and lasts 4062.987 s; read from 01:00.
	start := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)
	evs, err := events(c, ctx, "aw-watcher-window_devbox", start, start.Add(time.Hour), 1)
	if err != nil || len(evs) != 1 {
		t.Fatalf("got %d events, %v", len(evs), err)
	}
	ts, _ := evs[0].TimestampString()
	d, _ := evs[0].DurationSeconds()
	if ts != "2026-03-29T01:00:00+00:00" {
		t.Errorf("clipped timestamp = %s", ts)
	}
	if d != 2489.597 {
		t.Errorf("clipped duration = %v, want 2489.597 (the event ends 01:41:29.597)", d)
	}
}

func TestQueryIsEscaped(t *testing.T) {
	var gotQuery, gotPath string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery, gotPath = r.URL.RawQuery, r.URL.EscapedPath()
		w.Write([]byte("[]"))
	}))
	defer hs.Close()
	c, _ := activitywatch.New(hs.URL+"/", "", time.Second)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	start := time.Date(2026, 3, 29, 3, 0, 0, 0, berlin)
	if _, err := events(c, context.Background(), "my bucket/x", start, start.Add(time.Hour), 5000); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(gotQuery, "+") {
		t.Errorf("query has a literal '+': %s", gotQuery)
	}
	if !strings.Contains(gotQuery, "start=2026-03-29T01%3A00%3A00.000000Z") || !strings.Contains(gotQuery, "limit=5000") {
		t.Errorf("query = %s, want UTC start and the limit", gotQuery)
	}
	if gotPath != "/api/0/buckets/my%20bucket%2Fx/events" {
		t.Errorf("path = %s, want the bucket id escaped", gotPath)
	}
}

func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	closed := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return "http://" + addr
	}()
	handler := func(status int, body string) string {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(hs.Close)
		return hs.URL
	}
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer hang.Close()
	tests := []struct {
		name, url, want string
	}{
		{"refused", closed, "ActivityWatch is not reachable at " + closed + " (is aw-server running?)"},
		{"404 message", handler(404, `{"message": "There's no bucket named nope"}`), "ActivityWatch answered 404: There's no bucket named nope"},
		{"500 html", handler(500, `<html>oops</html>`), "ActivityWatch answered 500: Internal Server Error"},
		{"not JSON", handler(200, `<html>hello</html>`), "not JSON"},
		{"cut short", handler(200, `{"aw-watcher-window_x": {"id": "aw-wat`), "closed the connection mid-answer"},
		{"timeout", hang.URL, "did not answer in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := activitywatch.New(tt.url, "", 300*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Buckets(ctx)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestAPIKey(t *testing.T) {
	ctx := context.Background()
	fake, err := awfake.NewFromFixtures(awfake.Rust)
	if err != nil {
		t.Fatal(err)
	}
	fake.APIKey = "s3cret"
	hs := httptest.NewServer(fake)
	defer hs.Close()
	without, _ := activitywatch.New(hs.URL, "", time.Second)
	if _, err := without.Info(ctx); err != nil {
		t.Errorf("info should need no key: %v", err)
	}
	_, err = without.Buckets(ctx)
	var apiErr *activitywatch.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || !strings.Contains(err.Error(), "API key") {
		t.Errorf("without key: %v, want a 401 naming the API key", err)
	}
	with, _ := activitywatch.New(hs.URL, "s3cret", time.Second)
	if bs, err := with.Buckets(ctx); err != nil || len(bs) != 5 {
		t.Errorf("with key: %v, %v", bs, err)
	}
}

func TestParseServerURL(t *testing.T) {
	for _, ok := range []string{"http://localhost:5600", "http://localhost:5600/", " https://aw.example:443 "} {
		if _, err := activitywatch.ParseServerURL(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "localhost:5600", "ftp://x", "http://", "http://h:1/?q=1"} {
		if _, err := activitywatch.ParseServerURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSettingsFromBothServers(t *testing.T) {
	ctx := context.Background()
	raw, err := awfake.FixtureFile("settings-categories.json")
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for _, f := range []awfake.Flavour{awfake.Python, awfake.Rust} {
		fake, c := fixtureServer(t, f)
		// a fresh server (and the fake by default) holds no settings
		if got, err := c.Settings(ctx); err != nil || string(got) != "{}" {
			t.Errorf("flavour %d: fresh Settings = %s, %v; want {}", f, got, err)
		}
		if err := fake.LoadSettings(raw); err != nil {
			t.Fatal(err)
		}
		got, err := c.Settings(ctx)
		if err != nil {
			t.Fatalf("flavour %d: %v", f, err)
		}
		var decoded any
		if err := json.Unmarshal(got, &decoded); err != nil || !reflect.DeepEqual(decoded, want) {
			t.Errorf("flavour %d: Settings differ from the fixture (%v)", f, err)
		}
		var s struct {
			Classes []struct {
				Name []string `json:"name"`
				Rule struct {
					Regex string `json:"regex"`
				} `json:"rule"`
			} `json:"classes"`
			ActiveSetIDs []string `json:"active_set_ids"`
		}
		if err := json.Unmarshal(got, &s); err != nil || len(s.Classes) != 27 || len(s.ActiveSetIDs) != 2 {
			t.Errorf("flavour %d: %d classes, active %v, %v", f, len(s.Classes), s.ActiveSetIDs, err)
		}
	}
}

func TestSettingsOlderServers(t *testing.T) {
	ctx := context.Background()
	var gotPath, gotAccept, gotAuth string
	serve := func(status int, body string) string {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gotPath, gotAccept, gotAuth = r.URL.EscapedPath(), r.Header.Get("Accept"), r.Header.Get("Authorization")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(hs.Close)
		return hs.URL
	}
	tests := []struct{ name, url string }{
		// aw-server (Python) before #147 (October 2023): flask-restx 404
		{"python 404", serve(404, `{"message": "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."}`+"\n")},
		{"404 without body", serve(404, ``)},
		// aw-server-rust before #428 listed the key names only
		{"old rust key list", serve(200, `[{"key":"settings.theme"}]`)},
		{"null", serve(200, "null\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := activitywatch.New(tt.url, "k", time.Second)
			got, err := c.Settings(ctx)
			if err != nil || string(got) != "{}" {
				t.Errorf("Settings = %s, %v; want {} and no error", got, err)
			}
			if gotPath != "/api/0/settings" || gotAccept != "application/json" || gotAuth != "Bearer k" {
				t.Errorf("request: path %s, Accept %q, Authorization %q", gotPath, gotAccept, gotAuth)
			}
		})
	}
	c, _ := activitywatch.New(serve(200, `{"theme": "dark"}`+"\n"), "", time.Second)
	if got, err := c.Settings(ctx); err != nil || string(got) != `{"theme": "dark"}` {
		t.Errorf("Settings = %s, %v", got, err)
	}
}

func TestSettingsErrors(t *testing.T) {
	ctx := context.Background()
	handler := func(status int, body string) string {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(hs.Close)
		return hs.URL
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	tests := []struct {
		name, url, want string
		status          int
	}{
		{"500 message", handler(500, `{"message":"Failed to prepare get_value SQL statement"}`), "ActivityWatch answered 500: Failed to prepare get_value SQL statement", 500},
		{"refused", closed, "ActivityWatch is not reachable at " + closed, 0},
		{"not JSON", handler(200, `<html>hello</html>`), "not JSON", 0},
		{"not an object", handler(200, `"dark"`), "not a JSON object", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := activitywatch.New(tt.url, "", time.Second)
			got, err := c.Settings(ctx)
			if err == nil || got != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Settings = %s, %v; want an error containing %q", got, err, tt.want)
			}
			var apiErr *activitywatch.APIError
			if tt.status != 0 && (!errors.As(err, &apiErr) || apiErr.Status != tt.status) {
				t.Errorf("error %v is not an APIError %d", err, tt.status)
			}
			var unreachable *activitywatch.UnreachableError
			if tt.name == "refused" && !errors.As(err, &unreachable) {
				t.Errorf("error %v is not an UnreachableError", err)
			}
		})
	}
	// aw-server-rust with an API key: settings need it (only /api/0/info is exempt)
	fake, err := awfake.NewFromFixtures(awfake.Rust)
	if err != nil {
		t.Fatal(err)
	}
	fake.APIKey = "s3cret"
	hs := httptest.NewServer(fake)
	defer hs.Close()
	without, _ := activitywatch.New(hs.URL, "", time.Second)
	var apiErr *activitywatch.APIError
	if _, err := without.Settings(ctx); !errors.As(err, &apiErr) || apiErr.Status != 401 {
		t.Errorf("without key: %v, want a 401", err)
	}
	with, _ := activitywatch.New(hs.URL, "s3cret", time.Second)
	if got, err := with.Settings(ctx); err != nil || string(got) != "{}" {
		t.Errorf("with key: %s, %v", got, err)
	}
	// a cancelled context is the caller's, not an unreachable server
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := with.Settings(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// events is one page, decoded.
func events(c *activitywatch.Client, ctx context.Context, bucket string, start, end time.Time, limit int) ([]activitywatch.RawEvent, error) {
	page, err := c.EventPage(ctx, bucket, start, end, limit)
	if err != nil {
		return nil, err
	}
	return page.Decode()
}
