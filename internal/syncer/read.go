package syncer

// Reading aw-server: ranges read ahead of their import, pages split when full.

import (
	"context"
	"errors"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
)

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
		return nil, 0, errors.New(i18n.T("core.syncer.range_too_dense", "limit", limit,
			"from", activitywatch.FormatTime(start), "to", activitywatch.FormatTime(end)))
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

// windowPages reads the window buckets over [start, end], for exclude
// rules to apply to the pages of a web bucket.
func windowPages(ctx context.Context, src Source, opt Options, start, end time.Time) ([]activitywatch.Page, error) {
	var out []activitywatch.Page
	for _, wb := range opt.windowBuckets {
		pages, _, err := fetchPages(ctx, src, wb, start, end, opt.PageLimit)
		if err != nil {
			return nil, &textError{i18n.T("core.syncer.window_bucket_unreadable", "bucket", wb, "err", err.Error()), err}
		}
		out = append(out, pages...)
	}
	return out, nil
}
