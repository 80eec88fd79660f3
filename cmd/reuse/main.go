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

const exitStatusHelp = `EXIT STATUS
  0    success
  1    finished, but some inputs or records were skipped (each was reported)
  2    bad command line
  3    the command could not complete (for example, the output is not writable)
  130  interrupted (SIGINT or SIGTERM); no partial output is left behind
       (a second signal stops at once)
`

const usageMessage = `usage: reuse <command> [flags] [arguments]

reuse finds reused text across documents: passages copied from one document
into others, syndicated copies, quotes lifted into new contexts, boilerplate.

Commands:
  scan      find reused passages in folders, files or archives
  compare   align two documents and show what they share
  gen       generate a corpus with planted reuse and its ground truth
  eval      score a scan's result against ground truth (PAN measures)

Run "reuse <command> --help" for a command's flags and examples.

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
	case "gen":
		skipped, err = runGen(ctx, args[1:], stdout, stderr)
	case "eval":
		skipped, err = runEval(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageMessage)
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
		fmt.Fprintf(stderr, "reuse: %s\n", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		return ExitUsage
	default:
		// Errors of the reuse packages carry their own "reuse: ".
		fmt.Fprintf(stderr, "reuse: %s\n", strings.TrimPrefix(err.Error(), "reuse: "))
		return ExitFailure
	}
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
