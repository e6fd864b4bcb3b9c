// Package autostart turns "start at login" on and off: an XDG autostart
// .desktop file on Linux and BSD, a LaunchAgent with RunAtLoad on macOS, a
// value under HKCU\...\Run on Windows. Enable and Disable are idempotent,
// files are written atomically, and Enabled reads the OS state and never
// fails (an unreadable state counts as off).
package autostart

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Entry is the login item.
type Entry struct {
	ID      string   // reverse-DNS app id, e.g. io.github.awtimetracker.app
	Name    string   // shown to people
	Comment string   // one line
	Exec    string   // absolute path of the executable
	Args    []string // e.g. --background
}

// Manager enables and disables one entry. Location is where the OS keeps it
// (a folder, or a registry key path on Windows).
type Manager struct {
	Entry    Entry
	Location string
}

// DesktopFile is the XDG autostart file for e.
func DesktopFile(e Entry) string {
	parts := []string{desktopQuote(e.Exec)}
	for _, a := range e.Args {
		parts = append(parts, desktopQuote(a))
	}
	// TryExec: once the app is uninstalled, the session skips the entry
	// instead of trying to start a program that is gone.
	return fmt.Sprintf(`[Desktop Entry]
Type=Application
Name=%s
Comment=%s
TryExec=%s
Exec=%s
Icon=%s
Terminal=false
X-GNOME-Autostart-enabled=true
`, e.Name, e.Comment, e.Exec, strings.Join(parts, " "), e.ID)
}

// desktopQuote quotes an Exec argument per the Desktop Entry spec: reserved
// characters need double quotes, inside which " ` $ \ are escaped; a
// literal % is written %%.
func desktopQuote(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if s != "" && !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`=") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\\"`, "`", "\\\\`", `$`, `\\$`)
	return `"` + r.Replace(s) + `"`
}

// LaunchAgent is the macOS plist for e.
func LaunchAgent(e Entry) string {
	var args strings.Builder
	for _, a := range append([]string{e.Exec}, e.Args...) {
		args.WriteString("\t\t<string>" + xmlEscape(a) + "</string>\n")
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + xmlEscape(e.ID) + `</string>
	<key>ProgramArguments</key>
	<array>
` + args.String() + `	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}

// RunValue is the Windows Run value: the command line, each part quoted.
func RunValue(e Entry) string {
	parts := []string{`"` + e.Exec + `"`}
	for _, a := range e.Args {
		if strings.ContainsAny(a, " \t\"") {
			a = `"` + strings.ReplaceAll(a, `"`, `\"`) + `"`
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// writeAtomic writes data to path through a temp file and a rename, so a
// crash never leaves a half-written login item.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("removing %s: %w", path, err)
	}
	return nil
}
