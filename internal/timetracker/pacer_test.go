package timetracker

import (
	"testing"
	"time"
)

func TestPacerStaysUnderBothLimits(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	p := &Pacer{PerMinute: 3, PerHour: 5, now: func() time.Time { return now }}
	for i := 0; i < 3; i++ {
		if d, _ := p.reserve(); d != 0 {
			t.Fatalf("request %d waited %v", i, d)
		}
	}
	if d, _ := p.reserve(); d != time.Minute {
		t.Errorf("4th request in a minute: wait %v, want 1m", d)
	}
	now = now.Add(time.Minute)
	p.reserve()
	p.reserve()
	if d, _ := p.reserve(); d != 59*time.Minute {
		t.Errorf("6th request in an hour: wait %v, want 59m (until the first leaves the hour)", d)
	}
}

func TestParseServerURL(t *testing.T) {
	for in, want := range map[string]string{"https://tt.example.com/": "https://tt.example.com", "http://h:5000/api/v1": "http://h:5000"} {
		if got, err := ParseServerURL(in); err != nil || got != want {
			t.Errorf("%s → %s %v", in, got, err)
		}
	}
	if _, err := ParseServerURL("tt.example.com"); err == nil {
		t.Error("no scheme accepted")
	}
}
