package syncer_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// TestAWServerFaults injects each fault into the chrome bucket's reads: the
// sync reports it clearly, the other buckets import, and the faulty
// bucket's cursor does not move.
func TestAWServerFaults(t *testing.T) {
	hijack := func(w http.ResponseWriter, write string) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		buf.WriteString(write)
		buf.Flush()
		conn.Close()
	}
	faults := []struct {
		name  string
		fault func(w http.ResponseWriter, r *http.Request)
		want  string
	}{
		{"500 with JSON", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			w.Write([]byte(`{"message": "Internal Server Error"}`))
		}, "ActivityWatch answered 500: Internal Server Error"},
		{"500 with HTML", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			w.Write([]byte(`<html><body>Werkzeug debugger</body></html>`))
		}, "ActivityWatch answered 500"},
		{"body cut half-way", func(w http.ResponseWriter, r *http.Request) {
			hijack(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n[{\"id\": 1, \"timestamp\": \"2026-03-27T08:")
		}, "closed the connection mid-answer"},
		{"invalid JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`[{"id": 1,, }]`))
		}, "not JSON"},
		{"connection reset", func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}, "not reachable"},
		{"bucket deleted between listing and reading", nil, "There's no bucket named aw-watcher-web-chrome_devbox"},
		{"host check", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			w.Write([]byte(`{"message":"host header is invalid (was devbox:5600)"}`))
		}, "host header is invalid"},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			ctx := context.Background()
			fx := newFixture(t, awfake.Python)
			st, id := openStore(t, "")
			if f.fault == nil {
				fx.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
					if strings.HasSuffix(r.URL.Path, "/events") {
						fx.fake.DeleteBucket("aw-watcher-web-chrome_devbox")
					}
					return false
				}
			} else {
				fx.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
					if strings.Contains(r.URL.Path, "aw-watcher-web-chrome_devbox/events") {
						f.fault(w, r)
						return true
					}
					return false
				}
			}
			res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot, 3))
			if err != nil || res.Status() != "partial" || res.Imported != 147+4 {
				t.Fatalf("result %+v, %v", res, err)
			}
			if len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "Bucket aw-watcher-web-chrome_devbox: ") || !strings.Contains(res.Errors[0], f.want) {
				t.Errorf("errors %q, want one naming the bucket and %q", res.Errors, f.want)
			}
			cursors, _ := st.Coverages(ctx, id)
			if _, moved := cursors["aw-watcher-web-chrome_devbox"]; moved {
				t.Error("the failing bucket's cursor moved")
			}
			if !cursors["aw-watcher-window_devbox"].Until.Equal(snapshot) {
				t.Error("the window bucket's cursor did not move")
			}
		})
	}
}

func TestUnreachableAndTimeoutAreStatusNotPanic(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	hang := newHangServer(t)
	for _, url := range []string{dead, hang} {
		c, _ := activitywatch.New(url, "", 300*time.Millisecond)
		st, id := openStore(t, "")
		res, err := syncer.Run(context.Background(), c, syncer.Importer(st), syncNowOpts(id, snapshot, 3))
		if err == nil || res.Success || !strings.HasPrefix(res.Message, "Failed to list buckets: ActivityWatch") {
			t.Errorf("%s: %+v %v", url, res, err)
		}
	}
}

func newHangServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// A server restarted mid-sync (connections refused for a moment, then
// answering again): the first sync reports the bucket, the next completes
// it, and the result equals a clean import.
func TestServerRestartMidSync(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, awfake.Python)
	want := cleanImport(t, fx)
	st, id := openStore(t, "")
	var calls atomic.Int32 // requests come two at a time
	var restarting atomic.Bool
	restarting.Store(true)
	fx.fake.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/events") && restarting.Load() {
			if n := calls.Add(1); n >= 4 && n <= 6 {
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return true
			}
		}
		return false
	}
	res, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncNowOpts(id, snapshot, 3))
	if err != nil || len(res.Errors) == 0 {
		t.Fatalf("first sync %+v %v", res, err)
	}
	restarting.Store(false) // the server is back
	if _, err := syncer.Run(ctx, fx.client, syncer.Importer(st), syncer.Options{IntegrationID: id, Mode: syncer.Incremental, LookbackDays: 3, Location: berlin, Now: snapshot}); err != nil {
		t.Fatal(err)
	}
	assertSame(t, rows(t, st), want)
}
