package ui

import (
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/application"
)

func TestReviewSummary(t *testing.T) {
	tests := []struct {
		name string
		bs   []application.Block
		want string
	}{
		{"none", nil, "0 blocks."},
		{"all kinds", []application.Block{
			{State: application.BlockPushed, Trimmed: 90 * time.Second}, {State: application.BlockPushed}, {State: application.BlockPending},
			{State: application.BlockTaken, Trimmed: 5 * time.Minute}, {State: application.BlockChanged}, {State: application.BlockDeleted},
		}, "6 blocks, 2 pushed, 1 waiting for review, 1 skipped (taken), 1 changed on the server, 1 deleted on the server, 2 trimmed by 6m."},
	}
	for _, tt := range tests {
		if got := ReviewSummary(tt.bs); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
