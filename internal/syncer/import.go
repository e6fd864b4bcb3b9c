package syncer

// Importing a range in one transaction: each event inserted, updated or skipped.

import (
	"context"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// textError is an error's text in the current language; the error it
// wraps stays for errors.Is and errors.As.
type textError struct {
	text string
	err  error
}

func (e *textError) Error() string { return e.text }
func (e *textError) Unwrap() error { return e.err }

// importAll reads the planned ranges of every bucket and imports them, in
// order, oldest first within a bucket. Reading runs one range ahead of the
// import, so aw-server serves the next range while this one is written. It
// returns each bucket's result; it stops at a store failure or when ctx
// ends (the bucket's Err says which).
func importAll(ctx context.Context, src Source, st Store, opt Options, work []string, selected int, plan [][]readRange) []BucketResult {
	results := make([]BucketResult, len(work))
	for i, b := range work {
		results[i].Bucket = b
	}
	readCtx, stop := context.WithCancel(ctx)
	ranges := readAhead(readCtx, src, opt, work, plan)
	defer func() {
		stop()
		for range ranges { // let the reader finish
		}
	}()
	counted := map[int64]bool{} // events already counted in this run (of the current bucket)
	current := -1
	for f := range ranges {
		br := &results[f.bucket]
		if f.bucket != current {
			current, counted = f.bucket, map[int64]bool{}
		}
		if br.Err != nil {
			continue // the bucket failed on an earlier range: nothing after a gap
		}
		// Decoded and classified here, while the reader waits for the next
		// range (the classifier is not safe for concurrent use).
		var events []activitywatch.RawEvent
		var hidden []store.Span
		if f.err == nil {
			events, f.err = decode(f.pages)
		}
		if f.err == nil && f.windows != nil {
			hidden, f.err = excludedWindows(opt, f.windows)
		}
		if f.err != nil {
			if ctx.Err() != nil {
				br.Err = ctx.Err()
				return results
			}
			br.Err = f.err
			continue
		}
		afk := f.bucket >= selected
		if err := importChunk(ctx, st, opt, work[f.bucket], afk, f.spanFrom, f.start, f.end, events, hidden, counted, br); err != nil {
			if ctx.Err() != nil {
				br.Err = ctx.Err()
			} else {
				br.Err = storeError{err}
			}
			return results
		}
		if opt.Progress != nil {
			opt.Progress(Progress{Bucket: work[f.bucket], BucketIndex: f.bucket + 1, Buckets: len(work), ChunksDone: f.days,
				Chunks: planDays(plan[f.bucket]), Imported: br.Imported, Updated: br.Updated, Skipped: br.Skipped})
		}
	}
	if ctx.Err() != nil && current >= 0 && results[current].Err == nil {
		results[current].Err = ctx.Err()
	}
	return results
}

// importChunk writes one chunk's events and the cursor in one transaction.
func importChunk(ctx context.Context, st Store, opt Options, bucket string, afk bool, spanFrom, start, end time.Time,
	events []activitywatch.RawEvent, hidden []store.Span, counted map[int64]bool, br *BucketResult) error {
	tx, err := st.BeginImport(ctx, opt.IntegrationID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Work on a copy of the counters so a rolled-back chunk counts nothing.
	local := *br
	local.Errors = append([]string(nil), br.Errors...)
	newlyCounted := map[int64]bool{}
	clipStart := start.Truncate(time.Millisecond)
	// Statements get a context that cannot be cancelled: with a cancellable
	// one, go-sqlite3 starts a watcher goroutine per statement, which made a
	// first sync three times slower. Cancellation is checked here instead,
	// and a cancelled batch is rolled back whole.
	stmtCtx := context.WithoutCancel(ctx)
	if opt.Classify != nil && !afk {
		if err := tx.PreparePrivacy(stmtCtx, start, end, opt.Classify.NeedsURL("") && !IsWebBucket(bucket)); err != nil {
			return err
		}
		tx.HidePrivate(store.SpanWindow, hidden)
	}
	if !afk {
		ids := make([]int64, 0, len(events))
		for _, ev := range events {
			if id, ok := ev.EventID(); ok {
				ids = append(ids, id)
			}
		}
		if err := tx.Preload(stmtCtx, bucket, ids); err != nil {
			return err
		}
	}
	for i, ev := range events {
		if i%512 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		record := importEvent
		if afk {
			record = recordAFK
		}
		outcome, msg, err := record(stmtCtx, tx, opt, bucket, clipStart, ev)
		if err != nil {
			return err
		}
		id, hasID := ev.EventID()
		if hasID && (counted[id] || newlyCounted[id]) {
			continue // another piece of an event this run already counted
		}
		switch outcome {
		case imported:
			local.Imported++
		case updated:
			local.Updated++
		case skipped:
			local.Skipped++
		case failed:
			local.Errors = append(local.Errors, msg)
		case excluded:
			local.Excluded++
		case ignored:
			continue
		}
		if hasID {
			newlyCounted[id] = true
		}
	}
	if opt.Mode != Range {
		newest := "" // known only once the read reached the end
		if !end.Before(opt.Now) {
			newest = opt.newest[bucket]
		}
		if err := tx.AdvanceCursor(stmtCtx, bucket, spanFrom, end, newest); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	*br = local
	for id := range newlyCounted {
		counted[id] = true
	}
	return nil
}

type outcome int

const (
	imported outcome = iota
	updated
	skipped
	failed
	ignored
	excluded
)

// importEvent applies one event (or piece of one). Errors returned are the
// store's; a malformed event is an outcome, not an error.
func importEvent(ctx context.Context, tx ImportTx, opt Options, bucket string, clipStart time.Time, ev activitywatch.RawEvent) (outcome, string, error) {
	ts, ok := ev.TimestampString()
	if !ok {
		return skipped, "", nil
	}
	t, err := activitywatch.ParseTime(ts)
	if err != nil {
		return failed, i18n.T("core.syncer.event_error", "time", ts, "err", err.Error()), nil
	}
	fields, err := ev.DataFields()
	if err != nil {
		return failed, i18n.T("core.syncer.event_error", "time", ts, "err", err.Error()), nil
	}
	secs, durOK := ev.DurationSeconds()
	start, end := span(t, secs, durOK)
	id, hasID := ev.EventID()
	var link store.Link
	found := false
	if hasID {
		if link, found, err = tx.LinkByEvent(ctx, bucket, id); err != nil {
			return 0, "", err
		}
	}
	if !found && end.Equal(start) && start.Truncate(time.Millisecond).Equal(clipStart) && durOK {
		// An event that ends exactly where the range starts comes back as a
		// zero-length piece; it belongs to the range before, which reads it whole.
		return ignored, "", nil
	}
	c, err := classify(ctx, tx, opt, bucket, start, end, fields)
	if err != nil {
		return 0, "", err
	}
	if c.Excluded {
		if found {
			if err := tx.DeleteImported(ctx, bucket, id, link); err != nil {
				return 0, "", err
			}
		}
		return excluded, "", nil
	}
	if c.Redacted {
		fields.Title, fields.URL = "", ""
		if IsWebBucket(bucket) {
			fields.App = timeline.BrowserFromBucket(bucket) // notes name the browser
		}
	}
	im := store.Import{BucketID: bucket, EventID: id, HasEventID: hasID, EventTimestamp: ts,
		Start: start, End: end, App: strings.TrimSpace(fields.App), Title: strings.TrimSpace(fields.Title),
		URL: strings.TrimSpace(fields.URL), ProjectID: c.ProjectID, Redacted: c.Redacted, RedactedBy: c.RedactKey}
	if found {
		return mergeInto(ctx, tx, opt, link, im, fields)
	}
	fill(&im, fields, opt.Location)
	inserted, err := tx.Insert(ctx, im)
	if err != nil {
		return 0, "", err
	}
	if !inserted {
		return skipped, "", nil // the seed's dedupe: same bucket, start, seconds, data
	}
	return imported, "", nil
}

// recordAFK stores an aw-watcher-afk event's status and extent.
func recordAFK(ctx context.Context, tx ImportTx, _ Options, bucket string, _ time.Time, ev activitywatch.RawEvent) (outcome, string, error) {
	ts, ok := ev.TimestampString()
	id, hasID := ev.EventID()
	if !ok || !hasID {
		return skipped, "", nil
	}
	t, err := activitywatch.ParseTime(ts)
	if err != nil {
		return failed, i18n.T("core.syncer.event_error", "time", ts, "err", err.Error()), nil
	}
	fields, err := ev.DataFields()
	if err != nil || fields.Status == "" {
		return failed, i18n.T("core.syncer.event_no_afk_status", "time", ts), nil
	}
	secs, durOK := ev.DurationSeconds()
	start, end := span(t, secs, durOK)
	if err := tx.UpsertAFK(ctx, bucket, id, start, end, fields.Status); err != nil {
		return 0, "", err
	}
	return imported, "", nil
}

// mergeInto widens a known event's extent with a new piece.
func mergeInto(ctx context.Context, tx ImportTx, opt Options, link store.Link, im store.Import, fields activitywatch.Fields) (outcome, string, error) {
	merged := im
	if link.Start.Before(im.Start) {
		merged.Start, merged.EventTimestamp = link.Start, link.EventTimestamp
	}
	if link.End.After(im.End) {
		merged.End = link.End
	}
	fill(&merged, fields, opt.Location)
	if merged.Start.Equal(link.Start) && merged.End.Equal(link.End) && merged.UID == link.UID &&
		merged.Redacted == link.Redacted && merged.RedactedBy == link.RedactedBy { // a redaction's rule is recorded too
		return skipped, "", nil
	}
	if other, err := tx.UIDLink(ctx, merged.UID); err != nil {
		return 0, "", err
	} else if other != 0 && other != link.ID {
		merged.UID = link.UID // keep uids unique; the id is the real key
	}
	if err := tx.Update(ctx, link, merged); err != nil {
		return 0, "", err
	}
	return updated, "", nil
}

// fill derives the entry's fields from the event extent.
func fill(im *store.Import, f activitywatch.Fields, loc *time.Location) {
	im.DurationSeconds = WholeSeconds(im.End.Sub(im.Start))
	im.UID = ExternalUID(im.BucketID, im.EventTimestamp, im.DurationSeconds, f)
	im.StartTime, im.EndTime = entryTimes(im.Start, im.DurationSeconds, loc)
	im.Notes = Notes(f)
}
