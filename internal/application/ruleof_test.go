package application

import (
	"testing"

	"github.com/aw-timetracker/aw-timetracker/internal/rules"
)

func TestRuleFromEntry(t *testing.T) {
	for _, tt := range []struct {
		name string
		e    Entry
		want rules.Rule
	}{
		{"editor: app and the file", Entry{App: "Code", Title: "● main.go - aw-timetracker - Visual Studio Code"},
			rules.Rule{App: `^Code$`, Title: `main\.go`}},
		{"browser page: its host", Entry{URL: "https://acme.atlassian.net/browse/TS-118", Title: "TS-118"},
			rules.Rule{URL: `^https?://acme\.atlassian\.net/`}},
		{"browser window: the page title, not the browser", Entry{App: "Google-chrome", Title: "Pull requests · acme - Google Chrome"},
			rules.Rule{App: `^Google-chrome$`, Title: `Pull requests · acme`}},
		{"terminal", Entry{App: "Gnome-terminal", Title: "dev@devbox: ~/src"}, rules.Rule{App: `^Gnome-terminal$`, Title: `dev@devbox: ~/src`}},
		{"redacted: the app only", Entry{App: "TelegramDesktop"}, rules.Rule{App: `^TelegramDesktop$`}},
	} {
		got := RuleFromEntry(tt.e)
		if got.App != tt.want.App || got.Title != tt.want.Title || got.URL != tt.want.URL || got.Action != rules.ActionProject {
			t.Errorf("%s: %+v", tt.name, got)
		}
		if err := (rules.Rule{Action: rules.ActionExclude, App: got.App, Title: got.Title, URL: got.URL}).Validate(); err != nil {
			t.Errorf("%s: the pre-filled rule does not compile: %v", tt.name, err)
		}
	}
}

func TestUnassignedTime(t *testing.T) {
	es := []Entry{
		{App: "Code", Title: "a.go", DurationSeconds: 60},
		{App: "Code", Title: "a.go", DurationSeconds: 30},
		{App: "Slack", Title: "x", DurationSeconds: 120},
		{App: "Code", Title: "b.go", DurationSeconds: 10, ProjectID: 3},   // has a project
		{URL: "https://example.com", Title: "page", DurationSeconds: 500}, // a browser page: the window counts
	}
	got := UnassignedTime(es)
	if len(got) != 2 || got[0].App != "Slack" || got[1].Seconds != 90 {
		t.Errorf("%+v", got)
	}
}
