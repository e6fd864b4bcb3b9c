package store

import (
	"context"
	"fmt"
	"time"
)

// SpanKind says whose event an exclude rule removed.
type SpanKind string

const (
	SpanWindow SpanKind = "window"
	SpanWeb    SpanKind = "web"
)

// Span is a stretch of time.
type Span struct{ Start, End time.Time }

// PrivateSpan is time an exclude rule removed.
type PrivateSpan struct {
	Span
	Kind   SpanKind
	RuleID int64
}

// AddPrivateSpan records time an exclude rule removed (no text); a span
// already covered is not recorded twice (a growing event comes back at
// every sync).
func (t *ImportTx) AddPrivateSpan(ctx context.Context, kind SpanKind, ruleID int64, start, end time.Time) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO private_spans(integration_id, kind, rule_id, start_utc, end_utc)
		SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM private_spans WHERE kind = ? AND rule_id = ?
			AND start_utc <= ? AND end_utc >= ?)`,
		t.integrationID, string(kind), ruleID, Micros(start), Micros(end), string(kind), ruleID, Micros(start), Micros(end))
	if err != nil {
		return fmt.Errorf("recording excluded time: %w", explain(t.s.path, err))
	}
	return nil
}

// SpanRules lists the rule ids that have excluded time recorded.
func (s *Store) SpanRules(ctx context.Context) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT rule_id FROM private_spans`)
	if err != nil {
		return nil, fmt.Errorf("reading excluded time: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// PrivateOverlap reports whether [start, end) overlaps time excluded from
// events of the given kind.
func (t *ImportTx) PrivateOverlap(ctx context.Context, kind SpanKind, start, end time.Time) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM private_spans WHERE kind = ? AND start_utc < ? AND end_utc > ?`,
		string(kind), Micros(end), Micros(start)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reading excluded time: %w", explain(t.s.path, err))
	}
	return n > 0, nil
}

// WebURL is the page a browser showed longest during [start, end), from
// the web buckets imported so far ("" when none).
func (t *ImportTx) WebURL(ctx context.Context, start, end time.Time) (string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT url, event_start_utc, event_end_utc FROM integration_external_event_links
		WHERE integration_id = ? AND url != '' AND event_start_utc < ? AND event_end_utc > ?`,
		t.integrationID, Micros(end), Micros(start))
	if err != nil {
		return "", fmt.Errorf("reading pages: %w", explain(t.s.path, err))
	}
	defer rows.Close()
	best, bestLen := "", int64(0)
	for rows.Next() {
		var u string
		var a, b int64
		if err := rows.Scan(&u, &a, &b); err != nil {
			return "", err
		}
		if l := min(b, Micros(end)) - max(a, Micros(start)); l > bestLen {
			best, bestLen = u, l
		}
	}
	return best, rows.Err()
}

// DeleteImported removes an imported entry and its link (an exclude rule
// now covers it); secure_delete overwrites the text in the file.
func (t *ImportTx) DeleteImported(ctx context.Context, l Link) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM time_entries WHERE id = ?`, l.EntryID); err != nil {
		return fmt.Errorf("removing entry %d: %w", l.EntryID, explain(t.s.path, err))
	}
	return nil // the link goes with it (ON DELETE CASCADE)
}

// PrivateSpans lists excluded time overlapping [from, to) (zero to: no
// end), oldest first.
func (s *Store) PrivateSpans(ctx context.Context, from, to time.Time) ([]PrivateSpan, error) {
	if to.IsZero() {
		to = time.Unix(1<<40, 0)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT kind, rule_id, start_utc, end_utc FROM private_spans WHERE end_utc > ? AND start_utc < ?
		ORDER BY start_utc`, Micros(from), Micros(to))
	if err != nil {
		return nil, fmt.Errorf("reading excluded time: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []PrivateSpan
	for rows.Next() {
		var p PrivateSpan
		var a, b int64
		if err := rows.Scan(&p.Kind, &p.RuleID, &a, &b); err != nil {
			return nil, err
		}
		p.Span = Span{FromMicros(a), FromMicros(b)}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Classified is an imported event as rules see it.
type Classified struct {
	LinkID, EntryID int64
	BucketID        string
	Start, End      time.Time
	App, Title, URL string
	ProjectID       int64
	Notes           string
}

// AllClassified lists every imported event of an integration, oldest first.
func (s *Store) AllClassified(ctx context.Context, integrationID int64) ([]Classified, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT l.id, l.time_entry_id, l.bucket_id, l.event_start_utc, l.event_end_utc,
			l.app, l.title, l.url, COALESCE(e.project_id, 0), COALESCE(e.notes, '')
		FROM integration_external_event_links l JOIN time_entries e ON e.id = l.time_entry_id
		WHERE l.integration_id = ? ORDER BY l.event_start_utc, l.id`, integrationID)
	if err != nil {
		return nil, fmt.Errorf("reading imported events: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []Classified
	for rows.Next() {
		var c Classified
		var a, b int64
		if err := rows.Scan(&c.LinkID, &c.EntryID, &c.BucketID, &a, &b, &c.App, &c.Title, &c.URL, &c.ProjectID, &c.Notes); err != nil {
			return nil, err
		}
		c.Start, c.End = FromMicros(a), FromMicros(b)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Reclassification is what new rules change in stored events.
type Reclassification struct {
	Delete  []Classified  // excluded now: entry, link and text go
	Redact  []Classified  // title and URL go; Notes holds the new notes
	Project []Classified  // ProjectID holds the new project
	Spans   []PrivateSpan // newly excluded time
	// DropSpans forgets the time of exclude rules that no longer exist:
	// their events come back at the next sync that reads them.
	DropSpans []int64
}

// Empty reports whether nothing changes.
func (r Reclassification) Empty() bool {
	return len(r.Delete)+len(r.Redact)+len(r.Project)+len(r.Spans)+len(r.DropSpans) == 0
}

// Reclassify applies r in one transaction and, when text was removed,
// checkpoints the WAL (TRUNCATE) so no copy of it is left there either.
func (s *Store) Reclassify(ctx context.Context, integrationID int64, r Reclassification) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("applying rules: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	now := s.stamp()
	for _, c := range r.Delete {
		if _, err := tx.ExecContext(ctx, `DELETE FROM time_entries WHERE id = ?`, c.EntryID); err != nil {
			return fmt.Errorf("removing entry %d: %w", c.EntryID, explain(s.path, err))
		}
	}
	for _, c := range r.Redact {
		if _, err := tx.ExecContext(ctx, `UPDATE integration_external_event_links SET title = '', url = '', updated_at = ? WHERE id = ?`,
			now, c.LinkID); err != nil {
			return fmt.Errorf("redacting entry %d: %w", c.EntryID, explain(s.path, err))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE time_entries SET notes = ?, project_id = NULLIF(?, 0), updated_at = ? WHERE id = ?`,
			c.Notes, c.ProjectID, now, c.EntryID); err != nil {
			return fmt.Errorf("redacting entry %d: %w", c.EntryID, explain(s.path, err))
		}
	}
	for _, c := range r.Project {
		if _, err := tx.ExecContext(ctx, `UPDATE time_entries SET project_id = NULLIF(?, 0), updated_at = ? WHERE id = ?`,
			c.ProjectID, now, c.EntryID); err != nil {
			return fmt.Errorf("changing the project of entry %d: %w", c.EntryID, explain(s.path, err))
		}
	}
	for _, sp := range r.Spans {
		if _, err := tx.ExecContext(ctx, `INSERT INTO private_spans(integration_id, kind, rule_id, start_utc, end_utc) VALUES (?, ?, ?, ?, ?)`,
			integrationID, string(sp.Kind), sp.RuleID, Micros(sp.Start), Micros(sp.End)); err != nil {
			return fmt.Errorf("recording excluded time: %w", explain(s.path, err))
		}
	}
	for _, id := range r.DropSpans {
		if _, err := tx.ExecContext(ctx, `DELETE FROM private_spans WHERE rule_id = ?`, id); err != nil {
			return fmt.Errorf("forgetting excluded time: %w", explain(s.path, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("applying rules: %w", explain(s.path, err))
	}
	if len(r.Delete)+len(r.Redact) > 0 {
		return s.Checkpoint(ctx)
	}
	return nil
}

// Checkpoint copies the WAL into the database file and truncates it, so
// text overwritten in the file (secure_delete) has no older copy left in
// the WAL.
func (s *Store) Checkpoint(ctx context.Context) error {
	var busy, logFrames, done int
	if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("checkpointing the database: %w", explain(s.path, err))
	}
	if busy != 0 {
		return fmt.Errorf("checkpointing the database: another connection is reading; the old text stays in %s-wal until the next checkpoint", s.path)
	}
	return nil
}
