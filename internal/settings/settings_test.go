package settings_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

func open(t *testing.T) (*store.Store, *settings.Owner) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "aw-timetracker.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, settings.New(st)
}

func TestLoadFreshIsDefaults(t *testing.T) {
	_, o := open(t)
	s, err := o.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.ActivityWatch != config.Default() || s.TimeTracker != config.DefaultRemote() {
		t.Fatalf("fresh settings = %+v", s)
	}
	if s.Saved(settings.ActivityWatch) || s.Saved(settings.TimeTracker) {
		t.Fatal("a fresh install has nothing saved")
	}
}

func TestUpdateSavesValidatesAndNotifies(t *testing.T) {
	ctx := context.Background()
	st, o := open(t)
	var heard []settings.Change
	stop := o.Subscribe(func(_ context.Context, ch settings.Change) { heard = append(heard, ch) })

	_, err := o.Update(ctx, func(s *settings.Settings) error {
		s.ActivityWatch.LookbackDays = 30
		s.Checked(settings.ActivityWatch, nil)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	in, err := st.Integration(ctx, settings.ActivityWatch)
	if err != nil || !in.IsActive {
		t.Fatalf("row = %+v, %v; want saved and active", in, err)
	}
	if _, err := st.Integration(ctx, settings.TimeTracker); !errors.Is(err, store.ErrNotConfigured) {
		t.Fatalf("the side nobody changed was saved: %v", err)
	}
	if len(heard) != 1 || !heard[0].Changed(settings.ActivityWatch) || heard[0].Changed(settings.TimeTracker) {
		t.Fatalf("subscriber heard %+v", heard)
	}

	// A change that does not validate saves nothing and tells nobody.
	_, err = o.Update(ctx, func(s *settings.Settings) error { s.ActivityWatch.LookbackDays = 91; return nil })
	var fe *config.FieldError
	if !errors.As(err, &fe) || fe.Field != "lookback days" {
		t.Fatalf("err = %v, want the lookback field named", err)
	}
	// A failing edit saves nothing either.
	boom := errors.New("boom")
	if _, err := o.Update(ctx, func(s *settings.Settings) error { s.ActivityWatch.LookbackDays = 2; return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	s, _ := o.Load(ctx)
	if s.ActivityWatch.LookbackDays != 30 || len(heard) != 1 {
		t.Fatalf("lookback %d, %d notices after refused changes", s.ActivityWatch.LookbackDays, len(heard))
	}

	stop()
	if _, err := o.Update(ctx, func(s *settings.Settings) error { s.ActivityWatch.Paused = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(heard) != 1 {
		t.Fatal("a cancelled subscriber was still told")
	}
	// A change without a test keeps the last test's outcome.
	if in, _ := st.Integration(ctx, settings.ActivityWatch); !in.IsActive {
		t.Fatal("pausing marked the integration inactive")
	}
}

func TestNewServerForgetsCoverage(t *testing.T) {
	ctx := context.Background()
	st, o := open(t)
	if _, err := o.Update(ctx, func(s *settings.Settings) error { s.Checked(settings.ActivityWatch, nil); return nil }); err != nil {
		t.Fatal(err)
	}
	in, _ := st.Integration(ctx, settings.ActivityWatch)
	tx, err := st.BeginImport(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	covered := store.FromMicros(1_700_000_000_000_000)
	if err := tx.AdvanceCursor(ctx, "aw-watcher-window_host", covered, covered.Add(3600e9), ""); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		url       string
		forgotten bool
	}{{config.DefaultURL, false}, {"http://127.0.0.1:5666", true}} {
		if _, err := o.Update(ctx, func(s *settings.Settings) error { s.ActivityWatch.ServerURL = c.url; return nil }); err != nil {
			t.Fatal(err)
		}
		cov, _ := st.Coverages(ctx, in.ID)
		if got := cov["aw-watcher-window_host"].From.IsZero(); got != c.forgotten {
			t.Fatalf("url %s: coverage forgotten = %v, want %v", c.url, got, c.forgotten)
		}
	}
}

// Two writers at once, each changing its own field, lose neither change:
// each edit is applied to the value the other committed.
func TestTwoWritersAtOnce(t *testing.T) {
	ctx := context.Background()
	st, o := open(t)
	other := settings.New(st) // another process's owner on the same file
	if _, err := o.Update(ctx, func(s *settings.Settings) error { s.TimeTracker.ServerURL = "https://tt.example"; return nil }); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := o.Update(ctx, func(s *settings.Settings) error { s.ActivityWatch.Paused = i%2 == 0; return nil })
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := other.Update(ctx, func(s *settings.Settings) error { s.TimeTracker.RatePerMinute++; return nil })
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := o.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := config.DefaultRemote().RatePerMinute + 20; s.TimeTracker.RatePerMinute != want {
		t.Fatalf("rate per minute = %d, want %d: an increment was lost", s.TimeTracker.RatePerMinute, want)
	}
}

func TestPatchAppliesOnlyWhatTheEditorChanged(t *testing.T) {
	base := config.DefaultRemote()
	edited := base
	edited.ServerURL, edited.MergeGapSeconds = "https://tt.example", 120
	stored := base
	stored.RatePerMinute, stored.RatePerHour = 10, 100 // set by another editor meanwhile
	if err := settings.Patch(base, edited)(&stored); err != nil {
		t.Fatal(err)
	}
	want := edited
	want.RatePerMinute, want.RatePerHour = 10, 100
	if stored != want {
		t.Fatalf("patched = %+v, want %+v", stored, want)
	}
}

func TestUnreadableStoredSettingsAreAnError(t *testing.T) {
	ctx := context.Background()
	st, o := open(t)
	if _, err := st.SaveIntegration(ctx, settings.TimeTracker, "TimeTracker", []byte(`{"push_mode": 3`), true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Load(ctx); err == nil {
		t.Fatal("damaged settings read as the defaults")
	}
	if _, err := o.Update(ctx, func(s *settings.Settings) error { s.ActivityWatch.Paused = true; return nil }); err == nil {
		t.Fatal("an update over damaged settings went ahead")
	}
}
