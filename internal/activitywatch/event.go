package activitywatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// RawEvent is one event as the server sent it. Fields stay raw so that one
// malformed event (a number where a string belongs, a bad timestamp) can be
// skipped and counted without losing the rest of the answer.
type RawEvent struct {
	ID        json.RawMessage `json:"id"`
	Timestamp json.RawMessage `json:"timestamp"`
	Duration  json.RawMessage `json:"duration"`
	Data      json.RawMessage `json:"data"`
}

// EventID returns the server's event id, if the event carries a usable one.
func (e RawEvent) EventID() (int64, bool) {
	var id int64
	if len(e.ID) == 0 || json.Unmarshal(e.ID, &id) != nil {
		return 0, false
	}
	return id, true
}

// TimestampString returns the timestamp as the server wrote it; ok is false
// when it is missing, null, empty or not a string.
func (e RawEvent) TimestampString() (string, bool) {
	var s string
	if len(e.Timestamp) == 0 || e.Timestamp[0] != '"' || json.Unmarshal(e.Timestamp, &s) != nil || s == "" {
		return "", false
	}
	return s, true
}

// DurationSeconds returns the duration in seconds. It accepts a number or a
// numeric string (as TimeTracker's float() does); ok is false otherwise.
func (e RawEvent) DurationSeconds() (float64, bool) {
	raw := bytes.TrimSpace(e.Duration)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	var f float64
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		raw = []byte(strings.TrimSpace(s))
	}
	if json.Unmarshal(raw, &f) != nil || f != f {
		return 0, false
	}
	return f, true
}

// Fields are the data keys the mapping uses.
type Fields struct {
	App, Title, URL string
	Status          string // aw-watcher-afk: "afk" / "not-afk"
}

// DataFields extracts app, title and url. A non-object data, or a non-string
// value in one of those keys, is an error (the event is malformed).
func (e RawEvent) DataFields() (Fields, error) {
	var f Fields
	raw := bytes.TrimSpace(e.Data)
	if len(raw) == 0 || string(raw) == "null" {
		return f, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return f, fmt.Errorf("data is not an object")
	}
	for key, dst := range map[string]*string{"app": &f.App, "title": &f.Title, "url": &f.URL, "status": &f.Status} {
		v, ok := m[key]
		if !ok || string(v) == "null" {
			continue
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return f, fmt.Errorf("data.%s is not a string", key)
		}
	}
	return f, nil
}

// Message is data.message, what aw-watcher-afk-prompt stores the person's
// answer in ("" when absent or not a string).
func (e RawEvent) Message() string {
	var d struct {
		Message any `json:"message"`
	}
	if json.Unmarshal(e.Data, &d) != nil {
		return ""
	}
	m, _ := d.Message.(string)
	return m
}

// ParseTime parses the timestamp forms real servers emit: Python's
// isoformat (`+00:00`, no fraction or 6 digits), Rust's chrono (`Z`, 0/3/6/9
// digits), plus any other RFC 3339 offset and a naive form taken as UTC
// (Python accepts those on input, so they can come back from imports).
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00"} {
		if t2, err2 := time.Parse(layout, s); err2 == nil {
			return t2.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339", s)
}
