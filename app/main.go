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
		{"setup", i18n.T("cli.args.setup"), i18n.T("cli.help.setup"), cmdSetup},
		{"sync", "[--full | --scheduled | --from DATE [--to DATE]] [--quiet]", i18n.T("cli.help.sync"), cmdSync},
		{"status", "", i18n.T("cli.help.status"), cmdStatus},
		{"entries", "[--from DATE] [--to DATE] [--format table|csv|json]", i18n.T("cli.help.entries"), cmdEntries},
		{"projects", "list | add NAME | set NAME --push on|off", i18n.T("cli.help.projects"), cmdProjects},
		{"rules", "list | add | edit | remove | move | test | import", i18n.T("cli.help.rules"), cmdRules},
		{"pin", "PROJECT [--until TIME] | off | status | list", i18n.T("cli.help.pin"), cmdPin},
		{"away", "list | book WHEN PROJECT | ignore WHEN | later WHEN", i18n.T("cli.help.away"), cmdAway},
		{"report", "[--from DATE] [--to DATE] [--format table|csv|json]", i18n.T("cli.help.report"), cmdReport},
		{"remote", "setup | status | projects | map", i18n.T("cli.help.remote"), cmdRemote},
		{"push", "[--dry-run] [--retry-failed]", i18n.T("cli.help.push"), cmdPush},
		{"blocks", "list | approve | discard | edit | restore", i18n.T("cli.help.blocks"), cmdBlocks},
		{"daemon", "", i18n.T("cli.help.daemon"), cmdDaemon},
		{"doctor", "", i18n.T("cli.help.doctor"), cmdDoctor},
		{"version", "", i18n.T("cli.help.version"), func(_ context.Context, e *cliEnv, _ []string) int {
			fmt.Fprintln(e.stdout, "aw-timetracker", version)
			return exitOK
		}},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// The words are in the system's language (internal/i18n's init); the
	// settings' choice, if any, from before a command reads its flags.
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
	if (name == "help" || isHelp(name)) && len(args) > 1 && args[1] != "help" && !isHelp(args[1]) && args[1] != "window" {
		return run(ctx, []string{args[1], "--help"}, stdin, stdout, stderr) // "help sync": the command's own
	}
	if name == "help" || name == "-h" || name == "--help" {
		if env, err := newCLIEnv(stdin, stdout, stderr, false); err == nil {
			env.useSavedLanguage(ctx)
			env.Close()
		}
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
		if c.name != "version" {
			env.useSavedLanguage(ctx) // before the flags: --help speaks it too
		}
		return c.run(ctx, env, args[1:])
	}
	fmt.Fprintf(stderr, "aw-timetracker: %s\n\n", i18n.T("cli.common.unknown_command", "name", fmt.Sprintf("%q", name)))
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, i18n.T("cli.help.head", "version", version))
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
		if c.args != "" {
			fmt.Fprintf(w, "  %-9s   %s %s\n", "", c.name, c.args)
		}
	}
	fmt.Fprint(w, "\n"+i18n.T("cli.help.tail")+"\n")
}

// isHelp says whether arg asks for a command's help.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "-help" }

// helpAt says whether args[i] exists and asks for help ("away book
// --help": a subcommand without flags of its own shows its command's).
func helpAt(args []string, i int) bool { return len(args) > i && isHelp(args[i]) }

// errUsage marks errors already explained to the user as bad input.
var errUsage = errors.New("usage")
