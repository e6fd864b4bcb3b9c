package ui

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The windows know the core only through the application layer: besides
// Fyne and the standard library they import its view types, the words
// (i18n) and the failure kinds they word (kind), nothing else of the
// module.
func TestWindowsImportOnlyTheApplicationLayer(t *testing.T) {
	const module = "github.com/aw-timetracker/aw-timetracker/internal/"
	allowed := map[string]bool{module + "application": true, module + "i18n": true, module + "kind": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/aw-timetracker/") && !allowed[path] {
				t.Errorf("%s imports %s: the windows reach the core through internal/application only", f, path)
			}
		}
	}
	if checked < 5 {
		t.Fatalf("checked %d files: run from the package's folder", checked)
	}
}
