// Package secret keeps the TimeTracker API token: in the OS keyring when
// one is available, otherwise in a file only the user can read (with a
// warning saying so). Never in argv, the log, or the settings.
package secret

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

// Keyring is the OS keyring (github.com/zalando/go-keyring's functions).
type Keyring interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// Store saves and loads one secret per user name.
type Store struct {
	Service string
	Keyring Keyring // nil: no keyring
	Dir     string  // folder for the fallback file
}

// ErrNotFound means no token is stored.
var ErrNotFound = errors.New("no API token is stored")

// file is the fallback path for user (a server URL): named by a digest, as
// URLs hold characters file names cannot.
func (s Store) file(user string) string {
	sum := sha256.Sum256([]byte(user))
	return filepath.Join(s.Dir, "token-"+hex.EncodeToString(sum[:8]))
}

// Save stores the secret. where says where it went; warning, for people
// in the current language, is non-empty when it had to fall back to a file.
func (s Store) Save(user, secret string) (where, warning string, err error) {
	var kerr error
	if s.Keyring != nil {
		kerr = s.Keyring.Set(s.Service, user, secret)
		if kerr == nil {
			_ = os.Remove(s.file(user)) // an older fallback copy
			return "keyring", "", nil
		}
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return "", "", fmt.Errorf("creating %s: %w", s.Dir, err)
	}
	path := s.file(user)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(secret+"\n"), 0o600); err != nil {
		return "", "", fmt.Errorf("saving the token: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", "", fmt.Errorf("saving the token: %w", err)
	}
	if kerr != nil {
		return path, i18n.T("core.secret.in_file_keyring_failed", "err", kerr.Error(), "path", path), nil
	}
	return path, i18n.T("core.secret.in_file", "path", path), nil
}

// Load reads the secret from the keyring, else the file.
func (s Store) Load(user string) (string, error) {
	if s.Keyring != nil {
		if v, err := s.Keyring.Get(s.Service, user); err == nil && v != "" {
			return v, nil
		}
	}
	b, err := os.ReadFile(s.file(user))
	if errors.Is(err, os.ErrNotExist) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("reading the token: %w", err)
	}
	if fi, err := os.Stat(s.file(user)); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return "", errors.New(i18n.T("core.secret.readable_by_others", "path", s.file(user), "mode", fi.Mode().Perm().String()))
	}
	return strings.TrimSpace(string(b)), nil
}

// Delete removes the secret everywhere.
func (s Store) Delete(user string) {
	if s.Keyring != nil {
		_ = s.Keyring.Delete(s.Service, user)
	}
	_ = os.Remove(s.file(user))
}
