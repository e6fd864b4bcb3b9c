package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// PushMode says when blocks are sent.
type PushMode string

// Push modes.
const (
	PushAuto   PushMode = "auto"   // after each sync, as built
	PushReview PushMode = "review" // after the person approves them
)

// Remote is the central TimeTracker connection, stored as JSON in the
// integrations row of provider "timetracker". The API token is not here: it
// lives in the OS keyring (or a private file).
type Remote struct {
	ServerURL          string   `json:"server_url"`
	DefaultProjectID   int64    `json:"default_project_id,omitempty"` // remote id
	DefaultProjectName string   `json:"default_project_name,omitempty"`
	PushMode           PushMode `json:"push_mode"`
	MergeGapSeconds    int      `json:"merge_gap_seconds"`
	MinBlockSeconds    int      `json:"min_block_seconds"`
	CutAFK             bool     `json:"cut_afk"`
	SettleMinutes      int      `json:"settle_minutes"`
	ByProject          bool     `json:"by_project,omitempty"` // blocks follow the project, not the app
	RatePerMinute      int      `json:"rate_per_minute"`      // stay under the server's per-token limits
	RatePerHour        int      `json:"rate_per_hour"`
	ServerTimezone     string   `json:"server_timezone,omitempty"` // from /api/v1/info
	ServerVersion      string   `json:"server_version,omitempty"`
	TokenStore         string   `json:"token_store,omitempty"` // keyring or a file path
}

// DefaultRemote is a fresh remote configuration.
func DefaultRemote() Remote {
	// TimeTracker's defaults are 100/min and 1000/h per token; leave a margin.
	return Remote{PushMode: PushAuto, MergeGapSeconds: 60, MinBlockSeconds: 60, CutAFK: true, SettleMinutes: 5,
		RatePerMinute: 90, RatePerHour: 900}
}

// DecodeRemote reads a stored remote config over the defaults.
func DecodeRemote(raw []byte) (Remote, error) {
	r := DefaultRemote()
	if len(raw) == 0 {
		return r, nil
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, fmt.Errorf("stored TimeTracker settings are not valid JSON: %w", err)
	}
	return r, nil
}

// Encode writes it for storage.
func (r Remote) Encode() ([]byte, error) { return json.Marshal(r) }

// Validate checks every field.
func (r Remote) Validate() error {
	var errs []error
	if _, err := timetracker.ParseServerURL(r.ServerURL); err != nil {
		errs = append(errs, &FieldError{"server URL", err.Error()})
	}
	if r.PushMode != PushAuto && r.PushMode != PushReview {
		errs = append(errs, &FieldError{"push mode", fmt.Sprintf("%q is not auto or review", r.PushMode)})
	}
	if r.MergeGapSeconds < 0 || r.MergeGapSeconds > 3600 {
		errs = append(errs, &FieldError{"merge gap", fmt.Sprintf("%d s is out of range: choose 0 to 3600", r.MergeGapSeconds)})
	}
	if r.MinBlockSeconds < 0 || r.MinBlockSeconds > 3600 {
		errs = append(errs, &FieldError{"minimum block", fmt.Sprintf("%d s is out of range: choose 0 to 3600", r.MinBlockSeconds)})
	}
	if r.SettleMinutes < 0 || r.SettleMinutes > 120 {
		errs = append(errs, &FieldError{"settle time", fmt.Sprintf("%d min is out of range: choose 0 to 120", r.SettleMinutes)})
	}
	if r.RatePerMinute < 1 || r.RatePerHour < 1 {
		errs = append(errs, &FieldError{"rate", fmt.Sprintf("%d/min and %d/h: both must be at least 1", r.RatePerMinute, r.RatePerHour)})
	}
	return errors.Join(errs...)
}

// Zone is the server's storage zone (UTC when unknown).
func (r Remote) Zone() *time.Location {
	if loc, err := LoadZone(r.ServerTimezone); err == nil && r.ServerTimezone != "" {
		return loc
	}
	return time.UTC
}
