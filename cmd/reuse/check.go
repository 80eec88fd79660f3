package main

import (
	"context"
	"io"
)

const checkUsage = `usage: reuse check [flags] IDX PATH...

Check new documents (folders, files, archives or - for standard input)
against the index IDX of an archive (reuse index create): report what they
share with the archive's documents and with each other. The result is what
reuse scan of the archive and the new documents together reports for the
new documents: the same pairs, passages, byte offsets and overlaps, with
text found in more than --max-df documents of the index and the new ones
as boilerplate. The archive's files are not read again, but for the
excerpts of clusters (and --passage-text); --root names the folder the
archive moved to. Outputs and flags are those of reuse scan, but the
settings the index was made with (--shingle, --window, --threshold).

An archived document listed in the result counts as reused only what it
shares with the new documents. A new document whose id the index holds is
renamed <id>#2. A check finds what a default scan finds: exact passages and
the reworded text around them (--exact: exact passages only); against an
index made with reuse index create --reworded, what reuse scan --reworded
finds: passages reworded throughout too.

Examples:
  reuse check news.idx draft.txt                   summary on the terminal
  reuse check news.idx ./incoming --format json -o incoming.json
  reuse check news.idx draft.txt --html report/    the HTML report of scan
  reuse check news.idx - < draft.txt               standard input
  reuse check news.idx draft.txt --root /mnt/old/archive

Flags:
`

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	return scanCommand(ctx, "check", checkUsage, args, stdout, stderr)
}
