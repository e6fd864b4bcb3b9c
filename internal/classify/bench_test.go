package classify_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/awfake"
	"github.com/aw-timetracker/aw-timetracker/internal/awsync"
	"github.com/aw-timetracker/aw-timetracker/internal/classify"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/rules"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/syncer"
)

// fiftyRules is aw-webui's default categories plus user rules on app,
// title and URL, two of them only the backtracking engine accepts.
func fiftyRules() []rules.Rule {
	rs := rules.ImportRules(rules.DefaultCategories())
	user := []rules.Rule{
		{Action: rules.ActionProject, Project: "aw-timetracker", Match: `aw-timetracker`},
		{Action: rules.ActionProject, Project: "Research", URL: `developer\.mozilla\.org|github\.com/ActivityWatch`},
		{Action: rules.ActionProject, Project: "Not work", Match: `^(?!.*Jira).*(YouTube|lofi)`, IgnoreCase: true},
		{Action: rules.ActionProject, Project: "Notes", Title: `(?P<lang>日本語)\.md`},
	}
	for len(rs)+len(user) < 50 {
		n := len(user)
		user = append(user, rules.Rule{Action: rules.ActionProject, Project: fmt.Sprintf("Client %d", n), Title: fmt.Sprintf(`CLIENT-%d\b|client%d\.example`, n, n)})
	}
	return append(user, rs...)
}

func syncInto(b *testing.B, url string, act bool, end time.Time) (time.Duration, *store.Store, *classify.Service) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "db.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	a := classify.New(st, zerolog.Nop())
	if act {
		if _, err := a.SaveRules(ctx, fiftyRules()); err != nil {
			b.Fatal(err)
		}
	}
	svc := awsync.New(st, settings.New(st), func(cfg config.Config) (awsync.Source, error) {
		return activitywatch.New(cfg.ServerURL, "", time.Minute)
	}, a, zerolog.Nop())
	cfg := config.Default()
	cfg.ServerURL, cfg.LookbackDays = url, 90
	if _, err := svc.Setup(ctx, whole(cfg)); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	res, err := svc.Sync(ctx, awsync.SyncRequest{Mode: syncer.Range, From: end.AddDate(0, 0, -91), To: end})
	if err != nil || len(res.Errors) > 0 {
		b.Fatalf("%+v %v", res, err)
	}
	return time.Since(t0), st, a
}

// denseServer serves 90 dense days (about 300k events) ending at end.
func denseServer(b *testing.B) (url string, end time.Time) {
	fake := awfake.New(awfake.Python, "devbox")
	end = time.Date(2026, 3, 27, 18, 0, 0, 0, time.UTC)
	awfake.GenerateDense(fake, 90, end.Add(-time.Hour), 1, 10)
	hs := httptest.NewServer(fake)
	b.Cleanup(hs.Close)
	return hs.URL, end
}

func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRules90Days: a first sync of 90 dense days (about 300k events)
// with 50 rules against one without (the cost of classifying on import),
// then re-applying the rules after a change (the first rule removed, so a
// third of the entries change project) to everything stored, in CPU seconds.
func BenchmarkRules90Days(b *testing.B) {
	url, end := denseServer(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		plain, st1, _ := syncInto(b, url, false, end)
		st1.Close()
		withRules, st, a := syncInto(b, url, true, end)
		rs, err := a.Rules(ctx)
		if err != nil {
			b.Fatal(err)
		}
		// A rule removed: "aw-timetracker" titles fall to the next rule.
		c0, t0 := cpu(), time.Now()
		_, applied, err := saveAndApply(ctx, a, rs[1:])
		wall, used := time.Since(t0), cpu()-c0
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
		b.ReportMetric(plain.Seconds(), "sync_plain_s")
		b.ReportMetric(withRules.Seconds(), "sync_50rules_s")
		b.ReportMetric(100*(withRules.Seconds()/plain.Seconds()-1), "rules_sync_overhead_%")
		b.ReportMetric(float64(applied.Events), "events")
		b.ReportMetric(wall.Seconds(), "apply_wall_s")
		b.ReportMetric(used.Seconds(), "apply_cpu_s")
		b.ReportMetric(float64(applied.Projects), "apply_changed")
	}
}

// BenchmarkReapply90Days: only the re-apply of BenchmarkRules90Days, the
// rule list switching between two versions (the first rule removed, put
// back) over 90 dense days already stored; CPU seconds per change.
func BenchmarkReapply90Days(b *testing.B) {
	url, end := denseServer(b)
	ctx := context.Background()
	_, st, a := syncInto(b, url, true, end)
	defer st.Close()
	full, err := a.Rules(ctx)
	if err != nil {
		b.Fatal(err)
	}
	versions := [][]rules.Rule{full[1:], full}
	b.ResetTimer()
	c0 := cpu()
	changed := 0
	for i := 0; i < b.N; i++ {
		_, applied, err := saveAndApply(ctx, a, append([]rules.Rule(nil), versions[i%2]...))
		if err != nil {
			b.Fatal(err)
		}
		changed += applied.Projects
	}
	b.ReportMetric((cpu()-c0).Seconds()/float64(b.N), "apply_cpu_s")
	b.ReportMetric(float64(changed)/float64(b.N), "apply_changed")
}
