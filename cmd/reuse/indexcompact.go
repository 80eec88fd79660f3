package main

import (
	"context"
	"fmt"
	"io"

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
	w, err := archive.OpenWriter(idx)
	if err != nil {
		return false, err
	}
	defer w.Close()
	before, aligned := w.Index().Stats(), keptFor(w.Index())
	if err := w.Compact(ctx); err != nil {
		return false, err
	}
	noteStale(stderr, idx, aligned, w.Index())
	after := w.Index().Stats()
	return false, emit("", stdout, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s: %s merged into %d, the space of %s reclaimed; %s on disk, was %s\n", idx,
			plural(int64(before.Segments), "segment"), after.Segments, plural(int64(before.Removed), "removed document"),
			megabytes(after.Bytes), megabytes(before.Bytes))
		return err
	})
}
