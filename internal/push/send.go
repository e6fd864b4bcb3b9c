package push

// Sending the outbox: creates and updates with idempotency keys, retries,
// the outcome of each block.

import (
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/blocks"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// Result counts what a push did.
type Result struct {
	Created, Updated, Failed, Conflicts int
	Removed                             int // entries deleted: their time is in other blocks now, or excluded
	Waiting                             int // not settled yet, or not approved
	Errors                              []string
}

// Key is the Idempotency-Key of a block: a hex digest of its id (64
// characters, under the server's 128).
func Key(blockID string) string {
	sum := sha256.Sum256([]byte("aw-timetracker-push|" + blockID))
	return hex.EncodeToString(sum[:])
}

// newKey is the Idempotency-Key of a block's next new entry: its id and a
// nonce. The id alone is the key of every entry a block of that id ever
// made: once this app deleted such an entry (a retract forgets the block)
// and the block is built again, the server would answer its create with
// the deleted entry (a replay) and the block would hold an entry that is
// gone. The key is stored before the call (BeginSend), so a retry after a
// crash still sends the same one.
func newKey(blockID string) string {
	return Key(blockID + "|" + crand.Text())
}

// ContentHash is what decides whether a pushed block must be updated.
func ContentHash(b store.OutboxBlock) string {
	return blocks.Block{Start: b.Start, End: b.End, ProjectID: b.ProjectID, Notes: b.Notes, Tags: b.Tags,
		Task: b.Task, NotBillable: b.NotBillable}.Hash()
}

// ErrStopped wraps the error that stopped a push (bad token, missing scope).
var ErrStopped = errors.New("pushing stopped")

// ready says whether a push sends b now, and whether b counts as waiting
// (for approval in review mode, or still growing). A push and a dry run
// both ask it.
func (o Options) ready(b store.OutboxBlock) (send, waiting bool) {
	switch b.State {
	case store.BlockPending:
		return false, true // review mode: waits for approval
	case store.BlockFailed:
		if b.NextAttempt.IsZero() || o.Now.Before(b.NextAttempt) {
			return false, false // a rejected block waits for a change or a manual retry
		}
	case store.BlockApproved, store.BlockSending:
	default:
		return false, false // pushed, discarded, conflict, deleted: nothing to send
	}
	if b.End.After(o.Now.Add(-o.Settle)) {
		return false, true // still growing
	}
	return true, false
}

// Push sends the blocks that are ready. It stops at a 401/403 (returned,
// wrapped in ErrStopped); other failures are recorded per block.
func Push(ctx context.Context, st *store.Store, remote Remote, o Options) (Result, error) {
	var res Result
	if o.MaxRetries <= 0 {
		o.MaxRetries = 3
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	o.tasks = &taskCache{}
	mapping := o.mapping
	if mapping == nil { // not read yet for this push
		var err error
		if mapping, err = remoteProjects(ctx, st, o.RemoteByName); err != nil {
			return res, err
		}
	}
	// Entries no block stands for any more go first, so the blocks that
	// replace them never overlap them.
	// One read of the outbox: the entries to remove, then the blocks to send.
	all, err := st.OutboxBlocks(ctx, time.Time{}, time.Time{}, store.BlockRetract, store.BlockApproved, store.BlockSending,
		store.BlockPending, store.BlockFailed)
	if err != nil {
		return res, err
	}
	var retract []store.OutboxBlock
	for _, b := range all {
		if b.State == store.BlockRetract {
			retract = append(retract, b)
		}
	}
	for _, b := range retract {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := remote.DeleteEntry(ctx, b.RemoteID); err != nil {
			if timetracker.IsAuth(err) {
				return res, fmt.Errorf("%w: %v", ErrStopped, err)
			}
			res.Failed++
			res.Errors = append(res.Errors, fmt.Sprintf("removing the entry of block %s: %v", b.Start.Format(time.DateTime), err))
			continue
		}
		if err := st.DeleteBlock(ctx, b.ID); err != nil {
			return res, err
		}
		res.Removed++
	}
	var ready []store.OutboxBlock
	for _, b := range all {
		ok, waiting := o.ready(b)
		if waiting {
			res.Waiting++
		}
		if ok {
			ready = append(ready, b)
		}
	}
	// Blocks rebuilt after a rule change move against each other: one may
	// take time another still holds on the server until its own update
	// goes out. A block refused for an overlap is tried again after the
	// others, as long as a pass makes progress.
	noProject := 0 // blocks with no TimeTracker project: one line for all
	shrunk := 0
	refusals := map[string]int{}
	touched := map[string]bool{} // blocks whose server entry a shrink changed
	for pass := 0; len(ready) > 0; pass++ {
		var again []store.OutboxBlock
		var refused []string
		for _, b := range ready {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			outcome, err := send(ctx, st, remote, o, mapping, b)
			switch outcome {
			case created:
				res.Created++
			case updated:
				res.Updated++
			case conflict:
				again = append(again, b)
				refused = append(refused, fmt.Sprintf("block %s: %v", b.Start.Format(time.DateTime), err))
			case failed:
				res.Failed++
				if errors.Is(err, ErrNoProject) {
					noProject++
					break
				}
				res.Errors = append(res.Errors, fmt.Sprintf("block %s: %v", b.Start.Format(time.DateTime), err))
			case stopped:
				return res, fmt.Errorf("%w: %v", ErrStopped, err)
			case storeFailed:
				return res, err
			}
		}
		stuck := len(again) == len(ready)
		if stuck && shrunk == 0 || pass == maxPasses-1 {
			res.Conflicts += len(again)
			res.Errors = append(res.Errors, refused...)
			// A block whose entry this push shrank or removed must not
			// wait in conflict for a manual retry: the next push tries it.
			for _, b := range again {
				if touched[b.ID] {
					if err := st.SetBlockState(ctx, b.ID, store.BlockApproved, "", time.Time{}); err != nil {
						return res, err
					}
				}
			}
			break
		}
		// Refused blocks may wait on each other (each one's new time under
		// the other's old entry). Shrinking each refused entry to the part
		// of its old time it keeps frees the rest for the next pass.
		shrunk = 0
		for i, b := range again {
			refusals[b.ID]++
			ok, err := shrink(ctx, st, remote, o, &again[i], refusals[b.ID] >= 2)
			if err != nil && timetracker.IsAuth(err) {
				return res, fmt.Errorf("%w: %v", ErrStopped, err)
			}
			if err != nil {
				var se storeError
				if errors.As(err, &se) {
					return res, se.err
				}
			}
			if ok {
				shrunk++
				touched[b.ID] = true
			}
		}
		ready = again
	}
	if noProject > 0 {
		res.Errors = append(res.Errors, i18n.N("core.push.blocks_no_project", noProject, "err", ErrNoProject.Error()))
	}
	return res, nil
}

// maxPasses bounds the retries of blocks refused for an overlap in a push.
const maxPasses = 8

// shrink cuts a block's server entry to where its old and new times meet
// (naive times in one zone order as strings), so the time it gives up is
// free for the others; it reports whether it changed the entry. When the
// old and new times do not meet and the blocks are stuck (each waiting on
// another's old time), the entry is deleted and the block is created anew
// at the next pass: the server never holds a double or an overlap.
func shrink(ctx context.Context, st *store.Store, remote Remote, o Options, b *store.OutboxBlock, stuck bool) (bool, error) {
	if b.RemoteID == 0 {
		return false, nil
	}
	old, err := remote.GetEntry(ctx, b.RemoteID)
	if err != nil {
		return false, err
	}
	start, end := naiveSpan(b.Start, b.End, o.ServerZone)
	start, end = max(start, old.StartTime), min(end, old.EndTime)
	if start == old.StartTime && end == old.EndTime {
		return false, nil
	}
	if start >= end {
		if !stuck {
			return false, nil
		}
		if err := remote.DeleteEntry(ctx, b.RemoteID); err != nil {
			return false, err
		}
		key := Key(fmt.Sprintf("%s|%d", b.ID, b.RemoteID)) // a new entry: a new key
		if err := st.ClearRemote(ctx, b.ID, key); err != nil {
			return false, storeError{err}
		}
		b.RemoteID, b.IdempotencyKey = 0, key
		return true, nil
	}
	if _, err = remote.UpdateEntry(ctx, b.RemoteID, timetracker.Entry{ProjectID: old.ProjectID, StartTime: start, EndTime: end,
		Notes: old.Notes, Tags: old.Tags, Billable: old.Billable, TaskID: old.TaskID}); err != nil {
		return false, err
	}
	// Ours on the way to its final times, not a person's edit.
	if err := st.RecordSent(ctx, b.ID, store.Sent{Start: start, End: end, Project: old.ProjectID, Notes: old.Notes}); err != nil {
		return false, storeError{err}
	}
	return true, nil
}

// setTask gives entry id its task and checks that the server kept it
// (an unknown id is answered "updated" on some backends and not kept).
func setTask(ctx context.Context, remote Remote, id, taskID int64) (timetracker.RemoteEntry, error) {
	got, err := remote.SetTask(ctx, id, taskID)
	if err == nil && got.TaskID != taskID {
		err = fmt.Errorf("the server did not keep task %d on entry %d", taskID, id)
	}
	return got, err
}

// taskCache is the server's tasks of each project, read once a push.
type taskCache struct{ byProject map[int64][]timetracker.Task }

// id is the id of the task named name in the remote project (0 for ""),
// or an error naming the tasks there are.
func (c *taskCache) id(ctx context.Context, remote Remote, project int64, name string) (int64, error) {
	if name = strings.TrimSpace(name); name == "" {
		return 0, nil
	}
	if c == nil {
		c = &taskCache{}
	}
	if c.byProject == nil {
		c.byProject = map[int64][]timetracker.Task{}
	}
	ts, ok := c.byProject[project]
	if !ok {
		var err error
		if ts, err = remote.Tasks(ctx, project); err != nil {
			return 0, fmt.Errorf("reading the tasks of TimeTracker project %d: %w", project, err)
		}
		c.byProject[project] = ts
	}
	names := make([]string, 0, len(ts))
	for _, t := range ts {
		if strings.EqualFold(t.Name, name) && t.ProjectID == project {
			return t.ID, nil
		}
		names = append(names, t.Name)
	}
	return 0, &UnknownTaskError{Task: name, Project: project, Known: names}
}

// UnknownTaskError is a rule's task that the block's TimeTracker project
// does not have.
type UnknownTaskError struct {
	Task    string
	Project int64 // remote id
	Known   []string
}

func (e *UnknownTaskError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("no task %q in TimeTracker project %d, which has no tasks", e.Task, e.Project)
	}
	return fmt.Sprintf("no task %q in TimeTracker project %d; its tasks are: %s", e.Task, e.Project, strings.Join(e.Known, ", "))
}

// storeError marks a failure of the local store (stop the push) among
// server errors.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }

// ErrNoProject means a block has no TimeTracker project: its local
// project is not mapped and no default project is chosen.
var ErrNoProject = errors.New("no TimeTracker project: the block's project is not mapped and no default project is chosen")

// remoteProjects maps each local project to its TimeTracker project: the
// one of the same name (case-insensitive) when the server has it, else
// the one `remote map` chose; unmapped projects go to the default.
func remoteProjects(ctx context.Context, st *store.Store, byName map[string]int64) (map[int64]int64, error) {
	mapping, err := st.RemoteProjects(ctx)
	if err != nil {
		return nil, err
	}
	if len(byName) == 0 {
		return mapping, nil
	}
	locals, err := st.Projects(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range locals {
		if id, ok := byName[strings.ToLower(p.Name)]; ok {
			mapping[p.ID] = id
		}
	}
	return mapping, nil
}

// remoteProjectOf is the TimeTracker project a block of the local project
// goes to (0: none).
func remoteProjectOf(o Options, mapping map[int64]int64, local int64) int64 {
	if r := mapping[local]; local != 0 && r != 0 {
		return r
	}
	return o.DefaultProject
}

type outcome int

const (
	created outcome = iota
	updated
	conflict
	failed
	stopped
	storeFailed
)

func send(ctx context.Context, st *store.Store, remote Remote, o Options, mapping map[int64]int64, b store.OutboxBlock) (outcome, error) {
	project := remoteProjectOf(o, mapping, b.ProjectID)
	if project == 0 {
		if err := st.SetBlockState(ctx, b.ID, store.BlockFailed, ErrNoProject.Error(), time.Time{}); err != nil {
			return storeFailed, err
		}
		return failed, ErrNoProject
	}
	taskID, err := o.tasks.id(ctx, remote, project, b.Task)
	if err != nil {
		var unknown *UnknownTaskError
		switch {
		case errors.As(err, &unknown): // waits for the rule or the server to change
			if serr := st.SetBlockState(ctx, b.ID, store.BlockFailed, err.Error(), time.Time{}); serr != nil {
				return storeFailed, serr
			}
			return failed, err
		case ctx.Err() != nil:
			return storeFailed, ctx.Err()
		case timetracker.IsAuth(err): // the token: the push stops, the block is sent later
			_ = st.SetBlockState(ctx, b.ID, o.InitialState(), err.Error(), time.Time{})
			return stopped, err
		default: // the server or the network for now: a later push tries again
			next := o.Now.Add(time.Duration(1<<min(b.Attempts, 6)) * time.Minute)
			if serr := st.SetBlockState(ctx, b.ID, store.BlockFailed, err.Error(), next); serr != nil {
				return storeFailed, serr
			}
			return failed, err
		}
	}
	startTime, endTime := naiveSpan(b.Start, b.End, o.ServerZone)
	entry := timetracker.Entry{ProjectID: project, StartTime: startTime, EndTime: endTime,
		Notes: b.Notes, Tags: b.Tags, Billable: !b.NotBillable}
	if b.RemoteID != 0 {
		entry.TaskID = taskID // an update takes it; a create does not (below)
	}
	key := b.IdempotencyKey
	if key == "" {
		key = newKey(b.ID)
	}
	if err := st.BeginSend(ctx, b.ID, key); err != nil {
		return storeFailed, err
	}
	backoff := time.Second
	for attempt := 0; ; attempt++ {
		var got timetracker.RemoteEntry
		var err error
		if b.RemoteID == 0 {
			got, err = remote.CreateEntry(ctx, entry, key)
			if err == nil && !same(got, entry) {
				// A replay of an earlier, different version of this block:
				// bring the server's entry up to date.
				got, err = remote.UpdateEntry(ctx, got.ID, entry)
			}
			if err == nil && taskID != 0 && got.TaskID != taskID {
				// TimeTracker's JSON create refuses task_id: it is set
				// by an update right after.
				got, err = setTask(ctx, remote, got.ID, taskID)
			}
		} else {
			got, err = remote.UpdateEntry(ctx, b.RemoteID, entry)
			if err == nil && got.TaskID != taskID {
				// A task the rule no longer names: a PUT without task_id
				// keeps it, so it is cleared (0: TimeTracker stores no task).
				got, err = setTask(ctx, remote, got.ID, taskID)
			}
		}
		if err == nil {
			sent := store.Sent{Start: entry.StartTime, End: entry.EndTime, Project: entry.ProjectID, Notes: entry.Notes}
			if ferr := st.FinishSend(ctx, b.ID, got.ID, b.ContentHash, sent); ferr != nil {
				return storeFailed, ferr
			}
			if b.RemoteID == 0 {
				return created, nil
			}
			return updated, nil
		}
		if wait, ok := timetracker.IsRateLimited(err); ok {
			if serr := o.Sleep(ctx, wait); serr != nil {
				return storeFailed, serr
			}
			continue
		}
		switch {
		case ctx.Err() != nil:
			return storeFailed, ctx.Err() // stays "sending": resumed with the same key
		case timetracker.IsAuth(err):
			_ = st.SetBlockState(ctx, b.ID, o.InitialState(), err.Error(), time.Time{})
			return stopped, err
		case timetracker.IsOverlap(err):
			if serr := st.SetBlockState(ctx, b.ID, store.BlockConflict, err.Error(), time.Time{}); serr != nil {
				return storeFailed, serr
			}
			return conflict, err
		case timetracker.IsTransient(err) && attempt < o.MaxRetries:
			jitter := time.Duration(rand.Int63n(int64(backoff) / 2))
			if serr := o.Sleep(ctx, backoff+jitter); serr != nil {
				return storeFailed, serr
			}
			backoff *= 2
			continue
		case timetracker.IsTransient(err):
			// Tried enough for now; a later push tries again.
			next := o.Now.Add(time.Duration(1<<min(b.Attempts, 6)) * time.Minute)
			if serr := st.SetBlockState(ctx, b.ID, store.BlockFailed, err.Error(), next); serr != nil {
				return storeFailed, serr
			}
			return failed, err
		default:
			if serr := st.SetBlockState(ctx, b.ID, store.BlockFailed, err.Error(), time.Time{}); serr != nil {
				return storeFailed, serr
			}
			return failed, err
		}
	}
}

// naive writes t as wall-clock time in the server's zone, without offset.
func naive(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Format(timetracker.NaiveLayout)
}

// naiveSpan writes a block's start and end as wall-clock times in the
// server's zone, both at the offset of the start: a block ending exactly
// where the offset changes (blocks are split there, see fit) ends at its
// own offset's wall clock, so its naive times never run backwards.
func naiveSpan(start, end time.Time, zone *time.Location) (string, string) {
	if zone == nil {
		zone = time.UTC
	}
	name, off := start.In(zone).Zone()
	fixed := time.FixedZone(name, off)
	return start.In(fixed).Format(timetracker.NaiveLayout), end.In(fixed).Format(timetracker.NaiveLayout)
}

func same(got timetracker.RemoteEntry, sent timetracker.Entry) bool {
	return got.StartTime == sent.StartTime && got.EndTime == sent.EndTime && got.Notes == sent.Notes && got.ProjectID == sent.ProjectID
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
