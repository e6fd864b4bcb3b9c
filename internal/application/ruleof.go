package application

import (
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// RuleFromEntry is the rule form pre-filled from an entry: the page's host
// for a browser page; else the app, and the distinctive part of the title
// (the window title without the app's own name, e.g. "main.go -
// aw-timetracker - Visual Studio Code" gives "main\.go").
func RuleFromEntry(e Entry) rules.Rule {
	r := rules.Rule{Action: rules.ActionProject, Source: rules.SourceUser}
	if e.URL != "" {
		if u, err := url.Parse(e.URL); err == nil && u.Host != "" {
			r.URL = "^https?://" + regexp.QuoteMeta(u.Host) + "/"
			return r
		}
	}
	if e.App != "" {
		r.App = "^" + regexp.QuoteMeta(e.App) + "$"
	}
	if part := distinctive(e.Title, e.App); part != "" {
		r.Title = regexp.QuoteMeta(part)
	}
	if r.App == "" && r.Title == "" {
		r.Match = regexp.QuoteMeta(strings.TrimSpace(e.Notes))
	}
	return r
}

// distinctive is the first part of a title that is not the app's name or a
// browser's: window titles read "document - project - App".
func distinctive(title, app string) string {
	parts := strings.FieldsFunc(title, func(r rune) bool { return r == '|' || r == '—' || r == '–' })
	var pieces []string
	for _, p := range parts {
		pieces = append(pieces, strings.Split(p, " - ")...)
	}
	for _, p := range pieces {
		p = strings.Trim(strings.TrimSpace(p), "●•* ")
		switch {
		case p == "", strings.EqualFold(p, app), timeline.BrowserOf(p) != "", strings.HasSuffix(p, "Visual Studio Code"):
			continue
		}
		return p
	}
	return ""
}

// Unassigned is time with no project, by app and title.
type Unassigned struct {
	App, Title string
	Seconds    int64
	Entry      Entry // one of its entries, for the rule form
}

// UnassignedTime groups a day's window entries with no project by app and
// title, longest first: what a new rule could file.
func UnassignedTime(entries []Entry) []Unassigned {
	idx := map[[2]string]int{}
	var out []Unassigned
	for _, e := range entries {
		if e.ProjectID != 0 || e.URL != "" || e.App == "" {
			continue
		}
		k := [2]string{e.App, e.Title}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Unassigned{App: e.App, Title: e.Title, Entry: e})
		}
		out[i].Seconds += e.DurationSeconds
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seconds > out[j].Seconds })
	return out
}
