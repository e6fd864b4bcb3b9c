package awfake

import (
	"testing"
	"time"
)

func TestGenerateIsDeterministicAndRealistic(t *testing.T) {
	end := time.Date(2026, 3, 27, 18, 0, 0, 0, time.UTC) // a Friday
	a, b := New(Python, "devbox"), New(Python, "devbox")
	na, nb := Generate(a, 14, end, 7), Generate(b, 14, end, 7)
	if na != nb || na < 3000 {
		t.Fatalf("generated %d and %d events", na, nb)
	}
	zero := 0
	for _, e := range a.buckets["aw-watcher-window_devbox"].events {
		if e.Duration == 0 {
			zero++
		}
		if e.Timestamp.Weekday() == time.Saturday || e.Timestamp.Weekday() == time.Sunday {
			t.Fatalf("event on a weekend: %v", e.Timestamp)
		}
	}
	if zero == 0 {
		t.Error("no zero-duration events")
	}
}
