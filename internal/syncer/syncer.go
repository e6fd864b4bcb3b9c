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
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
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
	BeginImport(ctx context.Context, integrationID int64) (ImportTx, error)
	Coverages(ctx context.Context, integrationID int64) (map[string]store.Coverage, error)
}

// ImportTx is one import transaction: what a range's events change
// commits together with the cursor that covers them, or not at all.
type ImportTx interface {
	Preload(ctx context.Context, bucket string, ids []int64) error
	LinkByEvent(ctx context.Context, bucket string, eventID int64) (store.Link, bool, error)
	UIDLink(ctx context.Context, uid string) (int64, error)
	Insert(ctx context.Context, im store.Import) (inserted bool, err error)
	Update(ctx context.Context, l store.Link, im store.Import) error
	AdvanceCursor(ctx context.Context, bucket string, from, until time.Time, newest string) error
	UpsertAFK(ctx context.Context, bucket string, eventID int64, start, end time.Time, status string) error
	PreparePrivacy(ctx context.Context, from, to time.Time, withPages bool) error
	HidePrivate(kind store.SpanKind, spans []store.Span)
	PrivateOverlap(kind store.SpanKind, start, end time.Time) bool
	AddPrivateSpan(ctx context.Context, kind store.SpanKind, ruleKey string, start, end time.Time) error
	DeleteImported(ctx context.Context, bucket string, eventID int64, l store.Link) error
	WebURL(start, end time.Time) string
	Commit() error
	Rollback()
}

// Importer is the Store of a SQLite store.
func Importer(st *store.Store) Store { return sqliteStore{st} }

type sqliteStore struct{ *store.Store }

func (s sqliteStore) BeginImport(ctx context.Context, integrationID int64) (ImportTx, error) {
	tx, err := s.Store.BeginImport(ctx, integrationID)
	if err != nil {
		return nil, err // not a typed nil in an interface
	}
	return tx, nil
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

	windowBuckets []string          // set by Run: read to exclude pages of excluded windows
	excludes      bool              // set by Run: whether exclude rules exist (the reader must not call Classify)
	newest        map[string]string // set by Run: each bucket's last-updated value from the bucket list
}

// Class is what the rules decide for one event.
type Class struct {
	ProjectID int64  // 0: none
	Excluded  bool   // never stored: no entry, no text, no time
	Redacted  bool   // stored without title and URL
	RuleKey   string // the exclude rule's rules.Rule.Key, when Excluded
	RedactKey string // the redact rule's key, when a rule of its own Redacted it
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
	Success       bool
	Imported      int
	Updated       int
	Skipped       int
	Excluded      int      // events privacy rules left out
	Errors        []string // what went wrong, for people, in the current language
	Message       string   // the summary, for people, in the current language
	Buckets       []BucketResult
	From, To      time.Time
	AFK           int      // afk status events recorded (not entries)
	ServerBuckets []string // every bucket id the server listed
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
		return Result{Message: i18n.T("core.syncer.list_failed", "err", err.Error())}, fmt.Errorf("listing buckets: %w", err)
	}
	res0 := Result{}
	for _, b := range all {
		res0.ServerBuckets = append(res0.ServerBuckets, b.ID)
	}
	selected, err := SelectBuckets(all, opt.BucketIDs)
	if err != nil {
		return Result{Message: err.Error()}, err
	}
	if len(selected) == 0 {
		return Result{Success: true, Message: NoDefaultBuckets()}, nil
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
	res := Result{Success: true, ServerBuckets: res0.ServerBuckets}
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
	opt.newest = newestOf(all, opt.Now)
	plan := make([][]readRange, len(work))
	var same []string // buckets with nothing new
	for i, bucket := range work {
		plan[i] = opt.spans(covered[bucket])
		if opt.unchanged(covered[bucket], opt.newest[bucket], plan[i]) {
			same, plan[i] = append(same, bucket), nil // no request at all
			continue
		}
		if res.From.IsZero() || plan[i][0].from.Before(res.From) {
			res.From = plan[i][0].from
		}
		res.To = plan[i][len(plan[i])-1].to
	}
	if err := advanceUnchanged(ctx, st, opt, same, covered); err != nil {
		return Result{Message: err.Error()}, err
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
			res.Errors = append(res.Errors, i18n.T("core.syncer.bucket_error", "bucket", work[i], "err", br.Err.Error()))
		}
	}
	res.Message = message(res)
	return res, nil
}

// advanceUnchanged moves the cursors of buckets with nothing new to now,
// as a read that found nothing would, in one transaction.
func advanceUnchanged(ctx context.Context, st Store, opt Options, buckets []string, covered map[string]store.Coverage) error {
	if len(buckets) == 0 {
		return nil
	}
	tx, err := st.BeginImport(ctx, opt.IntegrationID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, b := range buckets {
		if err := tx.AdvanceCursor(ctx, b, covered[b].Until.Add(-Overlap), opt.Now, opt.newest[b]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// message is the run's summary, a sentence each for what happened.
func message(r Result) string {
	msg := []string{i18n.N("core.syncer.summary", r.Imported, "skipped", r.Skipped)}
	if r.Updated > 0 {
		msg = append(msg, i18n.T("core.syncer.summary.updated", "n", r.Updated))
	}
	if r.Excluded > 0 {
		msg = append(msg, i18n.T("core.syncer.summary.excluded", "n", r.Excluded))
	}
	if len(r.Errors) > 0 {
		msg = append(msg, i18n.T("core.syncer.summary.errors", "n", len(r.Errors)))
	}
	return strings.Join(msg, " ")
}
