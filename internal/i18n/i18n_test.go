package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// catalog reads translations/<part>.<lang>.json: part → lang → key → text
// (a plural's forms joined, for the placeholder check).
func catalog(t *testing.T) map[string]map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]map[string]string{}
	entries, err := files.ReadDir("translations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		parts := strings.Split(e.Name(), ".")
		if len(parts) != 3 || parts[2] != "json" {
			t.Fatalf("translations/%s: want <part>.<language>.json", e.Name())
		}
		data, _ := files.ReadFile("translations/" + e.Name())
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatalf("translations/%s: %v", e.Name(), err)
		}
		m := map[string]string{}
		for k, v := range raw {
			switch v := v.(type) {
			case string:
				m[k] = v
			case map[string]any:
				var forms []string
				for _, f := range []string{"one", "other"} {
					s, ok := v[f].(string)
					if !ok {
						t.Errorf("translations/%s: %s has no %q form", e.Name(), k, f)
					}
					forms = append(forms, s)
				}
				m[k] = strings.Join(forms, " | ")
			default:
				t.Errorf("translations/%s: %s is neither a text nor plural forms", e.Name(), k)
			}
		}
		if out[parts[0]] == nil {
			out[parts[0]] = map[string]map[string]string{}
		}
		out[parts[0]][parts[1]] = m
	}
	return out
}

// usedKeys finds every i18n.T and i18n.N call with a literal key in the
// module's Go files (tests excluded), and the keys this package builds.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{}
	for i := range 7 {
		used["date.weekday."+strconv.Itoa(i)] = "i18n.go"
		used["date.weekday.short."+strconv.Itoa(i)] = "i18n.go"
	}
	for i := 1; i <= 12; i++ {
		used["date.month."+strconv.Itoa(i)] = "i18n.go"
		used["date.month.short."+strconv.Itoa(i)] = "i18n.go"
	}
	for _, k := range []string{"lang.code"} {
		used[k] = "i18n.go"
	}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inPackage := f.Name.Name == "i18n"
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "i18n" {
					name = fn.Sel.Name
				}
			case *ast.Ident:
				if inPackage {
					name = fn.Name
				}
			}
			if name != "T" && name != "N" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				if !inPackage {
					t.Errorf("%s: i18n.%s with a key that is not a literal (the key check cannot see it)", fset.Position(call.Pos()), name)
				}
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			used[key] = fset.Position(call.Pos()).String()
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func names(s string) string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return strings.Join(slicesCompact(out), ",")
}

func slicesCompact(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Every key the code uses is in English and German; each language has the
// same keys with the same placeholders; no key is left unused.
func TestTranslationsComplete(t *testing.T) {
	cat := catalog(t)
	used := usedKeys(t)
	all := map[string]map[string]string{} // lang → key → text, both parts
	for part, langs := range cat {
		for _, l := range Languages() {
			if langs[l] == nil {
				t.Errorf("translations/%s.%s.json is missing", part, l)
			}
		}
		for l, keys := range langs {
			if all[l] == nil {
				all[l] = map[string]string{}
			}
			for k, v := range keys {
				if _, dup := all[l][k]; dup {
					t.Errorf("%s: key %s is in two parts", l, k)
				}
				all[l][k] = v
			}
		}
	}
	for key, where := range used {
		for _, l := range Languages() {
			if _, ok := all[l][key]; !ok {
				t.Errorf("%s: key %q has no %s translation", where, key, l)
			}
		}
	}
	for key, en := range all["en"] {
		de, ok := all["de"][key]
		if !ok {
			continue // reported above or below
		}
		if names(en) != names(de) {
			t.Errorf("key %q: English fills {%s}, German {%s}", key, names(en), names(de))
		}
		if strings.TrimSpace(de) == "" {
			t.Errorf("key %q: German is empty", key)
		}
	}
	for _, l := range Languages() {
		for key := range all[l] {
			if _, ok := used[key]; !ok {
				t.Errorf("%s: key %q is used nowhere", l, key)
			}
		}
	}
}

func TestDatesAndDurations(t *testing.T) {
	day := time.Date(2026, 3, 27, 9, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang                              string
		date, dm, my, short, d1, d2, axis string
	}{
		{"en", "Friday, 27 March 2026", "27 March", "March 2026", "Fri 27", "1h 05m", "45s", "3h"},
		{"de", "Freitag, 27. März 2026", "27. März", "März 2026", "Fr 27.", "1:05 h", "45 s", "3 h"},
	} {
		if err := Use(tc.lang); err != nil {
			t.Fatal(err)
		}
		if Current() != tc.lang {
			t.Fatalf("Use(%s): speaking %s", tc.lang, Current())
		}
		got := []string{Date(day), DayMonth(day), MonthYear(day), ShortDay(day), Duration(65 * time.Minute), Duration(45 * time.Second),
			DurationShort(3 * time.Hour)}
		want := []string{tc.date, tc.dm, tc.my, tc.short, tc.d1, tc.d2, tc.axis}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: got %q, want %q", tc.lang, got[i], want[i])
			}
		}
	}
}

// With no choice the system's language holds: LANGUAGE first.
func TestFollowsTheSystem(t *testing.T) {
	t.Setenv(systemLanguage, "") // restored afterwards; unset for the test
	_ = os.Unsetenv(systemLanguage)
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LANGUAGE", "de_DE:en")
	if err := Use(""); err != nil {
		t.Fatal(err)
	}
	if Current() != "de" {
		t.Errorf("LANGUAGE=de_DE: speaking %s", Current())
	}
	t.Setenv("LANGUAGE", "fr_FR")
	if err := Use(""); err != nil {
		t.Fatal(err)
	}
	if Current() != "en" {
		t.Errorf("LANGUAGE=fr_FR (not spoken here): speaking %s, want English", Current())
	}
	// A choice, then the system's again: the person's LANGUAGE is back.
	t.Setenv("LANGUAGE", "de_DE")
	if err := Use("en"); err != nil || Current() != "en" {
		t.Fatalf("Use(en) over LANGUAGE=de_DE: %v, speaking %s", err, Current())
	}
	if err := Use(""); err != nil || Current() != "de" || os.Getenv("LANGUAGE") != "de_DE" {
		t.Errorf("back to the system's: %v, speaking %s, LANGUAGE=%q", err, Current(), os.Getenv("LANGUAGE"))
	}
}
