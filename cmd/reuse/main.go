// Command reuse finds reused text across a collection of documents.
//
// See usage (reuse --help, reuse scan --help) for the commands and flags.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/reuse-tool/reuse/internal/atomicfile"
)

// Exit codes, documented in every usage text.
const (
	ExitOK          = 0   // success
	ExitSkipped     = 1   // finished, but some inputs or records could not be read
	ExitUsage       = 2   // bad command line
	ExitFailure     = 3   // the command could not complete (e.g. output not writable)
	ExitInterrupted = 130 // SIGINT or SIGTERM
)

// The exit-status blocks of the usage texts: each command lists the codes
// it can return.
const (
	exitOKHelp = `EXIT STATUS
  0    success
`
	exitSkippedHelp = `  1    finished, but some inputs or records were skipped (each was reported)
`
	exitCommonHelp = `  2    bad command line
  3    the command could not complete (for example, the output is not writable)
  130  interrupted (SIGINT or SIGTERM); no partial output is left behind
       (a second signal stops at once)
`
	// exitStatusHelp is the block of scan and compare, and of reuse --help.
	exitStatusHelp = exitOKHelp + exitSkippedHelp + exitCommonHelp
	// exitGenHelp is gen's: it reads no inputs, so it skips none.
	exitGenHelp = exitOKHelp + exitCommonHelp
	// exitIndexHelp is that of the index commands that read no inputs.
	exitIndexHelp = exitOKHelp + exitCommonHelp
	// exitEvalHelp is eval's.
	exitEvalHelp = exitOKHelp + `  1    the result holds none of the truth's documents: every score is 0
` + exitCommonHelp
)

const usageMessage = `usage: reuse <command> [flags] [arguments]

reuse finds reused text across documents: passages copied from one document
into others, syndicated copies, quotes lifted into new contexts, boilerplate.

Commands:
  scan        find reused passages in folders, files or archives
  compare     align two documents and show what they share
  index       keep an index of an archive: create, add, remove, stats,
              compact, verify
  check       check new documents against an archive's index
  gen         generate a corpus with planted reuse and its ground truth
  eval        score a scan's result against ground truth (PAN measures)
  completion  print a shell completion script (bash, zsh or fish)

Run "reuse help <command>" or "reuse <command> --help" for a command's
flags and examples, and "reuse --version" for the version.

` + exitStatusHelp

// errUsage marks errors caused by the command line.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageMessage)
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal cancels ctx and the command winds down, leaving no
	// partial output; a second one stops the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()

	var err error
	var skipped bool
	switch args[0] {
	case "scan":
		skipped, err = runScan(ctx, args[1:], stdout, stderr)
	case "compare":
		skipped, err = runCompare(ctx, args[1:], stdout, stderr)
	case "index":
		skipped, err = runIndex(ctx, args[1:], stdout, stderr)
	case "check":
		skipped, err = runCheck(ctx, args[1:], stdout, stderr)
	case "gen":
		skipped, err = runGen(ctx, args[1:], stdout, stderr)
	case "eval":
		skipped, err = runEval(ctx, args[1:], stdout, stderr)
	case "completion":
		skipped, err = runCompletion(args[1:], stdout)
	case "help", "-h", "--help":
		if len(args) > 1 && args[0] == "help" && isCommand(args[1]) {
			// reuse help scan is reuse scan --help.
			return run([]string{args[1], "--help"}, stdout, stderr)
		}
		if len(args) > 1 && args[0] == "help" {
			fmt.Fprintf(stderr, "reuse: unknown command %q\n\n%s", args[1], usageMessage)
			return ExitUsage
		}
		fmt.Fprint(stdout, usageMessage)
		return ExitOK
	case "version", "--version":
		fmt.Fprintln(stdout, versionLine())
		return ExitOK
	default:
		fmt.Fprintf(stderr, "reuse: unknown command %q\n\n%s", args[0], usageMessage)
		return ExitUsage
	}
	switch {
	case err == nil && skipped:
		return ExitSkipped
	case err == nil:
		return ExitOK
	case errors.Is(err, errHelp):
		return ExitOK
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "reuse: interrupted")
		return ExitInterrupted
	case errors.Is(err, errUsage):
		// errUsage wraps as "usage: <problem>"; the problem is the message.
		fmt.Fprintf(stderr, "reuse: %s\n", strings.TrimPrefix(userMessage(err), errUsage.Error()+": "))
		return ExitUsage
	default:
		// Errors of the reuse packages carry their own "reuse: ".
		fmt.Fprintf(stderr, "reuse: %s\n", strings.TrimPrefix(userMessage(err), "reuse: "))
		return ExitFailure
	}
}

// commands are the names of the commands, as run dispatches them.
var commands = []string{"scan", "compare", "index", "check", "gen", "eval", "completion"}

func isCommand(name string) bool { return slices.Contains(commands, name) }

// versionLine is what reuse --version prints: the module version from the
// build information ("(devel)" for a build inside the module's own
// checkout), the commit it was built from where known, and the Go version.
func versionLine() string {
	version, commit, dirty := "(devel)", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" {
			version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	line := "reuse " + version
	// A module version of a tagged or pseudo-versioned build names its
	// commit already; a devel build says which one.
	if commit != "" && !strings.Contains(version, commit[:min(12, len(commit))]) {
		line += " (commit " + commit[:min(12, len(commit))]
		if dirty {
			line += ", modified"
		}
		line += ")"
	}
	return line + " " + runtime.Version()
}

// emit writes to the output file atomically, or to stdout through a
// buffer whose flush error is checked.
func emit(output string, stdout io.Writer, write func(io.Writer) error) error {
	if output != "" && output != "-" {
		return atomicfile.Write(output, write)
	}
	bw := bufio.NewWriter(stdout)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}
