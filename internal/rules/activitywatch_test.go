package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dlclark/regexp2/v2"
)

func TestParseSettings(t *testing.T) {
	const work = `{"name":["Work"],"rule":{"type":"regex","regex":"Docs"},"data":{"color":"#0F0"}}`
	const prog = `{"name":["Work","Programming"],"rule":{"type":"regex","regex":"GitHub","ignore_case":true}}`
	const media = `{"name":["Media"],"rule":{"type":"none"},"data":{"color":"#F33"}}`
	const work2 = `{"name":["Work"],"rule":{"type":"regex","regex":"Sheets"}}`
	tests := []struct {
		name string
		body string
		want []string // name>type:regex:ignorecase:color
	}{
		{"classes, as aw-server (Python) returns it",
			`{"startOfDay": "04:00", "classes": [` + work + `,` + prog + `,` + media + `]}`,
			[]string{"Work>regex:Docs:false:#0F0", "Work>Programming>regex:GitHub:true:", "Media>none::false:#F33"}},
		{"classes as a JSON-encoded string",
			`{"classes": ` + quote(`[`+work+`,`+media+`]`) + `}`,
			[]string{"Work>regex:Docs:false:#0F0", "Media>none::false:#F33"}},
		{"a null type, or no rule, is none",
			`{"classes": [{"name":["A"],"rule":{"type":null}},{"name":["B"]}]}`,
			[]string{"A>none::false:", "B>none::false:"}},
		{"empty classes: no categories, not the defaults",
			`{"classes": []}`, []string{}},
		{"category_sets win over classes; only active sets, first occurrence of a name wins",
			`{"classes": [` + media + `],
			  "category_sets": [{"id":"a","categories":[` + work + `,` + prog + `]},
			                    {"id":"b","categories":[` + media + `]},
			                    {"id":"c","categories":[` + work2 + `,` + media + `]}],
			  "active_set_ids": ["c","a"]}`,
			[]string{"Work>regex:Docs:false:#0F0", "Work>Programming>regex:GitHub:true:", "Media>none::false:#F33"}},
		{"no active ids: the first set",
			`{"category_sets": [{"id":"b","categories":[` + media + `]},{"id":"a","categories":[` + work + `]}]}`,
			[]string{"Media>none::false:#F33"}},
		{"active ids that do not exist: the first set",
			`{"category_sets": [{"id":"b","categories":[` + media + `]},{"id":"a","categories":[` + work + `]}], "active_set_ids": ["gone"]}`,
			[]string{"Media>none::false:#F33"}},
		{"category_sets as JSON-encoded strings",
			`{"category_sets": ` + quote(`[{"id":"a","categories":[`+work+`]}]`) + `, "active_set_ids": ` + quote(`["a"]`) + `}`,
			[]string{"Work>regex:Docs:false:#0F0"}},
		{"empty category_sets fall back to classes",
			`{"category_sets": [], "classes": [` + media + `]}`,
			[]string{"Media>none::false:#F33"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cats, err := ParseSettings([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, c := range cats {
				got = append(got, fmt.Sprintf("%s>%s:%s:%v:%s", strings.Join(c.Name, ">"), c.Type, c.Regex, c.IgnoreCase, c.Color))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func TestParseSettingsDefaultsAndErrors(t *testing.T) {
	cats, err := ParseSettings([]byte(`{"theme": "dark"}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cats) != len(DefaultCategories()) || ProjectName(cats[1].Name) != "Work > Programming" {
		t.Errorf("no settings should give aw-webui's defaults, got %v", cats)
	}
	for _, body := range []string{`[1]`, `{"classes": {"a":1}}`, `{"classes": [{"rule":{"type":"regex","regex":"x"}}]}`, `{"classes": "[oops"}`} {
		if _, err := ParseSettings([]byte(body)); err == nil {
			t.Errorf("%s: no error", body)
		}
	}
}

func TestImportRules(t *testing.T) {
	cats := []Category{
		{Name: []string{"Work"}, Type: "regex", Regex: "Docs", Color: "#0F0"},
		{Name: []string{"Work", "Programming"}, Type: "regex", Regex: "GitHub"},
		{Name: []string{"Media"}, Type: "none", Color: "#F33"},
		{Name: []string{"Media", "Video"}, Type: "regex", Regex: "YouTube", IgnoreCase: true},
		{Name: []string{"Work", "Review"}, Type: "regex", Regex: "GitHub|Gerrit"},
		{Name: []string{"Empty"}, Type: "regex", Regex: ""},
		{Name: []string{"Uncategorized"}, Type: "none", Color: "#CCC"},
	}
	var got []string
	for i, r := range ImportRules(cats) {
		if r.Position != i+1 || r.Action != ActionProject || r.Source != SourceActivityWatch {
			t.Errorf("rule %d: %+v", i, r)
		}
		got = append(got, fmt.Sprintf("%s=%s/%v/%s", r.Project, r.Match, r.IgnoreCase, r.Color))
	}
	want := []string{ // deepest first; equally deep: later in the list first
		"Work > Review=GitHub|Gerrit/false/#0F0",
		"Media > Video=YouTube/true/#F33",
		"Work > Programming=GitHub/false/#0F0",
		"Work=Docs/false/#0F0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestImportedFirstMatchIsDeepest: the cases the issue names, on the
// imported rules' first match.
func TestImportedFirstMatchIsDeepest(t *testing.T) {
	cats := []Category{
		{Name: []string{"Work", "Programming", "ActivityWatch"}, Type: "regex", Regex: "aw-", IgnoreCase: true},
		{Name: []string{"Work", "Programming"}, Type: "regex", Regex: "GitHub|Code"},
		{Name: []string{"Work"}, Type: "regex", Regex: "GitHub|Docs|Code"},
		{Name: []string{"Work", "Review"}, Type: "regex", Regex: "GitHub|Gerrit"},
		{Name: []string{"Media", "Video"}, Type: "regex", Regex: `^(?!.*Jira).*YouTube`},
		{Name: []string{"Media"}, Type: "regex", Regex: "YouTube"},
	}
	set, err := Compile(ImportRules(cats))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, app, title, want string
	}{
		{"deepest wins over a parent listed later", "Code", "AW-server", "Work > Programming > ActivityWatch"},
		{"a child wins over its parent", "Code", "main.go", "Work > Programming"},
		{"equally deep: the later in the list wins", "firefox", "PR · GitHub", "Work > Review"},
		{"only the parent matches", "firefox", "Google Docs", "Work"},
		{"lookahead category matches", "firefox", "lofi - YouTube", "Media > Video"},
		{"lookahead category refuses, the parent takes it", "firefox", "Jira - YouTube", "Media"},
		{"nothing matches", "Slack", "general", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := set.Classify(Activity{App: tt.app, Title: tt.title}).Project; got != tt.want {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
}

func TestColors(t *testing.T) {
	got := Colors(DefaultCategories())
	want := map[string]string{
		"Work": "#0F0", "Work > Programming": "#0F0", "Work > Programming > ActivityWatch": "#0F0",
		"Media": "#F33", "Media > Games": "#F80", "Media > Music": "#A8FC00",
		"Comms": "#9FF", "Comms > IM": "#9FF", "Uncategorized": "#CCC",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if c := Colors([]Category{{Name: []string{"A", "B"}}})["A > B"]; c != "#CCC" {
		t.Errorf("no colour anywhere: %q, want #CCC", c)
	}
}

// awPick is a direct reimplementation of aw-core's categorize for one
// window event (aw_transform/classify.py): every category's Rule.match
// (re.search on each string value: app, title), then
// reduce(_pick_deepest_cat, matches, ["Uncategorized"]).
func awPick(t *testing.T, cats []Category, app, title string) []string {
	t.Helper()
	pick := []string{"Uncategorized"}
	for _, c := range cats {
		if c.Regex == "" { // Rule(): an empty regex is no regex, never matches
			continue
		}
		search := pythonSearch(t, c.Regex, c.IgnoreCase)
		if search(app) || search(title) {
			if len(c.Name) >= len(pick) {
				pick = c.Name
			}
		}
	}
	return pick
}

// pythonSearch is re.search for the test's patterns: RE2 where it
// compiles, else regexp2; the test's patterns mean the same in both and in
// Python for the test's ASCII inputs.
func pythonSearch(t *testing.T, pattern string, ignoreCase bool) func(string) bool {
	if ignoreCase {
		pattern = "(?i)" + pattern
	}
	if re, err := regexp.Compile(pattern); err == nil {
		return re.MatchString
	}
	re, err := regexp2.Compile(pattern, regexp2.None)
	if err != nil {
		t.Fatal(err)
	}
	return func(s string) bool {
		ok, err := re.MatchString(s)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
}

// TestImportRulesAgreesWithActivityWatch: first match over the imported
// rules is the category aw-core's categorize picks, for every input.
func TestImportRulesAgreesWithActivityWatch(t *testing.T) {
	cats := append(DefaultCategories(),
		Category{Name: []string{"Work", "Meetings"}, Type: "regex", Regex: "Zoom|Meet"},
		Category{Name: []string{"Work", "Review"}, Type: "regex", Regex: "GitHub|Gerrit"}, // ties with Programming: later wins
		Category{Name: []string{"Work", "Programming", "Go"}, Type: "regex", Regex: `\.go\b`},
		Category{Name: []string{"Media", "Video", "Music videos"}, Type: "regex", Regex: `^(?!.*Jira).*YouTube`},
		Category{Name: []string{"Comms", "Video calls"}, Type: "regex", Regex: "zoom|signal", IgnoreCase: true}, // ties with Meetings, IM
		Category{Name: []string{"Personal"}, Type: "regex", Regex: "Signal|Bank"},
		Category{Name: []string{"Media"}, Type: "regex", Regex: "Netflix"},
	)
	set, err := Compile(ImportRules(cats))
	if err != nil {
		t.Fatal(err)
	}
	apps := []string{"Code", "Google-chrome", "firefox", "zoom", "Slack", "Signal", "Spotify", "vim", "unknown", "Inkscape", "TelegramDesktop"}
	titles := []string{"", "main.go - Code", "PR #12 · GitHub", "Gerrit review", "Jira - YouTube", "Music - YouTube",
		"Google Docs", "ActivityWatch", "aw-server", "reddit: the front page", "Zoom Meeting", "Stack Overflow",
		"drawing.svg - Inkscape", "Spotify Premium", "GitHub Docs", "Minecraft", "Netflix", "Bank of Example",
		"notes.txt", "Google Meet", "AW-QT"}
	n := 0
	for _, app := range apps {
		for i, title := range titles {
			for _, extra := range []string{"", " — " + titles[(i*7+3)%len(titles)]} {
				title := title + extra
				want := awPick(t, cats, app, title)
				wantProject := ProjectName(want)
				if isUncategorized(want) {
					wantProject = ""
				}
				if got := set.Classify(Activity{App: app, Title: title}).Project; got != wantProject {
					t.Errorf("(%q, %q): %q, ActivityWatch says %q", app, title, got, wantProject)
				}
				n++
			}
		}
	}
	t.Logf("%d activities agree", n)
}

func TestMerge(t *testing.T) {
	aw := func(id int64, pos int, path ...string) Rule {
		return Rule{ID: id, Position: pos, Action: ActionProject, Project: ProjectName(path), Match: "old", Source: SourceActivityWatch, Category: path}
	}
	user := func(id int64, pos int, project string) Rule {
		return Rule{ID: id, Position: pos, Action: ActionProject, Project: project, Match: project, Source: SourceUser}
	}
	imp := func(path ...string) Rule {
		return Rule{Action: ActionProject, Project: ProjectName(path), Match: "new:" + ProjectName(path), Source: SourceActivityWatch, Category: path}
	}
	tests := []struct {
		name     string
		existing []Rule
		imported []Rule
		want     []string // id:project:match in position order
	}{
		{"first import goes after the person's rules",
			[]Rule{user(1, 1, "Mine"), {ID: 2, Position: 2, Action: ActionExclude, Title: "secret"}},
			[]Rule{imp("Work", "Programming"), imp("Work")},
			[]string{"1:Mine:Mine", "2::", "0:Work > Programming:new:Work > Programming", "0:Work:new:Work"}},
		{"re-import updates in place, keeps ids and the person's rules",
			[]Rule{aw(5, 1, "Work", "Programming"), user(1, 2, "Mine"), aw(6, 3, "Work")},
			[]Rule{imp("Work", "Programming"), imp("Work")},
			[]string{"5:Work > Programming:new:Work > Programming", "1:Mine:Mine", "6:Work:new:Work"}},
		{"vanished categories are removed, slots close up",
			[]Rule{aw(5, 1, "Work", "Programming"), aw(7, 2, "Media"), user(1, 3, "Mine"), aw(6, 4, "Work")},
			[]Rule{imp("Work", "Programming"), imp("Work")},
			[]string{"5:Work > Programming:new:Work > Programming", "6:Work:new:Work", "1:Mine:Mine"}},
		{"new categories follow the last slot, in import order",
			[]Rule{aw(5, 1, "Work", "Programming"), user(1, 2, "Mine"), aw(6, 3, "Work"), user(2, 4, "Other")},
			[]Rule{imp("Work", "Programming", "Go"), imp("Work", "Programming"), imp("Work"), imp("Media")},
			[]string{"0:Work > Programming > Go:new:Work > Programming > Go", "1:Mine:Mine",
				"5:Work > Programming:new:Work > Programming", "6:Work:new:Work", "0:Media:new:Media", "2:Other:Other"}},
		{"the import's order is restored within the group",
			[]Rule{aw(6, 1, "Work"), aw(5, 2, "Work", "Programming")},
			[]Rule{imp("Work", "Programming"), imp("Work")},
			[]string{"5:Work > Programming:new:Work > Programming", "6:Work:new:Work"}},
		{"importing nothing removes imported rules only",
			[]Rule{aw(5, 1, "Work"), user(1, 2, "Mine")},
			nil,
			[]string{"1:Mine:Mine"}},
		{"duplicate category paths pair up in order",
			[]Rule{aw(5, 1, "Work"), aw(6, 2, "Work")},
			[]Rule{imp("Work"), imp("Work"), imp("Work")},
			[]string{"5:Work:new:Work", "6:Work:new:Work", "0:Work:new:Work"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Merge(tt.existing, tt.imported)
			var got []string
			for i, r := range out {
				if r.Position != i+1 {
					t.Errorf("position %d at index %d", r.Position, i)
				}
				got = append(got, fmt.Sprintf("%d:%s:%s", r.ID, r.Project, r.Match))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
