// Package store keeps time entries, projects, integration settings and sync
// state in one SQLite file (mattn/go-sqlite3, WAL, numbered migrations).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// BusyTimeout is how long a writer waits for another writer's lock.
const BusyTimeout = 5 * time.Second

// Store is an open database.
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time
}

// Open opens (creating if needed) the database at path and migrates it.
// The directory is created private (0700) and the file 0600: it holds
// window titles, URLs and settings.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating data folder for %s: %w", path, err)
	}
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return nil, fmt.Errorf("opening database %s: %w (check that the folder is writable)", path, err)
	} else {
		f.Close()
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", strconv.Itoa(int(BusyTimeout/time.Millisecond)))
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	// Deleted or rewritten text (a privacy rule removing titles) is
	// overwritten in the file, not just unlinked.
	q.Set("_secure_delete", "on")
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	s := &Store{db: db, path: path, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, explain(path, err)
	}
	return s, nil
}

// NewerError means the database was written by a newer aw-timetracker.
type NewerError struct {
	Path           string
	Version, Known int
}

func (e *NewerError) Error() string {
	return fmt.Sprintf("the database %s was written by a newer aw-timetracker (schema %d; this version knows up to %d); it was left untouched: install the newer version again, or move the file aside to start afresh", e.Path, e.Version, e.Known)
}

// explain turns SQLite's terse errors into something a person can act on.
func explain(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
			return fmt.Errorf("the database %s is damaged or not an aw-timetracker database; it was left untouched: move it aside to start afresh (%w)", path, err)
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return fmt.Errorf("the database %s is locked by another program (another aw-timetracker still syncing?); try again when it has finished (%w)", path, err)
		case sqlite3.ErrReadonly, sqlite3.ErrCantOpen, sqlite3.ErrPerm:
			return fmt.Errorf("the database %s cannot be written: check the permissions of its folder (%w)", path, err)
		}
	}
	return err
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("creating migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	known := 0
	for _, name := range names {
		if v, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0]); err == nil && v > known {
			known = v
		}
	}
	var newest sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	if int(newest.Int64) > known {
		// Its tables may mean things this version does not know: writing
		// them could lose what the newer version keeps.
		return &NewerError{Path: s.path, Version: int(newest.Int64), Known: known}
	}
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s has no version number", base)
		}
		if err := s.applyMigration(ctx, v, name); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, version int, name string) error {
	// Look first without a write lock, so opening a database another
	// process is writing to does not wait on it.
	var applied int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&applied); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	if applied > 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting migration %d: %w", version, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("applying migration %s: %w", filepath.Base(name), err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)`, version, s.stamp()); err != nil {
		return fmt.Errorf("recording migration %d: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing migration %d: %w", version, err)
	}
	return nil
}

// SchemaVersion is the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// IntegrityCheck runs PRAGMA integrity_check.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	var res string
	if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return explain(s.path, err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check of %s: %s", s.path, res)
	}
	return nil
}

func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339Nano) }

// Micros converts a time to the stored Unix-microsecond form.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// FromMicros converts back.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
