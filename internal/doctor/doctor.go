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
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/push"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// Line is one check: what it looked at, whether that is fine, what it
// found, and what to do when it is not; the texts are for people, in the
// current language.
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
		out = append(out, Line{Check: "ActivityWatch", Info: err.Error(), Fix: i18n.T("core.doctor.aw.unreadable_fix")})
	case !st.Configured:
		out = append(out, Line{Check: "ActivityWatch", Info: i18n.T("core.doctor.aw.not_set_up"), Fix: i18n.T("core.doctor.aw.not_set_up_fix")})
	default:
		res, err := d.AW.Test(ctx, st.Config)
		if err != nil {
			out = append(out, Line{Check: "ActivityWatch", Info: err.Error(), Fix: i18n.T("core.doctor.aw.unreachable_fix")})
		} else {
			out = append(out, Line{Check: "ActivityWatch", OK: true, Info: i18n.T("core.doctor.aw.ok", "version", orDash(res.Info.Version),
				"host", orDash(res.Info.Hostname), "url", st.Config.ServerURL)})
			buckets := res.Selected
			line := Line{Check: i18n.T("core.doctor.buckets"), OK: len(buckets) > 0, Info: strings.Join(buckets, ", ")}
			if len(buckets) == 0 {
				line.Info, line.Fix = i18n.T("core.doctor.buckets.none"), i18n.T("core.doctor.buckets.none_fix")
			}
			out = append(out, line)
		}
		out = append(out, lastSync(st, d.Now()))
	}
	out = append(out, database(ctx, d.DB))
	if d.Tray != nil {
		ok, why := d.Tray(ctx)
		line := Line{Check: i18n.T("core.doctor.tray"), OK: ok, Info: why}
		if !ok {
			line.Fix = i18n.T("core.doctor.tray.fix")
		}
		out = append(out, line)
	}
	if d.Login != nil {
		info := i18n.T("core.doctor.login.off")
		if d.Login.Enabled() {
			info = i18n.T("core.doctor.login.on", "where", d.Login.Where())
		}
		out = append(out, Line{Check: i18n.T("core.doctor.login"), OK: true, Info: info})
	}
	out = append(out, remote(ctx, d.Remote)...)
	return out
}

func lastSync(st awsync.State, now time.Time) Line {
	l := Line{Check: i18n.T("core.doctor.last_sync")}
	since := ago(now.Sub(st.LastSyncAt))
	switch {
	case st.LastSyncAt.IsZero():
		l.Info, l.Fix = i18n.T("core.doctor.last_sync.never"), i18n.T("core.doctor.last_sync.never_fix")
	case st.LastSyncStatus == store.StatusError && st.LastError == "":
		// A setup saved since cleared the reason: the next sync tells.
		l.Info, l.Fix = i18n.T("core.doctor.last_sync.failed_before", "ago", since), i18n.T("core.doctor.last_sync.never_fix")
	case st.LastSyncStatus == store.StatusError:
		l.Info, l.Fix = i18n.T("core.doctor.last_sync.failed", "ago", since, "err", st.LastError), i18n.T("core.doctor.last_sync.failed_fix")
	case st.LastSyncStatus == store.StatusSuccess:
		l.OK, l.Info = true, i18n.T("core.doctor.last_sync.success", "ago", since)
	case st.LastSyncStatus == store.StatusPartial:
		l.OK, l.Info = true, i18n.T("core.doctor.last_sync.partial", "ago", since, "err", st.LastError)
	default:
		l.OK, l.Info = true, i18n.T("core.doctor.last_sync.other", "ago", since, "status", string(st.LastSyncStatus))
	}
	return l
}

func database(ctx context.Context, db Database) Line {
	dir := filepath.Dir(db.Path())
	probe, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return Line{Check: i18n.T("core.doctor.data_folder"), Info: err.Error(), Fix: i18n.T("core.doctor.data_folder.fix", "dir", dir)}
	}
	probe.Close()
	os.Remove(probe.Name())
	if err := db.IntegrityCheck(ctx); err != nil {
		return Line{Check: i18n.T("core.doctor.database"), Info: err.Error(), Fix: i18n.T("core.doctor.database.fix")}
	}
	return Line{Check: i18n.T("core.doctor.database"), OK: true, Info: i18n.T("core.doctor.database.ok", "path", db.Path())}
}

// required are the scopes a push needs.
func required() []string { return []string{"read:projects", "read:time_entries", "write:time_entries"} }

func remote(ctx context.Context, r Remote) []Line {
	if r == nil {
		return nil
	}
	chk, err := r.Diagnose(ctx)
	if !chk.Configured {
		return []Line{{Check: "TimeTracker", OK: true, Info: i18n.T("core.doctor.remote.not_set_up")}}
	}
	kept := orDash(chk.TokenStore)
	if chk.TokenStore == "keyring" { // what push.SetupResult.Where says for the OS keyring
		kept = i18n.T("core.doctor.token.keyring")
	}
	token := Line{Check: i18n.T("core.doctor.token"), OK: chk.TokenStore != "", Info: kept}
	if err != nil {
		return []Line{{Check: "TimeTracker", Info: err.Error(), Fix: i18n.T("core.doctor.remote.fix")}, token}
	}
	out := []Line{{Check: "TimeTracker", OK: true, Info: i18n.T("core.doctor.remote.ok", "version", orDash(chk.Info.AppVersion), "url", chk.ServerURL,
		"zone", orDash(chk.Info.Timezone))}}
	var missing []string
	for _, need := range required() {
		if !hasScope(chk.Scopes, need) {
			missing = append(missing, need)
		}
	}
	scopes := Line{Check: i18n.T("core.doctor.scopes"), OK: len(missing) == 0, Info: strings.Join(chk.Scopes, ", ")}
	if len(missing) > 0 {
		scopes.Fix = i18n.T("core.doctor.scopes.fix", "scopes", strings.Join(missing, ", "))
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

// ago is how long ago, as the "ago" texts above take it.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return i18n.T("core.doctor.ago.under_a_minute")
	case d < time.Hour:
		return i18n.T("core.doctor.ago.minutes", "n", int(d/time.Minute))
	case d < 48*time.Hour:
		return i18n.T("core.doctor.ago.hours", "n", int(d/time.Hour))
	}
	return i18n.N("core.doctor.ago.days", int(d/(24*time.Hour)))
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
