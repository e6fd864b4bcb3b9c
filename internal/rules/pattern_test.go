package rules

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPatternsMeanWhatPythonMeans checks patterns against what Python's
// re.search (aw-server's categorize) answers for them. The expected
// answers were worked out from Python's documented semantics.
func TestPatternsMeanWhatPythonMeans(t *testing.T) {
	tests := []struct {
		name       string
		pattern    string
		ignoreCase bool
		text       string
		want       bool
		engine     string // "" = don't care
	}{
		{"literal alternation", "GitHub|Stack Overflow", false, "Questions - Stack Overflow", true, "literal"},
		{"literal is case sensitive", "GitHub|Stack Overflow", false, "github", false, "literal"},
		{"ignore_case literal", "github|gitlab", true, "GitHub - Firefox", true, "literal"},
		{"ignore_case on non-ASCII text folds like Python (Kelvin sign)", "kelvin", true, "\u212Aelvin", true, ""},
		{"search, not full match", "vim", false, "nvim ~/notes", true, ""},
		{"anchors", "^Slack$", false, "Slack", true, "re2"},
		{"anchors do not match inside", "^Slack$", false, "Slack | general", false, "re2"},
		{"lookahead: YouTube but not Jira", `^(?!.*Jira).*YouTube`, false, "Music - YouTube", true, "backtracking"},
		{"lookahead: Jira excluded", `^(?!.*Jira).*YouTube`, false, "Jira ticket about YouTube", false, "backtracking"},
		{"lookbehind", `(?<=PR )#\d+`, false, "PR #123 review", true, "backtracking"},
		{"backreference", `(\w+) \1`, false, "the the", true, "backtracking"},
		{"Python named group", `(?P<x>a)b`, false, "cab", true, "re2"},
		{"Python named group with lookahead", `(?P<x>a)(?!c)`, false, "ac ab", true, "backtracking"},
		{"Python named backreference", `(?P<x>ab)-(?P=x)`, false, "ab-ab", true, "backtracking"},
		{"Python named backreference, no match", `(?P<x>ab)-(?P=x)`, false, "ab-ac", false, "backtracking"},
		{"inline (?i)", `(?i)youtube`, false, "YouTube", true, "re2"},
		{"inline (?i) with lookahead", `(?i)^(?!.*jira).*youtube`, false, "YOUTUBE", true, "backtracking"},
		{"ignore_case with lookahead", `^(?!.*jira).*youtube`, true, "Jira - YouTube", false, "backtracking"},
		{"\\w is Unicode in Python", `^\w+$`, false, "café", true, "backtracking"},
		{"\\b is Unicode in Python", `\bvim\b`, false, "évim", false, "backtracking"},
		{"\\b at an ASCII boundary", `\bvim\b`, false, "open vim now", true, "backtracking"},
		{"\\d is Unicode in Python", `^\d+$`, false, "١٢٣", true, "backtracking"},
		{"{,n} is a repetition in Python", `^a{,2}$`, false, "aa", true, "backtracking"},
		{"{,n} upper bound", `^a{,2}$`, false, "aaa", false, "backtracking"},
		{"\\Z is the very end", `end\Z`, false, "the end", true, "backtracking"},
		{"\\Z is not before a final newline", `end\Z`, false, "the end\n", false, "backtracking"},
		{"escaped underscore", `snake\_case`, false, "snake_case.py", true, ""},
		{"[[:alpha:]] is a set of characters in Python", `^[[:alpha:]]$`, false, "b", false, "backtracking"},
		{"[[:alpha:]] matches its characters", `^[[:alpha:]]`, false, "a]", true, "backtracking"},
		{"comment group", `You(?#the site)Tube`, false, "YouTube", true, "backtracking"},
		{"verbose flag", `(?x) You Tube  # site`, false, "YouTube", true, "backtracking"},
		{"\\U escape", `\U0001F3A7 lofi`, false, "\U0001F3A7 lofi hip hop", true, "backtracking"},
		{"\\u escape", `caf\u00e9`, false, "café", true, "backtracking"},
		{"escaped dot", `docs\.google\.com`, false, "https://docs.google.com/x", true, "re2"},
		{"empty alternative matches everything", `zzz|`, false, "abc", true, "literal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := compilePattern(tt.pattern, tt.ignoreCase)
			if err != nil {
				t.Fatalf("compile %q: %v", tt.pattern, err)
			}
			if tt.engine != "" && m.engine() != tt.engine {
				t.Errorf("engine %s, want %s", m.engine(), tt.engine)
			}
			got, err := m.match(tt.text)
			if err != nil {
				t.Fatalf("match: %v", err)
			}
			if got != tt.want {
				t.Errorf("%q on %q = %v, want %v", tt.pattern, tt.text, got, tt.want)
			}
		})
	}
}

func TestPatternsNothingAccepts(t *testing.T) {
	for _, p := range []string{`(unclosed`, `a{2,1}`, `[z-a]`, `*x`, `x\`} {
		t.Run(p, func(t *testing.T) {
			if _, err := compilePattern(p, false); err == nil {
				t.Errorf("%q compiled", p)
			}
		})
	}
}

func TestToDotNet(t *testing.T) {
	tests := []struct{ in, want string }{
		{`(?P<x>a)(?P=x)`, `(?<x>a)\k<x>`},
		{`a{,3}`, `a{0,3}`},
		{`[{,]`, `[{,]`},
		{`end\Z`, `end\z`},
		{`\_`, `_`},
		{`\.\-`, `\.\-`},
		{`\U0001F3A7`, "\U0001F3A7"},
		{`\U0000002B`, `\+`},
		{`[\Z]`, `[\Z]`},
		{`[]P<]`, `[]P<]`},
		{`[[:alpha:]]`, `[\[:alpha:]]`},
	}
	for _, tt := range tests {
		if got := toDotNet(tt.in); got != tt.want {
			t.Errorf("toDotNet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTimeoutDoesNotHang runs a catastrophic pattern on a long title: the
// match is abandoned, counted, and is no match.
func TestTimeoutDoesNotHang(t *testing.T) {
	set, err := Compile([]Rule{{ID: 1, Position: 1, Action: ActionProject, Project: "X", Title: `^(\w+\s?)*(?=z)$`}})
	if err != nil {
		t.Fatal(err)
	}
	title := strings.Repeat("word ", 40) + "!"
	start := time.Now()
	d := set.Classify(Activity{App: "a", Title: title})
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("took %v", el)
	}
	if d.Project != "" {
		t.Errorf("abandoned match decided %q", d.Project)
	}
	if set.Timeouts() != 1 {
		t.Errorf("Timeouts() = %d, want 1", set.Timeouts())
	}
	// A privacy rule fails closed: an abandoned match excludes.
	priv, err := Compile([]Rule{{ID: 2, Position: 1, Action: ActionExclude, Title: `^(\w+\s?)*(?=z)$`}})
	if err != nil {
		t.Fatal(err)
	}
	if d := priv.Classify(Activity{App: "a", Title: title}); !d.Excluded {
		t.Errorf("an exclude rule whose match timed out let the activity through: %+v", d)
	}
}

func TestPatternErrorNamesTheRule(t *testing.T) {
	_, err := Compile([]Rule{
		{ID: 7, Position: 2, Action: ActionProject, Project: "A", Match: "ok"},
		{ID: 9, Position: 3, Action: ActionExclude, Title: "(?<=a+)b("},
		{ID: 11, Position: 1, Action: ActionProject, Project: "B", URL: "[", App: "fine"},
	})
	if err == nil {
		t.Fatal("no error")
	}
	var pe *PatternError
	if !errors.As(err, &pe) {
		t.Fatalf("not a *PatternError: %T %v", err, err)
	}
	msg := err.Error()
	for _, want := range []string{"rule #3 (id 9): bad title pattern", "rule #1 (id 11): bad url pattern"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "id 7") {
		t.Errorf("error names a good rule: %q", msg)
	}
}
