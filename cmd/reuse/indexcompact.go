package main

import (
	"context"
	"fmt"
	"io"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/archive"
)

const indexCompactUsage = `usage: reuse index compact IDX

Merge the segments of the index IDX into one, leaving out the documents
removed: their space is reclaimed, and each lookup of a check reads one
segment instead of several. Checks may run meanwhile; the merged segment
is published whole when it is done, and an interrupted compaction leaves
the index as it was.

Example:
  reuse index compact news.idx

Flags:
`

func runIndexCompact(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	idx, err := openIndexArg("compact", indexCompactUsage, exitIndexHelp, args, stdout, nil)
	if err != nil {
		return false, err
	}
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		return false, err
	}
	before, aligned := ix.Stats(), keptFor(ix)
	ix.Close()
	if err := reuse.CompactIndex(ctx, idx); err != nil {
		return false, err
	}
	if ix, err = archive.Open(idx, archive.Options{}); err != nil {
		return false, err
	}
	defer ix.Close()
	noteStale(stderr, idx, aligned, ix)
	after := ix.Stats()
	return false, emit("", stdout, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s: %s merged into %d, the space of %s reclaimed; %s on disk, was %s\n", idx,
			plural(int64(before.Segments), "segment"), after.Segments, plural(int64(before.Removed), "removed document"),
			megabytes(after.Bytes), megabytes(before.Bytes))
		return err
	})
}
