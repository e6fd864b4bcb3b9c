package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Link is what is known of an imported event.
type Link struct {
	ID             int64
	EntryID        int64
	UID            string
	EventTimestamp string
	Start, End     time.Time // widest extent seen
	Redacted       bool
	RedactedBy     string
}

// Import is one event written as an entry plus its link.
type Import struct {
	BucketID       string
	EventID        int64
	HasEventID     bool
	UID            string
	EventTimestamp string // as the server wrote the start
	Start, End     time.Time
	App, Title     string
	URL            string
	Redacted       bool   // Title and URL were left out by a rule
	RedactedBy     string // that redact rule's key ("" when no rule of its own)

	ProjectID       int64 // 0: none
	StartTime       string
	EndTime         string
	DurationSeconds int64
	Notes           string
}

// ImportTx writes one batch of events atomically, with the cursor that
// covers them.
type ImportTx struct {
	s             *Store
	tx            *sql.Tx
	integrationID int64
	byEvent       *sql.Stmt
	byUID         *sql.Stmt
	insEntry      *sql.Stmt
	insLink       *sql.Stmt
	privacy       *privacyView // PreparePrivacy
	// known holds the links of the events Preload was given (bucket
	// knownBucket): one query for a range instead of one an event. An id
	// Preload was given that is not in it is not stored.
	knownBucket string
	known       map[int64]Link
	preloaded   map[int64]bool
}

// Preload looks up the links of the events ids of bucket in one query, so
// LinkByEvent answers them without one each.
func (t *ImportTx) Preload(ctx context.Context, bucket string, ids []int64) error {
	t.knownBucket, t.known, t.preloaded = "", nil, nil
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT event_id, id, time_entry_id, external_uid, event_timestamp, event_start_utc, event_end_utc, redacted, redacted_by
		FROM integration_external_event_links
		WHERE integration_id = ? AND bucket_id = ? AND event_id IN (SELECT value FROM json_each(?))`, t.integrationID, bucket, string(list))
	if err != nil {
		return fmt.Errorf("looking up the events of %s: %w", bucket, explain(t.s.path, err))
	}
	defer rows.Close()
	known := make(map[int64]Link, len(ids))
	for rows.Next() {
		var id, start, end int64
		var l Link
		if err := rows.Scan(&id, &l.ID, &l.EntryID, &l.UID, &l.EventTimestamp, &start, &end, &l.Redacted, &l.RedactedBy); err != nil {
			return fmt.Errorf("looking up the events of %s: %w", bucket, err)
		}
		l.Start, l.End = FromMicros(start), FromMicros(end)
		known[id] = l
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("looking up the events of %s: %w", bucket, err)
	}
	preloaded := make(map[int64]bool, len(ids))
	for _, id := range ids {
		preloaded[id] = true
	}
	t.knownBucket, t.known, t.preloaded = bucket, known, preloaded
	return nil
}

const (
	insertEntrySQL = `INSERT INTO time_entries(project_id, start_time, end_time, start_utc, end_utc,
			duration_seconds, notes, source, billable, created_at, updated_at)
		VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, 'auto', 1, ?, ?)`
	insertLinkSQL = `INSERT INTO integration_external_event_links(integration_id, time_entry_id, external_uid,
			bucket_id, event_id, event_timestamp, event_start_utc, event_end_utc, app, title, url, redacted, redacted_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (integration_id, external_uid) DO NOTHING`
)

// BeginImport starts a write transaction for one integration.
func (s *Store) BeginImport(ctx context.Context, integrationID int64) (*ImportTx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("starting import: %w", explain(s.path, err))
	}
	t := &ImportTx{s: s, tx: tx, integrationID: integrationID}
	if t.byEvent, err = tx.PrepareContext(ctx, `SELECT id, time_entry_id, external_uid, event_timestamp, event_start_utc, event_end_utc, redacted, redacted_by
		FROM integration_external_event_links WHERE integration_id = ? AND bucket_id = ? AND event_id = ?`); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("preparing import: %w", err)
	}
	if t.byUID, err = tx.PrepareContext(ctx, `SELECT id FROM integration_external_event_links WHERE integration_id = ? AND external_uid = ?`); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("preparing import: %w", err)
	}
	// Prepared once per batch: a first sync inserts hundreds of thousands.
	if t.insEntry, err = tx.PrepareContext(ctx, insertEntrySQL); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("preparing import: %w", err)
	}
	if t.insLink, err = tx.PrepareContext(ctx, insertLinkSQL); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("preparing import: %w", err)
	}
	return t, nil
}

// LinkByEvent finds the link of a server event id in a bucket.
func (t *ImportTx) LinkByEvent(ctx context.Context, bucket string, eventID int64) (Link, bool, error) {
	if bucket == t.knownBucket && t.preloaded[eventID] {
		l, ok := t.known[eventID]
		return l, ok, nil
	}
	var l Link
	var start, end int64
	err := t.byEvent.QueryRowContext(ctx, t.integrationID, bucket, eventID).Scan(&l.ID, &l.EntryID, &l.UID, &l.EventTimestamp, &start, &end, &l.Redacted, &l.RedactedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	if err != nil {
		return l, false, fmt.Errorf("looking up event %d of %s: %w", eventID, bucket, err)
	}
	l.Start, l.End = FromMicros(start), FromMicros(end)
	return l, true, nil
}

// UIDLink returns the id of the link holding uid, or 0.
func (t *ImportTx) UIDLink(ctx context.Context, uid string) (int64, error) {
	var id int64
	err := t.byUID.QueryRowContext(ctx, t.integrationID, uid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("looking up external uid: %w", err)
	}
	return id, nil
}

// Insert creates the entry (source 'auto') and its link, unless a link
// already holds im.UID (the seed's dedupe: same bucket, start, seconds and
// data): then nothing is stored and inserted is false. The uid is checked
// by the insert itself, not a lookup before it (a query per new event was
// an eighth of a first sync's CPU); the rare duplicate costs a delete.
func (t *ImportTx) Insert(ctx context.Context, im Import) (inserted bool, err error) {
	now := t.s.stamp()
	res, err := t.insEntry.ExecContext(ctx,
		im.ProjectID, im.StartTime, im.EndTime, Micros(entryStart(im)), Micros(entryEnd(im)), im.DurationSeconds, im.Notes, now, now)
	if err != nil {
		return false, fmt.Errorf("inserting entry: %w", explain(t.s.path, err))
	}
	entryID, err := res.LastInsertId()
	if err != nil {
		return false, err
	}
	var eventID any
	if im.HasEventID {
		eventID = im.EventID
	}
	res, err = t.insLink.ExecContext(ctx,
		t.integrationID, entryID, im.UID, im.BucketID, eventID, im.EventTimestamp, Micros(im.Start), Micros(im.End),
		im.App, im.Title, im.URL, im.Redacted, im.RedactedBy, now, now)
	if err != nil {
		return false, fmt.Errorf("linking entry to event: %w", explain(t.s.path, err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, err
	} else if n == 0 {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM time_entries WHERE id = ?`, entryID); err != nil {
			return false, fmt.Errorf("dropping a duplicate entry: %w", explain(t.s.path, err))
		}
		return false, nil
	}
	if im.HasEventID && im.BucketID == t.knownBucket && t.preloaded[im.EventID] {
		linkID, err := res.LastInsertId()
		if err != nil {
			return false, err
		}
		t.known[im.EventID] = Link{ID: linkID, EntryID: entryID, UID: im.UID, EventTimestamp: im.EventTimestamp, Start: im.Start, End: im.End,
			Redacted: im.Redacted, RedactedBy: im.RedactedBy}
	}
	return true, nil
}

// Update rewrites an imported entry and its link after the event grew or a
// wider piece of it was read; the rules decided its project again.
func (t *ImportTx) Update(ctx context.Context, l Link, im Import) error {
	now := t.s.stamp()
	_, err := t.tx.ExecContext(ctx, `UPDATE time_entries SET start_time = ?, end_time = ?, start_utc = ?, end_utc = ?,
			duration_seconds = ?, notes = ?, project_id = NULLIF(?, 0), updated_at = ? WHERE id = ?`,
		im.StartTime, im.EndTime, Micros(entryStart(im)), Micros(entryEnd(im)), im.DurationSeconds, im.Notes, im.ProjectID, now, l.EntryID)
	if err != nil {
		return fmt.Errorf("updating entry %d: %w", l.EntryID, explain(t.s.path, err))
	}
	_, err = t.tx.ExecContext(ctx, `UPDATE integration_external_event_links SET external_uid = ?, event_timestamp = ?,
			event_start_utc = ?, event_end_utc = ?, app = ?, title = ?, url = ?, redacted = ?, redacted_by = ?, updated_at = ? WHERE id = ?`,
		im.UID, im.EventTimestamp, Micros(im.Start), Micros(im.End), im.App, im.Title, im.URL, im.Redacted, im.RedactedBy, now, l.ID)
	if err != nil {
		return fmt.Errorf("updating link of entry %d: %w", l.EntryID, explain(t.s.path, err))
	}
	if im.HasEventID && im.BucketID == t.knownBucket && t.preloaded[im.EventID] {
		t.known[im.EventID] = Link{ID: l.ID, EntryID: l.EntryID, UID: im.UID, EventTimestamp: im.EventTimestamp, Start: im.Start, End: im.End,
			Redacted: im.Redacted, RedactedBy: im.RedactedBy}
	}
	return nil
}

// entryStart/entryEnd: the entry spans whole seconds from the event start,
// as TimeTracker's end_time = start + duration_seconds.
func entryStart(im Import) time.Time { return im.Start }
func entryEnd(im Import) time.Time {
	return im.Start.Add(time.Duration(im.DurationSeconds) * time.Second)
}

// AdvanceCursor records that bucket is committed up to until, read without
// a gap from from; it never moves a cursor backwards. newest is the
// bucket's last-updated value when this read reached its end, else "".
func (t *ImportTx) AdvanceCursor(ctx context.Context, bucket string, from, until time.Time, newest string) error {
	// The SET expressions all see the row as it was. Coverage grows only
	// when this read touches it; a read that starts after the cursor leaves
	// a gap, so coverage starts again at its start; unknown coverage becomes
	// known once a read reaches the cursor.
	_, err := t.tx.ExecContext(ctx, `INSERT INTO sync_cursors(integration_id, bucket_id, synced_until_utc, covered_from_utc, seen_newest)
		VALUES (?, ?, ?, ?, NULLIF(?, ''))
		ON CONFLICT(integration_id, bucket_id) DO UPDATE SET
			seen_newest = excluded.seen_newest,
			covered_from_utc = CASE
				WHEN excluded.covered_from_utc > synced_until_utc THEN excluded.covered_from_utc
				WHEN covered_from_utc IS NULL THEN
					CASE WHEN excluded.synced_until_utc >= synced_until_utc THEN excluded.covered_from_utc END
				WHEN excluded.synced_until_utc >= covered_from_utc THEN min(covered_from_utc, excluded.covered_from_utc)
				ELSE covered_from_utc END,
			synced_until_utc = max(synced_until_utc, excluded.synced_until_utc)`,
		t.integrationID, bucket, Micros(until), Micros(from), newest)
	if err != nil {
		return fmt.Errorf("moving sync cursor of %s: %w", bucket, explain(t.s.path, err))
	}
	return nil
}

// Commit makes the batch durable.
func (t *ImportTx) Commit() error {
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("committing import: %w", explain(t.s.path, err))
	}
	return nil
}

// Rollback abandons the batch; safe after Commit.
func (t *ImportTx) Rollback() { _ = t.tx.Rollback() }

// UpsertAFK records an aw-watcher-afk event, widening a known one.
func (t *ImportTx) UpsertAFK(ctx context.Context, bucket string, eventID int64, start, end time.Time, status string) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO afk_events(integration_id, bucket_id, event_id, start_utc, end_utc, status)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(integration_id, bucket_id, event_id) DO UPDATE SET start_utc = min(start_utc, excluded.start_utc),
			end_utc = max(end_utc, excluded.end_utc), status = excluded.status`,
		t.integrationID, bucket, eventID, Micros(start), Micros(end), status)
	if err != nil {
		return fmt.Errorf("recording afk event %d: %w", eventID, explain(t.s.path, err))
	}
	return nil
}
