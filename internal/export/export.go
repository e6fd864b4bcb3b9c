// Package export writes time entries for other tools: CSV and JSON with
// TimeTracker's field names.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// CSVHeader is the first row of a CSV export.
var CSVHeader = []string{"id", "start_time", "end_time", "duration_seconds", "project", "notes", "source", "bucket"}

// CSV writes entries as CSV with a header row.
func CSV(w io.Writer, entries []store.Entry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	for _, en := range entries {
		_ = cw.Write([]string{strconv.FormatInt(en.ID, 10), en.Start.Format(time.RFC3339), en.End.Format(time.RFC3339),
			strconv.FormatInt(en.DurationSeconds, 10), en.ProjectName, en.Notes, en.Source, en.BucketID})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

type jsonEntry struct {
	ID              int64   `json:"id"`
	ProjectID       *int64  `json:"project_id"`
	Project         *string `json:"project"` // name; null: none
	StartTime       string  `json:"start_time"`
	EndTime         string  `json:"end_time"`
	DurationSeconds int64   `json:"duration_seconds"`
	Notes           string  `json:"notes"`
	Source          string  `json:"source"`
	Bucket          string  `json:"bucket,omitempty"`
}

// JSON writes entries as an indented JSON array.
func JSON(w io.Writer, entries []store.Entry) error {
	out := make([]jsonEntry, len(entries))
	for i, en := range entries {
		out[i] = jsonEntry{ID: en.ID, StartTime: en.Start.Format(time.RFC3339), EndTime: en.End.Format(time.RFC3339),
			DurationSeconds: en.DurationSeconds, Notes: en.Notes, Source: en.Source, Bucket: en.BucketID}
		if en.ProjectID != 0 {
			id, name := en.ProjectID, en.ProjectName
			out[i].ProjectID, out[i].Project = &id, &name
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// Duration writes 3h 05m, 12m or 42s.
func Duration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	if h == 0 {
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%dh %02dm", h, m)
}
