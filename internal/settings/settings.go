// Package settings owns the app's saved settings: the ActivityWatch
// integration and the central TimeTracker connection. Every change goes
// through Owner.Update, which edits the value as stored (never a form's
// defaults), validates it, saves it in one transaction and then tells the
// subscribers (the engine, the windows). Syncthing's config wrapper is the
// model.
package settings

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// The integrations.provider of each side.
const (
	ActivityWatch = "activitywatch"
	TimeTracker   = "timetracker"
)

// Settings is both sides' saved settings. A side never saved holds its
// defaults.
type Settings struct {
	ActivityWatch config.Config
	TimeTracker   config.Remote

	saved  map[string]int64 // provider → integration id, for saved sides
	checks map[string]store.Check
}

// Saved says whether the provider's settings were ever saved.
func (s Settings) Saved(provider string) bool { _, ok := s.saved[provider]; return ok }

// Checked records a connection test of the provider's settings (nil: it
// worked); Update saves it as is_active and last_error.
func (s *Settings) Checked(provider string, err error) {
	if s.checks == nil {
		s.checks = map[string]store.Check{}
	}
	c := store.Check{OK: err == nil}
	if err != nil {
		c.Error = err.Error()
	}
	s.checks[provider] = c
}

// Change is what one Update did.
type Change struct {
	Before, After Settings
}

// Changed says whether the provider's settings differ.
func (c Change) Changed(provider string) bool {
	if provider == ActivityWatch {
		return c.Before.ActivityWatch != c.After.ActivityWatch || c.Before.Saved(provider) != c.After.Saved(provider)
	}
	return c.Before.TimeTracker != c.After.TimeTracker || c.Before.Saved(provider) != c.After.Saved(provider)
}

// Owner reads and changes the settings of one database.
type Owner struct {
	st *store.Store

	mu   sync.Mutex
	subs map[int]func(context.Context, Change)
	next int
}

// New returns the owner of the settings in st.
func New(st *store.Store) *Owner {
	return &Owner{st: st, subs: map[int]func(context.Context, Change){}}
}

// Load reads both sides' settings. A stored value that cannot be read is
// an error, never silently the defaults.
func (o *Owner) Load(ctx context.Context) (Settings, error) {
	return load(ctx, o.st.Integration)
}

type rowReader func(ctx context.Context, provider string) (store.Integration, error)

func load(ctx context.Context, read rowReader) (Settings, error) {
	s := Settings{ActivityWatch: config.Default(), TimeTracker: config.DefaultRemote(), saved: map[string]int64{}}
	for _, side := range []struct {
		provider string
		decode   func([]byte) error
	}{
		{ActivityWatch, func(raw []byte) (err error) { s.ActivityWatch, err = config.Decode(raw); return err }},
		{TimeTracker, func(raw []byte) (err error) { s.TimeTracker, err = config.DecodeRemote(raw); return err }},
	} {
		in, err := read(ctx, side.provider)
		if errors.Is(err, store.ErrNotConfigured) {
			continue
		}
		if err != nil {
			return s, err
		}
		if err := side.decode(in.Config); err != nil {
			return s, fmt.Errorf("reading the %s settings: %w", side.provider, err)
		}
		s.saved[side.provider] = in.ID
	}
	return s, nil
}

// Update applies fn to the settings as stored, in one IMMEDIATE
// transaction: a side fn changed (or checked) is validated and saved; a
// new ActivityWatch server makes the next sync read the whole lookback
// window. fn's error, or a validation error, saves nothing. After the
// commit every subscriber hears of the change.
func (o *Owner) Update(ctx context.Context, fn func(*Settings) error) (Settings, error) {
	var ch Change
	err := o.st.UpdateSettings(ctx, func(tx *store.SettingsTx) error {
		before, err := load(ctx, tx.Integration)
		if err != nil {
			return err
		}
		after := before.clone()
		if err := fn(&after); err != nil {
			return err
		}
		ch = Change{Before: before, After: after}
		if err := save(ctx, tx, ch); err != nil {
			return err
		}
		ch.After.checks = nil
		return nil
	})
	if err != nil {
		return Settings{}, err
	}
	o.notify(ctx, ch)
	return ch.After, nil
}

func save(ctx context.Context, tx *store.SettingsTx, ch Change) error {
	after := ch.After
	for _, side := range []struct {
		provider, name string
		validate       func() error
		encode         func() ([]byte, error)
	}{
		{ActivityWatch, "ActivityWatch", after.ActivityWatch.Validate, after.ActivityWatch.Encode},
		{TimeTracker, "TimeTracker", after.TimeTracker.Validate, after.TimeTracker.Encode},
	} {
		check, checked := after.checks[side.provider]
		if !checked && !ch.Changed(side.provider) {
			continue
		}
		if err := side.validate(); err != nil {
			return err
		}
		raw, err := side.encode()
		if err != nil {
			return fmt.Errorf("saving the %s settings: %w", side.provider, err)
		}
		var c *store.Check
		if checked {
			c = &check
		}
		id, err := tx.Save(ctx, side.provider, side.name, raw, c)
		if err != nil {
			return err
		}
		ch.After.saved[side.provider] = id
	}
	if ch.Before.Saved(ActivityWatch) && ch.Before.ActivityWatch.ServerURL != after.ActivityWatch.ServerURL {
		// Another server: what was read of the old one says nothing about it.
		if err := tx.ForgetCoverage(ctx, ch.Before.saved[ActivityWatch]); err != nil {
			return err
		}
	}
	return nil
}

func (s Settings) clone() Settings {
	c := s
	c.saved = make(map[string]int64, len(s.saved))
	for k, v := range s.saved {
		c.saved[k] = v
	}
	c.checks = nil
	return c
}

// Subscribe calls fn after every committed Update, on the updating
// goroutine; the returned func stops it.
func (o *Owner) Subscribe(fn func(context.Context, Change)) (cancel func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	id := o.next
	o.next++
	o.subs[id] = fn
	return func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		delete(o.subs, id)
	}
}

func (o *Owner) notify(ctx context.Context, ch Change) {
	o.mu.Lock()
	subs := make([]func(context.Context, Change), 0, len(o.subs))
	for _, fn := range o.subs {
		subs = append(subs, fn)
	}
	o.mu.Unlock()
	for _, fn := range subs {
		fn(context.WithoutCancel(ctx), ch)
	}
}

// Patch is the edit one editor (a form, a command) made: the fields where
// edited differs from base, the value it started from, applied to the
// settings as stored. Fields it did not touch keep whatever another editor
// saved meanwhile (a pause from the tray, rate limits from the CLI).
func Patch[T any](base, edited T) func(*T) error {
	return func(cur *T) error {
		b, e, c := reflect.ValueOf(base), reflect.ValueOf(edited), reflect.ValueOf(cur).Elem()
		for i := range b.NumField() {
			if !reflect.DeepEqual(b.Field(i).Interface(), e.Field(i).Interface()) {
				c.Field(i).Set(e.Field(i))
			}
		}
		return nil
	}
}
