// Package blocks builds timesheet blocks: the non-overlapping,
// person-sized entries pushed to a central TimeTracker, from pieces of
// active time the rules already classified (see BuildSlots in slots.go).
//
// Raw ActivityWatch events cannot be pushed as they are: window and browser
// events overlap (TimeTracker rejects overlapping entries), they are seconds
// long (1000 pushes an hour is the limit), and the window watcher keeps
// reporting while the person is away. So the pieces are focused-window time
// the person was not away, each on its project; blocks place each
// project's time of a slot where it was, so a project's blocks hold exactly
// its time.
package blocks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Block is one timesheet entry to push.
type Block struct {
	ID        string // stable: from the group and the slot it started in
	Start     time.Time
	End       time.Time // Start + the active time it holds
	ProjectID int64
	App       string
	Notes     string
	Tags      string
	Sources   int
	// Task is a task of the project, by name ("" none); NotBillable says
	// the block is not billable (the server's default is billable).
	Task        string
	NotBillable bool
}

// Duration is the block's length.
func (b Block) Duration() time.Duration { return b.End.Sub(b.Start) }

// Hash changes whenever what would be pushed changes.
func (b Block) Hash() string {
	in := fmt.Sprintf("%d|%d|%d|%s|%s", b.Start.UnixMilli(), b.End.UnixMilli(), b.ProjectID, b.Notes, b.Tags)
	if b.Task != "" || b.NotBillable { // else the hash blocks had before these: nothing is sent again
		in += fmt.Sprintf("|%s|%t", b.Task, b.NotBillable)
	}
	sum := sha256.Sum256([]byte(in))
	return hex.EncodeToString(sum[:16])
}
