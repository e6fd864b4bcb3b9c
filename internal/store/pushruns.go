package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PushRun is what one push did.
type PushRun struct {
	At                                           time.Time
	Status                                       RunStatus
	Created, Updated, Failed, Conflicts, Waiting int
	Removed                                      int
	Message                                      string // why it stopped, or the first rejections
}

// Sent is how many blocks reached the server (new or updated entries).
func (r PushRun) Sent() int { return r.Created + r.Updated }

// keepPushRuns is how many push outcomes are kept (the newest).
const keepPushRuns = 100

// RecordPush stores a push's outcome.
func (s *Store) RecordPush(ctx context.Context, r PushRun) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO push_runs (at_utc, status, created, updated, failed, conflicts, waiting, removed, message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, Micros(r.At), string(r.Status), r.Created, r.Updated, r.Failed, r.Conflicts, r.Waiting, r.Removed, r.Message)
	if err == nil {
		_, err = s.db.ExecContext(ctx, `DELETE FROM push_runs WHERE id <= (SELECT max(id) FROM push_runs) - ?`, keepPushRuns)
	}
	if err != nil {
		return fmt.Errorf("recording the push outcome: %w", explain(s.path, err))
	}
	return nil
}

// LastPush returns the newest push outcome; ok is false before the first push.
func (s *Store) LastPush(ctx context.Context) (r PushRun, ok bool, err error) {
	var at int64
	var status string
	err = s.db.QueryRowContext(ctx, `SELECT at_utc, status, created, updated, failed, conflicts, waiting, removed, message
		FROM push_runs ORDER BY id DESC LIMIT 1`).Scan(&at, &status, &r.Created, &r.Updated, &r.Failed, &r.Conflicts, &r.Waiting, &r.Removed, &r.Message)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("reading the last push: %w", explain(s.path, err))
	}
	r.At, r.Status = FromMicros(at), RunStatus(status)
	return r, true, nil
}

// RecentRequests lists the requests made to server since a time, oldest first.
func (s *Store) RecentRequests(ctx context.Context, server string, since time.Time) ([]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at_utc FROM remote_requests WHERE server = ? AND at_utc >= ? ORDER BY at_utc`,
		server, Micros(since))
	if err != nil {
		return nil, fmt.Errorf("reading recent requests: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, FromMicros(at))
	}
	return out, rows.Err()
}

// AddRequest records one request to server and forgets those older than
// an hour before it (the longest window a rate limit counts).
func (s *Store) AddRequest(ctx context.Context, server string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO remote_requests (server, at_utc) VALUES (?, ?)`, server, Micros(at))
	if err == nil {
		_, err = s.db.ExecContext(ctx, `DELETE FROM remote_requests WHERE at_utc < ?`, Micros(at.Add(-time.Hour)))
	}
	if err != nil {
		return fmt.Errorf("recording a request: %w", explain(s.path, err))
	}
	return nil
}

// SaveTaken replaces the time others' entries hold on the server.
func (s *Store) SaveTaken(ctx context.Context, spans []Span) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving the server's taken time: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM remote_taken`); err != nil {
		return fmt.Errorf("saving the server's taken time: %w", explain(s.path, err))
	}
	for _, sp := range spans {
		if _, err := tx.ExecContext(ctx, `INSERT INTO remote_taken(start_utc, end_utc) VALUES (?, ?)`, Micros(sp.Start), Micros(sp.End)); err != nil {
			return fmt.Errorf("saving the server's taken time: %w", explain(s.path, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("saving the server's taken time: %w", explain(s.path, err))
	}
	return nil
}

// Taken lists the time others' entries held at the last push, by start.
func (s *Store) Taken(ctx context.Context) ([]Span, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT start_utc, end_utc FROM remote_taken ORDER BY start_utc`)
	if err != nil {
		return nil, fmt.Errorf("reading the server's taken time: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []Span
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, fmt.Errorf("reading the server's taken time: %w", err)
		}
		out = append(out, Span{Start: FromMicros(a), End: FromMicros(b)})
	}
	return out, rows.Err()
}
