package awfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// transcriptServer holds the events of the reference transcript
// (shared/reference/aw-server.md, appendix), so the fake can be checked
// against what the real Python aw-server answered.
func transcriptServer(t *testing.T, f Flavour) (*Server, string) {
	t.Helper()
	s := New(f, "vm")
	s.AddBucket(BucketMeta{ID: "aw-watcher-window_devbox", Type: "currentwindow", Client: "aw-watcher-window", Hostname: "devbox"})
	at := func(h, m, sec int, ms int) time.Time { return time.Date(2024, 5, 6, h, m, sec, ms*1e6, time.UTC) }
	err := s.Insert("aw-watcher-window_devbox",
		Event{ID: 1, Timestamp: at(9, 0, 0, 0), Duration: 300, Data: json.RawMessage(`{"app": "Code", "title": "main.go - project"}`)},
		Event{ID: 2, Timestamp: at(9, 5, 0, 0), Duration: 120, Data: json.RawMessage(`{"app": "Google-chrome", "title": "ActivityWatch documentation"}`)},
		Event{ID: 3, Timestamp: at(9, 7, 0, 0), Duration: 600, Data: json.RawMessage(`{"app": "Terminal", "title": "bash"}`)},
		Event{ID: 4, Timestamp: at(9, 17, 0, 250), Duration: 60.5, Data: json.RawMessage(`{"app": "Code", "title": "README.md - project"}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSuffix(string(b), "\n")
}

func TestMatchesRealPythonServer(t *testing.T) {
	_, base := transcriptServer(t, Python)
	ev := base + "/api/0/buckets/aw-watcher-window_devbox/events"
	tests := []struct {
		name   string
		query  string
		status int
		body   string
	}{
		{"clipped, end at end+1ms", "?start=2024-05-06T09:06:00Z&end=2024-05-06T09:10:00Z", 200,
			`[{"id": 3, "timestamp": "2024-05-06T09:07:00+00:00", "duration": 180.001, "data": {"app": "Terminal", "title": "bash"}}, {"id": 2, "timestamp": "2024-05-06T09:06:00+00:00", "duration": 60.0, "data": {"app": "Google-chrome", "title": "ActivityWatch documentation"}}]`},
		{"limit after ordering", "?start=2024-05-06T09:06:00Z&end=2024-05-06T09:10:00Z&limit=1", 200,
			`[{"id": 3, "timestamp": "2024-05-06T09:07:00+00:00", "duration": 180.001, "data": {"app": "Terminal", "title": "bash"}}]`},
		{"touching events included", "?start=2024-05-06T09:05:00Z&end=2024-05-06T09:07:00Z", 200,
			`[{"id": 3, "timestamp": "2024-05-06T09:07:00+00:00", "duration": 0.001, "data": {"app": "Terminal", "title": "bash"}}, {"id": 2, "timestamp": "2024-05-06T09:05:00+00:00", "duration": 120.0, "data": {"app": "Google-chrome", "title": "ActivityWatch documentation"}}, {"id": 1, "timestamp": "2024-05-06T09:05:00+00:00", "duration": 0.0, "data": {"app": "Code", "title": "main.go - project"}}]`},
		{"limit 0", "?limit=0", 200, `[]`},
		{"escaped offset", "?start=2024-05-06T11:06:00%2B02:00&end=2024-05-06T11:10:00%2B02:00&limit=1", 200,
			`[{"id": 3, "timestamp": "2024-05-06T09:07:00+00:00", "duration": 180.001, "data": {"app": "Terminal", "title": "bash"}}]`},
		{"literal plus", "?start=2024-05-06T11:06:00+02:00&end=2024-05-06T11:10:00+02:00", 500, `{"message":"Internal Server Error"}`},
		{"end before start", "?start=2024-05-06T09:10:00Z&end=2024-05-06T09:06:00Z", 200, `[]`},
		{"bad limit", "?limit=abc", 500, `{"message":"Internal Server Error"}`},
		{"sub-ms bounds", "?start=2024-05-06T09:06:00.5Z&end=2024-05-06T09:08:00.2504Z", 200,
			`[{"id": 3, "timestamp": "2024-05-06T09:07:00+00:00", "duration": 60.251, "data": {"app": "Terminal", "title": "bash"}}, {"id": 2, "timestamp": "2024-05-06T09:06:00.500000+00:00", "duration": 59.5, "data": {"app": "Google-chrome", "title": "ActivityWatch documentation"}}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, ev+tt.query)
			if status != tt.status || body != tt.body {
				t.Errorf("got %d %s\nwant %d %s", status, body, tt.status, tt.body)
			}
		})
	}
	if status, body := get(t, base+"/api/0/buckets/nope/events"); status != 404 || !strings.Contains(body, "There's no bucket named nope") {
		t.Errorf("unknown bucket: %d %s", status, body)
	}
	if status, _ := get(t, base+"/api/0/buckets"); status != 200 {
		// the client follows the 308 to the slashed path
		t.Errorf("slashless bucket list: %d", status)
	}
}

func TestHeartbeatGrowsInPlace(t *testing.T) {
	s, _ := transcriptServer(t, Python)
	data := json.RawMessage(`{"app": "Terminal", "title": "heartbeat demo"}`)
	at := func(sec int) time.Time { return time.Date(2024, 5, 6, 9, 30, sec, 0, time.UTC) }
	var got []Event
	for _, sec := range []int{0, 5, 9} {
		e, err := s.Heartbeat("aw-watcher-window_devbox", Event{Timestamp: at(sec), Data: data}, 10)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if got[0].ID != got[2].ID || got[2].Duration != 9 || !got[2].Timestamp.Equal(at(0)) {
		t.Errorf("heartbeats did not merge in place: %+v", got)
	}
	outside, _ := s.Heartbeat("aw-watcher-window_devbox", Event{Timestamp: at(30), Data: data}, 10)
	other, _ := s.Heartbeat("aw-watcher-window_devbox", Event{Timestamp: at(32), Data: json.RawMessage(`{"app": "Code", "title": "heartbeat demo"}`)}, 10)
	if outside.ID == got[0].ID || other.ID == outside.ID || outside.Duration != 0 {
		t.Errorf("outside pulsetime or other data must insert: %+v %+v", outside, other)
	}
	grown, err := s.Grow("aw-watcher-window_devbox", 20*time.Second)
	if err != nil || grown.ID != other.ID || grown.Duration != 20 {
		t.Errorf("Grow = %+v, %v", grown, err)
	}
}

func TestPythonDropsEventsBegunOver24hBeforeStart(t *testing.T) {
	for _, f := range []Flavour{Python, Rust} {
		s := New(f, "h")
		s.AddBucket(BucketMeta{ID: "b"})
		long := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
		_ = s.Insert("b", Event{Timestamp: long, Duration: 100000, Data: json.RawMessage(`{}`)})
		hs := httptest.NewServer(s)
		_, body := get(t, hs.URL+"/api/0/buckets/b/events?start=2024-05-02T03:00:00Z&end=2024-05-02T04:00:00Z")
		hs.Close()
		if want := map[Flavour]bool{Python: true, Rust: false}[f]; (body == "[]") != want {
			t.Errorf("flavour %d: body %s", f, body)
		}
	}
}

func TestHostCheckAndRustFormat(t *testing.T) {
	s, err := NewFromFixtures(Rust)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer hs.Close()
	req, _ := http.NewRequest("GET", hs.URL+"/api/0/info", nil)
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("bad Host: %d, want 400", resp.StatusCode)
	}
	// The Rust flavour serves its own fixture bytes for unclipped events.
	_, body := get(t, hs.URL+"/api/0/buckets/aw-watcher-window_devbox/events?start=2026-03-26T23:00:00Z&end=2026-03-29T02:00:00Z")
	want, _ := FixtureFile("rust/events-window.json")
	if body != strings.TrimSpace(string(want)) {
		t.Errorf("rust events differ from the fixture:\n%.300s\n%.300s", body, want)
	}
	if status, body := get(t, hs.URL+"/api/0/buckets/aw-watcher-window_devbox/events?start=yesterday"); status != 400 || !strings.Contains(body, "rfc3339") {
		t.Errorf("rust bad time: %d %s", status, body)
	}
}

// With a latency model, an events query takes at least its cost, and
// queries are answered one at a time, as on the Python server.
func TestLatencyModel(t *testing.T) {
	s, err := NewFromFixtures(Python)
	if err != nil {
		t.Fatal(err)
	}
	s.Latency = Latency{PerRequest: 20 * time.Millisecond, PerEvent: 100 * time.Microsecond}
	hs := httptest.NewServer(s)
	defer hs.Close()
	get := func() {
		resp, err := http.Get(hs.URL + "/api/0/buckets/aw-watcher-window_devbox/events")
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
	}
	start := time.Now()
	get()
	one := time.Since(start)
	// 147 events in the window fixture: 20 ms + 14.7 ms.
	if want := 20*time.Millisecond + 147*100*time.Microsecond; one < want {
		t.Errorf("one query took %v, want at least %v", one, want)
	}
	start = time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); get() }()
	}
	wg.Wait()
	if two, want := time.Since(start), 2*(20*time.Millisecond+147*100*time.Microsecond); two < want {
		t.Errorf("two concurrent queries took %v, want at least %v (one at a time)", two, want)
	}
}
