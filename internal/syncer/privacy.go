package syncer

// Privacy during an import: the rules' decisions, excluded windows and their pages.

import (
	"context"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

// excludedWindows is the time of the windows in pages that an exclude rule
// removes. It runs on the importing goroutine: the classifier is not safe
// for concurrent use.
func excludedWindows(opt Options, pages []activitywatch.Page) ([]store.Span, error) {
	evs, err := decode(pages)
	if err != nil {
		return nil, &textError{i18n.T("core.syncer.windows_unreadable", "err", err.Error()), err}
	}
	var out []store.Span
	for _, ev := range evs {
		ts, ok := ev.TimestampString()
		if !ok {
			continue
		}
		t, err := activitywatch.ParseTime(ts)
		if err != nil {
			continue
		}
		f, err := ev.DataFields()
		if err != nil {
			continue
		}
		secs, durOK := ev.DurationSeconds()
		s, e := span(t, secs, durOK)
		if opt.Classify.Classify(strings.TrimSpace(f.App), strings.TrimSpace(f.Title), "").Excluded {
			out = append(out, store.Span{Start: s, End: e})
		}
	}
	return out, nil
}

// classify applies the rules (and the time earlier exclusions removed)
// to one event before it is stored.
func classify(ctx context.Context, tx ImportTx, opt Options, bucket string, start, end time.Time, f activitywatch.Fields) (Class, error) {
	app, title, url := strings.TrimSpace(f.App), strings.TrimSpace(f.Title), strings.TrimSpace(f.URL)
	kind, other := store.SpanWindow, store.SpanWeb
	if IsWebBucket(bucket) {
		kind, other, app = store.SpanWeb, store.SpanWindow, timeline.BrowserFromBucket(bucket)
	}
	c := Class{ProjectID: opt.ProjectID}
	redactedPage := false
	if opt.Classify != nil {
		if kind == store.SpanWindow && url == "" && opt.Classify.NeedsURL(app) {
			url = tx.WebURL(start, end)
			if url == store.RedactedPage {
				url, redactedPage = "", true
			}
		}
		c = opt.Classify.Classify(app, title, url)
	}
	if c.Excluded {
		return c, tx.AddPrivateSpan(ctx, kind, c.RuleKey, start, end)
	}
	if redactedPage {
		// The page it showed longest was redacted (its URL, what decided
		// that, is gone): the window's title would tell it again.
		c.Redacted = true
	}
	// Time excluded through the other bucket: pages shown during an
	// excluded window are left out; a browser window during an excluded
	// page keeps its time but not its title.
	if !tx.PrivateOverlap(other, start, end) {
		return c, nil
	}
	if kind == store.SpanWeb {
		c.Excluded = true
	} else {
		c.Redacted = true
	}
	return c, nil
}
