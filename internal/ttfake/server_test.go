package ttfake

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const tok = "tt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// The fake answers as the reference transcript says the real server did.
func TestContract(t *testing.T) {
	s := New("UTC")
	s.AddToken(tok, "read:projects", "write:time_entries")
	s.AddProject("Website Relaunch")
	hs := httptest.NewServer(s)
	defer hs.Close()
	call := func(method, path, body string, hdr map[string]string) (int, string) {
		req, _ := http.NewRequest(method, hs.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	auth := map[string]string{"Authorization": "Bearer " + tok}
	key := map[string]string{"Authorization": "Bearer " + tok, "Idempotency-Key": "desk-42-7f3a"}
	tests := []struct {
		name, method, path, body string
		hdr                      map[string]string
		status                   int
		contains                 string
	}{
		{"info without token", "GET", "/api/v1/info", "", nil, 200, `"api_version":"v1"`},
		{"no token", "GET", "/api/v1/projects", "", nil, 401, "Authentication required"},
		{"bad format", "GET", "/api/v1/projects", "", map[string]string{"Authorization": "Bearer nope"}, 401, "Invalid token format"},
		{"unknown token", "GET", "/api/v1/projects", "", map[string]string{"X-API-Key": "tt_invalidinvalidinvalidinvalid00"}, 401, "Token not found"},
		{"missing scope", "GET", "/api/v1/timer/status", "", auth, 403, `"required_scope":"read:time_entries"`},
		{"create Z", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-10T09:00:00Z","end_time":"2026-11-10T10:30:00Z"}`, auth, 201, `"start_time":"2026-11-10T09:00:00"`},
		{"duplicate overlaps", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-10T09:00:00Z","end_time":"2026-11-10T10:30:00Z"}`, auth, 400, "overlaps with an existing entry"},
		{"touching is fine", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-10T10:30:00","end_time":"2026-11-10T11:00:00"}`, auth, 201, `"id":2`},
		{"source rejected", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-11T09:00:00Z","end_time":"2026-11-11T09:30:00Z","source":"desktop"}`, auth, 400, `"source":["Unknown field."]`},
		{"offset dropped", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-13T09:00:00+02:00","end_time":"2026-11-13T10:00:00+02:00"}`, auth, 201, `"start_time":"2026-11-13T09:00:00"`},
		{"no end", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-15T10:00:00Z"}`, auth, 400, "End time must be after start time"},
		{"no project", "POST", "/api/v1/time-entries", `{"start_time":"2026-11-15T11:00:00Z","end_time":"2026-11-15T12:00:00Z"}`, auth, 400, "Either project or client must be selected"},
		{"null project", "POST", "/api/v1/time-entries", `{"project_id":null,"client_id":1,"start_time":"2026-11-15T11:00:00Z","end_time":"2026-11-15T12:00:00Z"}`, auth, 400, "Either project_id or client_id"},
		{"unknown project", "POST", "/api/v1/time-entries", `{"project_id":999,"start_time":"2026-11-15T11:00:00Z","end_time":"2026-11-15T12:00:00Z"}`, auth, 400, "Invalid project"},
		{"date only", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-14","end_time":"2026-11-14T01:00:00"}`, auth, 400, "Not a valid datetime."},
		{"idempotent first", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-12T09:00:00Z","end_time":"2026-11-12T09:45:00Z"}`, key, 201, `"id":4`},
		{"idempotent replay, other body", "POST", "/api/v1/time-entries", `{"project_id":1,"start_time":"2026-11-12T14:00:00Z","end_time":"2026-11-12T15:00:00Z"}`, key, 201, `"id":4`},
	}
	for _, tt := range tests {
		status, body := call(tt.method, tt.path, tt.body, tt.hdr)
		if status != tt.status || !strings.Contains(body, tt.contains) {
			t.Errorf("%s: %d %s; want %d containing %s", tt.name, status, body, tt.status, tt.contains)
		}
	}
	req, _ := http.NewRequest("POST", hs.URL+"/api/v1/time-entries", bytes.NewReader([]byte(`{}`)))
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, _ := http.DefaultClient.Do(req)
	if resp.StatusCode != 415 {
		t.Errorf("no content type: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

func TestRateLimit(t *testing.T) {
	s := New("UTC")
	s.AddToken(tok, "read:projects")
	now := time.Date(2026, 11, 26, 10, 0, 30, 0, time.UTC)
	s.Now = func() time.Time { return now }
	hs := httptest.NewServer(s)
	defer hs.Close()
	var codes []int
	var retry string
	for i := 0; i < 102; i++ {
		req, _ := http.NewRequest("GET", hs.URL+"/api/v1/projects", nil)
		req.Header.Set("X-API-Key", tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == 429 {
			retry = resp.Header.Get("Retry-After")
		}
	}
	if codes[99] != 200 || codes[100] != 429 || codes[101] != 429 || retry != "31" {
		t.Errorf("codes %v..., Retry-After %q", codes[98:], retry)
	}
}
