// Package resident keeps a long-running process's resident set to what it
// uses. Start-up (package inits across Fyne, SQLite, D-Bus) touches code all
// over a 38 MB binary, and the kernel's fault-around then maps most of its
// text and read-only data; an idle tray uses a small part of that. Trim
// hands the read-only pages of the executable back (they are re-read from
// the file if ever needed again) and returns free heap to the OS.
package resident

import "runtime/debug"

// Trim drops the executable's read-only pages from the resident set and
// frees unused heap. It is safe at any time: only pages that are never
// written (code, read-only data) are dropped.
func Trim() error {
	debug.FreeOSMemory()
	return trimExecutable()
}
