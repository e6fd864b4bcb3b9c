package activitywatch

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 3, 27, 7, 44, 20, 517e6, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-03-27T07:44:20.517000+00:00", want},                                   // Python, 6 digits
		{"2026-03-29T00:34:02+00:00", time.Date(2026, 3, 29, 0, 34, 2, 0, time.UTC)}, // Python, ms == 0
		{"2026-03-27T07:44:20.517Z", want},                                           // Rust, 3 digits
		{"2026-03-27T07:44:20Z", want.Truncate(time.Second)},                         // Rust, none
		{"2026-03-27T07:44:20.517000Z", want},                                        // Rust, 6
		{"2026-03-27T07:44:20.517000001Z", want.Add(1)},                              // Rust, 9
		{"2026-03-27T09:44:20.517+02:00", want},                                      // other offsets
		{"2026-03-27T07:44:20.517", want},                                            // naive: UTC
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v; want %v UTC", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"yesterday", "2026-13-45T99:00:00Z", ""} {
		if _, err := ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) succeeded", bad)
		}
	}
}

func TestRawEventFields(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		id      int64
		hasID   bool
		ts      string
		tsOK    bool
		dur     float64
		durOK   bool
		fields  Fields
		dataErr bool
	}{
		{"window", `{"id": 7, "timestamp": "2026-03-27T07:44:20+00:00", "duration": 12.5, "data": {"app": "Code", "title": "a \"b\" \\ c"}}`,
			7, true, "2026-03-27T07:44:20+00:00", true, 12.5, true, Fields{App: "Code", Title: `a "b" \ c`}, false},
		{"web, escaped unicode", `{"id":8,"timestamp":"2026-03-27T07:44:20Z","duration":0,"data":{"url":"https://xn--r8jz45g.jp/","title":"\ud83d\udc69\u200d\ud83d\udcbb"}}`,
			8, true, "2026-03-27T07:44:20Z", true, 0, true, Fields{URL: "https://xn--r8jz45g.jp/", Title: "👩‍💻"}, false},
		{"string duration", `{"timestamp":"x","duration":"300.5","data":{}}`, 0, false, "x", true, 300.5, true, Fields{}, false},
		{"bad duration", `{"timestamp":"x","duration":"abc","data":{}}`, 0, false, "x", true, 0, false, Fields{}, false},
		{"null duration, no data", `{"timestamp":"x","duration":null}`, 0, false, "x", true, 0, false, Fields{}, false},
		{"missing timestamp", `{"duration":1,"data":{}}`, 0, false, "", false, 1, true, Fields{}, false},
		{"numeric timestamp", `{"timestamp":12,"duration":1,"data":{}}`, 0, false, "", false, 1, true, Fields{}, false},
		{"empty timestamp", `{"timestamp":"","duration":1,"data":{}}`, 0, false, "", false, 1, true, Fields{}, false},
		{"non-string title", `{"timestamp":"x","duration":1,"data":{"app":"A","title":42}}`, 0, false, "x", true, 1, true, Fields{App: "A"}, true},
		{"data not an object", `{"timestamp":"x","duration":1,"data":[1]}`, 0, false, "x", true, 1, true, Fields{}, true},
		{"afk", `{"id":9,"timestamp":"x","duration":4047.53497,"data":{"status":"afk"}}`, 9, true, "x", true, 4047.53497, true, Fields{Status: "afk"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev RawEvent
			if err := json.Unmarshal([]byte(tt.json), &ev); err != nil {
				t.Fatal(err)
			}
			if id, ok := ev.EventID(); id != tt.id || ok != tt.hasID {
				t.Errorf("EventID = %d, %v", id, ok)
			}
			if ts, ok := ev.TimestampString(); ts != tt.ts || ok != tt.tsOK {
				t.Errorf("TimestampString = %q, %v", ts, ok)
			}
			if d, ok := ev.DurationSeconds(); d != tt.dur || ok != tt.durOK {
				t.Errorf("DurationSeconds = %v, %v", d, ok)
			}
			f, err := ev.DataFields()
			if (err != nil) != tt.dataErr {
				t.Errorf("DataFields error = %v, want error %v", err, tt.dataErr)
			}
			if !tt.dataErr && f != tt.fields {
				t.Errorf("DataFields = %+v, want %+v", f, tt.fields)
			}
		})
	}
}
