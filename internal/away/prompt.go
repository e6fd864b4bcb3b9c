package away

import (
	"context"
	"strings"
	"time"

	"github.com/aw-timetracker/aw-timetracker/internal/activitywatch"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
)

// Answers someone already gave aw-watcher-afk-prompt (tobixen's; formerly
// aw-watcher-ask-away) are in its buckets: events of the time away whose
// data holds the person's "message". They are read as answers too, so the
// same absence is not asked about twice.

// PromptBuckets are the aw-watcher-afk-prompt buckets among ids.
func PromptBuckets(ids []string) []string {
	var out []string
	for _, id := range ids {
		if (strings.HasPrefix(id, "aw-watcher-afk-prompt_") || strings.HasPrefix(id, "aw-watcher-ask-away_")) &&
			!strings.Contains(id, "-synced-from-") {
			out = append(out, id)
		}
	}
	return out
}

// PromptSource reads a prompt bucket.
type PromptSource interface {
	EventPage(ctx context.Context, bucket string, start, end time.Time, limit int) (activitywatch.Page, error)
}

// AnswerStore is where the answers go.
type AnswerStore interface {
	AwayAnswers(ctx context.Context, from, to time.Time) ([]store.AwayAnswer, error)
	AnswerAway(ctx context.Context, answers []store.AwayAnswer) error
}

// ImportPrompt reads the prompt buckets' answers of [from, to) and stores
// each that answers time no answer covers yet: as work for the project
// projectOf gives its message (0: none), else as "later" with the message
// as its note, so it shows unanswered and is not asked about again. It
// returns how many it stored.
func ImportPrompt(ctx context.Context, src PromptSource, st AnswerStore, buckets []string, from, to time.Time,
	projectOf func(message string) int64) (int, error) {
	have, err := st.AwayAnswers(ctx, from, to)
	if err != nil {
		return 0, err
	}
	covered := func(s, e time.Time) bool {
		for _, a := range have {
			if a.Start.Before(e) && a.End.After(s) { // any overlap: an answer given here is never cut
				return true
			}
		}
		return false
	}
	var add []store.AwayAnswer
	for _, b := range buckets {
		page, err := src.EventPage(ctx, b, from, to, 0)
		if err != nil {
			return 0, err
		}
		evs, err := page.Decode()
		if err != nil {
			return 0, err
		}
		for _, ev := range evs {
			ts, ok := ev.TimestampString()
			secs, durOK := ev.DurationSeconds()
			if !ok || !durOK || secs <= 0 {
				continue // malformed: skipped
			}
			start, err := activitywatch.ParseTime(ts)
			if err != nil {
				continue
			}
			end := start.Add(time.Duration(secs * float64(time.Second)))
			msg := strings.TrimSpace(ev.Message())
			if msg == "" || covered(start, end) {
				continue
			}
			a := store.AwayAnswer{Start: start, End: end, Kind: store.AwayLater, Note: msg}
			if p := projectOf(msg); p != 0 {
				a.Kind, a.ProjectID = store.AwayWork, p
			}
			add = append(add, a)
			have = append(have, a)
		}
	}
	if len(add) == 0 {
		return 0, nil
	}
	return len(add), st.AnswerAway(ctx, add)
}
