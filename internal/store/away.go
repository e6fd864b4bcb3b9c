package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AwayKind is what an away answer says.
type AwayKind string

// The answers.
const (
	AwayWork    AwayKind = "work"     // the time goes to a project
	AwayNotWork AwayKind = "not_work" // kept out of the timesheet
	AwayLater   AwayKind = "later"    // dismissed: not asked again on its own
)

// AwayAnswer is one answer over [Start, End).
type AwayAnswer struct {
	ID          int64
	Start, End  time.Time
	Kind        AwayKind
	ProjectID   int64 // work only
	Note        string
	Task        string
	NotBillable bool
	Tags        string
}

// AnswerAway stores answers in one transaction; each replaces what
// earlier answers said about its time (those are cut around it).
func (s *Store) AnswerAway(ctx context.Context, answers []AwayAnswer) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving the away answer: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	for _, a := range answers {
		if !a.End.After(a.Start) {
			return fmt.Errorf("an away answer must end after it starts (%s, %s)", a.Start.Format(time.RFC3339), a.End.Format(time.RFC3339))
		}
		if err := cutAnswers(ctx, tx, a.Start, a.End, s.stamp()); err != nil {
			return err
		}
		var project any
		if a.Kind == AwayWork {
			project = a.ProjectID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO away_answers(start_utc, end_utc, kind, project_id, note, task, billable, tags, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, Micros(a.Start), Micros(a.End), string(a.Kind), project, a.Note, a.Task,
			!a.NotBillable, a.Tags, s.stamp()); err != nil {
			return fmt.Errorf("saving the away answer: %w", explain(s.path, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("saving the away answer: %w", explain(s.path, err))
	}
	return nil
}

// cutAnswers removes [from, to) from the stored answers: those inside go,
// those across an edge are shortened, one around it is split in two.
func cutAnswers(ctx context.Context, tx *sql.Tx, from, to time.Time, now string) error {
	f, t := Micros(from), Micros(to)
	stmts := []string{
		// around: keep the part after as a copy, then the part before
		`INSERT INTO away_answers(start_utc, end_utc, kind, project_id, note, task, billable, tags, created_at)
			SELECT ?2, end_utc, kind, project_id, note, task, billable, tags, ?3 FROM away_answers WHERE start_utc < ?1 AND end_utc > ?2`,
		`UPDATE away_answers SET end_utc = ?1 WHERE start_utc < ?1 AND end_utc > ?1`,
		`UPDATE away_answers SET start_utc = ?2 WHERE start_utc >= ?1 AND start_utc < ?2 AND end_utc > ?2`,
		`DELETE FROM away_answers WHERE start_utc >= ?1 AND end_utc <= ?2`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, f, t, now); err != nil {
			return fmt.Errorf("saving the away answer: %w", err)
		}
	}
	return nil
}

// AwayAnswers lists the answers overlapping [from, to), by start.
func (s *Store) AwayAnswers(ctx context.Context, from, to time.Time) ([]AwayAnswer, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, start_utc, end_utc, kind, COALESCE(project_id, 0), note, task, NOT billable, tags
		FROM away_answers WHERE end_utc > ? AND start_utc < ? ORDER BY start_utc, id`, Micros(from), Micros(to))
	if err != nil {
		return nil, fmt.Errorf("reading away answers: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []AwayAnswer
	for rows.Next() {
		var a AwayAnswer
		var start, end int64
		if err := rows.Scan(&a.ID, &start, &end, &a.Kind, &a.ProjectID, &a.Note, &a.Task, &a.NotBillable, &a.Tags); err != nil {
			return nil, fmt.Errorf("reading away answers: %w", err)
		}
		a.Start, a.End = FromMicros(start), FromMicros(end)
		out = append(out, a)
	}
	return out, rows.Err()
}
