package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Pin is a "working on" interval: its active time goes to ProjectID.
type Pin struct {
	ID         int64
	ProjectID  int64
	Start, End time.Time // End zero: still pinned
	// What the time is on TimeTracker, as a project rule says it.
	Task        string
	NotBillable bool
	Tags        string
}

// Active says whether the pin holds at t.
func (p Pin) Active(t time.Time) bool {
	return !t.Before(p.Start) && (p.End.IsZero() || t.Before(p.End))
}

// Pin stores p: its project from p.Start until p.End (zero: until
// unpinned). A pin holding at the start ends there: one pin at a time.
func (s *Store) Pin(ctx context.Context, p Pin) (Pin, error) {
	start, end := p.Start, p.End
	p.Start, p.End = start.UTC(), end
	if !end.IsZero() {
		p.End = end.UTC()
		if !p.End.After(p.Start) {
			return Pin{}, fmt.Errorf("a pin must end after it starts (%s is not after %s)", p.End.Format(time.RFC3339), p.Start.Format(time.RFC3339))
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Pin{}, fmt.Errorf("pinning: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	if err := endPins(ctx, tx, p.Start); err != nil {
		return Pin{}, err
	}
	var endArg any
	if !p.End.IsZero() {
		endArg = Micros(p.End)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO pins(project_id, start_utc, end_utc, created_at, task, billable, tags)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.ProjectID, Micros(p.Start), endArg, s.stamp(), p.Task, !p.NotBillable, p.Tags).Scan(&p.ID); err != nil {
		return Pin{}, fmt.Errorf("pinning: %w", explain(s.path, err))
	}
	if err := tx.Commit(); err != nil {
		return Pin{}, fmt.Errorf("pinning: %w", explain(s.path, err))
	}
	return p, nil
}

// Unpin ends the pin holding at t there; it reports whether one did.
func (s *Store) Unpin(ctx context.Context, t time.Time) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("unpinning: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pins WHERE start_utc <= ? AND (end_utc IS NULL OR end_utc > ?)`,
		Micros(t), Micros(t)).Scan(&n); err != nil {
		return false, fmt.Errorf("unpinning: %w", explain(s.path, err))
	}
	if err := endPins(ctx, tx, t); err != nil {
		return false, err
	}
	return n > 0, tx.Commit()
}

// endPins ends every pin holding at t there, and drops pins starting at
// or after it (superseded): pins never overlap.
func endPins(ctx context.Context, tx *sql.Tx, t time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE pins SET end_utc = ? WHERE start_utc < ? AND (end_utc IS NULL OR end_utc > ?)`,
		Micros(t), Micros(t), Micros(t)); err != nil {
		return fmt.Errorf("ending the pin: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pins WHERE start_utc >= ?`, Micros(t)); err != nil {
		return fmt.Errorf("ending the pin: %w", err)
	}
	return nil
}

// Pins lists the pins overlapping [from, to) (zero to: open), by start.
func (s *Store) Pins(ctx context.Context, from, to time.Time) ([]Pin, error) {
	q := `SELECT id, project_id, start_utc, end_utc, task, NOT billable, tags FROM pins WHERE (end_utc IS NULL OR end_utc > ?)`
	args := []any{Micros(from)}
	if !to.IsZero() {
		q += ` AND start_utc < ?`
		args = append(args, Micros(to))
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY start_utc, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading pins: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []Pin
	for rows.Next() {
		var p Pin
		var start int64
		var end sql.NullInt64
		if err := rows.Scan(&p.ID, &p.ProjectID, &start, &end, &p.Task, &p.NotBillable, &p.Tags); err != nil {
			return nil, fmt.Errorf("reading pins: %w", err)
		}
		p.Start = FromMicros(start)
		if end.Valid {
			p.End = FromMicros(end.Int64)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PinAt is the pin holding at t and its project's name (ok false: none).
func (s *Store) PinAt(ctx context.Context, t time.Time) (p Pin, project string, ok bool, err error) {
	var start int64
	var end sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT pins.id, pins.project_id, pins.start_utc, pins.end_utc, projects.name,
			pins.task, NOT pins.billable, pins.tags
		FROM pins JOIN projects ON projects.id = pins.project_id
		WHERE pins.start_utc <= ? AND (pins.end_utc IS NULL OR pins.end_utc > ?)
		ORDER BY pins.start_utc DESC LIMIT 1`, Micros(t), Micros(t)).Scan(&p.ID, &p.ProjectID, &start, &end, &project,
		&p.Task, &p.NotBillable, &p.Tags)
	if errors.Is(err, sql.ErrNoRows) {
		return Pin{}, "", false, nil
	}
	if err != nil {
		return Pin{}, "", false, fmt.Errorf("reading the pin: %w", explain(s.path, err))
	}
	p.Start = FromMicros(start)
	if end.Valid {
		p.End = FromMicros(end.Int64)
	}
	return p, project, true, nil
}

// RecentProjects lists up to n active projects, those with the latest
// time entries first, then the others by name.
func (s *Store) RecentProjects(ctx context.Context, n int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.name FROM projects p
		LEFT JOIN (SELECT project_id, max(start_utc) AS last FROM time_entries WHERE project_id IS NOT NULL GROUP BY project_id) e
			ON e.project_id = p.id
		WHERE p.status = 'active' ORDER BY e.last IS NULL, e.last DESC, p.name LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("listing recent projects: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("listing recent projects: %w", err)
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// PinSpan gives [p.Start, p.End) to p's project after the fact (a block
// of the day moved to another project): pins overlapping the span lose
// that part of it, one around it is split in two, the rest stay. p.End
// must be set.
func (s *Store) PinSpan(ctx context.Context, p Pin) (Pin, error) {
	if p.End.IsZero() || !p.End.After(p.Start) {
		return Pin{}, fmt.Errorf("a span to pin must end after it starts (%s, %s)", p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339))
	}
	p.Start, p.End = p.Start.UTC(), p.End.UTC()
	a, b := Micros(p.Start), Micros(p.End)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Pin{}, fmt.Errorf("pinning a span: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	// One around the span: its part after the span becomes a pin of its own.
	if _, err := tx.ExecContext(ctx, `INSERT INTO pins(project_id, start_utc, end_utc, created_at, task, billable, tags)
		SELECT project_id, ?, end_utc, created_at, task, billable, tags FROM pins
		WHERE start_utc < ? AND (end_utc IS NULL OR end_utc > ?)`, b, a, b); err != nil {
		return Pin{}, fmt.Errorf("pinning a span: %w", explain(s.path, err))
	}
	for _, q := range []string{
		`DELETE FROM pins WHERE start_utc >= ?1 AND end_utc IS NOT NULL AND end_utc <= ?2`,                              // inside
		`UPDATE pins SET end_utc = ?1 WHERE start_utc < ?1 AND (end_utc IS NULL OR end_utc > ?1)`,                       // across the start
		`UPDATE pins SET start_utc = ?2 WHERE start_utc >= ?1 AND start_utc < ?2 AND (end_utc IS NULL OR end_utc > ?2)`, // across the end
	} {
		if _, err := tx.ExecContext(ctx, q, a, b); err != nil {
			return Pin{}, fmt.Errorf("pinning a span: %w", explain(s.path, err))
		}
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO pins(project_id, start_utc, end_utc, created_at, task, billable, tags)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.ProjectID, a, b, s.stamp(), p.Task, !p.NotBillable, p.Tags).Scan(&p.ID); err != nil {
		return Pin{}, fmt.Errorf("pinning a span: %w", explain(s.path, err))
	}
	if err := tx.Commit(); err != nil {
		return Pin{}, fmt.Errorf("pinning a span: %w", explain(s.path, err))
	}
	return p, nil
}
