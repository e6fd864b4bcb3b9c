package awfake

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"time"
)

// Generate fills a server with realistic-shaped data for days days ending at
// end: a window bucket, a Chrome web bucket and an AFK bucket for host
// "devbox". Work days run about 08:00–17:30 with a lunch break; events have
// the fixtures' shapes (1 s gaps between window events, zero-duration
// flickers, unicode titles, web events that continue in the background).
// The same seed gives the same data. It returns the number of events.
func Generate(s *Server, days int, end time.Time, seed int64) int {
	return GenerateDense(s, days, end, seed, 120)
}

// GenerateDense is Generate with window events of at most maxSeconds
// (120 gives about 300 window events a work day; 10 about 3,400, a heavy
// switcher's day).
func GenerateDense(s *Server, days int, end time.Time, seed int64, maxSeconds int) int {
	if maxSeconds < 2 {
		maxSeconds = 2
	}
	rng := rand.New(rand.NewSource(seed))
	win, web, afk := "aw-watcher-window_devbox", "aw-watcher-web-chrome_devbox", "aw-watcher-afk_devbox"
	s.AddBucket(BucketMeta{ID: win, Type: "currentwindow", Client: "aw-watcher-window", Hostname: "devbox"})
	s.AddBucket(BucketMeta{ID: web, Type: "web.tab.current", Client: "aw-client-web", Hostname: "devbox"})
	s.AddBucket(BucketMeta{ID: afk, Type: "afkstatus", Client: "aw-watcher-afk", Hostname: "devbox"})
	apps := []struct{ app, title string }{
		{"Code", "main.go - aw-timetracker - Visual Studio Code"}, {"Code", "● syncer.go - aw-timetracker"},
		{"Google-chrome", "ActivityWatch - Google Chrome"}, {"Gnome-terminal", "dev@devbox: ~/src"},
		{"Slack", "Slack | #dev | ACME"}, {"TelegramDesktop", "Telegram (3) 👩‍💻"}, {"zoom", "Zoom Meeting"},
		{"firefox", "Sommerzeit erklärt — Mozilla Firefox"}, {"Org.gnome.Nautilus", ""}, {"Code", "日本語.md - notes"},
	}
	urls := []struct{ url, title string }{
		{"https://github.com/ActivityWatch/aw-server/pulls?q=is%3Aopen", "Pull requests · ActivityWatch/aw-server"},
		{"https://developer.mozilla.org/en-US/docs/Web/JavaScript", "JavaScript | MDN"},
		{"https://xn--r8jz45g.jp/", "例え.jp"}, {"chrome://newtab/", "New Tab"},
		{"https://www.youtube.com/watch?v=5qap5aO4i9A", "lofi hip hop radio 📚"},
	}
	data := func(m map[string]any) json.RawMessage { b, _ := json.Marshal(m); return b }
	var winEvs, webEvs, afkEvs []Event
	startDay := end.Add(-time.Duration(days) * 24 * time.Hour)
	for d := 0; d < days; d++ {
		day := time.Date(startDay.Year(), startDay.Month(), startDay.Day()+d, 8, 0, 0, 0, time.UTC)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		t := day.Add(time.Duration(rng.Intn(1800)) * time.Second)
		stop := day.Add(9*time.Hour + 30*time.Minute)
		lunch := day.Add(4 * time.Hour)
		activeFrom := t
		for t.Before(stop) && t.Before(end) {
			if t.After(lunch) && t.Before(lunch.Add(time.Minute)) {
				afkEvs = append(afkEvs, Event{Timestamp: activeFrom, Duration: t.Sub(activeFrom).Seconds(), Data: data(map[string]any{"status": "not-afk"})})
				afkEvs = append(afkEvs, Event{Timestamp: t.Add(time.Millisecond), Duration: 2700, Data: data(map[string]any{"status": "afk"})})
				t = t.Add(45 * time.Minute)
				activeFrom = t
			}
			a := apps[rng.Intn(len(apps))]
			dur := float64(rng.Intn(2*maxSeconds)) + float64(rng.Intn(1000))/1000
			if rng.Intn(12) == 0 {
				dur = 0 // title flicker
			}
			winEvs = append(winEvs, Event{Timestamp: t, Duration: dur, Data: data(map[string]any{"app": a.app, "title": a.title})})
			if a.app == "Google-chrome" || rng.Intn(3) == 0 {
				u := urls[rng.Intn(len(urls))]
				webEvs = append(webEvs, Event{Timestamp: t, Duration: dur + 0.5, Data: data(map[string]any{
					"url": u.url, "title": u.title, "audible": false, "incognito": false, "tabCount": 3 + rng.Intn(9)})})
			}
			t = t.Add(time.Duration((dur+1)*1000) * time.Millisecond)
		}
		afkEvs = append(afkEvs, Event{Timestamp: activeFrom, Duration: t.Sub(activeFrom).Seconds(), Data: data(map[string]any{"status": "not-afk"})})
	}
	for _, b := range []struct {
		id  string
		evs []Event
	}{{win, winEvs}, {web, webEvs}, {afk, afkEvs}} {
		if err := s.Insert(b.id, b.evs...); err != nil {
			panic(fmt.Sprintf("generate: %v", err))
		}
	}
	return len(winEvs) + len(webEvs) + len(afkEvs)
}
