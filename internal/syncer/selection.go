package syncer

import (
	"fmt"
	"strings"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// DefaultPrefixes choose the buckets imported when none are configured. The
// seed lists `aw-watcher-window_` and `aw-watcher-web_`; real aw-watcher-web
// buckets are `aw-watcher-web-<browser>[_<host>]`, which the seed's prefix
// never matches, so `aw-watcher-web-` is added.
var defaultPrefixes = []string{"aw-watcher-window_", "aw-watcher-web_", "aw-watcher-web-"}

// IsDefaultBucket reports whether id is imported by default. aw-sync's copies
// of other devices' buckets (`…-synced-from-…`) are not: each device
// imports its own data, and importing copies would count time twice.
func IsDefaultBucket(id string) bool {
	if strings.Contains(id, "-synced-from-") {
		return false
	}
	for _, p := range defaultPrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// NoDefaultBuckets is the message, in the current language, when no bucket
// matches the default prefixes.
func NoDefaultBuckets() string { return i18n.T("core.syncer.no_default_buckets") }

// MissingBucketsError says none of the configured ids exist.
type MissingBucketsError struct {
	Configured []string
	Available  []string
}

// Error keeps TimeTracker's wording (in English) and its list of at most
// five ids.
func (e *MissingBucketsError) Error() string {
	shown := e.Available
	more := ""
	if len(shown) > 5 {
		shown, more = shown[:5], "..."
	}
	quoted := make([]string, len(shown))
	for i, id := range shown {
		quoted[i] = "'" + id + "'"
	}
	return i18n.T("core.syncer.missing_buckets", "available", fmt.Sprintf("[%s]%s", strings.Join(quoted, ", "), more))
}

// SelectBuckets picks the buckets to import. Configured ids are kept in the
// order given, unknown ones dropped; if none exist, a MissingBucketsError.
// Without configured ids, the default prefixes apply.
func SelectBuckets(all []activitywatch.Bucket, configured []string) ([]string, error) {
	exists := make(map[string]bool, len(all))
	ids := make([]string, 0, len(all))
	for _, b := range all {
		exists[b.ID] = true
		ids = append(ids, b.ID)
	}
	var out []string
	if len(configured) > 0 {
		seen := map[string]bool{}
		for _, id := range configured {
			if exists[id] && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		if len(out) == 0 {
			return nil, &MissingBucketsError{Configured: configured, Available: ids}
		}
		return out, nil
	}
	for _, id := range ids {
		if IsDefaultBucket(id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// AFKBuckets are the aw-watcher-afk buckets of this device, read so that
// blocks can leave out time away from the keyboard.
func AFKBuckets(all []activitywatch.Bucket) []string {
	var out []string
	for _, b := range all {
		if strings.HasPrefix(b.ID, "aw-watcher-afk_") && !strings.Contains(b.ID, "-synced-from-") {
			out = append(out, b.ID)
		}
	}
	return out
}

// IsWebBucket reports whether id is a browser extension's bucket: its
// events name pages (url, title), not windows.
func IsWebBucket(id string) bool { return strings.HasPrefix(id, store.WebBucketPrefix) }
