package syncer

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
)

// TimeLayout is how start_time/end_time are stored: RFC 3339 with the
// zone's offset, so a wall time in the repeated DST hour stays unambiguous.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Notes follows TimeTracker's format exactly, so entries read the same as
// those of its server-side import.
func Notes(f activitywatch.Fields) string {
	app, title, url := strings.TrimSpace(f.App), strings.TrimSpace(f.Title), strings.TrimSpace(f.URL)
	switch {
	case app != "" && title != "":
		return "ActivityWatch: " + app + " - " + title
	case url != "" && title != "":
		return url + " - " + title
	case url != "":
		return url
	case app != "":
		return "ActivityWatch: " + app
	default:
		return "ActivityWatch: (no app/title)"
	}
}

// DataHash is the first 16 hex digits of md5(app + "|" + title + url).
func DataHash(f activitywatch.Fields) string {
	app, title, url := strings.TrimSpace(f.App), strings.TrimSpace(f.Title), strings.TrimSpace(f.URL)
	sum := md5.Sum([]byte(app + "|" + title + url))
	return hex.EncodeToString(sum[:])[:16]
}

// ExternalUID is the `{bucket}|{timestamp}|{whole seconds}|{hash}`,
// with a trailing Z written +00:00, cut to 255 characters.
func ExternalUID(bucket, timestamp string, seconds int64, f activitywatch.Fields) string {
	if strings.HasSuffix(timestamp, "Z") {
		timestamp = strings.TrimSuffix(timestamp, "Z") + "+00:00"
	}
	uid := fmt.Sprintf("%s|%s|%d|%s", bucket, timestamp, seconds, DataHash(f))
	if r := []rune(uid); len(r) > 255 {
		uid = string(r[:255])
	}
	return uid
}

// WholeSeconds truncates a duration to whole seconds, at least 1 (as TimeTracker's import does:
// 0.9 → 1, 300.9 → 300, negative or unknown → 1).
func WholeSeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if s < 1 {
		return 1
	}
	return s
}

// span is an event's extent: start at µs precision (the entry's precision;
// 9-digit fractions are truncated), end = start + duration.
func span(start time.Time, seconds float64, ok bool) (time.Time, time.Time) {
	start = start.Truncate(time.Microsecond)
	if !ok || seconds <= 0 || math.IsInf(seconds, 0) {
		return start, start
	}
	return start, start.Add(time.Duration(math.Round(seconds*1e6)) * time.Microsecond)
}

// entryTimes writes an entry's start and end in loc; end is start plus the
// whole-second duration, as TimeTracker computes it.
func entryTimes(start time.Time, seconds int64, loc *time.Location) (string, string) {
	s := start.In(loc)
	return s.Format(TimeLayout), s.Add(time.Duration(seconds) * time.Second).Format(TimeLayout)
}
