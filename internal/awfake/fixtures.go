package awfake

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"time"
)

// Fixtures are copies of shared/fixtures/aw (see testdata/aw/README.md),
// plus settings-categories.json, which is awfake's own: the settings object
// aw-webui leaves on a server (categories as "classes" and as
// "category_sets" + "active_set_ids"), written as aw-server (Python) writes
// its settings.json. Load it with LoadSettings; servers start without it.
//
//go:embed testdata/aw
var fixtures embed.FS

// FixtureSnapshot is the moment the fixtures were fetched.
var FixtureSnapshot = time.Date(2026, 3, 29, 1, 41, 30, 318e6, time.UTC)

// fixtureFiles maps each events file to its bucket. events-window-macos.json
// is a standalone sample from another machine and is not part of the set.
var fixtureFiles = map[string]string{
	"events-window.json":      "aw-watcher-window_devbox",
	"events-afk.json":         "aw-watcher-afk_devbox",
	"events-web-chrome.json":  "aw-watcher-web-chrome_devbox",
	"events-web-firefox.json": "aw-watcher-web-firefox",
	"events-vscode.json":      "aw-watcher-vscode_devbox",
}

// FixtureFile returns the bytes of one fixture, e.g. "events-window.json" or
// "rust/events-window.json".
func FixtureFile(name string) ([]byte, error) {
	return fs.ReadFile(fixtures, path.Join("testdata/aw", name))
}

// NewFromFixtures returns a server holding the shared fixtures in the given
// flavour's wire format (host "devbox").
func NewFromFixtures(f Flavour) (*Server, error) {
	dir := "testdata/aw"
	if f == Rust {
		dir += "/rust"
	}
	s := New(f, "devbox")
	raw, err := fs.ReadFile(fixtures, dir+"/buckets.json")
	if err != nil {
		return nil, fmt.Errorf("reading bucket fixture: %w", err)
	}
	var buckets map[string]struct {
		BucketMeta
		Created string `json:"created"`
	}
	if err := json.Unmarshal(raw, &buckets); err != nil {
		return nil, fmt.Errorf("decoding bucket fixture: %w", err)
	}
	// Python's file is in creation order; sort by created for both flavours
	// so the listing order is deterministic.
	type item struct {
		m BucketMeta
		t time.Time
	}
	var items []item
	for id, b := range buckets {
		b.BucketMeta.ID = id
		t, _ := time.Parse(time.RFC3339Nano, b.Created)
		b.BucketMeta.Created = t
		items = append(items, item{b.BucketMeta, t})
	}
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			if items[j].t.Before(items[i].t) {
				items[i], items[j] = items[j], items[i]
			}
		}
	}
	for _, it := range items {
		s.AddBucket(it.m)
	}
	for file, bucketID := range fixtureFiles {
		raw, err := fs.ReadFile(fixtures, dir+"/"+file)
		if err != nil {
			return nil, fmt.Errorf("reading fixture %s: %w", file, err)
		}
		evs, err := decodeEvents(raw)
		if err != nil {
			return nil, fmt.Errorf("decoding fixture %s: %w", file, err)
		}
		if err := s.Insert(bucketID, evs...); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func decodeEvents(raw []byte) ([]Event, error) {
	var wire []struct {
		ID        int64           `json:"id"`
		Timestamp string          `json:"timestamp"`
		Duration  float64         `json:"duration"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &wire); err != nil {
		return nil, err
	}
	out := make([]Event, len(wire))
	for i, w := range wire {
		t, err := time.Parse(time.RFC3339Nano, w.Timestamp)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", w.ID, err)
		}
		out[i] = Event{ID: w.ID, Timestamp: t.UTC(), Duration: w.Duration, Data: w.Data}
	}
	return out, nil
}
