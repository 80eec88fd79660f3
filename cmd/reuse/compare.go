package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

const compareUsage = `usage: reuse compare [flags] A B

Align two documents and report the passages they share: each passage with
its byte offsets in both documents, its length in words, its similarity and
an excerpt of each side, after the share of each document that the other
holds. --format json, jsonl and csv give the result as reuse scan does.
A and B are files (text, HTML, a one-record JSONL file) or - for standard
input; a folder, or a file holding several documents, is refused.

Examples:
  reuse compare draft.txt published.html
  reuse compare a.txt b.txt --format json
  reuse compare a.txt b.txt --html diff.html     side by side, one page

Flags:
`

func runCompare(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	return scanCommand(ctx, "compare", compareUsage, args, stdout, stderr)
}

// checkCompareArgs refuses anything but two documents: a folder would
// silently turn the comparison into a scan.
func checkCompareArgs(inputs []string) error {
	if len(inputs) != 2 {
		return fmt.Errorf("%w: compare takes exactly two documents, A and B, got %d (to scan more, use reuse scan)", errUsage, len(inputs))
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if fi, err := os.Stat(in); err == nil && fi.IsDir() {
			return fmt.Errorf("%w: compare takes two documents, and %s is a folder (to scan a folder, use reuse scan)", errUsage, in)
		}
	}
	return nil
}
