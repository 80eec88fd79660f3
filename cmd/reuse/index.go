package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/archive"
)

const indexUsage = `usage: reuse index <command> [flags] IDX [arguments]

Keep an index of an archive on disk, and check new documents against it
with reuse check: the archive is read and analyzed once, not at every
check.

Commands:
  create   index the documents of folders, files or archives
  add      add documents to an index
  remove   remove documents from an index, by id
  stats    documents, words, size on disk and segments of an index
  compact  merge an index's segments, reclaiming removed documents' space
  align    align the archive's own pairs once, for checks that read it whole
  verify   check every file of an index against its checksums

The index IDX is a folder. Every change is written to new files and
published at once, so that a change interrupted or killed leaves the index
as it was; one process changes an index at a time, while any number check
against it. Documents are named as reuse scan of the index's root would
name them (their path relative to it), and their paths are kept relative
to it, so the archive may move (reuse check --root).

Examples:
  reuse index create news.idx ./archive          index an archive
  reuse index add news.idx ./archive/2026-12-01  add a day's stories
  reuse index remove news.idx 2019/retracted.txt remove by id
  reuse index stats news.idx
  reuse index align news.idx                     speed up checks reading it whole
  reuse check news.idx draft.txt                 check new documents

Run "reuse index <command> --help" for a command's flags.

`

// indexCommands are the subcommands of reuse index.
var indexCommands = [][2]string{
	{"create", "index the documents of folders, files or archives"},
	{"add", "add documents to an index"},
	{"remove", "remove documents from an index, by id"},
	{"stats", "documents, words, size on disk and segments of an index"},
	{"compact", "merge an index's segments into one"},
	{"align", "align the archive's own pairs once, for checks that read it whole"},
	{"verify", "check every file of an index against its checksums"},
}

func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	if len(args) == 0 {
		return false, fmt.Errorf("%w: index needs a command: create, add, remove, stats, compact, align or verify (try reuse index --help)", errUsage)
	}
	switch args[0] {
	case "create":
		return runIndexCreate(ctx, args[1:], stdout, stderr)
	case "add":
		return runIndexAdd(ctx, args[1:], stdout, stderr)
	case "remove":
		return runIndexRemove(ctx, args[1:], stdout, stderr)
	case "stats":
		return runIndexStats(ctx, args[1:], stdout, stderr)
	case "compact":
		return runIndexCompact(ctx, args[1:], stdout, stderr)
	case "align":
		return runIndexAlign(ctx, args[1:], stdout, stderr)
	case "verify":
		return runIndexVerify(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, indexUsage+exitStatusHelp)
		return false, errHelp
	}
	return false, fmt.Errorf("%w: unknown index command %q (want create, add, remove, stats, compact, align or verify)", errUsage, args[0])
}

// indexFlags are the flags of reuse index create and add.
type indexFlags struct {
	quiet    bool
	noAlign  bool // create: leave the archive's own pairs unaligned
	align    bool // add: align them after adding
	maxBytes string
	memory   string
	opt      reuse.IndexOptions
}

// AddCreateFlags registers the flags of reuse index create on fs.
func (f *indexFlags) AddCreateFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.opt.Root, "root", "", "the `folder` documents' ids and paths count from (default: the folder holding every PATH)")
	fs.IntVar(&f.opt.Shingle, "shingle", reuse.DefaultShingle, "`words` per shingle of the fingerprint index (1-64); fixed for the index")
	fs.IntVar(&f.opt.Window, "window", reuse.DefaultWindow, "winnowing window in `shingles` (1-1024); fixed for the index")
	fs.Float64Var(&f.opt.Threshold, "threshold", reuse.DefaultThreshold, "least `share` (above 0, at most 1) of both documents' words in common for near-duplicate groups; fixed for the index")
	fs.BoolVar(&f.opt.Reworded, "reworded", false, "keep every document's analysis and the keys of reworded sentences, so that checks find what reuse scan --reworded finds (passages that share no exact text); a larger index, fixed for it")
	fs.BoolVar(&f.noAlign, "no-align", false, "do not align the archive's own pairs after indexing (reuse index align): a smaller index, made in about half the time, but checks whose clusters reach its boilerplate read the whole archive, at about a scan's cost")
	f.addCommon(fs)
}

// AddAddFlags registers the flags of reuse index add on fs.
func (f *indexFlags) AddAddFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&f.opt.Replace, "replace", false, "documents whose ids the index holds replace them (by default they are left out, with a warning)")
	fs.BoolVar(&f.align, "align", false, "then align the archive's pairs again for checks with the default settings (reuse index align), reusing the alignments kept: the clusters of boilerplate kept beside the index serve checks again after many documents added (more than 64)")
	addIndexReworded(fs, &f.opt.Reworded)
	f.addCommon(fs)
}

func (f *indexFlags) addCommon(fs *pflag.FlagSet) {
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress and no per-file warnings (the count of skipped inputs is still printed)")
	addWorkers(fs, &f.opt.Workers)
	// --exact, hidden, is refused with the reason (reuse.IndexOptions):
	// an index holds what any check needs.
	fs.BoolVar(&f.opt.Exact, "exact", false, "refused: an index holds what a default check needs")
	if err := fs.MarkHidden("exact"); err != nil {
		panic(err)
	}
	addFilters(fs, &f.opt.Corpus)
	addEncoding(fs, &f.opt.Corpus)
	addJSONLFields(fs, &f.opt.Corpus)
	addMaxBytes(fs, &f.maxBytes)
	addMemory(fs, &f.memory)
}

// check refuses values out of range and fills in the sizes.
func (f *indexFlags) check(fs *pflag.FlagSet) error {
	sf := scanFlags{opt: f.opt.Options}
	sf.opt.MinWords = reuse.DefaultMinWords
	if !fs.Changed("shingle") {
		f.opt.Shingle = 0
	}
	if !fs.Changed("window") {
		f.opt.Window = 0
	}
	if !fs.Changed("threshold") {
		f.opt.Threshold = 0
	}
	if err := sf.check(fs); err != nil {
		return err
	}
	var err error
	if f.opt.Corpus.MaxBytes, err = parseSize(f.maxBytes); err != nil {
		return fmt.Errorf("%w: --max-bytes: %v", errUsage, err)
	}
	if f.opt.Memory, err = parseMemory(f.memory); err != nil {
		return err
	}
	return nil
}

// indexCommand runs reuse index create or add (name) from a command line.
func indexCommand(ctx context.Context, name, usage string, args []string, stdout, stderr io.Writer) (bool, error) {
	var f indexFlags
	fs := newFlagSet("index "+name, usage, exitStatusHelp, stdout)
	if name == "create" {
		f.AddCreateFlags(fs)
	} else {
		f.AddAddFlags(fs)
	}
	if err := parseFlags(fs, args); err != nil {
		return false, err
	}
	if fs.NArg() < 2 {
		return false, fmt.Errorf("%w: index %s needs an index and at least one PATH (try reuse index %s --help)", errUsage, name, name)
	}
	idx, inputs := fs.Arg(0), fs.Args()[1:]
	if err := f.check(fs); err != nil {
		return false, err
	}
	defer holdHeap(f.opt.Memory, residentMapped)()
	if err := refuseInputIndex(idx, inputs); err != nil {
		return false, err
	}
	own := newOwnOutputs(inputs)
	f.opt.Corpus.Skip, f.opt.Corpus.SkipDir = own.skipFile, own.skipDir
	warn := newWarner(stderr, f.quiet)
	f.opt.Warn = warn.warn
	prog := startProgress(stderr, f.quiet, "indexed")
	f.opt.Progress = prog.counters
	warn.prog = prog
	var res reuse.IndexResult
	var err error
	aligned := ""
	if name == "add" {
		if ix, err := archive.Open(idx, archive.Options{}); err == nil {
			aligned = keptFor(ix)
			ix.Close()
		}
	}
	if name == "create" {
		res, err = reuse.CreateIndex(ctx, idx, inputs, f.opt)
	} else {
		res, err = reuse.AddToIndex(ctx, idx, inputs, f.opt)
	}
	prog.stop()
	if err != nil {
		return false, scanError(err)
	}
	if !f.quiet {
		own.report(stderr)
	}
	prog.done([]string{idx})
	var made reuse.AlignResult
	aligning := name == "create" && !f.noAlign || name == "add" && f.align
	if aligning {
		// A check serves its clusters of boilerplate from what index
		// align keeps; without, it reads the whole archive for them.
		if made, err = alignCreated(ctx, idx, f, stderr, warn); err != nil {
			return false, err
		}
	}
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		return false, err
	}
	if !f.quiet {
		noteStale(stderr, idx, aligned, ix)
		if res.Joins.Why != "" {
			fmt.Fprintf(stderr, "reuse: %s: the boilerplate's joins kept for checks with %s could not be brought up to date (%s); reuse index align makes them again\n", idx, res.Joins.Settings, res.Joins.Why)
		}
	}
	st := ix.Stats()
	ix.Close()
	err = emit("", stdout, func(w io.Writer) error {
		verb := "added"
		if name == "create" {
			verb = "indexed"
		}
		fmt.Fprintf(w, "%s: %s %s (%s of text)", idx, verb, plural(int64(res.Added), "document"), megabytes(res.Bytes))
		if res.Replaced > 0 {
			fmt.Fprintf(w, ", replacing %s", count(int64(res.Replaced)))
		}
		if _, err := fmt.Fprintf(w, "; the index holds %s (%s words) in %s, %s on disk\n",
			plural(int64(st.Documents), "document"), count(st.Words), plural(int64(st.Segments), "segment"), megabytes(st.Bytes)); err != nil {
			return err
		}
		if aligning {
			return alignedLine(w, idx, made)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	warn.summary(res.Skipped)
	return res.Skipped > 0, nil
}

// alignCreated runs reuse index align on the index idx that reuse index
// create made (or add changed) with flags f, for checks with the default
// settings.
func alignCreated(ctx context.Context, idx string, f indexFlags, stderr io.Writer, warn *warner) (reuse.AlignResult, error) {
	opt := reuse.Options{MinWords: reuse.DefaultMinWords, MaxDF: reuse.DefaultMaxDF, Workers: f.opt.Workers, Memory: f.opt.Memory, Warn: warn.warn}
	prog := startProgress(stderr, f.quiet, "aligned")
	opt.Progress = prog.counters
	warn.prog = prog
	res, err := reuse.AlignIndex(ctx, idx, opt)
	prog.stop()
	warn.prog = nil
	if err != nil {
		return res, fmt.Errorf("%s: indexed, but not aligned (reuse index align makes the alignments): %w", idx, scanError(err))
	}
	return res, nil
}

// refuseInputIndex refuses an index that is one of the inputs: its files
// are not documents (an index inside a folder indexed is left out).
func refuseInputIndex(idx string, inputs []string) error {
	abs, err := filepath.Abs(idx)
	if err != nil {
		return err
	}
	for _, in := range inputs {
		if a, err := filepath.Abs(in); err == nil && a == abs {
			return fmt.Errorf("%w: %s is the index, not a document", errUsage, in)
		}
	}
	return nil
}

// openIndexArg parses a command line of one index and no other argument
// (stats, compact, verify), and returns the index.
func openIndexArg(name, usage, exitHelp string, args []string, stdout io.Writer, add func(fs *pflag.FlagSet)) (string, error) {
	fs := newFlagSet("index "+name, usage, exitHelp, stdout)
	if add != nil {
		add(fs)
	}
	if err := parseFlags(fs, args); err != nil {
		return "", err
	}
	if fs.NArg() != 1 {
		return "", fmt.Errorf("%w: index %s takes one index, got %d arguments (try reuse index %s --help)", errUsage, name, fs.NArg(), name)
	}
	return fs.Arg(0), nil
}
