// Package awfake is an in-memory aw-server that answers like the real ones
// (Python aw-server and aw-server-rust) as observed in shared/reference:
// newest first, clipping to the query range, limit semantics, error bodies,
// the Host check, an optional API key, and heartbeats that grow the newest
// event in place. Tests start it with httptest; cmd/awfake runs it as its own
// process for end-to-end and manual runs.
package awfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Flavour selects which server's wire format and quirks to imitate.
type Flavour int

const (
	Python Flavour = iota
	Rust
)

// Event is one stored event. Data keeps the bytes of the watcher's object
// (key order and escaping are part of each flavour's format).
type Event struct {
	ID        int64
	Timestamp time.Time
	Duration  float64 // seconds
	Data      json.RawMessage
}

func (e Event) end() time.Time { return e.Timestamp.Add(secs(e.Duration)) }

// BucketMeta describes a bucket.
type BucketMeta struct {
	ID       string    `json:"id"`
	Type     string    `json:"type"`
	Client   string    `json:"client"`
	Hostname string    `json:"hostname"`
	Created  time.Time `json:"-"`
}

// Latency models how long a real aw-server takes to answer an events
// query: a cost per request and one per event served. Python aw-server
// 0.14 on this machine kind: about 14 ms and 33 µs (RealPython()), one query
// at a time (Python's GIL), so benchmarks against the fake predict real
// figures. The time is spent on a core, as the real server does. Zero
// answers at once.
type Latency struct {
	PerRequest, PerEvent time.Duration
}

// RealPython is Latency measured on the real Python aw-server 0.14
// (internal/bench/real.sh: 114,720 events in 3.8 s in three requests;
// the same events in day-sized requests cost 14 ms more a request).
func RealPython() Latency {
	return Latency{PerRequest: 14 * time.Millisecond, PerEvent: 33 * time.Microsecond}
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	Flavour  Flavour
	Hostname string
	APIKey   string // when set, every /api path but /api/0/info needs it (Rust)

	// Intercept, when set, sees each request first; returning true means it
	// answered (used to inject faults).
	Intercept func(w http.ResponseWriter, r *http.Request) bool
	// Latency, when set, makes events queries take as long as on a real
	// server, one at a time (set it before serving).
	Latency Latency
	serving sync.Mutex // one events query at a time while Latency is set

	mu      sync.Mutex
	buckets map[string]*bucket
	order   []string // creation order (Python lists buckets this way)
	nextID  int64
	// Requests counts event queries, so tests can assert how much a sync read.
	requests []EventQuery
	// settings are aw-webui's settings (see settings.go); none by default,
	// as on a fresh server.
	settings    map[string]json.RawMessage
	settingKeys []string // insertion order
}

// EventQuery records one GET …/events.
type EventQuery struct {
	Bucket     string
	Start, End string
	Limit      string
	Returned   int
}

type bucket struct {
	meta   BucketMeta
	events []Event
}

// New returns an empty server.
func New(f Flavour, hostname string) *Server {
	return &Server{Flavour: f, Hostname: hostname, buckets: map[string]*bucket{}, nextID: 1}
}

// AddBucket creates a bucket (no-op if it exists).
func (s *Server) AddBucket(m BucketMeta) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addBucketLocked(m)
}

func (s *Server) addBucketLocked(m BucketMeta) *bucket {
	if b, ok := s.buckets[m.ID]; ok {
		return b
	}
	if m.Created.IsZero() {
		m.Created = time.Now().UTC()
	}
	b := &bucket{meta: m}
	s.buckets[m.ID] = b
	s.order = append(s.order, m.ID)
	return b
}

// DeleteBucket removes a bucket and its events.
func (s *Server) DeleteBucket(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.buckets, id)
	for i, o := range s.order {
		if o == id {
			s.order = append(s.order[:i:i], s.order[i+1:]...)
			break
		}
	}
}

// Insert adds events to a bucket. Events with ID 0 get the next id of the
// global sequence, as both servers' AUTOINCREMENT does.
func (s *Server) Insert(bucketID string, evs ...Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets[bucketID]
	if !ok {
		return fmt.Errorf("no bucket %s", bucketID)
	}
	for _, e := range evs {
		if e.ID == 0 {
			e.ID = s.nextID
		}
		if e.ID >= s.nextID {
			s.nextID = e.ID + 1
		}
		e.Timestamp = s.storedTime(e.Timestamp)
		b.events = append(b.events, e)
	}
	return nil
}

// Heartbeat merges hb into the bucket's newest event as aw-server does: same
// data and hb within [last.start, last.end+pulsetime] extends the event in
// place (same id, same start); otherwise a new event is inserted.
func (s *Server) Heartbeat(bucketID string, hb Event, pulsetime float64) (Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets[bucketID]
	if !ok {
		return Event{}, fmt.Errorf("no bucket %s", bucketID)
	}
	hb.Timestamp = s.storedTime(hb.Timestamp)
	if i := b.newest(); i >= 0 {
		last := &b.events[i]
		if sameJSON(last.Data, hb.Data) && !hb.Timestamp.Before(last.Timestamp) &&
			!hb.Timestamp.After(last.end().Add(secs(pulsetime))) {
			d := hb.Timestamp.Add(secs(hb.Duration)).Sub(last.Timestamp).Seconds()
			if d > last.Duration {
				last.Duration = d
			}
			return *last, nil
		}
	}
	hb.ID = s.nextID
	s.nextID++
	b.events = append(b.events, hb)
	return hb, nil
}

// Grow extends the newest event of a bucket by d (a heartbeat with the same
// data at its current end).
func (s *Server) Grow(bucketID string, d time.Duration) (Event, error) {
	s.mu.Lock()
	b, ok := s.buckets[bucketID]
	if !ok || b.newest() < 0 {
		s.mu.Unlock()
		return Event{}, fmt.Errorf("no events in bucket %s", bucketID)
	}
	last := b.events[b.newest()]
	s.mu.Unlock()
	return s.Heartbeat(bucketID, Event{Timestamp: last.end().Add(d), Data: last.Data}, d.Seconds()+1)
}

// Queries returns the event queries served so far.
func (s *Server) Queries() []EventQuery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]EventQuery(nil), s.requests...)
}

// ResetQueries forgets the recorded queries.
func (s *Server) ResetQueries() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Shift moves every event by d (to replay fixtures as recent data).
func (s *Server) Shift(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.buckets {
		for i := range b.events {
			b.events[i].Timestamp = b.events[i].Timestamp.Add(d)
		}
	}
}

// Latest returns the latest event end over all buckets.
func (s *Server) Latest() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var t time.Time
	for _, b := range s.buckets {
		for _, e := range b.events {
			if e.end().After(t) {
				t = e.end()
			}
		}
	}
	return t
}

func (b *bucket) newest() int {
	best := -1
	for i, e := range b.events {
		if best < 0 || e.Timestamp.After(b.events[best].Timestamp) ||
			(e.Timestamp.Equal(b.events[best].Timestamp) && e.ID > b.events[best].ID) {
			best = i
		}
	}
	return best
}

// storedTime applies the server's storage precision: Python keeps ms.
func (s *Server) storedTime(t time.Time) time.Time {
	t = t.UTC()
	if s.Flavour == Python {
		return t.Truncate(time.Millisecond)
	}
	return t
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.Intercept != nil && s.Intercept(w, r) {
		return
	}
	host, _, _ := strings.Cut(r.Host, ":")
	if host != "localhost" && host != "127.0.0.1" {
		msg := "Host header is invalid"
		if s.Flavour == Python {
			msg = "host header is invalid (was " + r.Host + ")"
		}
		s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": msg})
		return
	}
	path := r.URL.EscapedPath()
	if s.APIKey != "" && path != "/api/0/info" && r.Method != http.MethodOptions &&
		r.Header.Get("Authorization") != "Bearer "+s.APIKey {
		s.writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Missing or invalid API key. Set 'Authorization: Bearer <key>' header."})
		return
	}
	switch {
	case path == "/api/0/info" && r.Method == http.MethodGet:
		version := "v0.13.2"
		if s.Flavour == Rust {
			version += " (rust)"
		}
		s.writeJSON(w, 200, map[string]any{"hostname": s.Hostname, "version": version, "testing": false, "device_id": "5b0e6f8e-2f1c-4c8f-9a53-1d1e0c1f0a11"})
	case path == "/api/0/buckets" && s.Flavour == Python:
		http.Redirect(w, r, "/api/0/buckets/", http.StatusPermanentRedirect)
	case (path == "/api/0/buckets/" || path == "/api/0/buckets") && r.Method == http.MethodGet:
		s.serveBuckets(w)
	case strings.HasPrefix(path, "/api/0/buckets/"):
		s.serveBucketPath(w, r, strings.TrimPrefix(path, "/api/0/buckets/"))
	case path == "/api/0/settings" || strings.HasPrefix(path, "/api/0/settings/"):
		s.serveSettings(w, r, strings.TrimPrefix(path, "/api/0/settings"))
	default:
		s.writeJSON(w, http.StatusNotFound, map[string]string{"message": "The requested URL was not found on the server."})
	}
}

func (s *Server) serveBucketPath(w http.ResponseWriter, r *http.Request, rest string) {
	rawID, sub, _ := strings.Cut(rest, "/")
	id, err := url.PathUnescape(rawID)
	if err != nil {
		s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": "bad bucket id"})
		return
	}
	switch {
	case sub == "events" && r.Method == http.MethodGet:
		s.serveEvents(w, r, id)
	case sub == "events" && r.Method == http.MethodPost:
		s.postEvents(w, r, id)
	case sub == "heartbeat" && r.Method == http.MethodPost:
		s.postHeartbeat(w, r, id)
	case sub == "" && r.Method == http.MethodGet:
		s.mu.Lock()
		b, ok := s.buckets[id]
		var obj map[string]any
		if ok {
			obj = s.bucketJSON(b, false)
		}
		s.mu.Unlock()
		if !ok {
			s.noBucket(w, id)
			return
		}
		s.writeJSON(w, 200, obj)
	case sub == "" && r.Method == http.MethodDelete:
		if _, ok := s.bucketExists(id); !ok {
			s.noBucket(w, id)
			return
		}
		s.DeleteBucket(id)
		s.writeJSON(w, 200, map[string]any{})
	default:
		s.writeJSON(w, http.StatusNotFound, map[string]string{"message": "The requested URL was not found on the server."})
	}
}

func (s *Server) bucketExists(id string) (*bucket, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets[id]
	return b, ok
}

func (s *Server) noBucket(w http.ResponseWriter, id string) {
	msg := "The requested bucket '" + id + "' does not exist"
	if s.Flavour == Python {
		msg = "There's no bucket named " + id
	}
	s.writeJSON(w, http.StatusNotFound, map[string]string{"message": msg})
}

func (s *Server) serveBuckets(w http.ResponseWriter) {
	s.mu.Lock()
	out := newOrderedObject()
	for _, id := range s.order {
		out.add(id, s.bucketJSON(s.buckets[id], true))
	}
	s.mu.Unlock()
	s.writeJSON(w, 200, out)
}

func (s *Server) bucketJSON(b *bucket, list bool) map[string]any {
	var start, end time.Time
	for i, e := range b.events {
		if i == 0 || e.Timestamp.Before(start) {
			start = e.Timestamp
		}
		if e.end().After(end) {
			end = e.end()
		}
	}
	m := map[string]any{"id": b.meta.ID, "type": b.meta.Type, "client": b.meta.Client, "hostname": b.meta.Hostname, "data": map[string]any{}}
	if s.Flavour == Python {
		// Python's quirk: local wall time labelled +00:00; we have no local
		// zone here, so it is UTC, which is what a UTC machine shows too.
		m["created"] = s.formatTime(b.meta.Created)
		m["name"] = nil
		if list && len(b.events) > 0 {
			m["last_updated"] = s.formatTime(end)
		}
		return m
	}
	m["created"] = s.formatTime(b.meta.Created)
	meta := map[string]any{"start": nil, "end": nil}
	if len(b.events) > 0 {
		meta["start"], meta["end"] = s.formatTime(start), s.formatTime(end)
	}
	m["metadata"], m["events"], m["last_updated"] = meta, nil, nil
	return m
}

func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request, id string) {
	q := r.URL.Query()
	start, end := time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	var perr error
	if v, ok := q["start"]; ok {
		start, perr = s.parseQueryTime(v[0])
		if perr != nil {
			s.badTime(w, "starttime", perr)
			return
		}
	}
	if v, ok := q["end"]; ok {
		end, perr = s.parseQueryTime(v[0])
		if perr != nil {
			s.badTime(w, "endtime", perr)
			return
		}
	}
	limit := -1
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil && s.Flavour == Python:
			s.writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal Server Error"})
			return
		case err != nil || (n < 0 && s.Flavour == Rust):
			limit = -1 // Rocket swallows a bad Option<u64>: unlimited
		default:
			limit = n
		}
	}
	if s.Flavour == Python {
		// The datastore floors start and ceils end to the next millisecond.
		start = start.Truncate(time.Millisecond)
		end = end.Truncate(time.Millisecond).Add(time.Millisecond)
	}
	s.mu.Lock()
	b, ok := s.buckets[id]
	if !ok {
		s.mu.Unlock()
		s.noBucket(w, id)
		return
	}
	var out []Event
	for _, e := range b.events {
		if e.Timestamp.After(end) || e.end().Before(start) {
			continue
		}
		if s.Flavour == Python && e.Timestamp.Before(start.Add(-24*time.Hour)) {
			continue // Python's speed hack: drops events that began > 24 h before start
		}
		out = append(out, e)
	}
	s.sortNewestFirst(out)
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		e := &out[i]
		if e.Timestamp.Before(start) {
			e.Duration = e.end().Sub(start).Seconds()
			e.Timestamp = start
		}
		if e.end().After(end) {
			e.Duration = end.Sub(e.Timestamp).Seconds()
		}
	}
	s.requests = append(s.requests, EventQuery{Bucket: id, Start: q.Get("start"), End: q.Get("end"), Limit: q.Get("limit"), Returned: len(out)})
	s.mu.Unlock()
	if d := s.Latency.PerRequest + time.Duration(len(out))*s.Latency.PerEvent; d > 0 {
		// Spin, not sleep: the real server spends this time on a core, which
		// a sync on a 2-core machine competes for.
		s.serving.Lock()
		for t0 := time.Now(); time.Since(t0) < d && r.Context().Err() == nil; {
		}
		s.serving.Unlock()
	}
	s.writeEvents(w, out)
}

func (s *Server) sortNewestFirst(evs []Event) {
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if !a.Timestamp.Equal(b.Timestamp) {
			return a.Timestamp.After(b.Timestamp)
		}
		if s.Flavour == Python {
			return a.ID > b.ID
		}
		if !a.end().Equal(b.end()) {
			return a.end().Before(b.end())
		}
		return a.ID < b.ID
	})
}

func (s *Server) badTime(w http.ResponseWriter, which string, err error) {
	if s.Flavour == Python {
		s.writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal Server Error"})
		return
	}
	s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Failed to parse " + which + ", datetime needs to be in rfc3339 format: " + err.Error()})
}

// parseQueryTime: Python's iso8601 is lenient (date only, naive as UTC);
// Rust requires strict RFC 3339.
func (s *Server) parseQueryTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	} else if s.Flavour == Rust {
		return time.Time{}, err
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unparseable %q", v)
}

type wireEvent struct {
	Timestamp string          `json:"timestamp"`
	Duration  *float64        `json:"duration"`
	Data      json.RawMessage `json:"data"`
}

func (s *Server) postEvents(w http.ResponseWriter, r *http.Request, id string) {
	var body json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Failed to decode JSON object"})
		return
	}
	var list []wireEvent
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
		if err := json.Unmarshal(body, &list); err != nil {
			s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
	} else {
		var one wireEvent
		if err := json.Unmarshal(body, &one); err != nil {
			s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		list = append(list, one)
	}
	evs := make([]Event, 0, len(list))
	for _, we := range list {
		e, err := s.fromWire(we)
		if err != nil {
			s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		evs = append(evs, e)
	}
	if err := s.Insert(id, evs...); err != nil {
		s.noBucket(w, id)
		return
	}
	s.writeJSON(w, 200, nil)
}

func (s *Server) postHeartbeat(w http.ResponseWriter, r *http.Request, id string) {
	pt := r.URL.Query().Get("pulsetime")
	pulsetime, err := strconv.ParseFloat(pt, 64)
	if err != nil {
		s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Missing required parameter pulsetime"})
		return
	}
	var we wireEvent
	if err := json.NewDecoder(r.Body).Decode(&we); err != nil || we.Timestamp == "" {
		s.writeJSON(w, http.StatusBadRequest, map[string]any{"errors": map[string]string{"timestamp": "'timestamp' is a required property"}, "message": "Input payload validation failed"})
		return
	}
	e, err := s.fromWire(we)
	if err != nil {
		s.writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	got, err := s.Heartbeat(id, e, pulsetime)
	if err != nil {
		s.noBucket(w, id)
		return
	}
	s.writeRaw(w, 200, s.eventJSON(got))
}

func (s *Server) fromWire(we wireEvent) (Event, error) {
	t, err := s.parseQueryTime(we.Timestamp)
	if err != nil {
		return Event{}, err
	}
	e := Event{Timestamp: t, Data: we.Data}
	if we.Duration != nil {
		e.Duration = *we.Duration
	}
	if len(e.Data) == 0 {
		e.Data = json.RawMessage("{}")
	}
	return e, nil
}

func (s *Server) writeEvents(w http.ResponseWriter, evs []Event) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, e := range evs {
		if i > 0 {
			buf.WriteString(s.sep())
		}
		buf.Write(s.eventJSON(e))
	}
	buf.WriteByte(']')
	s.writeRaw(w, 200, buf.Bytes())
}

func (s *Server) eventJSON(e Event) []byte {
	dur := floatJSON(e.Duration)
	if s.Flavour == Python {
		return []byte(fmt.Sprintf(`{"id": %d, "timestamp": "%s", "duration": %s, "data": %s}`, e.ID, s.formatTime(e.Timestamp), dur, e.Data))
	}
	return []byte(fmt.Sprintf(`{"id":%d,"timestamp":"%s","duration":%s,"data":%s}`, e.ID, s.formatTime(e.Timestamp), dur, e.Data))
}

func (s *Server) sep() string {
	if s.Flavour == Python {
		return ", "
	}
	return ","
}

// formatTime writes Python's isoformat (+00:00; 6 digits or none) or
// chrono's AutoSi (Z; 0/3/6/9 digits).
func (s *Server) formatTime(t time.Time) string {
	t = t.UTC()
	if s.Flavour == Python {
		if t.Nanosecond()/1000 == 0 {
			return t.Format("2006-01-02T15:04:05") + "+00:00"
		}
		return t.Format("2006-01-02T15:04:05.000000") + "+00:00"
	}
	ns := t.Nanosecond()
	switch {
	case ns == 0:
		return t.Format("2006-01-02T15:04:05Z")
	case ns%1e6 == 0:
		return t.Format("2006-01-02T15:04:05.000Z")
	case ns%1e3 == 0:
		return t.Format("2006-01-02T15:04:05.000000Z")
	default:
		return t.Format("2006-01-02T15:04:05.000000000Z")
	}
}

// floatJSON formats like Python's repr(float) and serde_json's f64: always
// a decimal point.
func floatJSON(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") && !math.IsInf(f, 0) && !math.IsNaN(f) {
		s += ".0"
	}
	return s
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	s.writeRaw(w, status, b)
}

func (s *Server) writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	if s.Flavour == Python {
		w.Header().Set("Connection", "close")
		b = append(b, '\n')
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

func secs(f float64) time.Duration { return time.Duration(math.Round(f * 1e9)) }

// orderedObject marshals as a JSON object with keys in insertion order.
type orderedObject struct {
	keys []string
	vals []any
}

func newOrderedObject() *orderedObject { return &orderedObject{} }

func (o *orderedObject) add(k string, v any) { o.keys, o.vals = append(o.keys, k), append(o.vals, v) }

func (o *orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
