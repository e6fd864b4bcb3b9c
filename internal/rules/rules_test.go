package rules

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		rule  Rule
		want  string // substring of the error, "" = valid
		field string // the field the error names
	}{
		{"project rule", Rule{Action: ActionProject, Project: "A", Match: "x"}, "", ""},
		{"exclude rule", Rule{Action: ActionExclude, Title: "secret"}, "", ""},
		{"redact rule on url", Rule{Action: ActionRedact, URL: "bank"}, "", ""},
		{"unknown action", Rule{Action: "drop", Match: "x"}, "unknown action", "action"},
		{"project rule without project", Rule{Action: ActionProject, Match: "x"}, "needs a project", "project"},
		{"privacy rule with project", Rule{Action: ActionExclude, Project: "A", Match: "x"}, "takes no project", "project"},
		{"no condition", Rule{ID: 4, Position: 2, Action: ActionProject, Project: "A"}, "rule #2 (id 4): a rule needs at least one of", "match"},
		{"unknown source", Rule{Action: ActionRedact, Match: "x", Source: "mars"}, "unknown source", "source"},
		{"bad pattern", Rule{Position: 5, Action: ActionProject, Project: "A", App: "(?<x"}, "rule #5: bad app pattern", "app"},
		{"lookahead is fine", Rule{Action: ActionProject, Project: "A", Match: "^(?!.*Jira).*YouTube"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rule.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one saying %q", err, tt.want)
			case tt.want != "":
				var re *RuleError
				var pe *PatternError
				field := ""
				if errors.As(err, &re) {
					field = re.Field
				} else if errors.As(err, &pe) {
					field = pe.Field
				}
				if field != tt.field {
					t.Errorf("error %v names field %q, want %q", err, field, tt.field)
				}
			}
		})
	}
	var re *RuleError
	if err := (Rule{Action: "x", Match: "y"}).Validate(); !errors.As(err, &re) {
		t.Errorf("shape errors are *RuleError, got %T", err)
	}
}

func TestClassify(t *testing.T) {
	rs := []Rule{
		{ID: 10, Position: 4, Action: ActionProject, Project: "Work > Programming", Match: "GitHub|Code"},
		{ID: 11, Position: 5, Action: ActionProject, Project: "Work", Match: "GitHub|Docs"},
		{ID: 12, Position: 1, Action: ActionProject, Project: "Client A", App: "(?i)chrome", URL: `^https://github\.com/client-a/`},
		{ID: 13, Position: 2, Action: ActionExclude, Title: "(?i)private|incognito"},
		{ID: 14, Position: 3, Action: ActionRedact, App: "^Signal$"},
		{ID: 15, Position: 6, Action: ActionProject, Project: "Comms", Match: "Signal", IgnoreCase: true},
		{ID: 16, Position: 7, Action: ActionRedact, URL: "bank"},
		{ID: 17, Position: 8, Action: ActionProject, Project: "Meetings", App: "^zoom$", Title: "Zoom Meeting"},
	}
	set, err := Compile(rs)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		a        Activity
		project  string
		excluded bool
		redacted bool
		ruleID   int64 // deciding project rule
		privacy  int64 // deciding privacy rule
	}{
		{"no rule matches", Activity{"Gnome-terminal", "bash", ""}, "", false, false, 0, 0},
		{"match tests the app", Activity{"Code", "main.go", ""}, "Work > Programming", false, false, 10, 0},
		{"match tests the title", Activity{"Google-chrome", "PR #1 · GitHub", ""}, "Work > Programming", false, false, 10, 0},
		{"first matching project rule decides", Activity{"Google-chrome", "Docs · GitHub", ""}, "Work > Programming", false, false, 10, 0},
		{"a later rule when earlier ones miss", Activity{"Google-chrome", "Google Docs", ""}, "Work", false, false, 11, 0},
		{"url rule with app", Activity{"Google-chrome", "PR · GitHub", "https://github.com/client-a/x/pull/1"}, "Client A", false, false, 12, 0},
		{"url rule needs the app too", Activity{"firefox", "PR · GitHub", "https://github.com/client-a/x/pull/1"}, "Work > Programming", false, false, 10, 0},
		{"url rule never matches without a URL", Activity{"Google-chrome", "New Tab", ""}, "", false, false, 0, 0},
		{"exclude wins over everything", Activity{"Code", "private notes", ""}, "", true, false, 0, 13},
		{"redact combines with the project", Activity{"Signal", "Mum", ""}, "Comms", false, true, 15, 14},
		{"redact by url", Activity{"Google-chrome", "My bank", "https://bank.example/"}, "", false, true, 0, 16},
		{"all conditions must hold", Activity{"zoom", "Zoom Meeting", ""}, "Meetings", false, false, 17, 0},
		{"all conditions must hold: one fails", Activity{"zoom", "Zoom Cloud Meetings", ""}, "", false, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, classify := range []func(Activity) Decision{set.Classify, set.Classifier().Classify} {
				d := classify(tt.a)
				if d.Project != tt.project || d.Excluded != tt.excluded || d.Redacted != tt.redacted {
					t.Errorf("got %+v, want project %q excluded %v redacted %v", d, tt.project, tt.excluded, tt.redacted)
				}
				if id := ruleID(d.ProjectRule); id != tt.ruleID {
					t.Errorf("project rule %d, want %d", id, tt.ruleID)
				}
				if id := ruleID(d.PrivacyRule); id != tt.privacy {
					t.Errorf("privacy rule %d, want %d", id, tt.privacy)
				}
			}
		})
	}
}

func ruleID(r *Rule) int64 {
	if r == nil {
		return 0
	}
	return r.ID
}

func TestExplain(t *testing.T) {
	set, err := Compile([]Rule{
		{ID: 1, Position: 1, Action: ActionProject, Project: "A", App: "^Code$"},
		{ID: 2, Position: 2, Action: ActionProject, Project: "B", Match: "Code"},
		{ID: 3, Position: 3, Action: ActionRedact, Title: "secret"},
		{ID: 4, Position: 4, Action: ActionExclude, Title: "secret"},
		{ID: 5, Position: 5, Action: ActionExclude, Match: "secret"},
		{ID: 6, Position: 6, Action: ActionProject, Project: "C", URL: "x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		a    Activity
		want []string // per rule: "+" decides, "-" matched and lost, "." no match; then the reason
	}{
		{"project decided by the first, second loses",
			Activity{App: "Code", Title: "main.go"},
			[]string{"+decides the project \"A\"", "-an earlier rule #1 (id 1) decided the project", ".title does not match", ".title does not match", ".match finds neither app nor title", ".no URL"}},
		{"exclude wins",
			Activity{App: "Code", Title: "secret.txt"},
			[]string{"-exclude wins: rule #4 (id 4) excludes the activity", "-exclude wins: rule #4 (id 4) excludes the activity",
				"-exclude wins: rule #4 (id 4) excludes the activity", "+excludes the activity", "-an earlier exclude rule #4 (id 4) already excludes it", ".no URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := set.Explain(tt.a)
			if len(vs) != len(tt.want) {
				t.Fatalf("%d verdicts, want %d", len(vs), len(tt.want))
			}
			for i, v := range vs {
				mark := "."
				if v.Matched {
					mark = "-"
				}
				if v.Decides {
					mark = "+"
				}
				if got := mark + v.Reason; got != tt.want[i] {
					t.Errorf("rule %d: %q, want %q", v.Rule.ID, got, tt.want[i])
				}
			}
		})
	}
}

func TestCompileOrdersByPosition(t *testing.T) {
	set, err := Compile([]Rule{
		{ID: 1, Position: 3, Action: ActionProject, Project: "late", Match: "x"},
		{ID: 2, Position: 1, Action: ActionProject, Project: "early", Match: "x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := set.Classify(Activity{App: "x"}); d.Project != "early" {
		t.Errorf("project %q, want early", d.Project)
	}
	if rs := set.Rules(); rs[0].ID != 2 || rs[1].ID != 1 {
		t.Errorf("Rules() not in position order: %+v", rs)
	}
}

func TestSetIsSafeForConcurrentUse(t *testing.T) {
	set, err := Compile([]Rule{
		{Position: 1, Action: ActionProject, Project: "YT", Match: `^(?!.*Jira).*YouTube`},
		{Position: 2, Action: ActionProject, Project: "Code", Match: `Code`},
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				if d := set.Classify(Activity{App: "firefox", Title: "Lofi - YouTube"}); d.Project != "YT" {
					t.Errorf("got %q", d.Project)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestClassifierCacheIsBounded(t *testing.T) {
	set, err := Compile([]Rule{{Position: 1, Action: ActionProject, Project: "A", Title: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	c := set.Classifier()
	c.max = 3
	for _, title := range []string{"a1", "b", "a2", "c", "a3", "a1"} {
		want := ""
		if strings.HasPrefix(title, "a") {
			want = "A"
		}
		if d := c.Classify(Activity{Title: title}); d.Project != want {
			t.Errorf("%s: %q, want %q", title, d.Project, want)
		}
		if len(c.decisions) > c.max {
			t.Fatalf("cache holds %d > %d", len(c.decisions), c.max)
		}
	}
}
