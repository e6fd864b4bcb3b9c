package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Integration is the settings and sync status of one provider.
type Integration struct {
	ID             int64
	Provider       string
	Config         json.RawMessage
	IsActive       bool
	LastSyncAt     time.Time // zero: never
	LastSyncStatus RunStatus // "" when never run
	LastError      string
}

// RunStatus is how a sync (or a push) ended: integrations.last_sync_status.
type RunStatus string

// Run outcomes.
const (
	StatusSuccess RunStatus = "success"
	StatusPartial RunStatus = "partial" // done, with some bucket, event or block errors
	StatusError   RunStatus = "error"   // nothing (more) was done
)

// ErrNotConfigured means no integration row exists yet.
var ErrNotConfigured = errors.New("not set up yet")

// Integration returns the provider's row, or ErrNotConfigured.
func (s *Store) Integration(ctx context.Context, provider string) (Integration, error) {
	in, err := readIntegration(ctx, s.db, provider)
	if err != nil && !errors.Is(err, ErrNotConfigured) {
		err = explain(s.path, err)
	}
	return in, err
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readIntegration(ctx context.Context, db rowQuerier, provider string) (Integration, error) {
	var in Integration
	var cfg string
	var at, status, lastErr sql.NullString
	err := db.QueryRowContext(ctx, `SELECT id, provider, config, is_active, last_sync_at, last_sync_status, last_error
		FROM integrations WHERE provider = ?`, provider).Scan(&in.ID, &in.Provider, &cfg, &in.IsActive, &at, &status, &lastErr)
	if errors.Is(err, sql.ErrNoRows) {
		return in, ErrNotConfigured
	}
	if err != nil {
		return in, fmt.Errorf("reading %s settings: %w", provider, err)
	}
	in.Config = json.RawMessage(cfg)
	if at.Valid {
		in.LastSyncAt, _ = time.Parse(time.RFC3339Nano, at.String)
	}
	in.LastSyncStatus, in.LastError = RunStatus(status.String), lastErr.String
	return in, nil
}

// SettingsTx is one write transaction over the settings rows: what it
// reads cannot change under it until it commits.
type SettingsTx struct {
	tx *sql.Tx
	s  *Store
}

// UpdateSettings runs fn in one IMMEDIATE transaction (the write lock is
// taken at BEGIN, so two writers cannot both read the old value) and
// commits when fn returns nil.
func (s *Store) UpdateSettings(ctx context.Context, fn func(*SettingsTx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting a settings change: %w", explain(s.path, err))
	}
	defer tx.Rollback()
	if err := fn(&SettingsTx{tx: tx, s: s}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("saving settings: %w", explain(s.path, err))
	}
	return nil
}

// Integration is Store.Integration inside the transaction.
func (t *SettingsTx) Integration(ctx context.Context, provider string) (Integration, error) {
	return readIntegration(ctx, t.tx, provider)
}

// Check is the outcome of a connection test, saved with the settings as
// is_active and last_error.
type Check struct {
	OK    bool
	Error string
}

// Save stores the provider's config, creating the row on first use; a
// non-nil check replaces is_active and last_error, nil keeps them. It
// returns the integration id.
func (t *SettingsTx) Save(ctx context.Context, provider, name string, cfg json.RawMessage, check *Check) (int64, error) {
	now := t.s.stamp()
	var id int64
	var err error
	if check == nil {
		err = t.tx.QueryRowContext(ctx, `INSERT INTO integrations(provider, name, config, is_active, created_at, updated_at)
			VALUES (?, ?, ?, 0, ?, ?)
			ON CONFLICT(provider) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at
			RETURNING id`, provider, name, string(cfg), now, now).Scan(&id)
	} else {
		err = t.tx.QueryRowContext(ctx, `INSERT INTO integrations(provider, name, config, is_active, last_error, created_at, updated_at)
			VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, ?)
			ON CONFLICT(provider) DO UPDATE SET config = excluded.config, is_active = excluded.is_active,
				last_error = excluded.last_error, updated_at = excluded.updated_at
			RETURNING id`, provider, name, string(cfg), check.OK, check.Error, now, now).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("saving %s settings: %w", provider, explain(t.s.path, err))
	}
	return id, nil
}

// ForgetCoverage is Store.ForgetCoverage inside the transaction.
func (t *SettingsTx) ForgetCoverage(ctx context.Context, integrationID int64) error {
	if err := forgetCoverage(ctx, t.tx, integrationID); err != nil {
		return fmt.Errorf("forgetting what was read: %w", explain(t.s.path, err))
	}
	return nil
}

// SaveIntegration saves a provider's config and check outcome in a
// transaction of its own (set-up code and tests; the app's settings go
// through the settings owner).
func (s *Store) SaveIntegration(ctx context.Context, provider, name string, cfg json.RawMessage, active bool, lastError string) (int64, error) {
	var id int64
	err := s.UpdateSettings(ctx, func(tx *SettingsTx) error {
		var err error
		id, err = tx.Save(ctx, provider, name, cfg, &Check{OK: active, Error: lastError})
		return err
	})
	return id, err
}

// RecordSync stores a sync's outcome. It never touches cursors: those move
// only inside the transactions that commit the events they cover.
func (s *Store) RecordSync(ctx context.Context, integrationID int64, at time.Time, status RunStatus, lastError string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE integrations SET last_sync_at = ?, last_sync_status = ?,
		last_error = NULLIF(?, ''), updated_at = ? WHERE id = ?`,
		at.UTC().Format(time.RFC3339Nano), status, lastError, s.stamp(), integrationID)
	if err != nil {
		return fmt.Errorf("recording sync result: %w", explain(s.path, err))
	}
	return nil
}

// Coverage is what a sync has read of one bucket.
type Coverage struct {
	Until time.Time // everything before it that is covered has been read
	From  time.Time // [From, Until) was read without a gap; zero: not known
	// Newest is the bucket's last-updated value when a read last reached
	// its end ("" when not known).
	Newest string
}

// Coverages returns each bucket's coverage.
func (s *Store) Coverages(ctx context.Context, integrationID int64) (map[string]Coverage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT bucket_id, synced_until_utc, covered_from_utc, coalesce(seen_newest, '') FROM sync_cursors WHERE integration_id = ?`, integrationID)
	if err != nil {
		return nil, fmt.Errorf("reading sync cursors: %w", explain(s.path, err))
	}
	defer rows.Close()
	out := map[string]Coverage{}
	for rows.Next() {
		var b, newest string
		var until int64
		var from sql.NullInt64
		if err := rows.Scan(&b, &until, &from, &newest); err != nil {
			return nil, fmt.Errorf("reading sync cursors: %w", err)
		}
		c := Coverage{Until: FromMicros(until), Newest: newest}
		if from.Valid {
			c.From = FromMicros(from.Int64)
		}
		out[b] = c
	}
	return out, rows.Err()
}

// ForgetCoverage makes the next sync of every bucket read the whole
// lookback window again (the cursors stay: what is read again is still
// recognised and skipped).
func (s *Store) ForgetCoverage(ctx context.Context, integrationID int64) error {
	if err := forgetCoverage(ctx, s.db, integrationID); err != nil {
		return fmt.Errorf("forgetting what was read: %w", explain(s.path, err))
	}
	return nil
}

func forgetCoverage(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, integrationID int64) error {
	_, err := db.ExecContext(ctx, `UPDATE sync_cursors SET covered_from_utc = NULL, seen_newest = NULL WHERE integration_id = ?`, integrationID)
	return err
}
