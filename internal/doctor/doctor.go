// Package doctor checks, one line each, what aw-timetracker needs: the
// ActivityWatch server and the buckets it will import, the last sync, the
// data folder and the database, a tray host, start at login, the
// TimeTracker connection and the token's scopes, and where the token is
// kept. The CLI (`aw-timetracker doctor`) and the settings window
// (Diagnose) show the same lines.
package doctor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// Line is one check: what it looked at, whether that is fine, what it
// found, and what to do when it is not.
type Line struct {
	Check string
	OK    bool
	Info  string
	Fix   string
}

// AW is the ActivityWatch side.
type AW interface {
	State(ctx context.Context) (awsync.State, error)
	Test(ctx context.Context, cfg config.Config) (awsync.TestResult, error)
}

// Remote is the TimeTracker side.
type Remote interface {
	Diagnose(ctx context.Context) (push.Check, error)
}

// Database is the local store.
type Database interface {
	Path() string
	IntegrityCheck(ctx context.Context) error
}

// Tray tells whether a tray host is on the session bus.
type Tray func(ctx context.Context) (ok bool, why string)

// Login tells whether start at login is on, and where it lives.
type Login interface {
	Enabled() bool
	Where() string
}

// Deps are what the checks look at.
type Deps struct {
	AW     AW
	Remote Remote
	DB     Database
	Tray   Tray
	Login  Login
	Now    func() time.Time
}

// Run makes every check. None stops the others.
func Run(ctx context.Context, d Deps) []Line {
	if d.Now == nil {
		d.Now = time.Now
	}
	var out []Line
	st, err := d.AW.State(ctx)
	switch {
	case err != nil:
		out = append(out, Line{Check: "ActivityWatch", Info: err.Error(), Fix: "the settings could not be read: see the Database line, then run setup again"})
	case !st.Configured:
		out = append(out, Line{Check: "ActivityWatch", Info: "not set up", Fix: "set the ActivityWatch URL (setup, or Settings)"})
	default:
		res, err := d.AW.Test(ctx, st.Config)
		if err != nil {
			out = append(out, Line{Check: "ActivityWatch", Info: err.Error(), Fix: "start ActivityWatch (aw-server), or correct the URL"})
		} else {
			out = append(out, Line{Check: "ActivityWatch", OK: true, Info: fmt.Sprintf("%s on %s at %s", orDash(res.Info.Version),
				orDash(res.Info.Hostname), st.Config.ServerURL)})
			buckets := res.Selected
			line := Line{Check: "Buckets", OK: len(buckets) > 0, Info: strings.Join(buckets, ", ")}
			if len(buckets) == 0 {
				line.Info, line.Fix = "none would be imported", "run the window watcher (aw-watcher-window), or name buckets in the settings"
			}
			out = append(out, line)
		}
		out = append(out, lastSync(st, d.Now()))
	}
	out = append(out, database(ctx, d.DB))
	if d.Tray != nil {
		ok, why := d.Tray(ctx)
		line := Line{Check: "Tray", OK: ok, Info: why}
		if !ok {
			line.Fix = "use aw-timetracker daemon for syncs without a tray"
		}
		out = append(out, line)
	}
	if d.Login != nil {
		info := "off"
		if d.Login.Enabled() {
			info = "on (" + d.Login.Where() + ")"
		}
		out = append(out, Line{Check: "Start at login", OK: true, Info: info})
	}
	out = append(out, remote(ctx, d.Remote)...)
	return out
}

func lastSync(st awsync.State, now time.Time) Line {
	l := Line{Check: "Last sync"}
	switch {
	case st.LastSyncAt.IsZero():
		l.Info, l.Fix = "never", "run Sync Now"
	case st.LastSyncStatus == store.StatusError:
		l.Info, l.Fix = fmt.Sprintf("failed %s ago: %s", ago(now.Sub(st.LastSyncAt)), st.LastError), "see the ActivityWatch line; then Sync Now"
	default:
		l.OK = true
		l.Info = fmt.Sprintf("%s ago (%s)", ago(now.Sub(st.LastSyncAt)), st.LastSyncStatus)
		if st.LastSyncStatus == store.StatusPartial {
			l.Info += ": " + st.LastError
		}
	}
	return l
}

func database(ctx context.Context, db Database) Line {
	dir := filepath.Dir(db.Path())
	probe, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return Line{Check: "Data folder", Info: err.Error(), Fix: "make " + dir + " writable by you"}
	}
	probe.Close()
	os.Remove(probe.Name())
	if err := db.IntegrityCheck(ctx); err != nil {
		return Line{Check: "Database", Info: err.Error(), Fix: "move the database aside; the next sync imports the lookback window again"}
	}
	return Line{Check: "Database", OK: true, Info: db.Path() + ": integrity ok, folder writable"}
}

// required are the scopes a push needs.
func required() []string { return []string{"read:projects", "read:time_entries", "write:time_entries"} }

func remote(ctx context.Context, r Remote) []Line {
	if r == nil {
		return nil
	}
	chk, err := r.Diagnose(ctx)
	if !chk.Configured {
		return []Line{{Check: "TimeTracker", OK: true, Info: "not set up (pushing is off)"}}
	}
	token := Line{Check: "Token kept in", OK: chk.TokenStore != "", Info: orDash(chk.TokenStore)}
	if err != nil {
		return []Line{{Check: "TimeTracker", Info: err.Error(), Fix: "check the server URL and the API token (remote setup, or Settings → TimeTracker)"}, token}
	}
	out := []Line{{Check: "TimeTracker", OK: true, Info: fmt.Sprintf("%s at %s (time zone %s)", orDash(chk.Info.AppVersion), chk.ServerURL,
		orDash(chk.Info.Timezone))}}
	var missing []string
	for _, need := range required() {
		if !hasScope(chk.Scopes, need) {
			missing = append(missing, need)
		}
	}
	scopes := Line{Check: "Token scopes", OK: len(missing) == 0, Info: strings.Join(chk.Scopes, ", ")}
	if len(missing) > 0 {
		scopes.Fix = "give the token " + strings.Join(missing, ", ") + " (TimeTracker: Admin → API tokens)"
	}
	return append(out, scopes, token)
}

// hasScope is TimeTracker's has_scope: admin:all, *, the scope, or its
// resource's wildcard.
func hasScope(have []string, need string) bool {
	res, _, _ := strings.Cut(need, ":")
	return slices.ContainsFunc(have, func(s string) bool { return s == need || s == "*" || s == "admin:all" || s == res+":*" })
}

// Failed reports whether any check failed.
func Failed(lines []Line) bool {
	return slices.ContainsFunc(lines, func(l Line) bool { return !l.OK })
}

// Text is the lines as shown: "✓ Check: info" or "✗ Check: info — fix".
func Text(lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		mark := "✓"
		if !l.OK {
			mark = "✗"
		}
		fmt.Fprintf(&b, "%s %s: %s", mark, l.Check, l.Info)
		if !l.OK && l.Fix != "" {
			fmt.Fprintf(&b, " — %s", l.Fix)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
