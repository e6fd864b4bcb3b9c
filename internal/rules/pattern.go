package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
)

// MatchTimeout bounds one match of a pattern that needs the backtracking
// engine: a nested repetition under a lookahead can take exponential time
// on a long title, and must not hang a whole import.
const MatchTimeout = 100 * time.Millisecond

// A matcher answers whether a pattern is found anywhere in a string
// (search semantics: Python's re.search, JavaScript's RegExp.test). An
// error means the match was abandoned (time or backtracking limit).
type matcher interface {
	match(s string) (bool, error)
	engine() string
}

// compilePattern compiles an ActivityWatch category regex so that it
// means what it means to aw-server (aw-core aw_transform/classify.py
// Rule.__init__: re.compile(regex, re.IGNORECASE if ignore_case | re.UNICODE),
// matched with regex.search).
//
// Engines, cheapest first:
//   - a plain alternation of literals ("GitHub|Stack Overflow", most
//     categories) is a substring test;
//   - Go's regexp (RE2, linear time) when it accepts the pattern and means
//     the same by it;
//   - regexp2, a backtracking engine with .NET syntax, for what RE2 lacks
//     (lookaround, backreferences, atomic groups, comments) and for
//     patterns whose meaning differs in RE2: Python's \w \d \s \b are
//     Unicode-aware (so are .NET's), RE2's are ASCII-only; Python's {,n}
//     is a repetition, RE2 reads it as text; Python's [[:alpha:]] is a
//     set of characters, RE2 reads it as a POSIX class. Python-only
//     syntax is translated first (see toDotNet).
//
// One difference is left: Python's and .NET's $ also match before a final
// newline, RE2's only at the very end; titles and URLs do not end in one.
//
// A pattern that neither engine accepts is an error.
func compilePattern(p string, ignoreCase bool) (matcher, error) {
	info := scanPattern(p)
	var re2Err error
	if !info.differsInRE2 {
		flags := ""
		if ignoreCase {
			flags = "(?i)"
		}
		re, err := regexp.Compile(flags + p)
		if err == nil {
			if info.literal {
				return newLiteralMatcher(p, ignoreCase, re), nil
			}
			return re2Matcher{re}, nil
		}
		re2Err = err
	}
	opts := regexp2.None
	if ignoreCase {
		opts |= regexp2.IgnoreCase
	}
	re, err := regexp2.Compile(toDotNet(p), opts)
	if err != nil {
		if re2Err != nil {
			return nil, fmt.Errorf("neither RE2 (%v) nor the backtracking engine accepts it: %w", re2Err, err)
		}
		return nil, fmt.Errorf("the backtracking engine does not accept it: %w", err)
	}
	re.MatchTimeout = MatchTimeout
	return backtrackMatcher{re}, nil
}

type re2Matcher struct{ re *regexp.Regexp }

func (m re2Matcher) match(s string) (bool, error) { return m.re.MatchString(s), nil }
func (m re2Matcher) engine() string               { return "re2" }

type backtrackMatcher struct{ re *regexp2.Regexp }

func (m backtrackMatcher) match(s string) (bool, error) { return m.re.MatchString(s) }
func (m backtrackMatcher) engine() string               { return "backtracking" }

// literalMatcher is an alternation of plain strings. Case-insensitive
// matching takes the fast path only for ASCII text, where lower-casing is
// exactly Unicode simple folding; other text goes to RE2 (Python folds
// e.g. the Kelvin sign K to k, which strings.ToLower does not).
type literalMatcher struct {
	alts       []string
	ignoreCase bool
	fallback   *regexp.Regexp
}

func newLiteralMatcher(p string, ignoreCase bool, re *regexp.Regexp) matcher {
	alts := strings.Split(p, "|")
	if ignoreCase {
		for i, a := range alts {
			if !isASCII(a) {
				return re2Matcher{re}
			}
			alts[i] = strings.ToLower(a)
		}
	}
	return literalMatcher{alts: alts, ignoreCase: ignoreCase, fallback: re}
}

func (m literalMatcher) match(s string) (bool, error) {
	if m.ignoreCase {
		if !isASCII(s) {
			return m.fallback.MatchString(s), nil
		}
		s = strings.ToLower(s)
	}
	for _, a := range m.alts {
		if strings.Contains(s, a) {
			return true, nil
		}
	}
	return false, nil
}

func (m literalMatcher) engine() string { return "literal" }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// patternInfo is what a quick scan of a pattern tells.
type patternInfo struct {
	literal      bool // no metacharacter at all: an alternation of plain strings
	differsInRE2 bool // RE2 might accept it, with another meaning than Python's
}

// scanPattern walks a pattern once, minding escapes and character classes.
func scanPattern(p string) patternInfo {
	info := patternInfo{literal: true}
	inClass := false
	classStart := 0 // index just after "[" or "[^"
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' {
			info.literal = false
			if i+1 < len(p) {
				switch d := p[i+1]; {
				case strings.IndexByte("wWdDsSbB", d) >= 0:
					info.differsInRE2 = true // Unicode classes in Python, ASCII in RE2
				case d >= '0' && d <= '9':
					info.differsInRE2 = true // backreference or octal escape in Python
				case d == 'Z' || d == 'u' || d == 'U':
					info.differsInRE2 = true
				}
			}
			i++
			continue
		}
		if inClass {
			if c == ']' && i > classStart {
				inClass = false
			} else if c == '[' && i+1 < len(p) && p[i+1] == ':' {
				info.differsInRE2 = true // [[:alpha:]] is a POSIX class in RE2 only
			}
			continue
		}
		switch c {
		case '[':
			info.literal = false
			inClass = true
			classStart = i + 1
			if classStart < len(p) && p[classStart] == '^' {
				classStart++
			}
		case '{':
			info.literal = false
			if i+1 < len(p) && p[i+1] == ',' {
				info.differsInRE2 = true // Python's {,n} means {0,n}
			}
		case '.', '+', '*', '?', '(', ')', ']', '}', '^', '$':
			info.literal = false
		}
	}
	return info
}

// toDotNet rewrites Python-only regex syntax into the .NET syntax regexp2
// reads, leaving everything else as it is:
//
//	(?P<name>...)  → (?<name>...)
//	(?P=name)      → \k<name>
//	{,n}           → {0,n}
//	\Z             → \z            (Python's \Z is the very end)
//	\UXXXXXXXX     → the character
//	\_, \é, ...    → the character (Python allows escaping any non-letter;
//	                 .NET rejects escaped word characters it does not know)
//	[ in a class   → \[             (literal in Python; see below)
func toDotNet(p string) string {
	var b strings.Builder
	inClass := false
	classStart := 0
	for i := 0; i < len(p); {
		c := p[i]
		if c == '\\' && i+1 < len(p) {
			r, size := utf8.DecodeRuneInString(p[i+1:])
			switch {
			case r == 'Z' && !inClass:
				b.WriteString(`\z`)
			case r == 'U' && i+10 <= len(p):
				if n, err := strconv.ParseUint(p[i+2:i+10], 16, 32); err == nil && utf8.ValidRune(rune(n)) {
					b.WriteString(regexp.QuoteMeta(string(rune(n))))
					i += 10
					continue
				}
				b.WriteString(p[i : i+1+size])
			case r == '_' || (r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))):
				b.WriteRune(r)
			default:
				b.WriteString(p[i : i+1+size])
			}
			i += 1 + size
			continue
		}
		if inClass {
			switch {
			case c == ']' && i > classStart:
				inClass = false
			case c == '[':
				// a literal in Python; .NET would read "[:name:]" as a
				// POSIX class it then ignores
				b.WriteByte('\\')
			}
			b.WriteByte(c)
			i++
			continue
		}
		switch {
		case c == '[':
			inClass = true
			classStart = i + 1
			if classStart < len(p) && p[classStart] == '^' {
				classStart++
			}
		case strings.HasPrefix(p[i:], "(?P<"):
			b.WriteString("(?<")
			i += 4
			continue
		case strings.HasPrefix(p[i:], "(?P="):
			if end := strings.IndexByte(p[i:], ')'); end > 0 {
				b.WriteString(`\k<` + p[i+4:i+end] + `>`)
				i += end + 1
				continue
			}
		case c == '{' && i+1 < len(p) && p[i+1] == ',':
			b.WriteString("{0")
			i++
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// CheckPattern reports whether a pattern compiles in either engine, for a
// form field to mark it as the person types.
func CheckPattern(p string, ignoreCase bool) error {
	if p == "" {
		return nil
	}
	_, err := compilePattern(p, ignoreCase)
	return err
}
