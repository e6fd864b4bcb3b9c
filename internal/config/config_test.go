package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseBucketIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"   ", nil, false},
		{"a, b", []string{"a", "b"}, false},
		{" a ,, b ,", []string{"a", "b"}, false},
		{`["a","b"]`, []string{"a", "b"}, false},
		{`[" a ", "", null, "b"]`, []string{"a", "b"}, false},
		{"[]", nil, false},
		{", ,", nil, false},
		{`"aw-watcher-window_h"`, []string{"aw-watcher-window_h"}, false},
		{`["a", "b"`, nil, true},
		{`{"a": 1}`, nil, true},
	}
	for _, tt := range tests {
		got, err := ParseBucketIDs(tt.in)
		if (err != nil) != tt.err || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseBucketIDs(%q) = %q, %v; want %q (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestValidateNamesTheValue(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"lookback 0", func(c *Config) { c.LookbackDays = 0 }, "lookback days: 0 is out of range: choose 1 to 90"},
		{"lookback 91", func(c *Config) { c.LookbackDays = 91 }, "lookback days: 91 is out of range"},
		{"no scheme", func(c *Config) { c.ServerURL = "localhost:5600" }, `server URL: "localhost:5600" is not a server URL`},
		{"empty url", func(c *Config) { c.ServerURL = "" }, "server URL: the ActivityWatch server URL is empty"},
		{"zone", func(c *Config) { c.Timezone = "Mars/Olympus" }, `time zone: "Mars/Olympus" is not a known time zone`},
		{"schedule", func(c *Config) { c.SyncInterval = "weekly" }, `sync schedule: "weekly" is not one of`},
		{"daily time", func(c *Config) { c.SyncInterval = IntervalDaily; c.DailyAt = "25:00" }, `daily sync time: "25:00" is not a time of day`},
		{"daily time saved for later", func(c *Config) { c.SyncInterval = IntervalHourly; c.DailyAt = "24:00" }, `daily sync time: "24:00" is not a time of day`},
		{"buckets", func(c *Config) { c.BucketIDs = `["x"` }, "bucket IDs:"},
	}
	for _, tt := range tests {
		c := Default()
		tt.change(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	c := Default()
	c.Timezone, c.LookbackDays, c.BucketIDs = "Europe/Berlin", 90, "a,b"
	if err := c.Validate(); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
}

func TestDecodeKeepsDefaultsAndSeedKeys(t *testing.T) {
	c, err := Decode([]byte(`{"server_url":"http://h:5600","bucket_ids":"a,b","sync_interval":"hourly","auto_sync":true}`))
	if err != nil || c.LookbackDays != DefaultLookback || c.BucketIDs != "a,b" || c.ScheduleLabel() != "hourly" {
		t.Errorf("Decode = %+v, %v", c, err)
	}
	raw, _ := c.Encode()
	for _, key := range []string{`"server_url"`, `"lookback_days"`, `"bucket_ids"`, `"auto_sync"`, `"sync_interval"`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("encoded config lacks %s: %s", key, raw)
		}
	}
	if _, err := Decode([]byte(`{`)); err == nil {
		t.Error("bad JSON accepted")
	}
}

func TestIntervalFromFlag(t *testing.T) {
	for in, want := range map[string]string{"off": IntervalManual, "15min": Interval15Min, "hourly": IntervalHourly, "Daily": IntervalDaily} {
		on, got, err := IntervalFromFlag(in)
		if err != nil || got != want || on != (want != IntervalManual) {
			t.Errorf("IntervalFromFlag(%q) = %v %q %v", in, on, got, err)
		}
	}
	if _, _, err := IntervalFromFlag("weekly"); err == nil || !strings.Contains(err.Error(), `"weekly"`) {
		t.Errorf("weekly: %v", err)
	}
}
