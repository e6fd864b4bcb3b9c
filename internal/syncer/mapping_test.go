package syncer

import (
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
)

func TestNotesAndHash(t *testing.T) {
	tests := []struct {
		f     activitywatch.Fields
		notes string
		hash  string
	}{
		{activitywatch.Fields{App: "Chrome", Title: "Inbox"}, "ActivityWatch: Chrome - Inbox", "a9634d83f9a76621"},
		{activitywatch.Fields{URL: "https://github.com/", Title: "GitHub"}, "https://github.com/ - GitHub", "f8e3815cf45d97ce"},
		{activitywatch.Fields{URL: "https://x.test/"}, "https://x.test/", ""},
		{activitywatch.Fields{App: "Finder"}, "ActivityWatch: Finder", ""},
		{activitywatch.Fields{Title: "only a title"}, "ActivityWatch: (no app/title)", ""},
		{activitywatch.Fields{}, "ActivityWatch: (no app/title)", "b99834bc19bbad24"},
		{activitywatch.Fields{App: "  Code ", Title: " main.go  "}, "ActivityWatch: Code - main.go", ""},
	}
	for _, tt := range tests {
		if got := Notes(tt.f); got != tt.notes {
			t.Errorf("Notes(%+v) = %q, want %q", tt.f, got, tt.notes)
		}
		if tt.hash != "" {
			if got := DataHash(tt.f); got != tt.hash {
				t.Errorf("DataHash(%+v) = %s, want %s", tt.f, got, tt.hash)
			}
		}
	}
}

func TestExternalUID(t *testing.T) {
	f := activitywatch.Fields{App: "Chrome", Title: "Inbox"}
	tests := []struct{ ts, want string }{
		{"2024-01-15T10:00:00.000000Z", "aw-watcher-window_testhost|2024-01-15T10:00:00.000000+00:00|300|a9634d83f9a76621"},
		{"2024-01-15T10:00:00+00:00", "aw-watcher-window_testhost|2024-01-15T10:00:00+00:00|300|a9634d83f9a76621"},
		{"2024-01-15T12:00:00+02:00", "aw-watcher-window_testhost|2024-01-15T12:00:00+02:00|300|a9634d83f9a76621"},
		{"2024-01-15T10:00:00.123456789Z", "aw-watcher-window_testhost|2024-01-15T10:00:00.123456789+00:00|300|a9634d83f9a76621"},
	}
	for _, tt := range tests {
		if got := ExternalUID("aw-watcher-window_testhost", tt.ts, 300, f); got != tt.want {
			t.Errorf("ExternalUID(%s) = %s, want %s", tt.ts, got, tt.want)
		}
	}
	long := ExternalUID(string(make([]byte, 300)), "t", 1, f)
	if len([]rune(long)) != 255 {
		t.Errorf("uid not cut to 255 characters: %d", len(long))
	}
}

func TestWholeSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want int64
	}{{0, 1}, {-3 * time.Second, 1}, {900 * time.Millisecond, 1}, {300900 * time.Millisecond, 300}, {12700 * time.Millisecond, 12}}
	for _, tt := range tests {
		if got := WholeSeconds(tt.d); got != tt.want {
			t.Errorf("WholeSeconds(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestSelectBuckets(t *testing.T) {
	all := []activitywatch.Bucket{{ID: "aw-watcher-afk_h"}, {ID: "aw-watcher-vscode_h"}, {ID: "aw-watcher-web-chrome_h"},
		{ID: "aw-watcher-web-firefox"}, {ID: "aw-watcher-web_h"}, {ID: "aw-watcher-window_h"},
		{ID: "aw-watcher-window_laptop-synced-from-laptop"}, {ID: "aw-watcher-web-chrome_laptop-synced-from-laptop"}}
	tests := []struct {
		name       string
		configured []string
		want       []string
		err        string
	}{
		{"default: window and both web forms, no copies", nil,
			[]string{"aw-watcher-web-chrome_h", "aw-watcher-web-firefox", "aw-watcher-web_h", "aw-watcher-window_h"}, ""},
		{"configured order, unknown dropped", []string{"aw-watcher-afk_h", "nope", "aw-watcher-window_h"},
			[]string{"aw-watcher-afk_h", "aw-watcher-window_h"}, ""},
		{"synced copy when asked for", []string{"aw-watcher-window_laptop-synced-from-laptop"},
			[]string{"aw-watcher-window_laptop-synced-from-laptop"}, ""},
		{"none exist", []string{"a", "b"}, nil,
			"None of the configured bucket_ids exist. Available: ['aw-watcher-afk_h', 'aw-watcher-vscode_h', 'aw-watcher-web-chrome_h', 'aw-watcher-web-firefox', 'aw-watcher-web_h']...."}, // the seed's "..." then its "."
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SelectBuckets(all, tt.configured)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
	few := &MissingBucketsError{Available: []string{"x", "y"}}
	if few.Error() != "None of the configured bucket_ids exist. Available: ['x', 'y']." {
		t.Errorf("short list: %s", few.Error())
	}
}
