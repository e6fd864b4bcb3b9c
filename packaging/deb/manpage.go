package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// manPage is aw-timetracker(1), written from the binary's own `help` output
// (as help2man does), so it lists exactly the commands that binary has:
// NAME and DESCRIPTION from the metainfo, COMMANDS from the help's
// "Commands:" list, and the help's closing lines (flags per command, the
// environment) as NOTES. Returned gzip-compressed (-9n) for
// /usr/share/man/man1/.
func manPage(binary, version string, meta metainfo, date time.Time) ([]byte, error) {
	out, err := exec.Command(binary, "help").Output()
	if err != nil {
		return nil, fmt.Errorf("%s help: %w", binary, err)
	}
	return gzip9n([]byte(manFromHelp(string(out), version, meta, date)))
}

var helpCommand = regexp.MustCompile(`^\s+([a-z][a-z0-9-]*)\s{2,}(\S.*)$`)

func manFromHelp(help, version string, meta metainfo, date time.Time) string {
	var commands [][2]string
	var notes []string
	section := ""
	for _, line := range strings.Split(help, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "Usage:" || trimmed == "Commands:":
			section = trimmed
		case trimmed == "":
			if section != "" {
				section = "after"
			}
		case section == "Commands:":
			if m := helpCommand.FindStringSubmatch(line); m != nil {
				commands = append(commands, [2]string{m[1], m[2]})
			}
		case section == "after":
			notes = append(notes, trimmed)
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, ".TH AW\\-TIMETRACKER 1 %q %q \"User Commands\"\n",
		date.Format("2006-01-02"), pkgName+" "+version)
	fmt.Fprintf(&b, ".SH NAME\n%s \\- %s\n", pkgName, roff(strings.TrimSpace(meta.Summary)))
	fmt.Fprintf(&b, ".SH SYNOPSIS\n.B %s\n.br\n.B %s\n.I COMMAND\n.RI [ flags ]\n", pkgName, pkgName)
	b.WriteString(".SH DESCRIPTION\n")
	for i, p := range meta.Paragraphs {
		if i > 0 {
			b.WriteString(".PP\n")
		}
		b.WriteString(roff(strings.Join(strings.Fields(p), " ")) + "\n")
	}
	b.WriteString(".PP\nWith no command it starts the desktop app, with its icon in the tray.\n")
	if len(commands) > 0 {
		b.WriteString(".SH COMMANDS\n")
		for _, c := range commands {
			fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roff(c[0]), roff(c[1]))
		}
	}
	if len(notes) > 0 {
		b.WriteString(".SH NOTES\n")
		for i, n := range notes {
			if i > 0 {
				b.WriteString(".PP\n")
			}
			b.WriteString(roff(n) + "\n")
		}
	}
	b.WriteString(".SH FILES\n.TP\n.I /usr/lib/systemd/user/aw\\-timetracker.service\n" +
		"The headless daemon as a systemd user service:\n" +
		".B systemctl \\-\\-user enable \\-\\-now aw\\-timetracker\n")
	return b.String()
}

// roff escapes text for a man page line: backslashes, hyphens as \- (they
// are mostly option dashes and command names people copy), and a leading
// control character.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// gzip9n compresses as `gzip -9n` does: best compression, no file name, no
// time stamp.
func gzip9n(data []byte) ([]byte, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.OS = 3 // Unix, as gzip writes it
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return gz.Bytes(), nil
}
