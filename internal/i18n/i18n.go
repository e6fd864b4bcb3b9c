// Package i18n is the app's words in English and German, through Fyne's
// lang package: the translations are embedded JSON (translations/
// <part>.<language>.json: ui, settings, cli, help and core), the language
// follows the system (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) unless the
// settings name one, and dates and durations are written
// the language's way. Keys are dotted names ("entries.day.title"), never
// the English text, so they do not collide with Fyne's own.
package i18n

import (
	"embed"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

//go:embed translations/*.json
var files embed.FS

// words guards Fyne's translations, which are global to the process:
// Use writes them (the tray switches language while it runs) while any
// goroutine may be reading a word.
var words sync.RWMutex

// The words are there from the start, in the system's language, so that
// anything (a test, a command failing before its settings are read) can
// use T; Use then picks the settings' language.
func init() {
	if err := Use(""); err != nil {
		fyne.LogError("loading the translations", err)
	}
}

// systemLanguage holds the person's LANGUAGE while a chosen one is in
// LANGUAGE.
const systemLanguage = "AW_TIMETRACKER_SYSTEM_LANGUAGE"

// Languages are the languages the app speaks, the fallback first.
func Languages() []string { return []string{"en", "de"} }

// Use loads the translations and picks the language: code ("en", "de")
// when it is one of Languages, else the system's (English when the system
// asks for one the app does not speak). Call it at start; a later call
// (the tray, when the settings choose another) changes the language of
// every word asked for afterwards.
func Use(code string) error {
	words.Lock()
	defer words.Unlock()
	code = strings.ToLower(strings.TrimSpace(code))
	known := speaks(code)
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		// Fyne asks the system for the language; on Linux and BSD that
		// is LANGUAGE first (when LC_ALL/LC_MESSAGES/LANG is not C), so
		// Fyne's own words (dialog buttons) follow the choice as well.
		// The person's own LANGUAGE is kept aside (for the process and
		// the window process it starts), so "the system's" finds it again.
		was, saved := os.LookupEnv(systemLanguage)
		switch {
		case known && !saved:
			was = os.Getenv("LANGUAGE")
			if err := os.Setenv(systemLanguage, was); err != nil {
				return fmt.Errorf("choosing the language %s: %w", code, err)
			}
			fallthrough
		case known:
			if err := os.Setenv("LANGUAGE", code); err != nil {
				return fmt.Errorf("choosing the language %s: %w", code, err)
			}
		case saved:
			if err := os.Setenv("LANGUAGE", was); err != nil {
				return fmt.Errorf("going back to the system's language: %w", err)
			}
		}
	}
	if err := lang.AddTranslationsFS(files, "translations"); err != nil {
		return fmt.Errorf("loading the translations: %w", err)
	}
	// Fyne picks the system's language among those it knows, which are
	// more than ours: a language we do not speak gets our English (not an
	// error logged for every word); where Fyne reads the language from
	// the OS (Windows, macOS) a choice in the settings is made to win by
	// giving the system's language, and the fallback, the chosen words.
	sys, _, _ := strings.Cut(lang.SystemLocale().LanguageString(), "-") // "de" of "de-DE"
	switch {
	case !known && !speaks(sys):
		return speakAs("en", sys)
	case known && sys != code:
		if err := speakAs(code, sys); err != nil {
			return err
		}
		return speakAs(code, "en")
	}
	return nil
}

func speaks(l string) bool { return slices.Contains(Languages(), l) }

// speakAs loads the translations of language code (every part) as those
// of locale.
func speakAs(code, locale string) error {
	entries, err := files.ReadDir("translations")
	if err != nil {
		return fmt.Errorf("loading the %s translations: %w", code, err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "."+code+".json") {
			continue
		}
		data, err := files.ReadFile("translations/" + e.Name())
		if err != nil {
			return fmt.Errorf("loading the %s translations: %w", code, err)
		}
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(locale)); err != nil {
			return fmt.Errorf("loading the %s translations: %w", code, err)
		}
	}
	return nil
}

// Native is a language's name in itself, for a list to choose from.
func Native(code string) string {
	switch code {
	case "de":
		return "Deutsch"
	case "en":
		return "English"
	}
	return code
}

// Current is the language the words are in now ("en" or "de").
func Current() string {
	words.RLock()
	defer words.RUnlock()
	return lang.X("lang.code", "en")
}

// T is the text of key in the current language. args are the template's
// values as name, value pairs: T("sync.done", "n", 3) fills {{.n}}.
func T(key string, args ...any) string {
	if len(args) == 0 {
		words.RLock()
		defer words.RUnlock()
		return lang.X(key, key)
	}
	data := pairs(args)
	words.RLock()
	defer words.RUnlock()
	return lang.X(key, key, data)
}

// N is T with the plural form for count (its value is {{.n}} too).
func N(key string, count int, args ...any) string {
	data := pairs(args)
	data["n"] = count
	words.RLock()
	defer words.RUnlock()
	return lang.XN(key, key, count, data)
}

func pairs(args []any) map[string]any {
	m := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		v := args[i+1]
		if err, ok := v.(error); ok {
			v = err.Error() // worded before the lock: an Error method may ask for words itself
		}
		m[fmt.Sprint(args[i])] = v
	}
	return m
}

// Weekday is the day's name ("Friday", "Freitag").
func Weekday(d time.Weekday) string { return T(fmt.Sprintf("date.weekday.%d", int(d))) }

// WeekdayShort is its short name ("Fri", "Fr").
func WeekdayShort(d time.Weekday) string { return T(fmt.Sprintf("date.weekday.short.%d", int(d))) }

// Month is the month's name ("March", "März").
func Month(m time.Month) string { return T(fmt.Sprintf("date.month.%d", int(m))) }

// MonthShort is its short name ("Mar", "März").
func MonthShort(m time.Month) string { return T(fmt.Sprintf("date.month.short.%d", int(m))) }

// Date is a day in full: "Friday, 27 March 2026", "Freitag, 27. März 2026".
func Date(t time.Time) string {
	return T("date.long", "weekday", Weekday(t.Weekday()), "day", t.Day(), "month", Month(t.Month()), "year", t.Year())
}

// DayMonth is "27 March", "27. März".
func DayMonth(t time.Time) string {
	return T("date.day_month", "day", t.Day(), "month", Month(t.Month()))
}

// DayMonthYear is "27 March 2026", "27. März 2026".
func DayMonthYear(t time.Time) string {
	return T("date.day_month_year", "day", t.Day(), "month", Month(t.Month()), "year", t.Year())
}

// MonthYear is "March 2026", "März 2026".
func MonthYear(t time.Time) string {
	return T("date.month_year", "month", Month(t.Month()), "year", t.Year())
}

// ShortDay is a column's day: "Fri 27", "Fr 27.".
func ShortDay(t time.Time) string {
	return T("date.short_day", "weekday", WeekdayShort(t.Weekday()), "day", t.Day())
}

// Clock is a time of day: "09:05" in both (24-hour clocks).
func Clock(t time.Time) string { return t.Format("15:04") }

// Duration is a length of time to read: "45s", "12m", "1h 05m" in
// English; "45 s", "12 min", "1:05 h" in German (hours and minutes as
// timesheets write them, short enough for a table's column).
func Duration(d time.Duration) string {
	if d < time.Minute {
		return T("duration.s", "s", int(d/time.Second))
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if h == 0 {
		return T("duration.m", "m", m)
	}
	return T("duration.hm", "h", h, "m", fmt.Sprintf("%02d", m))
}

// DurationShort is Duration without a zero part, for a chart's axis:
// "3h", "1h 30m", "45m", "0" ("3 h", "1:30 h", "45 min", "0").
func DurationShort(d time.Duration) string {
	switch h, m := int(d/time.Hour), int(d%time.Hour/time.Minute); {
	case d <= 0:
		return "0"
	case h > 0 && m == 0:
		return T("duration.h", "h", h)
	case h > 0:
		return T("duration.hm", "h", h, "m", m)
	}
	return Duration(d)
}
