package main

import (
	"context"
	"io"
)

const indexAddUsage = `usage: reuse index add [flags] IDX PATH...

Add the documents of folders, files or archives to the index IDX, as one
new segment; segments of about one size are merged four at a time. A
document inside the index's root is named by its path relative to it
(2026-12-01/story.txt for ./archive/2026-12-01/story.txt in an index of
./archive). A document whose id the index holds is left out with a
warning (exit status 1), or replaces it with --replace. Checks may run
meanwhile; they see the index as it was until the addition is published
whole.

The clusters of boilerplate that reuse index align kept (reuse index
create keeps them) serve checks through up to 64 documents added since;
past that, or after --replace, a check reads the whole archive for them,
until the alignments are made again: --align does that after adding
(about a scan of the archive, less the alignments it reuses).

Examples:
  reuse index add news.idx ./archive/2026-12-01
  reuse index add news.idx ./archive/2026-12-01/corrected.txt --replace
  reuse index add news.idx ./archive/2026-12 --align

Flags:
`

func runIndexAdd(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	return indexCommand(ctx, "add", indexAddUsage, args, stdout, stderr)
}
