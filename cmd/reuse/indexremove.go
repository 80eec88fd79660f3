package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/archive"
)

const indexRemoveUsage = `usage: reuse index remove [flags] IDX ID...

Remove documents from the index IDX by their ids (as results name them);
- reads ids from standard input, one a line. Removed documents are never
reported again; their space is reclaimed by the next reuse index compact.
An id the index does not hold is reported, and the exit status is 1.

Examples:
  reuse index remove news.idx 2019/retracted.txt
  printf '%s\n' a.txt b.txt | reuse index remove news.idx -

Flags:
`

const exitRemoveHelp = exitOKHelp + `  1    some ids are not in the index (each was reported)
` + exitCommonHelp

func runIndexRemove(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	fs := newFlagSet("index remove", indexRemoveUsage, exitRemoveHelp, stdout)
	if err := parseFlags(fs, args); err != nil {
		return false, err
	}
	if fs.NArg() < 2 {
		return false, fmt.Errorf("%w: index remove needs an index and at least one ID (try reuse index remove --help)", errUsage)
	}
	idx := fs.Arg(0)
	var ids []string
	for _, a := range fs.Args()[1:] {
		if a != "-" {
			ids = append(ids, a)
			continue
		}
		sc := bufio.NewScanner(os.Stdin)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			if id := strings.TrimRight(sc.Text(), "\r"); id != "" {
				ids = append(ids, id)
			}
		}
		if err := sc.Err(); err != nil {
			return false, fmt.Errorf("standard input: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		return false, err
	}
	before, aligned := ix.Len(), keptFor(ix)
	ix.Close()
	missing, joins, err := reuse.RemoveFromIndex(ctx, idx, ids)
	if err != nil {
		return false, err
	}
	if ix, err = archive.Open(idx, archive.Options{}); err != nil {
		return false, err
	}
	defer ix.Close()
	noteStale(stderr, idx, aligned, ix)
	if joins.Why != "" {
		fmt.Fprintf(stderr, "reuse: %s: the boilerplate's joins kept for checks with %s could not be brought up to date (%s); reuse index align makes them again\n", idx, joins.Settings, joins.Why)
	}
	for _, id := range missing {
		fmt.Fprintf(stderr, "reuse: warning: %s holds no document %q\n", idx, id)
	}
	after := ix.Len()
	err = emit("", stdout, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s: removed %s; %s remain (space reclaimed by reuse index compact)\n",
			idx, plural(int64(before-after), "document"), count(int64(after)))
		return err
	})
	return len(missing) > 0, err
}
