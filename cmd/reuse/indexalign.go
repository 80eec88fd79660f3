package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/archive"
)

const indexAlignUsage = `usage: reuse index align [flags] IDX

Align every pair of the index IDX's documents that a scan of them would
align, and keep the alignments beside the index, so that checks with the
same --min-words, --max-df, --exact and --reworded that read the whole
archive (--follow-limit -1, boilerplate in a new document, or following
that would cost more) take them instead of aligning archived documents'
pairs again, and mostly align their new documents' pairs. It costs about
a scan of the archive. A check aligns again the archived pairs that the
new documents may align otherwise: where the new documents make text
the pair shares, or text near its passages, rarer or more common than a
threshold of the pairing rules. Documents added or removed later count
the same way (while they hold at most 1% of the archive's words): checks
align the added documents' pairs and the pairs the changes reach, and
reuse index align brings the alignments up to date, reusing the others.
reuse index compact, or a merge of the segments they were made for,
leaves them stale, and removes them.

Beside them it keeps the joins of the archive's boilerplate (which
checks that read part of the archive join their boilerplate by, as a
scan does), and its clusters (which such checks list whole). Each
reuse index add and remove brings the joins up to date itself. The
clusters serve through additions (up to 64 documents since), but for
those the added documents touch; not after a removal. reuse index align
makes them again.

Examples:
  reuse index align news.idx
  reuse index align news.idx --max-df 50

Flags:
`

// addIndexAlignFlags registers the flags of reuse index align on fs.
func addIndexAlignFlags(fs *pflag.FlagSet, opt *reuse.Options, quiet *bool) {
	fs.IntVar(&opt.MinWords, "min-words", reuse.DefaultMinWords, "shortest passage reported, in matching `words` (at least 1), as the checks will ask")
	fs.IntVar(&opt.MaxDF, "max-df", reuse.DefaultMaxDF, "text found in more than `n` documents (at least 2) is boilerplate, as the checks will ask")
	addExact(fs, &opt.Exact)
	addWorkers(fs, &opt.Workers)
	fs.BoolVarP(quiet, "quiet", "q", false, "no progress")
}

func runIndexAlign(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	var opt reuse.Options
	var quiet bool
	idx, err := openIndexArg("align", indexAlignUsage, exitIndexHelp, args, stdout, func(fs *pflag.FlagSet) {
		addIndexAlignFlags(fs, &opt, &quiet)
	})
	if err != nil {
		return false, err
	}
	if opt.MinWords < 1 || opt.MaxDF < 2 {
		return false, fmt.Errorf("%w: --min-words must be at least 1 and --max-df at least 2", errUsage)
	}
	warn := newWarner(stderr, quiet)
	opt.Warn = warn.warn
	prog := startProgress(stderr, quiet, "aligned")
	opt.Progress = prog.counters
	warn.prog = prog
	res, err := reuse.AlignIndex(ctx, idx, opt)
	prog.stop()
	if err != nil {
		return false, scanError(err)
	}
	return false, emit("", stdout, func(w io.Writer) error { return alignedLine(w, idx, res) })
}

// alignedLine writes to w the line of reuse index align (and create)
// saying what it kept beside the index idx.
func alignedLine(w io.Writer, idx string, res reuse.AlignResult) error {
	_, err := fmt.Fprintf(w, "%s: %s pairs of archived documents aligned, kept in %s with the joins of %s and %s of boilerplate\n",
		idx, count(int64(res.Pairs)), megabytes(res.Bytes), plural(int64(res.Joins), "boilerplate fingerprint"), plural(int64(res.Clusters), "cluster"))
	return err
}

// keptFor returns the settings of the alignments kept beside ix for its
// generation, "" if there are none.
func keptFor(ix *archive.Index) string {
	if st, ok, err := ix.KeptAlignments(); err == nil && ok {
		return st.Settings
	}
	return ""
}

// noteStale tells on stderr what a change of the index idx (now ix) did
// to the alignments kept for settings before it: they no longer hold (a
// merge), or they lack the documents added, or predate removals.
func noteStale(stderr io.Writer, idx, before string, ix *archive.Index) {
	if before == "" {
		return
	}
	st, ok, err := ix.KeptAlignments()
	switch {
	case err != nil || !ok:
		joins := ""
		if settings, held := ix.KeptJoinsSettings(); held {
			joins = fmt.Sprintf(" (the boilerplate's joins for checks with %s still hold, and checks join by them)", settings)
		}
		fmt.Fprintf(stderr, "reuse: %s: the alignments kept for checks with %s no longer hold%s; run reuse index align again to keep them\n", idx, before, joins)
	case st.Removed > 0 && joinsCurrent(st):
		added := ""
		if st.Added > 0 {
			added = fmt.Sprintf(", and lack the %s added since, whose pairs checks align", plural(int64(st.Added), "document"))
		}
		fmt.Fprintf(stderr, "reuse: %s: the alignments kept for checks with %s predate the removal of %s, which may change the pairs of documents sharing their text: checks align those again%s, and their clusters of the boilerplate no longer serve; the boilerplate's joins were brought up to date, and checks join by them; reuse index align brings the rest up to date, reusing them\n",
			idx, before, plural(int64(st.Removed), "document"), added)
	case st.Removed > 0:
		added := ""
		if st.Added > 0 {
			added = fmt.Sprintf(", and lack the %s added since, whose pairs checks align", plural(int64(st.Added), "document"))
		}
		fmt.Fprintf(stderr, "reuse: %s: the alignments kept for checks with %s predate the removal of %s, which may change the pairs of documents sharing their text: checks align those again%s, and no longer join boilerplate by them; reuse index align brings them up to date, reusing them\n",
			idx, before, plural(int64(st.Removed), "document"), added)
	case st.Added > 0 && joinsCurrent(st):
		fmt.Fprintf(stderr, "reuse: %s: the alignments kept for checks with %s lack the %s added since they were made, whose pairs checks align, and %s; the boilerplate's joins were brought up to date, and checks join by them; reuse index align brings the rest up to date, reusing them\n",
			idx, before, plural(int64(st.Added), "document"), clustersServing(st, "their"))
	case st.Added > 0:
		fmt.Fprintf(stderr, "reuse: %s: the alignments kept for checks with %s lack the %s added since they were made, whose pairs checks align, and checks no longer join boilerplate by them; reuse index align brings them up to date, reusing them\n",
			idx, before, plural(int64(st.Added), "document"))
	}
}

// clustersServing says which of the clusters of the boilerplate kept
// with alignments (st), whose owner is their, still serve.
func clustersServing(st archive.AlignmentsStats, their string) string {
	if !st.ClustersHold() {
		if st.Removed == 0 && st.Added > reuse.MaxAddedServed {
			return fmt.Sprintf("%s clusters of the boilerplate no longer serve (they serve through %d documents added)", their, reuse.MaxAddedServed)
		}
		return their + " clusters of the boilerplate no longer serve"
	}
	if st.ClustersTouched == 0 {
		return fmt.Sprintf("%s %s clusters of the boilerplate, which those documents do not touch, still serve", their, count(int64(st.ClustersKept)))
	}
	return fmt.Sprintf("%s of %s %s clusters of the boilerplate, which those documents touch, no longer serve (the others do)", count(int64(st.ClustersTouched)), their, count(int64(st.ClustersKept)))
}

// joinsCurrent reports whether the boilerplate's joins kept beside an
// index (st) hold for it: grown since the alignments (by additions) with
// no change since.
func joinsCurrent(st archive.AlignmentsStats) bool {
	return st.JoinsGrown > 0 && st.JoinsAdded == 0 && st.JoinsRemoved == 0
}
