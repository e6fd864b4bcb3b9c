package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// A database a newer version migrated is refused, untouched.
func TestNewerDatabaseIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "aw-timetracker.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := st.SchemaVersion(ctx)
	if _, err := st.db.ExecContext(ctx, `INSERT INTO schema_migrations(version, applied_at) VALUES (?, '2030-01-01T00:00:00Z')`, v+1); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = Open(ctx, path)
	var newer *NewerError
	if !errors.As(err, &newer) || newer.Version != v+1 || newer.Known != v || !strings.Contains(err.Error(), "newer aw-timetracker") {
		t.Fatalf("err = %v, want the newer schema named", err)
	}
}
