package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/span"
)

// SpanKind says whose event an exclude rule removed.
type SpanKind string

const (
	SpanWindow SpanKind = "window"
	SpanWeb    SpanKind = "web"
)

// Span is a stretch of time.
type Span = span.Span

// PrivateSpan is time an exclude rule removed.
type PrivateSpan struct {
	Span
	Kind    SpanKind
	RuleKey string // rules.Rule.Key of the exclude rule
}

// AddPrivateSpan records time an exclude rule removed (no text); a span
// already covered is not recorded twice (a growing event comes back at
// every sync).
func (t *ImportTx) AddPrivateSpan(ctx context.Context, kind SpanKind, ruleKey string, start, end time.Time) error {
	// A growing event comes back with the same start and a later end: its
	// span grows instead of a new row at every sync.
	res, err := t.tx.ExecContext(ctx, `UPDATE private_spans SET end_utc = max(end_utc, ?)
		WHERE integration_id = ? AND kind = ? AND rule_key = ? AND start_utc = ?`,
		Micros(end), t.integrationID, string(kind), ruleKey, Micros(start))
	if err != nil {
		return fmt.Errorf("recording excluded time: %w", explain(t.s.path, err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO private_spans(integration_id, kind, rule_key, start_utc, end_utc)
			VALUES (?, ?, ?, ?, ?)`, t.integrationID, string(kind), ruleKey, Micros(start), Micros(end)); err != nil {
			return fmt.Errorf("recording excluded time: %w", explain(t.s.path, err))
		}
	}
	return nil
}

// SpanKeys lists the rule keys that have excluded time recorded.
func (s *Store) SpanKeys(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT rule_key FROM private_spans`)
	if err != nil {
		return nil, fmt.Errorf("reading excluded time: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, fmt.Errorf("reading excluded time: %w", err)
		}
		out = append(out, key)
	}
	return out, rows.Err()
}

// privacyView is what the rules need of other events while one chunk is
// imported, read once per chunk instead of once per event.
type privacyView struct {
	spans []PrivateSpan
	pages []page // web events with a URL, by start
}

type page struct {
	start, end int64 // µs
	url        string
}

// maxPage bounds how long before a range a page overlapping it may start
// (a tab shown for hours on end is one event).
const maxPage = 4 * time.Hour

// RedactedPage is WebURL's answer when the page shown longest was
// redacted: its URL is gone, and a window showing it is redacted too (a
// rule decided the page was private). Not a URL, so no rule matches it.
const RedactedPage = "\x00redacted page"

// WebBucketPrefix starts the id of every bucket of ActivityWatch's web
// watchers (their events name pages, not windows): how redacted pages are
// told from redacted windows here, and syncer.IsWebBucket's rule.
const WebBucketPrefix = "aw-watcher-web"

// PreparePrivacy reads the excluded time and, when withPages, the pages
// of the web buckets around [from, to), so PrivateOverlap and WebURL
// answer from memory for events of that range.
func (t *ImportTx) PreparePrivacy(ctx context.Context, from, to time.Time, withPages bool) error {
	v := &privacyView{}
	rows, err := t.tx.QueryContext(ctx, `SELECT kind, rule_key, start_utc, end_utc FROM private_spans
		WHERE integration_id = ? AND end_utc > ? AND start_utc < ?`, t.integrationID, Micros(from.Add(-maxPage)), Micros(to.Add(maxPage)))
	if err != nil {
		return fmt.Errorf("reading excluded time: %w", explain(t.s.path, err))
	}
	for rows.Next() {
		var p PrivateSpan
		var a, b int64
		if err := rows.Scan(&p.Kind, &p.RuleKey, &a, &b); err != nil {
			rows.Close()
			return err
		}
		p.Span = Span{Start: FromMicros(a), End: FromMicros(b)}
		v.spans = append(v.spans, p)
	}
	rows.Close()
	if withPages {
		rows, err := t.tx.QueryContext(ctx, `SELECT event_start_utc, event_end_utc, url FROM integration_external_event_links
			INDEXED BY ix_link_pages WHERE url != '' AND event_start_utc >= ? AND event_start_utc < ? AND integration_id = ?
			ORDER BY event_start_utc`, Micros(from.Add(-maxPage)), Micros(to), t.integrationID)
		if err != nil {
			return fmt.Errorf("reading pages: %w", explain(t.s.path, err))
		}
		for rows.Next() {
			var p page
			if err := rows.Scan(&p.start, &p.end, &p.url); err != nil {
				rows.Close()
				return err
			}
			v.pages = append(v.pages, p)
		}
		rows.Close()
		if err := t.redactedPages(ctx, v, from, to); err != nil {
			return err
		}
	}
	t.privacy = v
	return nil
}

// redactedPages adds the redacted pages around [from, to) to v.pages, by
// start, as RedactedPage.
func (t *ImportTx) redactedPages(ctx context.Context, v *privacyView, from, to time.Time) error {
	rows, err := t.tx.QueryContext(ctx, `SELECT event_start_utc, event_end_utc FROM integration_external_event_links
		INDEXED BY ix_link_redacted WHERE redacted = 1 AND event_start_utc >= ? AND event_start_utc < ? AND integration_id = ?
		AND bucket_id LIKE ?`, Micros(from.Add(-maxPage)), Micros(to), t.integrationID, WebBucketPrefix+"%")
	if err != nil {
		return fmt.Errorf("reading pages: %w", explain(t.s.path, err))
	}
	defer rows.Close()
	n := len(v.pages)
	for rows.Next() {
		p := page{url: RedactedPage}
		if err := rows.Scan(&p.start, &p.end); err != nil {
			return err
		}
		v.pages = append(v.pages, p)
	}
	if len(v.pages) > n {
		sort.SliceStable(v.pages, func(i, j int) bool { return v.pages[i].start < v.pages[j].start })
	}
	return rows.Err()
}

// HidePrivate adds spans of excluded time known only to this import (read
// ahead, not stored) to what PrivateOverlap answers from.
func (t *ImportTx) HidePrivate(kind SpanKind, spans []Span) {
	if t.privacy == nil {
		t.privacy = &privacyView{}
	}
	for _, sp := range spans {
		t.privacy.spans = append(t.privacy.spans, PrivateSpan{Span: sp, Kind: kind})
	}
}

// PrivateOverlap reports whether [start, end) overlaps time excluded from
// events of the given kind (PreparePrivacy must have covered the range).
func (t *ImportTx) PrivateOverlap(kind SpanKind, start, end time.Time) bool {
	if t.privacy == nil {
		return false
	}
	for _, sp := range t.privacy.spans {
		if sp.Kind == kind && sp.Start.Before(end) && sp.End.After(start) {
			return true
		}
	}
	return false
}

// WebURL is the page a browser showed longest during [start, end), from
// the web buckets imported so far ("" when none, RedactedPage when it was
// redacted).
func (t *ImportTx) WebURL(start, end time.Time) string {
	if t.privacy == nil {
		return ""
	}
	pages := t.privacy.pages
	return span.Longest(len(pages), func(i int) (Span, string) {
		return Span{Start: FromMicros(pages[i].start), End: FromMicros(pages[i].end)}, pages[i].url
	}, maxPage, Span{Start: start, End: end})
}

// DeleteImported removes the imported entry and link l of event eventID
// in bucket (an exclude rule now covers it); secure_delete overwrites the
// text in the file.
func (t *ImportTx) DeleteImported(ctx context.Context, bucket string, eventID int64, l Link) error {
	if bucket == t.knownBucket {
		delete(t.known, eventID) // still preloaded: known to have no link now
	}
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
	rows, err := s.db.QueryContext(ctx, `SELECT kind, rule_key, start_utc, end_utc FROM private_spans WHERE end_utc > ? AND start_utc < ?
		ORDER BY start_utc`, Micros(from), Micros(to))
	if err != nil {
		return nil, fmt.Errorf("reading excluded time: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []PrivateSpan
	for rows.Next() {
		var p PrivateSpan
		var a, b int64
		if err := rows.Scan(&p.Kind, &p.RuleKey, &a, &b); err != nil {
			return nil, err
		}
		p.Span = Span{Start: FromMicros(a), End: FromMicros(b)}
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
	Notes           string // set only for the new notes of a redaction
	Redacted        bool   // its title and URL were removed by a rule
	RedactedBy      string // that redact rule's key ("" when none of its own); for Redact, the rule now
}

// AllClassified lists every imported event of an integration, in no
// particular order (sorting 300k rows in SQLite costs more than the read).
func (s *Store) AllClassified(ctx context.Context, integrationID int64) ([]Classified, error) {
	// Counted first: growing a slice of 300k rows copies it a dozen times.
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM integration_external_event_links WHERE integration_id = ?`,
		integrationID).Scan(&n); err != nil {
		return nil, fmt.Errorf("counting imported events: %w", explain(s.path, err))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT l.id, l.time_entry_id, l.bucket_id, l.event_start_utc, l.event_end_utc,
			l.app, l.title, l.url, COALESCE(e.project_id, 0), l.redacted, l.redacted_by
		FROM integration_external_event_links l JOIN time_entries e ON e.id = l.time_entry_id
		WHERE +l.integration_id = ?`, integrationID) // "+": a table scan, not the unique index and a seek per row (4x the C time)
	if err != nil {
		return nil, fmt.Errorf("reading imported events: %w", explain(s.path, err))
	}
	defer rows.Close()
	out := make([]Classified, 0, n)
	// Bucket ids and apps are a handful of values repeated on every row.
	seen := map[string]string{}
	intern := func(b []byte) string {
		if s, ok := seen[string(b)]; ok {
			return s
		}
		s := string(b)
		seen[s] = s
		return s
	}
	var bucket, app sql.RawBytes // reused: no copy per row before interning
	for rows.Next() {
		var c Classified
		var a, b int64
		if err := rows.Scan(&c.LinkID, &c.EntryID, &bucket, &a, &b, &app, &c.Title, &c.URL, &c.ProjectID, &c.Redacted, &c.RedactedBy); err != nil {
			return nil, err
		}
		c.BucketID, c.App = intern(bucket), intern(app)
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
	// DropSpans forgets the time of exclude rules that no longer exist (or
	// changed): their events come back at the next sync, which reads the
	// lookback window again for it.
	DropSpans []string
	// Unredact: some redacted events are no longer covered by a redact
	// rule; their title and URL come back only by reading them again, so
	// the next sync reads the lookback window.
	Unredact bool
}

// Empty reports whether nothing changes.
func (r Reclassification) Empty() bool {
	return len(r.Delete)+len(r.Redact)+len(r.Project)+len(r.Spans)+len(r.DropSpans) == 0 && !r.Unredact
}

// Reclassify applies r in one transaction and, when text was removed,
// checkpoints the WAL (TRUNCATE) so no copy of it is left there either.
func (s *Store) Reclassify(ctx context.Context, integrationID int64, r Reclassification) error {
	// Prepared statements under a context that cannot be cancelled: with a
	// cancellable one go-sqlite3 starts a goroutine per statement (tens of
	// thousands here). The transaction is all or nothing either way.
	stmtCtx := context.WithoutCancel(ctx)
	tx, err := s.db.BeginTx(stmtCtx, nil)
	if err != nil {
		return fmt.Errorf("applying rules: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	now := s.stamp()
	steps := []struct {
		sql  string
		rows []Classified
		args func(c Classified) []any
	}{
		{`DELETE FROM time_entries WHERE id = ?`, r.Delete, func(c Classified) []any { return []any{c.EntryID} }},
		// The uid's hash is of the title and URL: it goes too.
		{`UPDATE integration_external_event_links SET title = '', url = '', redacted = 1, redacted_by = ?,
			external_uid = bucket_id || '|redacted|' || id, updated_at = ? WHERE id = ?`, r.Redact,
			func(c Classified) []any { return []any{c.RedactedBy, now, c.LinkID} }},
		{`UPDATE time_entries SET notes = ?, project_id = NULLIF(?, 0), updated_at = ? WHERE id = ?`, r.Redact,
			func(c Classified) []any { return []any{c.Notes, c.ProjectID, now, c.EntryID} }},
		{`UPDATE time_entries SET project_id = NULLIF(?, 0), updated_at = ? WHERE id = ?`, r.Project,
			func(c Classified) []any { return []any{c.ProjectID, now, c.EntryID} }},
	}
	for _, step := range steps {
		if len(step.rows) == 0 {
			continue
		}
		stmt, err := tx.PrepareContext(stmtCtx, step.sql)
		if err != nil {
			return fmt.Errorf("applying rules: %w", explain(s.path, err))
		}
		for i, c := range step.rows {
			if i%1024 == 0 && ctx.Err() != nil {
				stmt.Close()
				return ctx.Err()
			}
			if _, err := stmt.ExecContext(stmtCtx, step.args(c)...); err != nil {
				stmt.Close()
				return fmt.Errorf("applying rules to entry %d: %w", c.EntryID, explain(s.path, err))
			}
		}
		stmt.Close()
	}
	for _, sp := range r.Spans {
		if _, err := tx.ExecContext(stmtCtx, `INSERT INTO private_spans(integration_id, kind, rule_key, start_utc, end_utc) VALUES (?, ?, ?, ?, ?)`,
			integrationID, string(sp.Kind), sp.RuleKey, Micros(sp.Start), Micros(sp.End)); err != nil {
			return fmt.Errorf("recording excluded time: %w", explain(s.path, err))
		}
	}
	for _, key := range r.DropSpans {
		if _, err := tx.ExecContext(stmtCtx, `DELETE FROM private_spans WHERE rule_key = ?`, key); err != nil {
			return fmt.Errorf("forgetting excluded time: %w", explain(s.path, err))
		}
	}
	if len(r.DropSpans) > 0 || r.Unredact {
		// The excluded events were never stored, redacted text was
		// removed: forgetting what was read makes the next sync read the
		// lookback window again, which gives them back.
		if err := forgetCoverage(stmtCtx, tx, integrationID); err != nil {
			return fmt.Errorf("forgetting what was read: %w", explain(s.path, err))
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("applying rules: %w", explain(s.path, err))
	}
	if len(r.Delete)+len(r.Redact) > 0 {
		// The change is committed; a checkpoint another reader holds up is
		// done by the next one (callers checkpoint again after rebuilding).
		if err := s.Checkpoint(ctx); err != nil && !errors.Is(err, ErrCheckpointBusy) {
			return err
		}
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
		return fmt.Errorf("%w: the old text stays in %s-wal until the next checkpoint", ErrCheckpointBusy, s.path)
	}
	return nil
}

// ErrCheckpointBusy means another connection kept the WAL from being
// truncated; nothing is lost, the next checkpoint finishes the job.
var ErrCheckpointBusy = errors.New("checkpointing the database: another connection is reading")
