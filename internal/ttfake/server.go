// Package ttfake is an in-memory TimeTracker /api/v1 that enforces the
// contract observed on a running TimeTracker 5.10.0 (shared/reference):
// token and scope checks, unknown-field rejection, required project and end
// time, the overlap rule, idempotent replay of Idempotency-Key, 429 with
// Retry-After past the per-minute limit, and naive times in its zone (an
// offset is dropped, as on the SQLite backend), and tasks as the real one
// takes them: GET /tasks?project_id=, a JSON create refusing any truthy
// task_id, an update (PUT/PATCH) setting it without checking it.
package ttfake

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Entry is a stored time entry (naive times in the server's zone).
type Entry struct {
	ID         int64
	UserToken  string
	ProjectID  int64
	Start, End time.Time
	Notes      string
	Tags       string
	Billable   bool
	TaskID     int64
}

// Task is a project's task.
type Task struct {
	ID        int64
	ProjectID int64
	Name      string
	Status    string // todo, in_progress, done, …
}

// Server is the fake.
type Server struct {
	Timezone      string
	SetupRequired bool
	PerMinute     int // rate limit per token; 0: 100
	Now           func() time.Time

	// Intercept sees each request first; true means it answered (faults).
	Intercept func(w http.ResponseWriter, r *http.Request) bool

	mu       sync.Mutex
	tokens   map[string][]string // token → scopes
	projects []map[string]any
	entries  map[int64]*Entry
	tasks    []Task
	nextID   int64
	idem     map[string][]byte // token|sha256(key) → stored 201 body
	window   map[string][]time.Time
	requests int
	posts    int
}

// New returns a server in zone tz with no tokens and no projects.
func New(tz string) *Server {
	return &Server{Timezone: tz, tokens: map[string][]string{}, entries: map[int64]*Entry{}, nextID: 1,
		idem: map[string][]byte{}, window: map[string][]time.Time{}, Now: time.Now}
}

// AddToken registers an API token with scopes.
func (s *Server) AddToken(token string, scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = scopes
}

// AddProject adds an active project and returns its id.
func (s *Server) AddProject(name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := int64(len(s.projects) + 1)
	s.projects = append(s.projects, map[string]any{"id": id, "name": name, "status": "active", "client": nil, "billable": true})
	return id
}

// AddTask adds a task to a project and returns its id.
func (s *Server) AddTask(projectID int64, name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := int64(len(s.tasks) + 1)
	s.tasks = append(s.tasks, Task{ID: id, ProjectID: projectID, Name: name, Status: "todo"})
	return id
}

// AddEntry stores an entry as the web UI or another device would make it
// (no overlap check); a zero End is a running timer. It returns the id.
func (s *Server) AddEntry(token string, e Entry) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.ID, e.UserToken = s.nextID, token
	s.nextID++
	s.entries[e.ID] = &e
	return e.ID
}

// EditEntry changes an entry as a person would in the web UI.
func (s *Server) EditEntry(id int64, f func(*Entry)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[id]; ok {
		f(e)
	}
}

// Entries returns the stored entries by start.
func (s *Server) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// Posts counts POST /time-entries requests that reached the handler.
func (s *Server) Posts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts
}

// Requests counts authenticated requests (every one a rate limit counts).
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.Intercept != nil && s.Intercept(w, r) {
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/api/v1/info" && r.Method == http.MethodGet:
		writeJSON(w, 200, map[string]any{"api_version": "v1", "app_version": "5.10.0", "setup_required": s.SetupRequired,
			"endpoints": map[string]string{"time_entries": "/api/v1/time-entries"}, "timezone": s.Timezone,
			"authentication": "API Token (Bearer or X-API-Key header)"})
		return
	case path == "/api/v1/health":
		writeJSON(w, 200, map[string]any{"status": "healthy"})
		return
	}
	token, ok := s.auth(w, r)
	if !ok {
		return
	}
	switch {
	case path == "/api/v1/projects" && r.Method == http.MethodGet:
		if s.scope(w, token, "read:projects") {
			s.listProjects(w, r)
		}
	case path == "/api/v1/tasks" && r.Method == http.MethodGet:
		if s.scope(w, token, "read:tasks") {
			s.listTasks(w, r)
		}
	case path == "/api/v1/timer/status" && r.Method == http.MethodGet:
		if s.scope(w, token, "read:time_entries") {
			writeJSON(w, 200, map[string]any{"active": false, "timer": nil})
		}
	case path == "/api/v1/users/me" && r.Method == http.MethodGet:
		if s.scope(w, token, "read:users") {
			writeJSON(w, 200, map[string]any{"user": map[string]any{"id": 1, "username": "dev"}})
		}
	case path == "/api/v1/time-entries" && r.Method == http.MethodPost:
		if s.scope(w, token, "write:time_entries") {
			s.create(w, r, token)
		}
	case strings.HasPrefix(path, "/api/v1/time-entries/") && (r.Method == http.MethodPut || r.Method == http.MethodPatch):
		if s.scope(w, token, "write:time_entries") {
			s.update(w, r, token, strings.TrimPrefix(path, "/api/v1/time-entries/"))
		}
	case path == "/api/v1/users" && r.Method == http.MethodGet:
		if s.scope(w, token, "admin:all") {
			writeJSON(w, 200, map[string]any{"users": []any{map[string]any{"id": 1, "username": "dev"}}})
		}
	case path == "/api/v1/time-entries" && r.Method == http.MethodGet:
		if s.scope(w, token, "read:time_entries") {
			s.list(w, r, token)
		}
	case strings.HasPrefix(path, "/api/v1/time-entries/") && r.Method == http.MethodDelete:
		if s.scope(w, token, "write:time_entries") {
			s.delete(w, token, strings.TrimPrefix(path, "/api/v1/time-entries/"))
		}
	case strings.HasPrefix(path, "/api/v1/time-entries/") && r.Method == http.MethodGet:
		if s.scope(w, token, "read:time_entries") {
			s.get(w, token, strings.TrimPrefix(path, "/api/v1/time-entries/"))
		}
	default:
		writeJSON(w, 404, map[string]any{"error": "Resource not found", "error_code": "not_found", "message": "Resource not found"})
	}
}

// auth checks the token and the per-token rate limit (every authenticated
// request counts, rejected ones too).
func (s *Server) auth(w http.ResponseWriter, r *http.Request) (string, bool) {
	token := r.Header.Get("X-API-Key")
	if h := r.Header.Get("Authorization"); h != "" {
		parts := strings.Fields(h)
		if len(parts) == 2 && (strings.EqualFold(parts[0], "Bearer") || strings.EqualFold(parts[0], "Token")) {
			token = parts[1]
		}
	}
	if token == "" {
		writeJSON(w, 401, map[string]any{"error": "Authentication required", "error_code": "unauthorized",
			"message": "API token must be provided in Authorization header or X-API-Key header"})
		return "", false
	}
	s.mu.Lock()
	_, known := s.tokens[token]
	s.mu.Unlock()
	if !strings.HasPrefix(token, "tt_") {
		writeJSON(w, 401, map[string]any{"error": "Invalid token", "error_code": "unauthorized", "message": "Invalid token format"})
		return "", false
	}
	if !known {
		writeJSON(w, 401, map[string]any{"error": "Invalid token", "error_code": "unauthorized", "message": "Token not found"})
		return "", false
	}
	limit := s.PerMinute
	if limit <= 0 {
		limit = 100
	}
	s.mu.Lock()
	now := s.Now()
	windowStart := now.Truncate(time.Minute)
	var kept []time.Time
	for _, t := range s.window[token] {
		if !t.Before(windowStart) {
			kept = append(kept, t)
		}
	}
	s.requests++
	over := len(kept) >= limit
	if !over {
		kept = append(kept, now)
	}
	s.window[token] = kept
	s.mu.Unlock()
	if over {
		retry := int(windowStart.Add(time.Minute).Sub(now).Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		writeJSON(w, 429, map[string]any{"error": "Rate limit exceeded", "error_code": "rate_limited",
			"message": "Too many requests for this API token. Try again later.", "limit_per_minute": limit, "remaining_per_minute": 0})
		return "", false
	}
	return token, true
}

func (s *Server) scope(w http.ResponseWriter, token, need string) bool {
	s.mu.Lock()
	scopes := s.tokens[token]
	s.mu.Unlock()
	res := strings.SplitN(need, ":", 2)[0]
	for _, sc := range scopes {
		if sc == need || sc == "*" || sc == "admin:all" || sc == res+":*" {
			return true
		}
	}
	writeJSON(w, 403, map[string]any{"error": "Insufficient permissions", "error_code": "forbidden",
		"message": fmt.Sprintf("This endpoint requires one of: %q", need), "required_scope": need, "available_scopes": scopes})
	return false
}

func (s *Server) listProjects(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if page < 1 {
		page = 1
	}
	if per < 1 {
		per = 50
	}
	if per > 100 {
		per = 100
	}
	s.mu.Lock()
	all := append([]map[string]any(nil), s.projects...)
	s.mu.Unlock()
	from, to := (page-1)*per, page*per
	if from > len(all) {
		from = len(all)
	}
	if to > len(all) {
		to = len(all)
	}
	pages := (len(all) + per - 1) / per
	writeJSON(w, 200, map[string]any{"projects": all[from:to], "pagination": map[string]any{
		"page": page, "per_page": per, "total": len(all), "pages": pages, "has_next": page < pages, "has_prev": page > 1}})
}

// listTasks answers GET /tasks: done tasks included, an unknown project
// an empty list, project_id that is not a number ignored (all tasks).
func (s *Server) listTasks(w http.ResponseWriter, r *http.Request) {
	pid, filter := int64(0), false
	if v := r.URL.Query().Get("project_id"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			pid, filter = n, true
		}
	}
	s.mu.Lock()
	out := []map[string]any{}
	for _, t := range s.tasks {
		if !filter || t.ProjectID == pid {
			out = append(out, map[string]any{"id": t.ID, "name": t.Name, "project_id": t.ProjectID, "status": t.Status,
				"priority": "medium", "tags": nil, "tag_list": []string{}})
		}
	}
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"tasks": out, "pagination": map[string]any{"page": 1, "per_page": 50, "total": len(out),
		"pages": 1, "has_next": false, "has_prev": false, "next_page": nil, "prev_page": nil}})
}

var allowed = map[string]bool{"project_id": true, "client_id": true, "task_id": true, "start_time": true, "end_time": true,
	"notes": true, "tags": true, "billable": true, "paid": true, "break_seconds": true, "invoice_number": true, "user_id": true}

func (s *Server) create(w http.ResponseWriter, r *http.Request, token string) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeJSON(w, 415, map[string]any{"error": "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.", "error_code": 415, "success": false})
		return
	}
	s.mu.Lock()
	s.posts++
	s.mu.Unlock()
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	idemKey := ""
	if key != "" && len(key) <= 128 {
		sum := sha256.Sum256([]byte(key))
		idemKey = token + "|" + string(sum[:])
		s.mu.Lock()
		stored, ok := s.idem[idemKey]
		s.mu.Unlock()
		if ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(201)
			w.Write(stored)
			return
		}
	}
	body, ok := s.decode(w, r, false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := &Entry{UserToken: token, Billable: true}
	if !s.apply(w, e, body, true, 0) {
		return
	}
	e.ID = s.nextID
	s.nextID++
	s.entries[e.ID] = e
	resp, _ := json.Marshal(map[string]any{"message": "Time entry created successfully", "time_entry": entryJSON(e)})
	if idemKey != "" {
		s.idem[idemKey] = resp
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(201)
	w.Write(resp)
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, token, idText string) {
	id, err := strconv.ParseInt(idText, 10, 64)
	s.mu.Lock()
	e, ok := s.entries[id]
	s.mu.Unlock()
	if err != nil || !ok || e.UserToken != token {
		writeJSON(w, 404, map[string]any{"error": "Resource not found", "error_code": "not_found", "message": "Resource not found"})
		return
	}
	body, ok := s.decode(w, r, true)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	updated := *e
	if !s.apply(w, &updated, body, false, id) {
		return
	}
	*e = updated
	writeJSON(w, 200, map[string]any{"message": "Time entry updated successfully", "time_entry": entryJSON(e)})
}

func (s *Server) get(w http.ResponseWriter, token, idText string) {
	id, _ := strconv.ParseInt(idText, 10, 64)
	s.mu.Lock()
	e, ok := s.entries[id]
	s.mu.Unlock()
	if !ok || e.UserToken != token {
		writeJSON(w, 404, map[string]any{"error": "Resource not found", "error_code": "not_found", "message": "Resource not found"})
		return
	}
	writeJSON(w, 200, map[string]any{"time_entry": entryJSON(e)})
}

// list is GET /time-entries (reference §3.6): the token's own entries,
// start_date/end_date filtering on start_time (a date-only end_date is
// the end of that day), running timers only with include_active=true,
// newest first, pages of per_page (default 50, at most 100).
func (s *Server) list(w http.ResponseWriter, r *http.Request, token string) {
	q := r.URL.Query()
	var from, to time.Time
	if v := q.Get("start_date"); v != "" {
		t, err := parseNaive(v)
		if err != nil {
			if t, err = time.Parse("2006-01-02", v); err != nil {
				fail(w, "Invalid start_date")
				return
			}
		}
		from = t
	}
	if v := q.Get("end_date"); v != "" {
		t, err := parseNaive(v)
		if err != nil {
			d, derr := time.Parse("2006-01-02", v)
			if derr != nil {
				fail(w, "Invalid end_date")
				return
			}
			t = d.Add(24*time.Hour - time.Microsecond)
		}
		to = t
	}
	active := q.Get("include_active") == "true"
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 {
		perPage = 50
	}
	perPage = min(perPage, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	s.mu.Lock()
	var mine []*Entry
	for _, e := range s.entries {
		switch {
		case e.UserToken != token:
		case e.End.IsZero() && !active:
		case !from.IsZero() && e.Start.Before(from):
		case !to.IsZero() && e.Start.After(to):
		default:
			mine = append(mine, e)
		}
	}
	sort.Slice(mine, func(i, j int) bool { return mine[i].Start.After(mine[j].Start) })
	total := len(mine)
	lo, hi := min((page-1)*perPage, total), min(page*perPage, total)
	out := make([]map[string]any, 0, hi-lo)
	for _, e := range mine[lo:hi] {
		out = append(out, entryJSON(e))
	}
	s.mu.Unlock()
	pages := (total + perPage - 1) / perPage
	next, prev := any(nil), any(nil)
	if page < pages {
		next = page + 1
	}
	if page > 1 {
		prev = page - 1
	}
	writeJSON(w, 200, map[string]any{"time_entries": out, "pagination": map[string]any{"page": page, "per_page": perPage,
		"total": total, "pages": pages, "has_next": page < pages, "has_prev": page > 1, "next_page": next, "prev_page": prev}})
}

// delete removes one of the token's entries (reference §3.6: 200 with a
// message). An unknown id gets what TimeTracker 5.10.0 answers (checked on
// ttreal): 400 "Time entry not found", error_code "error".
func (s *Server) delete(w http.ResponseWriter, token, idText string) {
	id, _ := strconv.ParseInt(idText, 10, 64)
	s.mu.Lock()
	e, ok := s.entries[id]
	if ok && e.UserToken == token {
		delete(s.entries, id)
	}
	s.mu.Unlock()
	if !ok || e.UserToken != token {
		fail(w, "Time entry not found")
		return
	}
	writeJSON(w, 200, map[string]any{"message": "Time entry deleted successfully"})
}

// decode reads the body and rejects unknown fields and explicit nulls.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, partial bool) (map[string]json.RawMessage, bool) {
	var body map[string]json.RawMessage
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&body); err != nil {
		validation(w, map[string][]string{"_schema": {"Invalid input type."}})
		return nil, false
	}
	errs := map[string][]string{}
	for k, v := range body {
		if !allowed[k] {
			errs[k] = []string{"Unknown field."}
		} else if bytes.Equal(bytes.TrimSpace(v), []byte("null")) && (k == "project_id" || k == "client_id") {
			errs[k] = []string{"Either project_id or client_id must be provided"}
		}
	}
	if _, ok := body["start_time"]; !ok && !partial {
		errs["start_time"] = []string{"Missing data for required field."}
	}
	if len(errs) > 0 {
		validation(w, errs)
		return nil, false
	}
	return body, true
}

// apply validates and applies fields to e (locked).
func (s *Server) apply(w http.ResponseWriter, e *Entry, body map[string]json.RawMessage, create bool, self int64) bool {
	errs := map[string][]string{}
	if v, ok := body["project_id"]; ok {
		if err := json.Unmarshal(v, &e.ProjectID); err != nil {
			errs["project_id"] = []string{"Not a valid integer."}
		}
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"start_time", &e.Start}, {"end_time", &e.End}} {
		v, ok := body[f.name]
		if !ok {
			continue
		}
		var str string
		t, err := time.Time{}, json.Unmarshal(v, &str)
		if err == nil {
			t, err = parseNaive(str)
		}
		if err != nil {
			errs[f.name] = []string{"Not a valid datetime."}
			continue
		}
		*f.dst = t
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"notes", &e.Notes}, {"tags", &e.Tags}} {
		if v, ok := body[f.name]; ok {
			if err := json.Unmarshal(v, f.dst); err != nil {
				errs[f.name] = []string{"Not a valid string."}
			}
		}
	}
	if v, ok := body["billable"]; ok {
		_ = json.Unmarshal(v, &e.Billable)
	}
	if v, ok := body["task_id"]; ok {
		var id int64
		_ = json.Unmarshal(v, &id)
		if create && id != 0 {
			// TimeTracker 5.10.0's JSON create refuses any truthy task_id,
			// even with project_id given (checked on a running server).
			fail(w, "task_id can only be set when project_id is provided")
			return false
		}
		// An update sets it, unchecked; null leaves it, 0 clears it (both
		// seen on TimeTracker 5.10.0: a PATCH of {"task_id": null} keeps
		// the task, {"task_id": 0} stores 0, no task).
		if !create && string(bytes.TrimSpace(v)) != "null" {
			e.TaskID = id
		}
	}
	if len(errs) > 0 {
		validation(w, errs)
		return false
	}
	if create {
		if _, ok := body["end_time"]; !ok {
			e.End = e.Start // the route's quirk: the service then rejects it
		}
	}
	switch {
	case e.ProjectID == 0:
		fail(w, "Either project or client must be selected")
		return false
	case int(e.ProjectID) > len(s.projects) || e.ProjectID < 0:
		fail(w, "Invalid project")
		return false
	case !e.End.After(e.Start):
		fail(w, "End time must be after start time")
		return false
	}
	for id, o := range s.entries {
		if id != self && o.UserToken == e.UserToken && o.Start.Before(e.End) && o.End.After(e.Start) {
			fail(w, "This time overlaps with an existing entry. Please choose a different time range or edit the existing entry.")
			return false
		}
	}
	return true
}

// parseNaive reads an ISO time; an offset is dropped, keeping the wall
// clock digits (the SQLite backend's behaviour).
func parseNaive(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999", "2006-01-02 15:04:05.999999", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

func entryJSON(e *Entry) map[string]any {
	out := map[string]any{"id": e.ID, "project_id": e.ProjectID, "start_time": e.Start.Format("2006-01-02T15:04:05"),
		"end_time": nil, "notes": e.Notes, "tags": e.Tags, "source": "manual", "billable": e.Billable, "task_id": nil,
		"is_active": e.End.IsZero(), "duration_seconds": nil}
	if !e.End.IsZero() {
		out["end_time"], out["duration_seconds"] = e.End.Format("2006-01-02T15:04:05"), int64(e.End.Sub(e.Start).Seconds())
	}
	if e.TaskID != 0 {
		out["task_id"] = e.TaskID
	}
	return out
}

func validation(w http.ResponseWriter, errs map[string][]string) {
	writeJSON(w, 400, map[string]any{"success": false, "error": "Validation failed", "message": "Validation failed",
		"error_code": "validation_error", "errors": errs})
}

func fail(w http.ResponseWriter, msg string) {
	writeJSON(w, 400, map[string]any{"success": false, "error": msg, "message": msg, "error_code": "error"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
