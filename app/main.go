// Command aw-timetracker turns ActivityWatch activity into time entries in a
// local SQLite store. With a subcommand it is a headless CLI; without one it
// starts the desktop app.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	_ "github.com/aw-timetracker/aw-timetracker/internal/locale" // before Fyne's init
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "0.1.0-dev"

func main() {
	attachConsole(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exit codes
const (
	exitOK      = 0
	exitFailed  = 1 // the command failed; nothing or nothing more was done
	exitUsage   = 2 // bad flags or values
	exitPartial = 3 // sync finished, but some buckets or events had errors
)

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env *cliEnv, args []string) int
}

func commands() []command {
	return []command{
		{"setup", "--aw-url URL [flags]", "save the ActivityWatch settings and test the connection", cmdSetup},
		{"sync", "[--full | --scheduled | --from DATE [--to DATE]] [--quiet]", "Sync Now: import the lookback window (or a range)", cmdSync},
		{"status", "", "show settings, last sync and entry count", cmdStatus},
		{"entries", "[--from DATE] [--to DATE] [--format table|csv|json]", "list time entries", cmdEntries},
		{"projects", "list | add NAME | set NAME --push on|off", "list, add or configure local projects", cmdProjects},
		{"rules", "list | add | edit | remove | move | test | import", "what the time was for: project and privacy rules", cmdRules},
		{"pin", "PROJECT [--until TIME] | off | status | list", "\"working on\": all active time to one project, whatever the rules say", cmdPin},
		{"away", "list | book WHEN PROJECT | ignore WHEN | later WHEN", "time away from the keyboard: what was it?", cmdAway},
		{"report", "[--from DATE] [--to DATE] [--format table|csv|json]", "active time per day and project", cmdReport},
		{"remote", "setup | status | projects | map", "connect to a central TimeTracker and see the push state", cmdRemote},
		{"push", "[--dry-run] [--retry-failed]", "push timesheet blocks to the central TimeTracker", cmdPush},
		{"blocks", "list | approve | discard | edit | restore", "review timesheet blocks before they are pushed", cmdBlocks},
		{"daemon", "", "run scheduled syncs with no GUI (headless machines)", cmdDaemon},
		{"doctor", "", "check ActivityWatch, the database, the tray, TimeTracker: one line each", cmdDoctor},
		{"version", "", "print the version", func(_ context.Context, e *cliEnv, _ []string) int {
			fmt.Fprintln(e.stdout, "aw-timetracker", version)
			return exitOK
		}},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// The system's language; the settings' choice, if any, once they are
	// read. Only an embedded file failing to parse can fail here.
	if err := i18n.Use(""); err != nil {
		fmt.Fprintln(stderr, "aw-timetracker:", err)
	}
	if len(args) == 0 || args[0] == "--background" {
		return runDesktop(ctx, args, stdout, stderr)
	}
	name := args[0]
	if name == "window" { // internal: the tray's window process
		return runWindow(ctx, args[1:], stdin, stdout, stderr)
	}
	if name == "--version" || name == "-version" {
		name = "version"
	}
	if name == "help" || name == "-h" || name == "--help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		env, err := newCLIEnv(stdin, stdout, stderr, c.name == "daemon")
		if err != nil {
			fmt.Fprintln(stderr, "aw-timetracker:", err)
			return exitFailed
		}
		defer env.Close()
		return c.run(ctx, env, args[1:])
	}
	fmt.Fprintf(stderr, "aw-timetracker: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `aw-timetracker %s: ActivityWatch activity as time entries.

Usage:
  aw-timetracker                 start the desktop app (tray icon)
  aw-timetracker COMMAND [flags]

Commands:
`, version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
		if c.args != "" {
			fmt.Fprintf(w, "  %-9s   %s %s\n", "", c.name, c.args)
		}
	}
	fmt.Fprint(w, `
Run 'aw-timetracker COMMAND --help' for a command's flags.
Environment: AW_TIMETRACKER_LOG=debug|info|warn|error sets the log level.
`)
}

// errUsage marks errors already explained to the user as bad input.
var errUsage = errors.New("usage")
