package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type memKeyring map[string]string

func (m memKeyring) Set(s, u, v string) error { m[s+u] = v; return nil }
func (m memKeyring) Get(s, u string) (string, error) {
	if v, ok := m[s+u]; ok {
		return v, nil
	}
	return "", errors.New("not found")
}
func (m memKeyring) Delete(s, u string) error { delete(m, s+u); return nil }

type noKeyring struct{}

func (noKeyring) Set(string, string, string) error { return errors.New("secret service not available") }
func (noKeyring) Get(string, string) (string, error) {
	return "", errors.New("secret service not available")
}
func (noKeyring) Delete(string, string) error { return nil }

func TestKeyringFirst(t *testing.T) {
	s := Store{Service: "aw-timetracker", Keyring: memKeyring{}, Dir: t.TempDir()}
	where, warn, err := s.Save("http://tt", "tt_secret")
	if err != nil || where != "keyring" || warn != "" {
		t.Fatalf("%s %s %v", where, warn, err)
	}
	if v, err := s.Load("http://tt"); err != nil || v != "tt_secret" {
		t.Errorf("load %q %v", v, err)
	}
}

func TestFileFallbackIsPrivateAndWarns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	s := Store{Service: "aw-timetracker", Keyring: noKeyring{}, Dir: dir}
	where, warn, err := s.Save("http://tt.example:8080/x", "tt_secret")
	if err != nil || !strings.Contains(warn, "no OS keyring") || !strings.Contains(warn, "readable only by you") {
		t.Fatalf("%s %s %v", where, warn, err)
	}
	fi, _ := os.Stat(where)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v", fi.Mode().Perm())
	}
	if v, err := s.Load("http://tt.example:8080/x"); err != nil || v != "tt_secret" {
		t.Errorf("load %q %v", v, err)
	}
	os.Chmod(where, 0o644)
	if _, err := s.Load("http://tt.example:8080/x"); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("world-readable token accepted: %v", err)
	}
	s.Delete("http://tt.example:8080/x")
	if _, err := s.Load("http://tt.example:8080/x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}
