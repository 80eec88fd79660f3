package main

import (
	"context"
	"fmt"
	"io"
)

const compareUsage = `usage: reuse compare [flags] A B

Align two documents and report the passages they share, with overlap
percentages and byte offsets, in the same formats as reuse scan.

Examples:
  reuse compare draft.txt published.html
  reuse compare a.txt b.txt --format json
  reuse compare a.txt b.txt --html diff.html     side by side, one page

Flags:
`

func runCompare(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	return scanCommand(ctx, "compare", compareUsage, args, stdout, stderr, func(inputs []string) error {
		if len(inputs) != 2 {
			return fmt.Errorf("%w: compare needs exactly two documents, A and B", errUsage)
		}
		return nil
	})
}
