package awfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Settings: aw-webui keeps its settings (categories, views, start of day, …)
// on the server, one JSON value per key.
//
// aw-server (Python), aw_server/rest.py SettingsResource + settings.py: the
// values live in a JSON file. GET /api/0/settings is flask.jsonify(all):
// compact, keys sorted at every level, non-ASCII escaped, "\n" at the end;
// GET /api/0/settings/<key> is the value or null. POST /api/0/settings/<key>
// answers 200 with the value (flask-restx output, ", " separators) and,
// because Settings.set tests `if value:`, a falsy value (false, 0, "", [],
// {}, null) deletes the key instead of storing it.
//
// aw-server-rust, aw-server/src/endpoints/settings.rs: each value is stored
// as its serde_json text under "settings.<key>" and parsed again before
// answering, so GET returns JSON values, not strings. The list is a HashMap
// (no order; nested objects are serde_json Maps, sorted), raw UTF-8. Missing
// key: 200 null. POST answers 201 with no body and stores any value, null
// included; DELETE exists; keys of 128 bytes or more are 400 "Too long key".
//
// Both servers got these endpoints in October 2023 (aw-server #147,
// aw-server-rust #428); older servers answer 404.

// SetSetting stores one setting as if aw-webui had saved it; a nil value
// deletes the key. value must be JSON (it panics otherwise: a test bug).
func (s *Server) SetSetting(key string, value json.RawMessage) {
	if value != nil && !json.Valid(value) {
		panic(fmt.Sprintf("awfake: SetSetting(%q): value is not JSON: %.80s", key, value))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setSettingLocked(key, value)
}

func (s *Server) setSettingLocked(key string, value json.RawMessage) {
	if value == nil {
		if _, ok := s.settings[key]; ok {
			delete(s.settings, key)
			for i, k := range s.settingKeys {
				if k == key {
					s.settingKeys = append(s.settingKeys[:i:i], s.settingKeys[i+1:]...)
					break
				}
			}
		}
		return
	}
	if s.settings == nil {
		s.settings = map[string]json.RawMessage{}
	}
	if _, ok := s.settings[key]; !ok {
		s.settingKeys = append(s.settingKeys, key)
	}
	s.settings[key] = append(json.RawMessage(nil), bytes.TrimSpace(value)...)
}

// Setting returns one stored setting as it was stored.
func (s *Server) Setting(key string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.settings[key]
	return append(json.RawMessage(nil), v...), ok
}

// LoadSettings stores every key of a JSON object (such as aw-server's
// settings.json, or testdata/aw/settings-categories.json) in its order,
// replacing keys that exist and keeping the others.
func (s *Server) LoadSettings(raw []byte) error {
	obj, err := parseJSON(raw)
	if err != nil {
		return fmt.Errorf("reading settings: %w", err)
	}
	if obj.kind != '{' {
		return errors.New("reading settings: not a JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, k := range obj.keys {
		s.setSettingLocked(k, obj.vals[i].encode(jsonStyle{}))
	}
	return nil
}

// serveSettings answers /api/0/settings and /api/0/settings/<key>; rest is
// the escaped path after "/api/0/settings" ("" or "/<key>").
func (s *Server) serveSettings(w http.ResponseWriter, r *http.Request, rest string) {
	if rest == "" {
		switch r.Method {
		case http.MethodGet:
			s.mu.Lock()
			body := s.settingsJSONLocked()
			s.mu.Unlock()
			s.writeRaw(w, 200, body)
		case http.MethodPost:
			if s.Flavour == Python {
				s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Missing required parameter key"})
				return
			}
			s.notFound(w)
		default:
			s.methodNotAllowed(w)
		}
		return
	}
	rawKey := strings.TrimPrefix(rest, "/")
	key, err := url.PathUnescape(rawKey)
	if err != nil || key == "" || strings.Contains(rawKey, "/") || strings.Contains(key, "/") {
		s.notFound(w)
		return
	}
	if s.Flavour == Rust && len(key) >= 128 {
		s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Too long key"})
		return
	}
	switch {
	case r.Method == http.MethodGet:
		s.mu.Lock()
		v, ok := s.settings[key]
		s.mu.Unlock()
		if !ok {
			v = json.RawMessage("null")
		}
		s.writeRaw(w, 200, s.settingValueJSON(v))
	case r.Method == http.MethodPost:
		s.postSetting(w, r, key)
	case r.Method == http.MethodDelete && s.Flavour == Rust:
		s.SetSetting(key, nil)
		w.WriteHeader(http.StatusOK)
	default:
		s.methodNotAllowed(w)
	}
}

func (s *Server) postSetting(w http.ResponseWriter, r *http.Request, key string) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		if s.Flavour == Python { // werkzeug's get_json
			s.writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"message": "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."})
		} else { // the route has format = "application/json": no route matches
			s.notFound(w)
		}
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil || !json.Valid(body) {
		msg := "The browser (or proxy) sent a request that this server could not understand."
		if s.Flavour == Rust {
			msg = "Bad Request"
		}
		s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": msg})
		return
	}
	value := json.RawMessage(bytes.TrimSpace(body))
	if s.Flavour == Python {
		if pythonFalsy(value) {
			s.SetSetting(key, nil)
		} else {
			s.SetSetting(key, value)
		}
		// flask-restx output_json: json.dumps with default separators.
		out, err := parseJSON(value)
		if err != nil {
			s.writeJSON(w, 500, map[string]string{"message": "Internal Server Error"})
			return
		}
		s.writeRaw(w, 200, out.encode(jsonStyle{spaced: true, ascii: true}))
		return
	}
	s.SetSetting(key, value)
	w.WriteHeader(http.StatusCreated)
}

// settingsJSONLocked is the body of GET /api/0/settings.
func (s *Server) settingsJSONLocked() []byte {
	keys := append([]string(nil), s.settingKeys...)
	if s.Flavour == Python {
		sort.Strings(keys)
	} else {
		// A HashMap has no order; reverse insertion order makes a reader
		// that depends on the order visible without being random.
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeJSONString(&buf, k, s.Flavour == Python)
		buf.WriteByte(':')
		buf.Write(s.settingValueJSON(s.settings[k]))
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// settingValueJSON writes a stored value as the flavour's GET does: compact
// with sorted keys, ASCII-escaped for Python.
func (s *Server) settingValueJSON(v json.RawMessage) []byte {
	n, err := parseJSON(v)
	if err != nil {
		return v
	}
	return n.encode(jsonStyle{sorted: true, ascii: s.Flavour == Python})
}

func (s *Server) notFound(w http.ResponseWriter) {
	s.writeJSON(w, http.StatusNotFound, map[string]string{"message": "The requested URL was not found on the server."})
}

func (s *Server) methodNotAllowed(w http.ResponseWriter) {
	s.writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "The method is not allowed for the requested URL."})
}

// pythonFalsy is Python's truth test on a decoded JSON value.
func pythonFalsy(v json.RawMessage) bool {
	n, err := parseJSON(v)
	if err != nil {
		return false
	}
	switch n.kind {
	case 'n':
		return true
	case 'b':
		return string(n.scalar) == "false"
	case '0':
		f, err := strconv.ParseFloat(string(n.scalar), 64)
		return err == nil && f == 0
	case 's':
		return string(n.scalar) == ""
	case '[':
		return len(n.elems) == 0
	case '{':
		return len(n.keys) == 0
	}
	return false
}

// jsonNode is a decoded JSON value that keeps object key order and number
// text, so it can be written again in either server's style.
type jsonNode struct {
	kind   byte   // '{', '[', 's' string, '0' number, 'b' bool, 'n' null
	scalar []byte // number text, "true"/"false", or the decoded string
	keys   []string
	vals   []jsonNode
	elems  []jsonNode
}

func parseJSON(raw []byte) (jsonNode, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := parseNode(dec)
	if err != nil {
		return jsonNode{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return jsonNode{}, errors.New("trailing data after the JSON value")
	}
	return n, nil
}

func parseNode(dec *json.Decoder) (jsonNode, error) {
	tok, err := dec.Token()
	if err != nil {
		return jsonNode{}, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := jsonNode{kind: '{'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return jsonNode{}, err
				}
				v, err := parseNode(dec)
				if err != nil {
					return jsonNode{}, err
				}
				n.keys = append(n.keys, kt.(string))
				n.vals = append(n.vals, v)
			}
			_, err := dec.Token() // '}'
			return n, err
		case '[':
			n := jsonNode{kind: '['}
			for dec.More() {
				v, err := parseNode(dec)
				if err != nil {
					return jsonNode{}, err
				}
				n.elems = append(n.elems, v)
			}
			_, err := dec.Token() // ']'
			return n, err
		}
		return jsonNode{}, fmt.Errorf("unexpected %v", t)
	case string:
		return jsonNode{kind: 's', scalar: []byte(t)}, nil
	case json.Number:
		return jsonNode{kind: '0', scalar: []byte(t)}, nil
	case bool:
		return jsonNode{kind: 'b', scalar: []byte(strconv.FormatBool(t))}, nil
	case nil:
		return jsonNode{kind: 'n'}, nil
	}
	return jsonNode{}, fmt.Errorf("unexpected token %v", tok)
}

// jsonStyle: spaced is Python's default ", "/": " separators (else
// compact); sorted sorts object keys; ascii escapes non-ASCII as \uXXXX
// (Python's ensure_ascii). Nothing is HTML-escaped.
type jsonStyle struct{ spaced, sorted, ascii bool }

func (n jsonNode) encode(st jsonStyle) []byte {
	var buf bytes.Buffer
	n.write(&buf, st)
	return buf.Bytes()
}

func (n jsonNode) write(buf *bytes.Buffer, st jsonStyle) {
	itemSep, keySep := ",", ":"
	if st.spaced {
		itemSep, keySep = ", ", ": "
	}
	switch n.kind {
	case '{':
		idx := make([]int, len(n.keys))
		for i := range idx {
			idx[i] = i
		}
		if st.sorted {
			sort.SliceStable(idx, func(a, b int) bool { return n.keys[idx[a]] < n.keys[idx[b]] })
		}
		buf.WriteByte('{')
		for i, j := range idx {
			if i > 0 {
				buf.WriteString(itemSep)
			}
			writeJSONString(buf, n.keys[j], st.ascii)
			buf.WriteString(keySep)
			n.vals[j].write(buf, st)
		}
		buf.WriteByte('}')
	case '[':
		buf.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				buf.WriteString(itemSep)
			}
			e.write(buf, st)
		}
		buf.WriteByte(']')
	case 's':
		writeJSONString(buf, string(n.scalar), st.ascii)
	case 'n':
		buf.WriteString("null")
	default:
		buf.Write(n.scalar)
	}
}

// writeJSONString escapes as Python's json and serde_json do: the short
// escapes, other control characters as \u00xx, and (ascii) every non-ASCII
// rune as \uxxxx, astral ones as a surrogate pair.
func writeJSONString(buf *bytes.Buffer, s string, ascii bool) {
	const hex = "0123456789abcdef"
	u4 := func(r rune) {
		buf.WriteString(`\u`)
		buf.WriteByte(hex[r>>12&0xf])
		buf.WriteByte(hex[r>>8&0xf])
		buf.WriteByte(hex[r>>4&0xf])
		buf.WriteByte(hex[r&0xf])
	}
	buf.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			buf.WriteString(`\"`)
		case r == '\\':
			buf.WriteString(`\\`)
		case r == '\n':
			buf.WriteString(`\n`)
		case r == '\r':
			buf.WriteString(`\r`)
		case r == '\t':
			buf.WriteString(`\t`)
		case r == '\b':
			buf.WriteString(`\b`)
		case r == '\f':
			buf.WriteString(`\f`)
		case r < 0x20:
			u4(r)
		case ascii && r > 0x7e: // Python escapes all but ' '..'~'
			if r > 0xffff {
				r -= 0x10000
				u4(0xd800 + r>>10)
				u4(0xdc00 + r&0x3ff)
			} else {
				u4(r)
			}
		default:
			buf.WriteRune(r)
		}
	}
	buf.WriteByte('"')
}
