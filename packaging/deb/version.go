package main

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	describeAhead = regexp.MustCompile(`^(.+)-([0-9]+)-g([0-9a-f]{4,40})$`)
	bareHash      = regexp.MustCompile(`^[0-9a-f]{7,40}$`) // git abbreviates to 7 or more
	validDebian   = regexp.MustCompile(`^[0-9][A-Za-z0-9.+~]*$`)
	notInVersion  = regexp.MustCompile(`[^A-Za-z0-9.+~]`)
)

// debVersion turns the output of `git describe --tags --always --dirty`
// into a Debian upstream version (deb-version(7): starts with a digit; only
// alphanumerics and . + ~; no hyphen, which would read as the start of the
// Debian revision; no epoch). main.go appends the revision ("-1").
// Snapshots must sort between the releases around them, so:
//
//	v1.2.3                 -> 1.2.3
//	v1.2.3-rc1             -> 1.2.3~rc1                ("~" sorts before 1.2.3)
//	v1.2.3-5-gabc1234      -> 1.2.3+git5.abc1234       (after 1.2.3, before 1.2.4)
//	abc1234 (no tag yet)   -> <base>~git<n>.abc1234    (before the <base> release)
//	...-dirty              -> ...+dirty (or .dirty after a "+")
//
// With no tag, git describe prints only the abbreviated hash, which starts
// with a letter half of the time and does not order commits; base is the
// version the code is heading for (FyneApp.toml's Version) and n the commit
// count (git rev-list --count), so later snapshots sort higher. n < 0 when
// unknown: then <base>~git<hash>.
func debVersion(describe, base string, n int) (string, error) {
	d := strings.TrimSpace(describe)
	dirty := false
	if s, ok := strings.CutSuffix(d, "-dirty"); ok {
		d, dirty = s, true
	}
	var v string
	switch {
	case d == "":
		return "", fmt.Errorf("empty version")
	case bareHash.MatchString(d):
		b := tagVersion(base)
		if !validDebian.MatchString(b) {
			return "", fmt.Errorf("untagged commit %q and no usable base version (%q)", d, base)
		}
		if n >= 0 {
			v = fmt.Sprintf("%s~git%d.%s", b, n, d)
		} else {
			v = b + "~git" + d
		}
	default:
		tag, ahead, hash := d, "", ""
		if m := describeAhead.FindStringSubmatch(d); m != nil {
			tag, ahead, hash = m[1], m[2], m[3]
		}
		v = tagVersion(tag)
		if ahead != "" {
			v += "+git" + ahead + "." + hash
		}
	}
	if dirty {
		if strings.Contains(v, "+") {
			v += ".dirty"
		} else {
			v += "+dirty"
		}
	}
	if !validDebian.MatchString(v) {
		return "", fmt.Errorf("%q gives %q, not a valid Debian version", describe, v)
	}
	return v, nil
}

// tagVersion maps a tag to a version: no leading "v", a pre-release part
// after "-" behind "~", and no characters Debian forbids.
func tagVersion(tag string) string {
	t := strings.TrimPrefix(strings.TrimPrefix(tag, "v"), "V")
	t = strings.ReplaceAll(t, "-", "~")
	t = strings.ReplaceAll(t, "_", ".")
	return notInVersion.ReplaceAllString(t, "")
}
