// Package timetracker is a client for the REST API of a central TimeTracker
// server (DRYTRIX/TimeTracker, /api/v1): server info, token and scope
// checks, projects, and creating and updating time entries, paced under the
// per-token rate limits.
package timetracker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client talks to one TimeTracker server with one API token.
type Client struct {
	base  string
	token string
	http  *http.Client
	pace  *Pacer
}

// New returns a client. baseURL is the server's root (…/api/v1 is added).
func New(baseURL, token string, timeout time.Duration, pace *Pacer) (*Client, error) {
	u, err := ParseServerURL(baseURL)
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &Client{base: u, token: token, http: &http.Client{Timeout: timeout}, pace: pace}, nil
}

// ParseServerURL checks an http(s) URL and strips a trailing slash and a
// trailing /api/v1 that people paste along.
func ParseServerURL(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	s = strings.TrimSuffix(s, "/api/v1")
	u, err := url.Parse(s)
	if s == "" || err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("%q is not a server URL: give scheme and host, like https://timetracker.example.com", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// BaseURL is the server root.
func (c *Client) BaseURL() string { return c.base }

// Info is GET /api/v1/info (no token needed).
type Info struct {
	APIVersion    string          `json:"api_version"`
	AppVersion    string          `json:"app_version"`
	SetupRequired bool            `json:"setup_required"`
	Endpoints     json.RawMessage `json:"endpoints"`
	Timezone      string          `json:"timezone"`
}

// Project is a remote project.
type Project struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Client string `json:"client"`
	Status string `json:"status"`
}

// Entry is what is sent for a time entry. Times are naive wall-clock times
// in the server's zone. No null keys are ever sent (the server rejects them).
type Entry struct {
	ProjectID int64  `json:"project_id"`
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"`
	Notes     string `json:"notes,omitempty"`
	Tags      string `json:"tags,omitempty"`
	Billable  bool   `json:"billable"`
	// TaskID goes only with an update: a JSON create refuses any task_id
	// (TimeTracker 5.10.0), so a new entry gets its task by SetTask.
	TaskID int64 `json:"task_id,omitempty"`
}

// RemoteEntry is the server's view of an entry.
type RemoteEntry struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"project_id"`
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"` // "" (null) for a running timer
	IsActive  bool   `json:"is_active"`
	Notes     string `json:"notes"`
	Tags      string `json:"tags"`
	Source    string `json:"source"`
	TaskID    int64  `json:"task_id"` // 0 (null): none
	Billable  bool   `json:"billable"`
}

// Task is one task of a project.
type Task struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	ProjectID int64  `json:"project_id"`
	Status    string `json:"status"`
}

// NaiveLayout is how times are sent: naive, in the server's zone.
const NaiveLayout = "2006-01-02T15:04:05"

// Info checks that the server is a TimeTracker speaking API v1.
func (c *Client) Info(ctx context.Context) (Info, error) {
	var info Info
	if err := c.do(ctx, http.MethodGet, "/info", nil, nil, false, &info); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
			return info, fmt.Errorf("%s has no /api/v1/info: is it a TimeTracker server (and the URL its root)?", c.base)
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return info, fmt.Errorf("%s answered /api/v1/info with something that is not JSON: is it a TimeTracker server?", c.base)
		}
		return info, err
	}
	if info.APIVersion != "v1" || len(info.Endpoints) == 0 || info.Endpoints[0] != '{' {
		return info, fmt.Errorf("%s is not a TimeTracker server with API v1 (api_version %q)", c.base, info.APIVersion)
	}
	if info.SetupRequired {
		return info, fmt.Errorf("the TimeTracker server at %s has not finished its setup: finish it in the browser first", c.base)
	}
	return info, nil
}

// CheckToken checks the token and the scopes pushing needs: it lists one
// project (read:projects) and reads the timer status (read:time_entries);
// write:time_entries can only be seen by writing, so a missing one shows
// at the first push as a 403 naming it.
func (c *Client) CheckToken(ctx context.Context) error {
	var out json.RawMessage
	if err := c.do(ctx, http.MethodGet, "/projects", url.Values{"per_page": {"1"}}, nil, true, &out); err != nil {
		return err
	}
	return c.do(ctx, http.MethodGet, "/timer/status", nil, nil, true, &out)
}

// Scopes asks the server which scopes the token has, without writing:
// the users list needs admin:all, and TimeTracker's 403 for it names the
// token's scopes (an admin token is answered, and has them all).
func (c *Client) Scopes(ctx context.Context) ([]string, error) {
	var out json.RawMessage
	err := c.do(ctx, http.MethodGet, "/users", url.Values{"per_page": {"1"}}, nil, true, &out)
	if err == nil {
		return []string{"admin:all"}, nil
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusForbidden {
		return apiErr.AvailableScopes, nil
	}
	return nil, err
}

// Projects lists the active projects the token's user can see, all pages.
func (c *Client) Projects(ctx context.Context) ([]Project, error) {
	var all []Project
	for page := 1; page < 1000; page++ {
		var resp struct {
			Projects   []Project `json:"projects"`
			Pagination struct {
				HasNext bool `json:"has_next"`
			} `json:"pagination"`
		}
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {"100"}}
		if err := c.do(ctx, http.MethodGet, "/projects", q, nil, true, &resp); err != nil {
			return nil, err
		}
		all = append(all, resp.Projects...)
		if !resp.Pagination.HasNext {
			break
		}
	}
	return all, nil
}

// Tasks lists the tasks of a project (done ones too), all pages; needs
// the read:tasks scope.
func (c *Client) Tasks(ctx context.Context, projectID int64) ([]Task, error) {
	var all []Task
	for page := 1; page < 1000; page++ {
		var resp struct {
			Tasks      []Task `json:"tasks"`
			Pagination struct {
				HasNext bool `json:"has_next"`
			} `json:"pagination"`
		}
		q := url.Values{"project_id": {strconv.FormatInt(projectID, 10)}, "page": {strconv.Itoa(page)}, "per_page": {"100"}}
		if err := c.do(ctx, http.MethodGet, "/tasks", q, nil, true, &resp); err != nil {
			return nil, err
		}
		all = append(all, resp.Tasks...)
		if !resp.Pagination.HasNext {
			break
		}
	}
	return all, nil
}

// SetTask gives an entry its task, 0 for none (PATCH; the server does not
// check that the task exists or is of the entry's project: the caller
// does; TimeTracker 5.10.0 ignores a null and stores a 0 as no task).
func (c *Client) SetTask(ctx context.Context, id, taskID int64) (RemoteEntry, error) {
	var resp struct {
		TimeEntry RemoteEntry `json:"time_entry"`
	}
	err := c.do(ctx, http.MethodPatch, "/time-entries/"+strconv.FormatInt(id, 10), nil, nil, true, &resp,
		map[string]int64{"task_id": taskID})
	return resp.TimeEntry, err
}

// CreateEntry posts an entry. key is the Idempotency-Key (≤ 128 characters;
// longer keys are silently ignored by the server, so they are refused here).
func (c *Client) CreateEntry(ctx context.Context, e Entry, key string) (RemoteEntry, error) {
	if len(key) == 0 || len(key) > 128 {
		return RemoteEntry{}, fmt.Errorf("idempotency key of %d characters: it must be 1 to 128", len(key))
	}
	var resp struct {
		TimeEntry RemoteEntry `json:"time_entry"`
	}
	err := c.do(ctx, http.MethodPost, "/time-entries", nil, map[string]string{"Idempotency-Key": key}, true, &resp, e)
	return resp.TimeEntry, err
}

// UpdateEntry replaces an entry's fields (PUT).
func (c *Client) UpdateEntry(ctx context.Context, id int64, e Entry) (RemoteEntry, error) {
	var resp struct {
		TimeEntry RemoteEntry `json:"time_entry"`
	}
	err := c.do(ctx, http.MethodPut, "/time-entries/"+strconv.FormatInt(id, 10), nil, nil, true, &resp, e)
	return resp.TimeEntry, err
}

// ListEntries reads the token user's own entries starting in [from, to]
// (naive times in the server's zone), running timers included, all pages.
func (c *Client) ListEntries(ctx context.Context, from, to string) ([]RemoteEntry, error) {
	var all []RemoteEntry
	for page := 1; page < 10000; page++ {
		var resp struct {
			TimeEntries []RemoteEntry `json:"time_entries"`
			Pagination  struct {
				HasNext bool `json:"has_next"`
			} `json:"pagination"`
		}
		q := url.Values{"start_date": {from}, "end_date": {to}, "include_active": {"true"},
			"page": {strconv.Itoa(page)}, "per_page": {"100"}}
		if err := c.do(ctx, http.MethodGet, "/time-entries", q, nil, true, &resp); err != nil {
			return nil, err
		}
		all = append(all, resp.TimeEntries...)
		if !resp.Pagination.HasNext {
			break
		}
	}
	return all, nil
}

// GetEntry reads one entry.
func (c *Client) GetEntry(ctx context.Context, id int64) (RemoteEntry, error) {
	var resp struct {
		TimeEntry RemoteEntry `json:"time_entry"`
	}
	err := c.do(ctx, http.MethodGet, "/time-entries/"+strconv.FormatInt(id, 10), nil, nil, true, &resp)
	return resp.TimeEntry, err
}

// DeleteEntry removes an entry; one already gone counts as removed
// (TimeTracker answers 400 "Time entry not found" for it, or 404).
func (c *Client) DeleteEntry(ctx context.Context, id int64) error {
	err := c.do(ctx, http.MethodDelete, "/time-entries/"+strconv.FormatInt(id, 10), nil, nil, true, nil)
	var apiErr *APIError
	if errors.As(err, &apiErr) && (apiErr.Status == http.StatusNotFound ||
		apiErr.Status == http.StatusBadRequest && apiErr.Message == "Time entry not found") {
		return nil
	}
	return err
}

func (c *Client) do(ctx context.Context, method, path string, q url.Values, headers map[string]string, auth bool, out any, body ...any) error {
	var rd io.Reader
	if len(body) > 0 {
		b, err := json.Marshal(body[0])
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	u := c.base + "/api/v1" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	if auth && c.pace != nil {
		if err := c.pace.Wait(ctx); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return fmt.Errorf("building %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &UnreachableError{URL: c.base, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return &UnreachableError{URL: c.base, Err: err}
	}
	if resp.StatusCode >= 300 {
		return apiError(resp, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("reading TimeTracker's answer to %s %s: %w", method, path, err)
		}
	}
	return nil
}

// UnreachableError means no HTTP answer came back.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	var ne net.Error
	if errors.As(e.Err, &ne) && ne.Timeout() {
		return fmt.Sprintf("TimeTracker at %s did not answer in time", e.URL)
	}
	return fmt.Sprintf("TimeTracker is not reachable at %s (%v)", e.URL, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }
