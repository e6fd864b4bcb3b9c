package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// BlockState is where a block is in the outbox.
type BlockState string

// Block states in the outbox.
const (
	BlockPending   BlockState = "pending"
	BlockApproved  BlockState = "approved"
	BlockSending   BlockState = "sending"
	BlockPushed    BlockState = "pushed"
	BlockFailed    BlockState = "failed"
	BlockConflict  BlockState = "conflict"
	BlockDiscarded BlockState = "discarded"
	// BlockRetract: on the server, but no longer built (rules changed, or
	// its time was excluded): its entry is deleted at the next push.
	BlockRetract BlockState = "retract"
	// BlockTaken: all of its time is already on the server in entries
	// that are not ours (typed there, a running timer, another device).
	BlockTaken BlockState = "taken"
	// BlockChanged: a person changed its entry on the server; the entry
	// is theirs now and never overwritten.
	BlockChanged BlockState = "changed"
	// BlockDeleted: a person deleted its entry on the server; it is not
	// pushed again and its time stays empty, unless restored.
	BlockDeleted BlockState = "deleted"
)

// BlockStates lists every state in the order a block moves through them.
func BlockStates() []BlockState {
	return []BlockState{BlockPending, BlockApproved, BlockSending, BlockPushed, BlockFailed, BlockConflict, BlockDiscarded, BlockRetract, BlockTaken, BlockChanged, BlockDeleted}
}

// OutboxBlock is one row of the outbox.
type OutboxBlock struct {
	ID             string
	Start, End     time.Time
	ProjectID      int64 // local; 0: the remote default
	App, Notes     string
	Tags           string
	ContentHash    string
	Edited         bool
	State          BlockState
	RemoteID       int64
	PushedHash     string
	IdempotencyKey string
	Attempts       int
	LastError      string
	NextAttempt    time.Time
	Trimmed        time.Duration // time others' entries on the server took from it
	Sent           Sent          // what the server entry held when this app last wrote it
	Task           string        // a TimeTracker task of the project, by name; "" none
	NotBillable    bool
}

const outboxCols = `block_id, start_utc, end_utc, COALESCE(project_id, 0), app, notes, tags, content_hash, edited, state,
	COALESCE(remote_id, 0), COALESCE(pushed_hash, ''), COALESCE(idempotency_key, ''), attempts, COALESCE(last_error, ''),
	COALESCE(next_attempt_at, 0), trimmed_seconds, sent_start, sent_end, sent_project, sent_notes, task, NOT billable`

func scanBlock(sc interface{ Scan(...any) error }) (OutboxBlock, error) {
	var b OutboxBlock
	var start, end, next, trimmed int64
	err := sc.Scan(&b.ID, &start, &end, &b.ProjectID, &b.App, &b.Notes, &b.Tags, &b.ContentHash, &b.Edited, &b.State,
		&b.RemoteID, &b.PushedHash, &b.IdempotencyKey, &b.Attempts, &b.LastError, &next, &trimmed,
		&b.Sent.Start, &b.Sent.End, &b.Sent.Project, &b.Sent.Notes, &b.Task, &b.NotBillable)
	b.Trimmed = time.Duration(trimmed) * time.Second
	b.Start, b.End = FromMicros(start), FromMicros(end)
	if next != 0 {
		b.NextAttempt = FromMicros(next)
	}
	return b, err
}

// OutboxBlocks lists blocks starting in [from, to) (zero to: no bound),
// with any of the given states (none: all), oldest first.
func (s *Store) OutboxBlocks(ctx context.Context, from, to time.Time, states ...BlockState) ([]OutboxBlock, error) {
	q := `SELECT ` + outboxCols + ` FROM push_blocks WHERE start_utc >= ?`
	args := []any{Micros(from)}
	if !to.IsZero() {
		q += ` AND start_utc < ?`
		args = append(args, Micros(to))
	}
	if len(states) > 0 {
		q += ` AND state IN (?` + repeat(",?", len(states)-1) + `)`
		for _, st := range states {
			args = append(args, string(st))
		}
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY start_utc, block_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the outbox: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []OutboxBlock
	for rows.Next() {
		b, err := scanBlock(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

// OutboxBlock reads one block.
func (s *Store) OutboxBlock(ctx context.Context, id string) (OutboxBlock, error) {
	b, err := scanBlock(s.db.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM push_blocks WHERE block_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("no block %s", id)
	}
	return b, err
}

// OutboxCounts counts blocks per state.
func (s *Store) OutboxCounts(ctx context.Context) (map[BlockState]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT state, count(*) FROM push_blocks GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("counting the outbox: %w", explain(s.path, err))
	}
	defer rows.Close()
	out := map[BlockState]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[BlockState(st)] = n
	}
	return out, rows.Err()
}

// UpsertBlock stores a freshly built block. A new block starts in state
// initial; a known one takes the new times and content unless the person
// edited it (then only the times), and goes back to pending (or initial)
// when its content changed after it was pushed, failed or conflicted, so it
// is sent (or updated) again. Discarded blocks stay discarded. One marked
// to be removed from the server (retract) that is built again before the
// push keeps its entry (updated when its content changed).
func (s *Store) UpsertBlock(ctx context.Context, b OutboxBlock, initial BlockState) error {
	now := s.stamp()
	var project any
	if b.ProjectID != 0 {
		project = b.ProjectID
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO push_blocks(block_id, start_utc, end_utc, project_id, app, notes, tags,
			content_hash, state, created_at, updated_at, trimmed_seconds, task, billable)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(block_id) DO UPDATE SET
			start_utc = excluded.start_utc, end_utc = excluded.end_utc, trimmed_seconds = excluded.trimmed_seconds,
			task = excluded.task, billable = excluded.billable,
			project_id = CASE WHEN edited THEN project_id ELSE excluded.project_id END,
			app = excluded.app,
			notes = CASE WHEN edited THEN notes ELSE excluded.notes END,
			tags = excluded.tags,
			state = CASE
				WHEN excluded.state = 'taken' AND remote_id IS NULL THEN 'taken'
				WHEN state = 'taken' THEN ?
				WHEN state = 'retract' AND remote_id IS NOT NULL THEN
					CASE WHEN pushed_hash = excluded.content_hash THEN 'pushed' ELSE ? END
				WHEN state IN ('discarded', 'sending', 'changed', 'deleted') THEN state
				WHEN content_hash = excluded.content_hash THEN state
				WHEN state IN ('pushed', 'failed', 'conflict') THEN ?
				ELSE state END,
			attempts = CASE WHEN content_hash = excluded.content_hash THEN attempts ELSE 0 END,
			content_hash = excluded.content_hash,
			updated_at = CASE WHEN content_hash = excluded.content_hash THEN updated_at ELSE excluded.updated_at END`,
		b.ID, Micros(b.Start), Micros(b.End), project, b.App, b.Notes, b.Tags, b.ContentHash, initial, now, now,
		int64(b.Trimmed/time.Second), b.Task, !b.NotBillable, initial, initial, initial)
	if err != nil {
		return fmt.Errorf("saving block %s: %w", b.ID, explain(s.path, err))
	}
	return nil
}

// AdoptRemote moves the server entry of block from to block to (built in
// its place: same time, new project or notes), so the next push updates
// that entry instead of creating a second one; from goes.
func (s *Store) AdoptRemote(ctx context.Context, from OutboxBlock, to string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("moving block %s: %w", from.ID, explain(s.path, err))
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE push_blocks SET remote_id = ?, pushed_hash = ?, idempotency_key = ?,
			state = CASE WHEN state = 'pending' THEN 'pending' ELSE 'approved' END, updated_at = ?
		WHERE block_id = ?`, from.RemoteID, from.PushedHash, from.IdempotencyKey, s.stamp(), to); err != nil {
		return fmt.Errorf("moving block %s: %w", from.ID, explain(s.path, err))
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM push_blocks WHERE block_id = ?`, from.ID); err != nil {
		return fmt.Errorf("moving block %s: %w", from.ID, explain(s.path, err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("moving block %s: %w", from.ID, explain(s.path, err))
	}
	return nil
}

// ClearRemote forgets a block's server entry (deleted so it can be made
// again elsewhere) and gives it a new idempotency key: the old one would
// replay the deleted entry.
func (s *Store) ClearRemote(ctx context.Context, id, newKey string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE push_blocks SET remote_id = NULL, pushed_hash = NULL, idempotency_key = ?,
		updated_at = ? WHERE block_id = ?`, newKey, s.stamp(), id); err != nil {
		return fmt.Errorf("updating block %s: %w", id, explain(s.path, err))
	}
	return nil
}

// DeleteBlock forgets a block (its server entry is gone).
func (s *Store) DeleteBlock(ctx context.Context, id string) error {
	return s.DeleteBlocks(ctx, []string{id})
}

// DeleteBlocks removes blocks by id, in one transaction (a rebuild's
// stale blocks that never reached the server).
func (s *Store) DeleteBlocks(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("removing stale blocks: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM push_blocks WHERE block_id = ?`, id); err != nil {
			return fmt.Errorf("removing block %s: %w", id, explain(s.path, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("removing stale blocks: %w", explain(s.path, err))
	}
	return nil
}

// SetBlockState moves a block, recording an error (or clearing it).
func (s *Store) SetBlockState(ctx context.Context, id string, state BlockState, lastError string, next time.Time) error {
	var nextAt any
	if !next.IsZero() {
		nextAt = Micros(next)
	}
	_, err := s.db.ExecContext(ctx, `UPDATE push_blocks SET state = ?, last_error = NULLIF(?, ''), next_attempt_at = ?,
		updated_at = ? WHERE block_id = ?`, state, lastError, nextAt, s.stamp(), id)
	if err != nil {
		return fmt.Errorf("updating block %s: %w", id, explain(s.path, err))
	}
	return nil
}

// BeginSend records, before the request, that a block is being sent with
// this idempotency key: after a crash the same key is used again, so the
// server replays instead of creating a second entry.
func (s *Store) BeginSend(ctx context.Context, id, key string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE push_blocks SET state = 'sending', idempotency_key = ?, attempts = attempts + 1,
		updated_at = ? WHERE block_id = ?`, key, s.stamp(), id)
	if err != nil {
		return fmt.Errorf("marking block %s as sending: %w", id, explain(s.path, err))
	}
	return nil
}

// Sent is what this app last wrote to a block's server entry.
type Sent struct {
	Start, End string // naive, in the server's zone
	Project    int64  // remote project
	Notes      string
}

// FinishSend records the server's id and what was pushed.
func (s *Store) FinishSend(ctx context.Context, id string, remoteID int64, pushedHash string, sent Sent) error {
	_, err := s.db.ExecContext(ctx, `UPDATE push_blocks SET state = 'pushed', remote_id = ?, pushed_hash = ?,
		sent_start = ?, sent_end = ?, sent_project = ?, sent_notes = ?,
		last_error = NULL, next_attempt_at = NULL, updated_at = ? WHERE block_id = ?`, remoteID, pushedHash,
		sent.Start, sent.End, sent.Project, sent.Notes, s.stamp(), id)
	if err != nil {
		return fmt.Errorf("recording push of block %s: %w", id, explain(s.path, err))
	}
	return nil
}

// RecordSent notes what this app wrote to a block's entry (a shrink on
// the way to its final times), so it is not mistaken for a person's edit.
func (s *Store) RecordSent(ctx context.Context, id string, sent Sent) error {
	_, err := s.db.ExecContext(ctx, `UPDATE push_blocks SET sent_start = ?, sent_end = ?, sent_project = ?, sent_notes = ?
		WHERE block_id = ?`, sent.Start, sent.End, sent.Project, sent.Notes, id)
	if err != nil {
		return fmt.Errorf("recording what was sent for block %s: %w", id, explain(s.path, err))
	}
	return nil
}

// EditBlock changes a block's project and notes (review). The change is
// kept when the block is rebuilt; a block pushed or refused before takes
// state again (approved, or pending in review mode).
func (s *Store) EditBlock(ctx context.Context, id string, projectID int64, notes string, contentHash string, again BlockState) error {
	var project any
	if projectID != 0 {
		project = projectID
	}
	res, err := s.db.ExecContext(ctx, `UPDATE push_blocks SET project_id = ?, notes = ?, edited = 1, content_hash = ?,
		state = CASE WHEN state IN ('pushed', 'failed', 'conflict') THEN ? ELSE state END, updated_at = ?
		WHERE block_id = ?`, project, notes, contentHash, string(again), s.stamp(), id)
	if err != nil {
		return fmt.Errorf("editing block %s: %w", id, explain(s.path, err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("no block %s", id)
	}
	return nil
}

// RequeueIfPushed gives block id state when it is still pushed (its entry
// is updated at the next push); in any other state it is left alone.
func (s *Store) RequeueIfPushed(ctx context.Context, id string, state BlockState) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE push_blocks SET state = ?, updated_at = ? WHERE block_id = ? AND state = 'pushed'`,
		string(state), s.stamp(), id); err != nil {
		return fmt.Errorf("queueing block %s again: %w", id, explain(s.path, err))
	}
	return nil
}

// SetRemoteProject maps a local project to a remote one (0: none).
func (s *Store) SetRemoteProject(ctx context.Context, localID, remoteID int64) error {
	var r any
	if remoteID != 0 {
		r = remoteID
	}
	_, err := s.db.ExecContext(ctx, `UPDATE projects SET remote_id = ?, updated_at = ? WHERE id = ?`, r, s.stamp(), localID)
	if err != nil {
		return fmt.Errorf("mapping project %d: %w", localID, explain(s.path, err))
	}
	return nil
}

// RemoteProjects maps local project ids to remote ones.
func (s *Store) RemoteProjects(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, remote_id FROM projects WHERE remote_id IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("reading project mapping: %w", explain(s.path, err))
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var l, r int64
		if err := rows.Scan(&l, &r); err != nil {
			return nil, err
		}
		out[l] = r
	}
	return out, rows.Err()
}

// Duration is the block's length.
func (b OutboxBlock) Duration() time.Duration { return b.End.Sub(b.Start) }

// TrimmedTotal sums the time others' entries took from blocks, and counts
// those blocks.
func (s *Store) TrimmedTotal(ctx context.Context) (time.Duration, int, error) {
	var secs, n int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(sum(trimmed_seconds), 0), count(*) FROM push_blocks WHERE trimmed_seconds > 0`).
		Scan(&secs, &n); err != nil {
		return 0, 0, fmt.Errorf("reading the outbox: %w", explain(s.path, err))
	}
	return time.Duration(secs) * time.Second, int(n), nil
}
