// Package syncer turns ActivityWatch events into time entries.
//
// "The seed" below is the ActivityWatch import of TimeTracker's own server
// (its routes and sync service), which this app grew from: its settings,
// external_uid, notes, messages and status are kept, its mistakes fixed.
//
// Never a duplicate. An aw-server event changes after we read it: the newest
// event of a bucket keeps its id and start while heartbeats extend it, and a
// query returns events clipped to its range, so one event can arrive as
// several pieces (clipped at a chunk or window edge, or shorter than it will
// become). The seed keys entries on (bucket, timestamp, duration, data), so
// each piece becomes another entry. Here the key is the server's event id
// within its bucket: every piece of an event widens one stored extent
// (earliest start, latest end seen), and the entry is rewritten from that
// extent. Pieces only ever under-state an event, so the union of all pieces
// read is the event, whatever order syncs, restarts and lookback changes
// come in. The seed's external_uid is still written (recomputed as the event
// grows) and stays unique, so an event the server sends without an id falls
// back to the seed's dedupe.
//
// Bounded reads. Ranges are read oldest first, with a page limit; a full
// page splits its range in two, so no event is ever dropped (the seed's
// limit=5000 loses the oldest). A bucket's first range is a day; the next
// ones aim at half a page from the density seen, so a dense bucket costs a
// request per ten thousand events, not per day. The next range is read
// while this one is imported. Each range is one transaction that also
// moves the bucket's cursor, so a failure or a kill leaves every committed
// range whole and the cursor only over them.
// Sync Now and scheduled syncs start at the cursor minus Overlap, which
// covers heartbeats that land late and AFK events that are inserted
// backdated, once the lookback window is covered; the first of a local day
// reads the previous day again for events that landed later still; a
// longer lookback reads only what lies before the covered part. Reading
// the whole window again is an explicit action (Reread).
package syncer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timeline"
)

const (
	// ChunkSize is the span of a bucket's first events request (and
	// transaction) of a read; later ones are sized by the events seen.
	ChunkSize = 24 * time.Hour
	// PageLimit caps one request; a full page splits the range.
	PageLimit = 20000
	// Overlap is re-read before the cursor on scheduled syncs.
	Overlap = 15 * time.Minute
	// minSplit is the smallest range split further; below it a full page
	// means the server ignores its own limit semantics.
	minSplit = time.Millisecond
)

// Source reads ActivityWatch.
type Source interface {
	Buckets(ctx context.Context) ([]activitywatch.Bucket, error)
	// EventPage reads events; the sync decodes them beside the next read.
	EventPage(ctx context.Context, bucket string, start, end time.Time, limit int) (activitywatch.Page, error)
}

// Store persists what a sync reads.
type Store interface {
	BeginImport(ctx context.Context, integrationID int64) (*store.ImportTx, error)
	Coverages(ctx context.Context, integrationID int64) (map[string]store.Coverage, error)
}

// Mode says which range a sync reads.
type Mode int

const (
	// Now is Sync Now: what the lookback window has that was not read yet,
	// from each bucket's cursor (minus Overlap); the whole window for a
	// bucket whose coverage is not known (synced by an older version, or
	// forgotten because a removed exclude rule gives time back).
	Now Mode = iota
	// Incremental is a scheduled sync; it reads what Now reads.
	Incremental
	// Range reads [From, To) and leaves the cursors alone (a backfill).
	Range
	// Reread reads the whole lookback window again ("Re-read last N days").
	Reread
)

// Options configure one run.
type Options struct {
	IntegrationID int64
	Mode          Mode
	From, To      time.Time // Range mode only
	LookbackDays  int
	BucketIDs     []string // configured override; nil: the default buckets
	Location      *time.Location
	ProjectID     int64
	Now           time.Time
	Progress      func(Progress)
	PageLimit     int  // 0: PageLimit
	ReadAFK       bool // also record aw-watcher-afk status (for blocks)
	// Classify decides each event's project and privacy before anything
	// is stored; nil: every entry goes to ProjectID.
	Classify Classifier

	windowBuckets []string // set by Run: read to exclude pages of excluded windows
	excludes      bool     // set by Run: whether exclude rules exist (the reader must not call Classify)
}

// Class is what the rules decide for one event.
type Class struct {
	ProjectID int64  // 0: none
	Excluded  bool   // never stored: no entry, no text, no time
	Redacted  bool   // stored without title and URL
	RuleKey   string // the exclude rule's rules.Rule.Key, when Excluded
}

// Classifier applies the rules to events as they are imported.
type Classifier interface {
	// Classify decides for an event of a window or web bucket; app is the
	// browser for web events, url the page a browser window showed when
	// NeedsURL.
	Classify(app, title, url string) Class
	// NeedsURL says whether the page a window of app showed matters:
	// url rules exist and app is a browser (app "": any browser).
	NeedsURL(app string) bool
	// Excludes says whether any exclude rule exists.
	Excludes() bool
}

// Progress is reported after each chunk.
type Progress struct {
	Bucket      string
	BucketIndex int // 1-based
	Buckets     int
	ChunksDone  int // days of the bucket's ranges read so far
	Chunks      int // days the bucket's ranges span
	Imported    int
	Updated     int
	Skipped     int
}

// BucketResult is one bucket's share of a run.
type BucketResult struct {
	Bucket                     string
	Imported, Updated, Skipped int
	Excluded                   int // left out by privacy rules
	Errors                     []string
	Err                        error // the bucket could not be read to the end
}

// Result is the seed's sync result, plus what updates a run made.
type Result struct {
	Success  bool
	Imported int
	Updated  int
	Skipped  int
	Excluded int // events privacy rules left out
	Errors   []string
	Message  string
	Buckets  []BucketResult
	From, To time.Time
	AFK      int // afk status events recorded (not entries)
}

// Status is the last_sync_status for this result.
func (r Result) Status() store.RunStatus {
	switch {
	case !r.Success:
		return store.StatusError
	case len(r.Errors) > 0:
		return store.StatusPartial
	default:
		return store.StatusSuccess
	}
}

// Run performs one sync. It returns an error only when nothing could be
// done (bucket list unreadable, no configured bucket exists, the store
// failed); a bucket that fails is reported in Result.Errors.
func Run(ctx context.Context, src Source, st Store, opt Options) (Result, error) {
	if opt.Location == nil {
		opt.Location = time.Local
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	opt.Now = opt.Now.UTC()
	all, err := src.Buckets(ctx)
	if err != nil {
		return Result{Message: "Failed to list buckets: " + err.Error()}, fmt.Errorf("listing buckets: %w", err)
	}
	selected, err := SelectBuckets(all, opt.BucketIDs)
	if err != nil {
		return Result{Message: err.Error()}, err
	}
	if len(selected) == 0 {
		return Result{Success: true, Message: NoDefaultBuckets}, nil
	}
	var afkBuckets []string
	if opt.ReadAFK {
		afkBuckets = AFKBuckets(all)
	}
	covered := map[string]store.Coverage{}
	if opt.Mode == Now || opt.Mode == Incremental {
		if covered, err = st.Coverages(ctx, opt.IntegrationID); err != nil {
			return Result{Message: err.Error()}, err
		}
	}
	res := Result{Success: true}
	// Web buckets first: a browser window during a page an exclude rule
	// covers can then lose its title before it is ever written.
	sort.SliceStable(selected, func(i, j int) bool { return IsWebBucket(selected[i]) && !IsWebBucket(selected[j]) })
	for _, b := range selected {
		if !IsWebBucket(b) {
			opt.windowBuckets = append(opt.windowBuckets, b)
		}
	}
	opt.excludes = opt.Classify != nil && opt.Classify.Excludes()
	work := append(append([]string(nil), selected...), afkBuckets...)
	plan := make([][]readRange, len(work))
	for i, bucket := range work {
		plan[i] = opt.spans(covered[bucket])
		if i == 0 || plan[i][0].from.Before(res.From) {
			res.From = plan[i][0].from
		}
		res.To = plan[i][len(plan[i])-1].to
	}
	results := importAll(ctx, src, st, opt, work, len(selected), plan)
	for i, br := range results {
		if i >= len(selected) {
			res.AFK += br.Imported + br.Updated + br.Skipped
		} else {
			res.Buckets = append(res.Buckets, br)
			res.Imported += br.Imported
			res.Updated += br.Updated
			res.Skipped += br.Skipped
			res.Excluded += br.Excluded
		}
		res.Errors = append(res.Errors, br.Errors...)
		if br.Err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			var se storeError
			if errors.As(br.Err, &se) {
				// A store failure is not the bucket's fault: stop, so
				// nothing goes on half-way.
				res.Success = false
				res.Message = se.Error()
				return res, se.err
			}
			res.Errors = append(res.Errors, fmt.Sprintf("Bucket %s: %v", work[i], br.Err))
		}
	}
	res.Message = message(res)
	return res, nil
}

func message(r Result) string {
	msg := fmt.Sprintf("Imported %d events, skipped %d.", r.Imported, r.Skipped)
	if r.Updated > 0 {
		msg += fmt.Sprintf(" Updated %d.", r.Updated)
	}
	if r.Excluded > 0 {
		msg += fmt.Sprintf(" Left out %d by privacy rules.", r.Excluded)
	}
	if len(r.Errors) > 0 {
		msg += fmt.Sprintf(" Errors: %d.", len(r.Errors))
	}
	return msg
}

// readRange is one range a sync reads.
type readRange struct{ from, to time.Time }

// spans returns what a run reads of a bucket with coverage c.
func (o Options) spans(c store.Coverage) []readRange {
	if o.Mode == Range {
		return []readRange{{o.From.UTC(), o.To.UTC()}}
	}
	window := readRange{o.Now.Add(-time.Duration(clamp(o.LookbackDays, 1, 90)) * 24 * time.Hour), o.Now}
	// A cursor ahead of now was written by a clock that was ahead (or a
	// server's): what it claims to cover cannot be trusted, so the window
	// is read whole until the clock passes it.
	if o.Mode == Reread || c.Until.IsZero() || c.From.IsZero() || c.Until.After(o.Now) {
		return []readRange{window}
	}
	tail := readRange{c.Until.Add(-Overlap), o.Now}
	// Events that land more than Overlap behind the cursor (heartbeats a
	// watcher queued while aw-server was down, a backlog written after a
	// restart) are caught by the first sync of each local day: it reads
	// the previous day again whole (one day's read, not the window's).
	if midnight := startOfDay(o.Now, o.Location); c.Until.Before(midnight) {
		if settle := midnight.AddDate(0, 0, -1); settle.Before(tail.from) {
			tail.from = settle.UTC()
		}
	}
	if tail.from.Before(window.from) {
		tail.from = window.from // back after longer than the lookback
	}
	switch {
	case !c.From.After(window.from):
		return []readRange{tail}
	case c.From.Before(tail.from):
		// The lookback grew: read only what lies before the covered part.
		return []readRange{{window.from, c.From}, tail}
	default:
		return []readRange{window}
	}
}

// startOfDay is local midnight of t's day in loc (time.Local when nil).
func startOfDay(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.Local
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// fetched is one range of a bucket, read ahead of its import.
type fetched struct {
	bucket     int       // index into the run's buckets
	spanFrom   time.Time // where the read this range belongs to started
	start, end time.Time
	days       int // days of the bucket's ranges read up to end
	pages      []activitywatch.Page
	n          int                  // events in pages
	windows    []activitywatch.Page // window buckets' events of the range, when exclude rules apply to a web bucket
	err        error                // the range could not be read: the bucket stops here
}

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

// planDays is how many days the ranges span, as progress counts them.
func planDays(rs []readRange) int {
	n := 0
	for _, r := range rs {
		n += days(r.to.Sub(r.from))
	}
	return n
}

func days(d time.Duration) int { return int((d + 24*time.Hour - 1) / (24 * time.Hour)) }

// readAhead reads the planned ranges in order into a channel that holds
// one range, so at most three ranges are in memory (being imported, ready,
// being read). Range sizes follow the data: each aims at half a page of
// events, from what the previous range of the bucket held.
func readAhead(ctx context.Context, src Source, opt Options, work []string, plan [][]readRange) <-chan fetched {
	out := make(chan fetched, 1)
	go func() {
		defer close(out)
		for i, bucket := range work {
			done := 0 // days of earlier ranges
		ranges:
			for _, r := range plan[i] {
				size := ChunkSize
				for start := r.from; start.Before(r.to); {
					end := start.Add(size)
					if end.After(r.to) {
						end = r.to
					}
					f := fetched{bucket: i, spanFrom: r.from, start: start, end: end, days: done + days(end.Sub(r.from))}
					f.pages, f.n, f.err = fetchPages(ctx, src, bucket, start, end, opt.PageLimit)
					if f.err == nil && IsWebBucket(bucket) && opt.excludes {
						// The windows of this time are imported after the
						// pages: they are read now, so the pages during
						// excluded ones are never written either.
						f.windows, f.err = windowPages(ctx, src, opt, start, end)
					}
					select {
					case out <- f:
					case <-ctx.Done():
						return
					}
					if f.err != nil {
						break ranges // the bucket stops at its first failure
					}
					size = nextSize(end.Sub(start), f.n, opt.pageLimit())
					start = end
				}
				done += days(r.to.Sub(r.from))
			}
		}
	}()
	return out
}

const (
	minChunk = time.Hour
	maxChunk = 31 * 24 * time.Hour
)

// nextSize is the span of a bucket's next range after one of span held n
// events: about half a page, growing at most twofold (a quiet night says
// little about the morning), and within [minChunk, maxChunk].
func nextSize(span time.Duration, n, limit int) time.Duration {
	next := 2 * span
	if n > 0 {
		if want := time.Duration(float64(span) * float64(limit/2) / float64(n)); want < next {
			next = want
		}
	}
	return min(max(next, minChunk), maxChunk)
}

func (o Options) pageLimit() int {
	if o.PageLimit <= 0 {
		return PageLimit
	}
	return o.PageLimit
}

// decode decodes pages in order.
func decode(pages []activitywatch.Page) ([]activitywatch.RawEvent, error) {
	var all []activitywatch.RawEvent
	for _, p := range pages {
		events, err := p.Decode()
		if err != nil {
			return nil, err
		}
		if all == nil {
			all = events
		} else {
			all = append(all, events...)
		}
	}
	return all, nil
}

// fetchPages reads every event of [start, end], splitting the range while
// the server returns a full page; it returns the pages, oldest range
// first, and how many events they hold.
func fetchPages(ctx context.Context, src Source, bucket string, start, end time.Time, limit int) ([]activitywatch.Page, int, error) {
	if limit <= 0 {
		limit = PageLimit
	}
	page, err := src.EventPage(ctx, bucket, start, end, limit)
	if err != nil {
		return nil, 0, err
	}
	if page.Len() < limit {
		return []activitywatch.Page{page}, page.Len(), nil
	}
	if end.Sub(start) < 2*minSplit {
		return nil, 0, fmt.Errorf("more than %d events between %s and %s: cannot split the range further", limit,
			activitywatch.FormatTime(start), activitywatch.FormatTime(end))
	}
	mid := start.Add(end.Sub(start) / 2)
	older, n1, err := fetchPages(ctx, src, bucket, start, mid, limit)
	if err != nil {
		return nil, 0, err
	}
	newer, n2, err := fetchPages(ctx, src, bucket, mid, end, limit)
	if err != nil {
		return nil, 0, err
	}
	return append(older, newer...), n1 + n2, nil
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
		if err := tx.AdvanceCursor(stmtCtx, bucket, spanFrom, end); err != nil {
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
func importEvent(ctx context.Context, tx *store.ImportTx, opt Options, bucket string, clipStart time.Time, ev activitywatch.RawEvent) (outcome, string, error) {
	ts, ok := ev.TimestampString()
	if !ok {
		return skipped, "", nil
	}
	t, err := activitywatch.ParseTime(ts)
	if err != nil {
		return failed, fmt.Sprintf("Event %s: %v", ts, err), nil
	}
	fields, err := ev.DataFields()
	if err != nil {
		return failed, fmt.Sprintf("Event %s: %v", ts, err), nil
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
		URL: strings.TrimSpace(fields.URL), ProjectID: c.ProjectID, Redacted: c.Redacted}
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

// windowPages reads the window buckets over [start, end], for exclude
// rules to apply to the pages of a web bucket.
func windowPages(ctx context.Context, src Source, opt Options, start, end time.Time) ([]activitywatch.Page, error) {
	var out []activitywatch.Page
	for _, wb := range opt.windowBuckets {
		pages, _, err := fetchPages(ctx, src, wb, start, end, opt.PageLimit)
		if err != nil {
			return nil, fmt.Errorf("reading %s to apply exclude rules to pages: %w", wb, err)
		}
		out = append(out, pages...)
	}
	return out, nil
}

// excludedWindows is the time of the windows in pages that an exclude rule
// removes. It runs on the importing goroutine: the classifier is not safe
// for concurrent use.
func excludedWindows(opt Options, pages []activitywatch.Page) ([]store.Span, error) {
	evs, err := decode(pages)
	if err != nil {
		return nil, fmt.Errorf("reading the windows to apply exclude rules to pages: %w", err)
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
func classify(ctx context.Context, tx *store.ImportTx, opt Options, bucket string, start, end time.Time, f activitywatch.Fields) (Class, error) {
	app, title, url := strings.TrimSpace(f.App), strings.TrimSpace(f.Title), strings.TrimSpace(f.URL)
	kind, other := store.SpanWindow, store.SpanWeb
	if IsWebBucket(bucket) {
		kind, other, app = store.SpanWeb, store.SpanWindow, timeline.BrowserFromBucket(bucket)
	}
	c := Class{ProjectID: opt.ProjectID}
	if opt.Classify != nil {
		if kind == store.SpanWindow && url == "" && opt.Classify.NeedsURL(app) {
			url = tx.WebURL(start, end)
		}
		c = opt.Classify.Classify(app, title, url)
	}
	if c.Excluded {
		return c, tx.AddPrivateSpan(ctx, kind, c.RuleKey, start, end)
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

// recordAFK stores an aw-watcher-afk event's status and extent.
func recordAFK(ctx context.Context, tx *store.ImportTx, _ Options, bucket string, _ time.Time, ev activitywatch.RawEvent) (outcome, string, error) {
	ts, ok := ev.TimestampString()
	id, hasID := ev.EventID()
	if !ok || !hasID {
		return skipped, "", nil
	}
	t, err := activitywatch.ParseTime(ts)
	if err != nil {
		return failed, fmt.Sprintf("Event %s: %v", ts, err), nil
	}
	fields, err := ev.DataFields()
	if err != nil || fields.Status == "" {
		return failed, fmt.Sprintf("Event %s: no afk status", ts), nil
	}
	secs, durOK := ev.DurationSeconds()
	start, end := span(t, secs, durOK)
	if err := tx.UpsertAFK(ctx, bucket, id, start, end, fields.Status); err != nil {
		return 0, "", err
	}
	return imported, "", nil
}

// mergeInto widens a known event's extent with a new piece.
func mergeInto(ctx context.Context, tx *store.ImportTx, opt Options, link store.Link, im store.Import, fields activitywatch.Fields) (outcome, string, error) {
	merged := im
	if link.Start.Before(im.Start) {
		merged.Start, merged.EventTimestamp = link.Start, link.EventTimestamp
	}
	if link.End.After(im.End) {
		merged.End = link.End
	}
	fill(&merged, fields, opt.Location)
	if merged.Start.Equal(link.Start) && merged.End.Equal(link.End) && merged.UID == link.UID {
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
