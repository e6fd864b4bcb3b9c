// Package push sends timesheet blocks to a central TimeTracker through a
// local outbox. Blocks are rebuilt from the imported activity after each
// sync and kept in push_blocks with their state: pending (waiting for
// review), approved (may be sent), sending, pushed, failed, conflict,
// discarded.
//
// Never a double entry: before a POST the block is marked sending with its
// Idempotency-Key (a digest of the block id) and after the 201 its remote id
// is stored. A crash between the two leaves it sending; the next push sends
// the same key and the server replays its first answer instead of creating
// a second entry. A block changed after it was pushed is updated with PUT.
package push

import (
	"context"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/blocks"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// Remote is the server the blocks go to.
type Remote interface {
	CreateEntry(ctx context.Context, e timetracker.Entry, key string) (timetracker.RemoteEntry, error)
	UpdateEntry(ctx context.Context, id int64, e timetracker.Entry) (timetracker.RemoteEntry, error)
	DeleteEntry(ctx context.Context, id int64) error
	GetEntry(ctx context.Context, id int64) (timetracker.RemoteEntry, error)
	ListEntries(ctx context.Context, from, to string) ([]timetracker.RemoteEntry, error)
	Tasks(ctx context.Context, projectID int64) ([]timetracker.Task, error)
	SetTask(ctx context.Context, id, taskID int64) (timetracker.RemoteEntry, error)
}

// Options configure building and pushing.
type Options struct {
	Blocks blocks.Settings
	CutAFK bool // count only time the person was not away
	// ByProject makes one block per project whatever the app (fewer,
	// longer blocks); off, blocks follow the app as well.
	ByProject      bool
	Pieces         Pieces // the classified active time blocks are built from
	Taken          []Span // time others' entries hold on the server (Taken)
	Mode           config.PushMode
	Settle         time.Duration // blocks ending later than now-Settle are still growing
	DefaultProject int64         // remote project for blocks without a mapped one
	// RemoteByName is the server's projects by lower-case name: a local
	// project goes to the one of its own name first.
	RemoteByName map[string]int64
	ServerZone   *time.Location // TimeTracker stores naive times in this zone
	Since        time.Time      // rebuild blocks from here
	Now          time.Time
	tasks        *taskCache                                       // the server's tasks, read once per push
	mapping      map[int64]int64                                  // local project → TimeTracker project, when already read
	MaxRetries   int                                              // transient retries per block per run
	Sleep        func(ctx context.Context, d time.Duration) error // for tests; nil: real sleep
}

// InitialState is the state of a new or changed block.
func (o Options) InitialState() store.BlockState {
	if o.Mode == config.PushReview {
		return store.BlockPending
	}
	return store.BlockApproved
}
