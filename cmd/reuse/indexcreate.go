package main

import (
	"context"
	"io"
)

const indexCreateUsage = `usage: reuse index create [flags] IDX PATH...

Make an index of the documents of folders, files or archives (read as
reuse scan reads them) in the folder IDX, which must not exist or be
empty. Documents are named by their path relative to the root (--root, by
default the folder holding every PATH), as reuse scan of the root names
them, and their paths are kept relative to it. --shingle, --window and
--threshold are fixed for the index: checks and additions use them. The
index takes about the temporary space of a scan of the same archive (17
bytes a word). If interrupted, it leaves no index behind. An index keeps
what a default check needs, the analysis of prose for reworded reuse
included. With --reworded it keeps every document's analysis and the keys
of reworded sentences too, and checks against it find what reuse scan
--reworded finds: passages reworded throughout, that share no exact text
(about 5% larger; docs/benchmarks.md, "An index for reworded reuse").

Then it aligns the archive's own pairs, as reuse index align does, for
checks with the default --min-words and --max-df: checks list the clusters
of its boilerplate whole without reading the archive, and those that must
read it whole take the alignments instead of aligning them again. That
takes about as long again as the indexing and about 7% more disk (1 GB of
news). With --no-align a check whose clusters reach the boilerplate reads
the whole archive, at about a scan's cost, to report them as the scan
does; reuse index align makes the alignments later. Interrupted while
aligning, it leaves the index made, without them.

Examples:
  reuse index create news.idx ./archive
  reuse index create news.idx ./archive/2024 ./archive/2025 --root ./archive
  reuse index create essays.idx ./essays --reworded
  reuse index create big.idx ./crawl --no-align
  reuse index create wire.idx wire.jsonl.gz --text-field body --id-field url

Flags:
`

func runIndexCreate(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	return indexCommand(ctx, "create", indexCreateUsage, args, stdout, stderr)
}
