package awfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func settingsServer(t *testing.T, f Flavour) (*Server, string) {
	t.Helper()
	s := New(f, "devbox")
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

func send(t *testing.T, method, url, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSettingsNoneByDefault(t *testing.T) {
	for _, f := range []Flavour{Python, Rust} {
		fx, err := NewFromFixtures(f)
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(fx)
		status, body := get(t, hs.URL+"/api/0/settings")
		status1, body1 := get(t, hs.URL+"/api/0/settings/classes")
		hs.Close()
		if status != 200 || body != "{}" || status1 != 200 || body1 != "null" {
			t.Errorf("flavour %d: fresh server answered %d %s and %d %s, want {} and null", f, status, body, status1, body1)
		}
	}
}

// The stored value is the same; each flavour writes it its own way.
func TestSettingsWireFormat(t *testing.T) {
	value := json.RawMessage(`{"zeta": 1, "name": ["Work", "Übersetzen 😀"], "rule": {"type": "regex", "regex": "a<b&c\\.go"}, "score": -5.5}`)
	tests := []struct {
		flavour  Flavour
		all, one string
	}{
		{Python,
			// flask.jsonify: compact, sorted keys everywhere, ensure_ascii, "\n"
			`{"a":true,"classes":{"name":["Work","\u00dcbersetzen \ud83d\ude00"],"rule":{"regex":"a<b&c\\.go","type":"regex"},"score":-5.5,"zeta":1},"startOfDay":"04:00"}` + "\n",
			`{"name":["Work","\u00dcbersetzen \ud83d\ude00"],"rule":{"regex":"a<b&c\\.go","type":"regex"},"score":-5.5,"zeta":1}` + "\n"},
		{Rust,
			// HashMap at the top (here: reverse insertion order), sorted
			// serde_json Maps inside, compact, raw UTF-8, no newline
			`{"classes":{"name":["Work","Übersetzen 😀"],"rule":{"regex":"a<b&c\\.go","type":"regex"},"score":-5.5,"zeta":1},"startOfDay":"04:00","a":true}`,
			`{"name":["Work","Übersetzen 😀"],"rule":{"regex":"a<b&c\\.go","type":"regex"},"score":-5.5,"zeta":1}`},
	}
	for _, tt := range tests {
		s, base := settingsServer(t, tt.flavour)
		s.SetSetting("a", json.RawMessage(`true`))
		s.SetSetting("startOfDay", json.RawMessage(`"04:00"`))
		s.SetSetting("classes", value)
		resp, err := http.Get(base + "/api/0/settings")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != tt.all || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("flavour %d: GET settings =\n%s\nwant\n%s", tt.flavour, b, tt.all)
		}
		if _, one := send(t, "GET", base+"/api/0/settings/classes", "", ""); one != tt.one {
			t.Errorf("flavour %d: GET settings/classes =\n%s\nwant\n%s", tt.flavour, one, tt.one)
		}
		var decoded map[string]any
		if err := json.Unmarshal(b, &decoded); err != nil || decoded["classes"].(map[string]any)["name"].([]any)[1] != "Übersetzen 😀" {
			t.Errorf("flavour %d: does not decode back: %v %v", tt.flavour, decoded, err)
		}
	}
}

func TestSettingsPostPython(t *testing.T) {
	s, base := settingsServer(t, Python)
	set := base + "/api/0/settings/"
	if status, body := send(t, "POST", set+"startOfDay", "application/json", `"05:00"`); status != 200 || body != `"05:00"`+"\n" {
		t.Errorf("POST string: %d %q", status, body)
	}
	// flask-restx echoes the value with json.dumps' ", " separators, unsorted
	if status, body := send(t, "POST", set+"classes", "application/json", `[{"name":["Café"],"rule":{"type":"none"}}]`); status != 200 ||
		body != `[{"name": ["Caf\u00e9"], "rule": {"type": "none"}}]`+"\n" {
		t.Errorf("POST list: %d %q", status, body)
	}
	if v, ok := s.Setting("classes"); !ok || string(v) != `[{"name":["Café"],"rule":{"type":"none"}}]` {
		t.Errorf("stored %s %v", v, ok)
	}
	// Settings.set: `if value:` — a falsy value deletes the key.
	for _, falsy := range []string{`""`, `false`, `0`, `[]`, `{}`, `null`} {
		send(t, "POST", set+"startOfDay", "application/json", `"05:00"`)
		if status, body := send(t, "POST", set+"startOfDay", "application/json", falsy); status != 200 || body != falsy+"\n" {
			t.Errorf("POST %s: %d %q", falsy, status, body)
		}
		if _, ok := s.Setting("startOfDay"); ok {
			t.Errorf("POST %s kept the key", falsy)
		}
	}
	if status, body := send(t, "POST", base+"/api/0/settings", "application/json", `1`); status != 400 || !strings.Contains(body, "Missing required parameter key") {
		t.Errorf("POST without key: %d %s", status, body)
	}
	if status, _ := send(t, "POST", set+"x", "text/plain", `1`); status != 415 {
		t.Errorf("POST text/plain: %d, want 415", status)
	}
	if status, _ := send(t, "POST", set+"x", "application/json", `{`); status != 400 {
		t.Errorf("POST bad JSON: %d, want 400", status)
	}
	if status, _ := send(t, "DELETE", set+"classes", "", ""); status != 405 {
		t.Errorf("DELETE: %d, want 405 (Python has none)", status)
	}
}

func TestSettingsPostRust(t *testing.T) {
	s, base := settingsServer(t, Rust)
	set := base + "/api/0/settings/"
	if status, body := send(t, "POST", set+"theme", "application/json", `"dark"`); status != 201 || body != "" {
		t.Errorf("POST: %d %q, want 201 and no body", status, body)
	}
	if status, body := send(t, "POST", set+"devmode", "application/json", `false`); status != 201 || body != "" {
		t.Errorf("POST false: %d %q", status, body)
	}
	if _, body := get(t, base+"/api/0/settings/devmode"); body != "false" {
		t.Errorf("false not stored: %s", body)
	}
	if status, _ := send(t, "DELETE", set+"devmode", "", ""); status != 200 {
		t.Errorf("DELETE: %d", status)
	}
	if _, body := get(t, base+"/api/0/settings"); body != `{"theme":"dark"}` {
		t.Errorf("after delete: %s", body)
	}
	long := strings.Repeat("k", 128)
	if status, body := send(t, "POST", set+long, "application/json", `1`); status != 400 || body != `{"message":"Too long key"}` {
		t.Errorf("long key: %d %s", status, body)
	}
	if status, _ := send(t, "POST", set+"x", "text/plain", `1`); status != 404 {
		t.Errorf("POST text/plain: %d, want 404 (no route with that format)", status)
	}
	if _, ok := s.Setting("x"); ok {
		t.Error("a refused POST stored a value")
	}
	s.APIKey = "k"
	if status, _ := get(t, base+"/api/0/settings"); status != 401 {
		t.Errorf("settings without the API key: %d, want 401", status)
	}
}

// The fixture is what aw-webui stores: its flat "classes" is the merge of
// the active category sets (in category_sets order, first name wins).
func TestSettingsFixture(t *testing.T) {
	raw, err := FixtureFile("settings-categories.json")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Python, "devbox")
	if err := s.LoadSettings(raw); err != nil {
		t.Fatal(err)
	}
	if s.settingKeys[0] != "startOfDay" || s.settingKeys[len(s.settingKeys)-1] != "active_set_ids" {
		t.Errorf("file order lost: %v", s.settingKeys)
	}
	type category struct {
		Name []string       `json:"name"`
		Rule map[string]any `json:"rule"`
		Data map[string]any `json:"data"`
		ID   int            `json:"id"`
	}
	var all struct {
		Classes []category `json:"classes"`
		Sets    []struct {
			ID         string     `json:"id"`
			Categories []category `json:"categories"`
		} `json:"category_sets"`
		Active []string `json:"active_set_ids"`
	}
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	if len(all.Sets) != 3 || !reflect.DeepEqual(all.Active, []string{"default", "clients"}) {
		t.Fatalf("sets %d, active %v", len(all.Sets), all.Active)
	}
	seen := map[string]bool{}
	var merged [][]string
	for _, set := range all.Sets {
		if !slices.Contains(all.Active, set.ID) {
			continue
		}
		for _, c := range set.Categories {
			k := strings.Join(c.Name, "\x00")
			if !seen[k] {
				seen[k] = true
				merged = append(merged, c.Name)
			}
		}
	}
	var names [][]string
	for i, c := range all.Classes {
		names = append(names, c.Name)
		if c.ID != i {
			t.Errorf("classes[%d] has id %d", i, c.ID)
		}
	}
	if !reflect.DeepEqual(names, merged) || len(names) != 27 {
		t.Errorf("classes (%d) are not the merge of the active sets (%d):\n%v\n%v", len(names), len(merged), names, merged)
	}
	want := map[string]bool{"lookahead": false, "none": false, "nested": false, "umlaut": false}
	for _, c := range all.Classes {
		switch {
		case c.Rule["regex"] == "^(?!.*Jira).*YouTube":
			want["lookahead"] = c.Rule["ignore_case"] == true
		case strings.Join(c.Name, ">") == "Personal" && c.Rule["type"] == "none":
			want["none"] = c.Data["color"] == "#A0A0FF"
		case strings.Join(c.Name, ">") == "Work>Programming>aw-timetracker":
			want["nested"] = c.Data["color"] == "#2E8B57"
		case strings.Join(c.Name, ">") == "Personal>Sprachen & Übersetzen":
			want["umlaut"] = true
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("fixture lacks the %s category", k)
		}
	}
	// Served by both flavours, it decodes to the same object as the file.
	var fromFile any
	_ = json.Unmarshal(raw, &fromFile)
	for _, f := range []Flavour{Python, Rust} {
		srv, base := settingsServer(t, f)
		if err := srv.LoadSettings(raw); err != nil {
			t.Fatal(err)
		}
		_, body := get(t, base+"/api/0/settings")
		var served any
		if err := json.Unmarshal([]byte(body), &served); err != nil || !reflect.DeepEqual(served, fromFile) {
			t.Errorf("flavour %d: served settings differ from the file (%v)", f, err)
		}
	}
}

func TestLoadSettingsRejectsNonObject(t *testing.T) {
	s := New(Rust, "h")
	for _, bad := range []string{`[1]`, `"x"`, `{"a":`, `{} {}`} {
		if err := s.LoadSettings([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := s.LoadSettings([]byte(`{"b": 1, "a": {"y": 2, "x": 1}}`)); err != nil {
		t.Fatal(err)
	}
	s.SetSetting("b", nil)
	if v, ok := s.Setting("a"); !ok || string(v) != `{"y":2,"x":1}` || len(s.settingKeys) != 1 {
		t.Errorf("a = %s %v, keys %v", v, ok, s.settingKeys)
	}
}
