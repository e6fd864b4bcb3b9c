// Package activitywatch is a read-only client for the aw-server REST API
// (both the Python aw-server and aw-server-rust).
package activitywatch

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
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds each request; a sync of many chunks makes many of them.
const DefaultTimeout = 30 * time.Second

// Client talks to one aw-server. The zero value is not usable; use New.
type Client struct {
	base   *url.URL
	apiKey string
	http   *http.Client
}

// New returns a client for the server at baseURL (e.g. http://localhost:5600).
// apiKey is optional: aw-server-rust can require `Authorization: Bearer <key>`.
func New(baseURL, apiKey string, timeout time.Duration) (*Client, error) {
	u, err := ParseServerURL(baseURL)
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Client{base: u, apiKey: apiKey, http: &http.Client{Timeout: timeout}}, nil
}

// ParseServerURL checks that s is an absolute http(s) URL and strips a
// trailing slash, as TimeTracker's form does before saving.
func ParseServerURL(s string) (*url.URL, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return nil, errors.New("the ActivityWatch server URL is empty: give one like http://localhost:5600")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%q is not a server URL: give scheme and host, like http://localhost:5600", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q is not a server URL: remove the query or fragment", s)
	}
	return u, nil
}

// BaseURL is the server URL as the user sees it.
func (c *Client) BaseURL() string { return c.base.String() }

// Info is GET /api/0/info.
type Info struct {
	Hostname string `json:"hostname"`
	Version  string `json:"version"`
	Testing  bool   `json:"testing"`
	DeviceID string `json:"device_id"`
}

// Bucket is one entry of GET /api/0/buckets/ in either server's shape.
type Bucket struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Client   string `json:"client"`
	Hostname string `json:"hostname"`
	// The end of the newest event, as the server wrote it ("" for an
	// empty bucket): Python's last_updated, Rust's metadata.end.
	LastUpdated string `json:"-"`
}

// UnmarshalJSON reads a bucket of either server.
func (b *Bucket) UnmarshalJSON(data []byte) error {
	type plain Bucket
	var v struct {
		plain
		LastUpdated *string `json:"last_updated"`
		Metadata    *struct {
			End *string `json:"end"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*b = Bucket(v.plain)
	switch {
	case v.LastUpdated != nil:
		b.LastUpdated = *v.LastUpdated
	case v.Metadata != nil && v.Metadata.End != nil:
		b.LastUpdated = *v.Metadata.End
	}
	return nil
}

// APIError is an HTTP error status from aw-server, with the server's own
// message (every error body of both servers is {"message": "..."}).
type APIError struct {
	URL     string
	Status  int
	Message string
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if e.Status == http.StatusUnauthorized {
		return fmt.Sprintf("ActivityWatch refused the request (401): %s; set the API key configured in aw-server", msg)
	}
	return fmt.Sprintf("ActivityWatch answered %d: %s", e.Status, msg)
}

// UnreachableError means no HTTP answer came back at all.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	var ne net.Error
	if errors.As(e.Err, &ne) && ne.Timeout() {
		return fmt.Sprintf("ActivityWatch at %s did not answer in time (is aw-server busy or hung?)", e.URL)
	}
	return fmt.Sprintf("ActivityWatch is not reachable at %s (is aw-server running?)", e.URL)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Info fetches server identity; aw-server-rust exempts it from the API key.
func (c *Client) Info(ctx context.Context) (Info, error) {
	var info Info
	err := c.getJSON(ctx, "/api/0/info", nil, &info)
	return info, err
}

// Buckets lists all buckets, sorted by id (Rust's map order is arbitrary).
func (c *Client) Buckets(ctx context.Context) ([]Bucket, error) {
	var m map[string]Bucket
	if err := c.getJSON(ctx, "/api/0/buckets/", nil, &m); err != nil {
		return nil, err
	}
	out := make([]Bucket, 0, len(m))
	for id, b := range m {
		b.ID = id
		out = append(out, b)
	}
	sortBuckets(out)
	return out, nil
}

// Page is one answer of GET /api/0/buckets/{id}/events, read and counted
// but not decoded yet, so a sync can decode it while the next is served.
type Page struct {
	base, path string // for errors
	body       []byte
	n          int
}

// NewPage is a page holding body, an events answer of the server at base
// for path; it fails if body is not a JSON array.
func NewPage(base, path string, body []byte) (Page, error) {
	n, err := countElements(body)
	if err != nil {
		return Page{}, answerError(context.Background(), base, path, err)
	}
	return Page{base: base, path: path, body: body, n: n}, nil
}

// Len is the number of events in the page.
func (p Page) Len() int { return p.n }

// Decode returns the page's events.
func (p Page) Decode() ([]RawEvent, error) {
	var events []RawEvent
	if err := json.Unmarshal(p.body, &events); err != nil {
		return nil, answerError(context.Background(), p.base, p.path, err)
	}
	return events, nil
}

// EventPage returns the events of bucket overlapping [start, end], newest
// first and clipped to the range, as the servers do, decoded later
// (Page.Decode). limit > 0 caps the count (the newest are kept); the
// caller detects a full page and splits.
func (c *Client) EventPage(ctx context.Context, bucket string, start, end time.Time, limit int) (Page, error) {
	path := "/api/0/buckets/" + url.PathEscape(bucket) + "/events"
	resp, err := c.get(ctx, path, eventsQuery(start, end, limit))
	if err != nil {
		return Page{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Page{}, c.answerError(ctx, path, err)
	}
	return NewPage(c.BaseURL(), path, body)
}

func eventsQuery(start, end time.Time, limit int) url.Values {
	q := url.Values{}
	// UTC with Z: no '+' to escape, and Rust's strict RFC 3339 parser takes it.
	q.Set("start", FormatTime(start))
	q.Set("end", FormatTime(end))
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return q
}

// errNotArray: an events answer that is not a JSON array.
var errNotArray = errors.New("the answer is not a JSON array")

// countElements counts the elements of a JSON array without decoding
// them: a byte scan that follows strings and nesting and checks nothing
// else (Decode checks the rest).
func countElements(b []byte) (int, error) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if bytes.HasPrefix(b[i:], []byte("null")) {
		return 0, nil // decodes to no events, as before
	}
	if i == len(b) || b[i] != '[' {
		return 0, errNotArray
	}
	depth, commas, nonEmpty, inString := 1, 0, false, false
	for i++; i < len(b); i++ {
		c := b[i]
		if inString {
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
			continue
		}
		if depth == 1 && c != ',' && c != ']' && !isSpace(c) {
			nonEmpty = true
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
		case ']', '}':
			if depth--; depth == 0 {
				if !nonEmpty {
					return 0, nil
				}
				return commas + 1, nil
			}
		case ',':
			if depth == 1 {
				commas++
			}
		}
	}
	return 0, io.ErrUnexpectedEOF
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// Settings returns GET /api/0/settings: every setting the server holds
// (aw-webui keeps its categories there as "classes", and since 2026 as
// "category_sets" + "active_set_ids") as one JSON object, values as JSON.
// Python aw-server answers its settings file (keys sorted); aw-server-rust
// stores each value as JSON text and decodes it before answering.
//
// A server without settings answers {}. So does a server older than the
// endpoint (both added it in October 2023; they answer 404), and an
// aw-server-rust from before then whose /api/0/settings listed only key
// names (an array): callers then use the default categories. Other errors
// are returned as for the other methods.
func (c *Client) Settings(ctx context.Context) (json.RawMessage, error) {
	var raw json.RawMessage
	err := c.getJSON(ctx, "/api/0/settings", nil, &raw)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		return json.RawMessage("{}"), nil
	}
	if err != nil {
		return nil, err
	}
	switch firstByte(raw) {
	case '{':
		return raw, nil
	case '[', 'n': // old aw-server-rust's key list; null
		return json.RawMessage("{}"), nil
	default:
		return nil, fmt.Errorf("ActivityWatch at %s answered /api/0/settings with something that is not a JSON object (is this an aw-server?): %.40s", c.BaseURL(), raw)
	}
}

func firstByte(b []byte) byte {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c
		}
	}
	return 0
}

// FormatTime writes t as the UTC RFC 3339 form both servers accept.
func FormatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

func (c *Client) getJSON(ctx context.Context, path string, q url.Values, out any) error {
	resp, err := c.get(ctx, path, q)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return c.answerError(ctx, path, err)
	}
	return nil
}

// get sends a GET; an answer that is not a success is an *APIError.
func (c *Client) get(ctx context.Context, path string, q url.Values) (*http.Response, error) {
	// path is already escaped by the caller (bucket ids go through PathEscape).
	u := c.BaseURL() + path
	if q != nil {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("building request for %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &UnreachableError{URL: c.BaseURL(), Err: err}
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		var eb struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(body, &eb)
		return nil, &APIError{URL: u, Status: resp.StatusCode, Message: eb.Message}
	}
	return resp, nil
}

// answerError explains why an answer for path could not be read or decoded.
func (c *Client) answerError(ctx context.Context, path string, err error) error {
	return answerError(ctx, c.BaseURL(), path, err)
}

func answerError(ctx context.Context, base, path string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se), errors.As(err, &te), errors.Is(err, errNotArray):
		return fmt.Errorf("ActivityWatch at %s answered %s with something that is not JSON of the expected shape (is this an aw-server?): %w", base, path, err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("ActivityWatch at %s closed the connection mid-answer for %s (was aw-server restarted?): %w", base, path, err)
	default:
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return &UnreachableError{URL: base, Err: err}
		}
		return fmt.Errorf("reading ActivityWatch answer for %s: %w", path, err)
	}
}
