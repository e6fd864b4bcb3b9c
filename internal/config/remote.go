package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
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
		errs = append(errs, fieldError("server URL", i18n.T("core.config.field.server_url"), err.Error()))
	}
	if r.PushMode != PushAuto && r.PushMode != PushReview {
		errs = append(errs, fieldError("push mode", i18n.T("core.config.field.push_mode"),
			i18n.T("core.config.bad_push_mode", "value", fmt.Sprintf("%q", r.PushMode))))
	}
	if r.MergeGapSeconds < 0 || r.MergeGapSeconds > 3600 {
		errs = append(errs, fieldError("merge gap", i18n.T("core.config.field.merge_gap"),
			i18n.T("core.config.seconds_out_of_range", "value", r.MergeGapSeconds, "max", 3600)))
	}
	if r.MinBlockSeconds < 0 || r.MinBlockSeconds > 3600 {
		errs = append(errs, fieldError("minimum block", i18n.T("core.config.field.min_block"),
			i18n.T("core.config.seconds_out_of_range", "value", r.MinBlockSeconds, "max", 3600)))
	}
	if r.SettleMinutes < 0 || r.SettleMinutes > 120 {
		errs = append(errs, fieldError("settle time", i18n.T("core.config.field.settle_time"),
			i18n.T("core.config.minutes_out_of_range", "value", r.SettleMinutes, "max", 120)))
	}
	if r.RatePerMinute < 1 || r.RatePerHour < 1 {
		errs = append(errs, fieldError("rate", i18n.T("core.config.field.rate"),
			i18n.T("core.config.bad_rate", "per_minute", r.RatePerMinute, "per_hour", r.RatePerHour)))
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
