// Package config holds the ActivityWatch integration settings, their
// validation and the parsing of the free-form fields (bucket IDs, lookback).
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Sync schedules. "manual" is the stored name for "off".
const (
	IntervalManual  = "manual"
	Interval15Min   = "15min"
	IntervalHourly  = "hourly"
	IntervalDaily   = "daily"
	DefaultURL      = "http://localhost:5600"
	DefaultLookback = 7
	MinLookback     = 1
	MaxLookback     = 90
)

// Config is stored as JSON in integrations.config, with TimeTracker's integration keys.
type Config struct {
	ServerURL        string `json:"server_url"`
	APIKey           string `json:"api_key,omitempty"` // aw-server-rust [auth] api_key; never logged
	DefaultProjectID int64  `json:"default_project_id,omitempty"`
	LookbackDays     int    `json:"lookback_days"`
	BucketIDs        string `json:"bucket_ids,omitempty"` // comma list or JSON array, as typed
	AutoSync         bool   `json:"auto_sync"`
	SyncInterval     string `json:"sync_interval"`
	DailyAt          string `json:"daily_at,omitempty"` // HH:MM local, for daily syncs
	Timezone         string `json:"timezone,omitempty"` // IANA name; empty: the system's
	Paused           bool   `json:"paused,omitempty"`   // auto sync paused from the tray
	// AwayMinutes: an absence this long is asked about on return
	// ("what was it?"); 0 asks about none.
	AwayMinutes int `json:"away_minutes"`
	// Language of the windows, tray and CLI: one of i18n.Languages, or ""
	// for the system's (LANGUAGE/LANG).
	Language string `json:"language,omitempty"`
}

// Default is what a fresh install starts from.
func Default() Config {
	return Config{ServerURL: DefaultURL, LookbackDays: DefaultLookback, SyncInterval: IntervalManual, DailyAt: "09:00", AwayMinutes: 10}
}

// Decode reads a stored config, filling defaults for missing keys.
func Decode(raw []byte) (Config, error) {
	c := Default()
	if len(raw) == 0 {
		return c, nil
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("stored settings are not valid JSON: %w", err)
	}
	return c, nil
}

// Encode writes the config for storage.
func (c Config) Encode() ([]byte, error) { return json.Marshal(c) }

// FieldLookbackDays is FieldError.Field of the lookback days.
const FieldLookbackDays = "lookback days"

// FieldError names the setting that is wrong.
type FieldError struct {
	Field string // the setting's name in English, for code to tell which ("lookback days")
	Msg   string // what is wrong, for people
	label string // the setting's name for people, in the current language; "": Field
}

func (e *FieldError) Error() string {
	if e.label != "" {
		return e.label + ": " + e.Msg
	}
	return e.Field + ": " + e.Msg
}

// fieldError is a FieldError of field (in English) shown as label.
func fieldError(field, label, msg string) *FieldError {
	return &FieldError{Field: field, Msg: msg, label: label}
}

// Validate checks every field and returns all problems, each naming its
// field and the value, joined.
func (c Config) Validate() error {
	var errs []error
	if _, err := activitywatch.ParseServerURL(c.ServerURL); err != nil {
		errs = append(errs, fieldError("server URL", i18n.T("core.config.field.server_url"), err.Error()))
	}
	if c.LookbackDays < MinLookback || c.LookbackDays > MaxLookback {
		errs = append(errs, fieldError(FieldLookbackDays, i18n.T("core.config.field.lookback_days"),
			i18n.T("core.config.out_of_range", "value", c.LookbackDays, "min", MinLookback, "max", MaxLookback)))
	}
	switch c.SyncInterval {
	case IntervalManual, Interval15Min, IntervalHourly, IntervalDaily:
	default:
		errs = append(errs, fieldError("sync schedule", i18n.T("core.config.field.sync_schedule"),
			i18n.T("core.config.bad_schedule", "value", fmt.Sprintf("%q", c.SyncInterval))))
	}
	if c.SyncInterval == IntervalDaily || c.DailyAt != "" { // a bad time saved now would fail a later "daily"
		if _, err := ParseClock(c.DailyAt); err != nil {
			errs = append(errs, fieldError("daily sync time", i18n.T("core.config.field.daily_at"), err.Error()))
		}
	}
	if _, err := LoadZone(c.Timezone); err != nil {
		errs = append(errs, fieldError("time zone", i18n.T("core.config.field.time_zone"), err.Error()))
	}
	if _, err := ParseBucketIDs(c.BucketIDs); err != nil {
		errs = append(errs, fieldError("bucket IDs", i18n.T("core.config.field.bucket_ids"), err.Error()))
	}
	if c.AwayMinutes < 0 || c.AwayMinutes > 24*60 {
		errs = append(errs, fieldError("away minutes", i18n.T("core.config.field.away_minutes"),
			i18n.T("core.config.away_out_of_range", "value", c.AwayMinutes)))
	}
	if l := c.Language; l != "" && !slices.Contains(i18n.Languages(), l) {
		errs = append(errs, fieldError("language", i18n.T("core.config.field.language"),
			i18n.T("core.config.bad_language", "value", fmt.Sprintf("%q", l))))
	}
	return errors.Join(errs...)
}

// Location is the zone entries are written in.
func (c Config) Location() *time.Location {
	loc, err := LoadZone(c.Timezone)
	if err != nil {
		return time.Local
	}
	return loc
}

// LoadZone loads an IANA zone; empty means the system's.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errors.New(i18n.T("core.config.bad_zone", "value", fmt.Sprintf("%q", name)))
	}
	return loc, nil
}

// ParseClock reads "HH:MM".
func ParseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, errors.New(i18n.T("core.config.bad_clock", "value", fmt.Sprintf("%q", s)))
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// ParseBucketIDs reads the "Bucket IDs" field: a JSON array, a JSON
// scalar, or a comma-separated list. Empty (or an empty list) means "use the
// default buckets" and returns nil.
func ParseBucketIDs(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var out []string
	var v any
	if err := json.Unmarshal([]byte(s), &v); err == nil {
		switch x := v.(type) {
		case []any:
			for _, item := range x {
				if id := strings.TrimSpace(jsonScalar(item)); id != "" {
					out = append(out, id)
				}
			}
			return out, nil
		case map[string]any:
			return nil, errors.New(i18n.T("core.config.buckets_object", "value", fmt.Sprintf("%q", s)))
		default:
			if id := strings.TrimSpace(jsonScalar(x)); id != "" {
				out = append(out, id)
			}
			return out, nil
		}
	} else if strings.HasPrefix(s, "[") {
		return nil, errors.New(i18n.T("core.config.buckets_bad_array", "value", fmt.Sprintf("%q", s), "err", err.Error()))
	}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

func jsonScalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if !x {
			return ""
		}
		return "True" // Python's str(True), as TimeTracker's server stores it
	case string:
		return x
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// IntervalFromFlag maps the CLI's off|15min|hourly|daily.
func IntervalFromFlag(s string) (autoSync bool, interval string, err error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "off", "manual", "":
		return false, IntervalManual, nil
	case "15min", "15m":
		return true, Interval15Min, nil
	case "hourly":
		return true, IntervalHourly, nil
	case "daily":
		return true, IntervalDaily, nil
	}
	return false, "", errors.New(i18n.T("core.config.bad_schedule_flag", "value", fmt.Sprintf("%q", s)))
}

// ScheduleLabel is the schedule as a person reads it, in English (the
// log's; the CLI and the windows say it in their language).
func (c Config) ScheduleLabel() string {
	if !c.AutoSync || c.SyncInterval == IntervalManual {
		return "off"
	}
	if c.SyncInterval == IntervalDaily {
		return "daily at " + c.DailyAt
	}
	return c.SyncInterval
}
