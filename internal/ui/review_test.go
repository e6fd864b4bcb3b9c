package ui

import (
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func TestReviewSummary(t *testing.T) {
	tests := []struct {
		name string
		bs   []store.OutboxBlock
		want string
	}{
		{"none", nil, "0 blocks."},
		{"all kinds", []store.OutboxBlock{
			{State: store.BlockPushed, Trimmed: 90 * time.Second}, {State: store.BlockPushed}, {State: store.BlockPending},
			{State: store.BlockTaken, Trimmed: 5 * time.Minute}, {State: store.BlockChanged}, {State: store.BlockDeleted},
		}, "6 blocks, 2 pushed, 1 waiting for review, 1 skipped (taken), 1 changed on the server, 1 deleted on the server, 2 trimmed by 6m."},
	}
	for _, tt := range tests {
		if got := ReviewSummary(tt.bs); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
