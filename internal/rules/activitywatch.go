package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Category is one ActivityWatch category as aw-webui stores it
// (src/util/classes.ts interface Category): a name path, a rule, and
// data.color.
type Category struct {
	Name       []string // path, e.g. ["Work", "Programming"]
	Regex      string
	IgnoreCase bool
	Type       string // "regex" or "none" (a stored null or no rule is "none")
	Color      string // data.color, "" when unset
}

// ProjectName is the local project a category maps to.
func ProjectName(path []string) string { return strings.Join(path, " > ") }

// uncategorizedColor is aw-webui's COLOR_UNCAT (src/util/color.ts), the
// colour of a category that has none of its own nor an ancestor's.
const uncategorizedColor = "#CCC"

// DefaultCategories are aw-webui's built-in categories, what ActivityWatch
// uses when the server holds none: copied from aw-webui
// src/util/classes.ts defaultCategories (aw-webui 71087a2, 2026-08-22).
func DefaultCategories() []Category {
	re := func(regex string, ignoreCase bool, color string, name ...string) Category {
		return Category{Name: name, Regex: regex, IgnoreCase: ignoreCase, Type: "regex", Color: color}
	}
	none := func(color string, name ...string) Category {
		return Category{Name: name, Type: "none", Color: color}
	}
	return []Category{
		re("Google Docs|libreoffice|ReText", false, "#0F0", "Work"),
		re("GitHub|Stack Overflow|BitBucket|Gitlab|vim|Spyder|kate|Ghidra|Scite", false, "", "Work", "Programming"),
		re("ActivityWatch|aw-", true, "", "Work", "Programming", "ActivityWatch"),
		re("GIMP|Inkscape", false, "", "Work", "Image"),
		re("Kdenlive", false, "", "Work", "Video"),
		re("Audacity", false, "", "Work", "Audio"),
		re("Blender", false, "", "Work", "3D"),
		none("#F33", "Media"),
		re("Minecraft|RimWorld", false, "#F80", "Media", "Games"),
		re("YouTube|Plex|VLC", false, "#F33", "Media", "Video"),
		re("reddit|Facebook|Twitter|Instagram|devRant", true, "#FCC400", "Media", "Social Media"),
		re("Spotify|Deezer", true, "#A8FC00", "Media", "Music"),
		none("#9FF", "Comms"),
		re("Messenger|Telegram|Signal|WhatsApp|Rambox|Slack|Riot|Element|Discord|Nheko|NeoChat|Mattermost", false, "", "Comms", "IM"),
		re("Gmail|Thunderbird|mutt|alpine", false, "", "Comms", "Email"),
		none(uncategorizedColor, "Uncategorized"),
	}
}

// The shapes aw-webui stores under GET /api/0/settings.
type (
	awRule struct {
		Type       *string `json:"type"`
		Regex      string  `json:"regex"`
		IgnoreCase any     `json:"ignore_case"`
	}
	awCategory struct {
		Name []string       `json:"name"`
		Rule *awRule        `json:"rule"`
		Data map[string]any `json:"data"`
	}
	// awCategorySet is aw-webui's CategorySet (src/util/classes.ts): the
	// id doubles as the set's name.
	awCategorySet struct {
		ID         string       `json:"id"`
		Categories []awCategory `json:"categories"`
	}
)

// ParseSettings reads ActivityWatch's categories from the body of
// GET /api/0/settings: one JSON object of all settings. It chooses as
// aw-webui's loadCategories (src/util/classes.ts) does, leaving out the
// preset sets a custom web UI build may ship:
//
//   - "category_sets" when it holds any set: the active sets
//     ("active_set_ids"; none or none existing: the first set) merged by
//     mergeCategorySets: in the order of category_sets (not of
//     active_set_ids: computeEffectiveClasses filters category_sets), the
//     first category with a given name path wins;
//   - else "classes" when present, even empty;
//   - else DefaultCategories.
//
// aw-server (Python) stores each value as JSON; aw-server-rust stores it
// as a JSON string and decodes it before answering. A value that is a
// JSON-encoded string is decoded once more, so both read the same.
func ParseSettings(body []byte) ([]Category, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(body, &all); err != nil {
		return nil, fmt.Errorf("reading ActivityWatch settings: %w", err)
	}
	var sets []awCategorySet
	if ok, err := setting(all, "category_sets", &sets); err != nil {
		return nil, err
	} else if ok && len(sets) > 0 {
		var active []string
		if _, err := setting(all, "active_set_ids", &active); err != nil {
			return nil, err
		}
		return mergeSets(sets, active)
	}
	var classes []awCategory
	if ok, err := setting(all, "classes", &classes); err != nil {
		return nil, err
	} else if ok {
		return convertCategories(classes, "classes")
	}
	return DefaultCategories(), nil
}

// setting decodes one settings value into v; false when absent or null.
func setting(all map[string]json.RawMessage, key string, v any) (bool, error) {
	raw, ok := all[key]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return false, nil
	}
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '"' {
		var inner string
		if err := json.Unmarshal(t, &inner); err != nil {
			return false, fmt.Errorf("reading ActivityWatch setting %q: %w", key, err)
		}
		if inner == "" || inner == "null" {
			return false, nil
		}
		raw = json.RawMessage(inner)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("reading ActivityWatch setting %q: %w", key, err)
	}
	return true, nil
}

// mergeSets is aw-webui's computeEffectiveClasses + mergeCategorySets.
func mergeSets(sets []awCategorySet, activeIDs []string) ([]Category, error) {
	exists := func(id string) bool {
		return slices.ContainsFunc(sets, func(s awCategorySet) bool { return s.ID == id })
	}
	var active []string
	for _, id := range activeIDs {
		if exists(id) {
			active = append(active, id)
		}
	}
	if len(active) == 0 {
		active = []string{sets[0].ID}
	}
	seen := map[string]bool{}
	var out []Category
	for _, s := range sets {
		if !slices.Contains(active, s.ID) {
			continue
		}
		cats, err := convertCategories(s.Categories, fmt.Sprintf("category set %q", s.ID))
		if err != nil {
			return nil, err
		}
		for _, c := range cats {
			key := strings.Join(c.Name, "\x00")
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, c)
		}
	}
	return out, nil
}

func convertCategories(in []awCategory, where string) ([]Category, error) {
	out := make([]Category, 0, len(in))
	for i, c := range in {
		if len(c.Name) == 0 {
			return nil, fmt.Errorf("reading ActivityWatch %s: category %d has no name", where, i+1)
		}
		cat := Category{Name: c.Name, Type: "none"}
		if c.Rule != nil {
			if c.Rule.Type != nil && *c.Rule.Type != "" {
				cat.Type = *c.Rule.Type
			}
			cat.Regex = c.Rule.Regex
			cat.IgnoreCase = c.Rule.IgnoreCase == true
		}
		if color, ok := c.Data["color"].(string); ok {
			cat.Color = color
		}
		out = append(out, cat)
	}
	return out, nil
}

func isUncategorized(name []string) bool { return len(name) == 1 && name[0] == "Uncategorized" }

// ImportRules makes a project rule of each category with a regex (type
// "none", an empty regex and "Uncategorized" make none), ordered so that
// the first matching rule is the category ActivityWatch picks.
//
// ActivityWatch tests every category and keeps the deepest match; among
// equally deep ones the later in its list (aw-core
// aw_transform/classify.py _pick_category: reduce(_pick_deepest_cat, ...,
// ["Uncategorized"]) with `t2 if len(t2) >= len(t1) else t1`; the same in
// aw-server-rust aw-transform/src/classify.rs
// _pick_highest_ranking_category). aw-webui's own pickDeepest
// (src/util/classes.ts, lodash maxBy) keeps the earlier of equally deep
// ones, but it only colours the timeline; the figures come from the
// server's categorize, so the server's rule is followed. Hence: deepest
// first, and among equal depth, later in the list first.
//
// Positions are 1..n; Color is the colour ActivityWatch shows for the
// category (see Colors).
func ImportRules(cats []Category) []Rule {
	colors := Colors(cats)
	type indexed struct {
		c Category
		i int
	}
	var use []indexed
	for i, c := range cats {
		if c.Type == "regex" && c.Regex != "" && len(c.Name) > 0 && !isUncategorized(c.Name) {
			use = append(use, indexed{c, i})
		}
	}
	sort.SliceStable(use, func(a, b int) bool {
		if da, db := len(use[a].c.Name), len(use[b].c.Name); da != db {
			return da > db
		}
		return use[a].i > use[b].i
	})
	out := make([]Rule, len(use))
	for k, u := range use {
		name := ProjectName(u.c.Name)
		out[k] = Rule{
			Position:   k + 1,
			Action:     ActionProject,
			Project:    name,
			Match:      u.c.Regex,
			IgnoreCase: u.c.IgnoreCase,
			Source:     SourceActivityWatch,
			Category:   slices.Clone(u.c.Name),
			Color:      colors[name],
		}
	}
	return out
}

// Colors maps each category's project name to the colour ActivityWatch
// shows for it: its own data.color, else its nearest ancestor's, else
// grey (aw-webui src/util/color.ts getColorFromCategory). Categories
// without a rule are included: they are projects' parents and
// "Uncategorized".
func Colors(cats []Category) map[string]string {
	own := map[string]string{}
	for _, c := range cats {
		key := strings.Join(c.Name, "\x00")
		if _, ok := own[key]; !ok { // the first category of a name, as aw-webui's find
			own[key] = c.Color
		}
	}
	out := make(map[string]string, len(cats))
	for _, c := range cats {
		color := uncategorizedColor
		for n := len(c.Name); n > 0; n-- {
			if col := own[strings.Join(c.Name[:n], "\x00")]; col != "" {
				color = col
				break
			}
		}
		out[ProjectName(c.Name)] = color
	}
	return out
}

// Merge applies a fresh import to a stored rule list. Imported rules are
// matched to stored ones by category path (the n-th occurrence of a path
// to the n-th): a match keeps its ID and takes the imported content;
// stored imported rules whose category is gone are removed; new ones are
// added. The person's own rules (any Source but activitywatch) keep
// their places.
//
// Placement: the stored imported rules' positions are slots. The new
// imported list (ImportRules' order, deepest first) fills them in order,
// so a re-import restores ActivityWatch's order within its group. Extra
// new rules follow the last slot; unused slots close up. With no imported
// rules stored yet, the group goes after all of the person's rules (their
// rules are usually exceptions that should win). Positions are
// renumbered 1..n.
func Merge(existing []Rule, imported []Rule) []Rule {
	stored := append([]Rule(nil), existing...)
	sort.SliceStable(stored, func(i, j int) bool { return stored[i].Position < stored[j].Position })

	ids := map[string][]int64{} // category key -> stored IDs, in order
	for _, r := range stored {
		if r.Source == SourceActivityWatch {
			k := categoryKey(r)
			ids[k] = append(ids[k], r.ID)
		}
	}
	fresh := make([]Rule, len(imported))
	for i, r := range imported {
		r.Source = SourceActivityWatch
		r.ID = 0
		k := categoryKey(r)
		if q := ids[k]; len(q) > 0 {
			r.ID, ids[k] = q[0], q[1:]
		}
		fresh[i] = r
	}

	var out []Rule
	slots := 0
	for _, r := range stored {
		if r.Source != SourceActivityWatch {
			out = append(out, r)
			continue
		}
		if slots < len(fresh) {
			out = append(out, fresh[slots])
		}
		slots++
	}
	if slots == 0 {
		out = append(out, fresh...)
	} else if slots < len(fresh) {
		// extras go right after the last filled slot
		last := -1
		for i, r := range out {
			if r.Source == SourceActivityWatch {
				last = i
			}
		}
		out = slices.Insert(out, last+1, fresh[slots:]...)
	}
	for i := range out {
		out[i].Position = i + 1
	}
	return out
}

// categoryKey identifies an imported rule across imports.
func categoryKey(r Rule) string {
	if len(r.Category) > 0 {
		return strings.Join(r.Category, "\x00")
	}
	return strings.ReplaceAll(r.Project, " > ", "\x00")
}
