package activitywatch

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPageCountsWithoutDecoding(t *testing.T) {
	tests := []struct {
		body string
		n    int
		err  string
	}{
		{`[]`, 0, ""},
		{" [ \n ] ", 0, ""},
		{`null`, 0, ""},
		{`[{}]`, 1, ""},
		{`[{"id": 1, "data": {"title": "a, b ] } [ {"}}, {"data": {"title": "quote \" , ]"}}]`, 2, ""},
		{`[{"data": {"list": [1, 2, 3], "o": {"x": [{}, {}]}}}, {}, {}]`, 3, ""},
		{`[{"data": {"title": "back\\"}}, {}]`, 2, ""},
		{`{"message": "hello"}`, 0, "not JSON of the expected shape"},
		{`[{"id": 1}, {"id": 2`, 0, "closed the connection mid-answer"},
		{``, 0, "not JSON of the expected shape"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			p, err := NewPage("http://127.0.0.1:5600", "/api/0/buckets/b/events", []byte(tt.body))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || p.Len() != tt.n {
				t.Fatalf("len %d, err %v; want %d", p.Len(), err, tt.n)
			}
			evs, err := p.Decode()
			if err != nil || len(evs) != tt.n {
				t.Errorf("decoded %d events (%v), counted %d", len(evs), err, tt.n)
			}
		})
	}
}

// FuzzPageCount: for any body that decodes as an events array, the count
// is the decoded length.
func FuzzPageCount(f *testing.F) {
	f.Add([]byte(`[{"id": 1, "data": {"t": "a\"],"}}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var evs []RawEvent
		if json.Unmarshal(body, &evs) != nil {
			return
		}
		p, err := NewPage("x", "y", body)
		if err != nil || p.Len() != len(evs) {
			t.Errorf("%q: counted %d (%v), decoded %d", body, p.Len(), err, len(evs))
		}
	})
}
