package timetracker

import (
	"context"
	"sync"
	"time"
)

// Pacer keeps requests under per-minute and per-hour limits (TimeTracker:
// 100/min and 1000/h per token; the defaults leave a margin).
type Pacer struct {
	PerMinute, PerHour int
	mu                 sync.Mutex
	sent               []time.Time // within the last hour, oldest first
	now                func() time.Time
	// Sent, when set, is told of every request let through, so the
	// history can be kept across restarts (see Seed).
	Sent func(at time.Time)
}

// Seed adds requests made before this pacer existed (by an earlier run of
// the app), oldest first, so the hourly budget survives a restart.
func (p *Pacer) Seed(ts []time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent = append(append([]time.Time(nil), ts...), p.sent...)
}

// NewPacer returns a pacer for the given limits.
func NewPacer(perMinute, perHour int) *Pacer {
	return &Pacer{PerMinute: perMinute, PerHour: perHour, now: time.Now}
}

// Wait blocks until one more request fits in both windows.
func (p *Pacer) Wait(ctx context.Context) error {
	for {
		d, at := p.reserve()
		if d <= 0 {
			if p.Sent != nil {
				p.Sent(at)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
}

// reserve records a request if it fits and returns 0 and its time, or
// returns how long to wait.
func (p *Pacer) reserve() (time.Duration, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.now == nil {
		p.now = time.Now
	}
	now := p.now()
	for len(p.sent) > 0 && now.Sub(p.sent[0]) >= time.Hour {
		p.sent = p.sent[1:]
	}
	inMinute := 0
	for i := len(p.sent) - 1; i >= 0 && now.Sub(p.sent[i]) < time.Minute; i-- {
		inMinute++
	}
	if p.PerHour > 0 && len(p.sent) >= p.PerHour {
		return p.sent[len(p.sent)-p.PerHour].Add(time.Hour).Sub(now), now
	}
	if p.PerMinute > 0 && inMinute >= p.PerMinute {
		return p.sent[len(p.sent)-p.PerMinute].Add(time.Minute).Sub(now), now
	}
	p.sent = append(p.sent, now)
	return 0, now
}
