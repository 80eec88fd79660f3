package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/internal/atomicfile"
	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/report/html"
	"github.com/reuse-tool/reuse/result"
)

const scanUsage = `usage: reuse scan [flags] PATH...

Scan folders (recursively), files, archives (.zip, .tar, .tar.gz, .tar.xz ...)
or - (standard input) for reused text, and report the passages that documents
share.

Inputs by extension: .txt .md .text (and unknown text) as they are; .html .htm
(visible text); .jsonl .ndjson (one document per line, see --text-field); each
also compressed as .gz, .zst, .xz or .bz2. Hidden files and binary files are
skipped (a PDF, Word or PostScript file with a hint on how to get its text). Results and HTML reports
of earlier runs inside the folders are left out, and one line says which;
--exclude and --include filter what the folders hold. Text that is not UTF-8
is read as --encoding says, or as windows-1252 with a warning.
A leading " date YYYY-MM-DD" stamp, front matter date, HTML date meta tag or
JSONL date field gives a document's date: the earliest member of a cluster is
its likely source.

Passages are exact (runs of the same words, with small edits) or reworded:
where an exact passage was edited or found in pieces, the sentences around it
are compared as sets of words, which finds the words replaced, added, dropped
or shuffled between the pieces, and so are the sentences around a phrase only
two documents share, amid shorter matches (prose only; --exact skips it).
--reworded also finds reworded text that shares no exact phrase with its
source.

Examples:
  reuse scan testdata/corpus                     summary on the terminal
  reuse scan ./corpus --format json -o result.json
  reuse scan ./corpus --format csv > passages.csv  one row per passage
  reuse scan ./corpus --format jsonl             one object per line, streams
  reuse scan a.txt b.txt                         files, folders, or - for stdin
  reuse scan news.jsonl.gz --text-field body --id-field url
  reuse scan ./corpus --min-words 12             only longer passages
  reuse scan ./corpus --exclude drafts --include '*.txt'
  reuse scan ./archive --encoding latin1         text saved in ISO-8859-1
  reuse scan ./corpus --exact                    exact passages only, faster
  reuse scan ./corpus --reworded                 reworded throughout too, slower
  reuse scan pan13/src pan13/susp --reworded --pairs pan13/03-random-obfuscation/pairs
                                                 only the listed pairs (PAN mode)

Flags:
`

// scanFlags are the flags of reuse scan, and of reuse compare, which has
// fewer of them (AddCompareFlags).
type scanFlags struct {
	format   string
	output   string
	html     string
	htmlTop  int
	quiet    bool
	top      int
	maxBytes string
	memory   string
	cpuProf  string
	timings  bool
	saveText string
	pairs    string
	root     string // check: where the archive's paths count from

	opt reuse.Options
}

// AddFlags registers the flags of reuse scan on fs.
func (f *scanFlags) AddFlags(fs *pflag.FlagSet) {
	f.addOutput(fs, "also write an HTML report to `folder`: index.html and a page per document, pair and cluster")
	fs.IntVar(&f.htmlTop, "html-top", 1000, "most pairs and clusters given pages in the HTML report (`n`; 0 for all)")
	fs.IntVar(&f.top, "top", 10, "rows per section of the text summary (`n`; 0 for all, documents with no reuse too)")
	f.addDetection(fs)
	fs.BoolVar(&f.opt.Weighted, "weighted", false, "(an experiment) count the documents holding each shingle first, keep the least common shingle of each winnowing window, and take a short passage only where it begins a sentence, ends one on both sides or is quoted: more short quotes and sentences found in large archives, for a second pass over the corpus (docs/benchmarks.md, \"Weighted minimizers and sentence edges\")")
	fs.IntVar(&f.opt.MaxDF, "max-df", reuse.DefaultMaxDF, "text found in more than `n` documents (at least 2) is boilerplate: one cluster, no pairs")
	addWorkers(fs, &f.opt.Workers)
	addFilters(fs, &f.opt.Corpus)
	f.addInput(fs)
	addJSONLFields(fs, &f.opt.Corpus)
	f.addLimits(fs)
	fs.StringVar(&f.pairs, "pairs", "", "compare only the pairs of documents listed in `file`, each whole: two document ids a line, as the scan names them (PAN's pairs files)")
	addMemory(fs, &f.memory)
}

// AddCheckFlags registers the flags of reuse check on fs: those of scan
// but the settings the index fixed (--shingle, --window, --threshold),
// and --root.
func (f *scanFlags) AddCheckFlags(fs *pflag.FlagSet) {
	f.addOutput(fs, "also write an HTML report to `folder`: index.html and a page per document, pair and cluster")
	fs.IntVar(&f.htmlTop, "html-top", 1000, "most pairs and clusters given pages in the HTML report (`n`; 0 for all)")
	fs.IntVar(&f.top, "top", 10, "rows per section of the text summary (`n`; 0 for all, documents with no reuse too)")
	fs.IntVar(&f.opt.MinWords, "min-words", reuse.DefaultMinWords, "shortest passage reported, in matching `words` (at least 1)")
	fs.IntVar(&f.opt.MaxDF, "max-df", reuse.DefaultMaxDF, "text found in more than `n` documents of the index and the new ones (at least 2) is boilerplate: one cluster, no pairs")
	fs.StringVar(&f.root, "root", "", "read the archive's files under `folder` instead of the root the index recorded (the archive moved)")
	fs.IntVar(&f.opt.FollowLimit, "follow-limit", 0, "most archived documents the check's rounds read together while it follows clusters and groups through the archive (`n`); those it cannot follow within it are marked incomplete, with a notice. 0: exact, at the cost needed: it follows within as many words as twice its new documents' partners hold (at least 2000 documents' worth and 100 more for each new document), and reads the whole archive where a cluster would still be incomplete; -1: no limit, reading the whole archive whenever boilerplate is involved")
	addExact(fs, &f.opt.Exact)
	addIndexReworded(fs, &f.opt.Reworded)
	addWorkers(fs, &f.opt.Workers)
	addFilters(fs, &f.opt.Corpus)
	f.addInput(fs)
	addJSONLFields(fs, &f.opt.Corpus)
	f.addLimits(fs)
	addMemory(fs, &f.memory)
}

// The flags scan shares with check and the index commands.

// addIndexReworded registers --reworded on a command of the archive mode
// (check, index add): the index decides whether reworded reuse is found
// (reuse index create --reworded), and the flag asks for an index made
// so, refused with the reason otherwise (reuse.Options.Reworded).
func addIndexReworded(fs *pflag.FlagSet, reworded *bool) {
	fs.BoolVar(reworded, "reworded", false, "require an index made with reuse index create --reworded, whose checks find what reuse scan --reworded finds (they do without this flag)")
}

func addExact(fs *pflag.FlagSet, exact *bool) {
	fs.BoolVar(exact, "exact", false, "find exact passages only, not the reworded text around them (faster on prose; docs/benchmarks.md, \"Reworded reuse at default settings\")")
}

func addWorkers(fs *pflag.FlagSet, workers *int) {
	fs.IntVar(workers, "workers", 0, "`n` goroutines per stage (0: one per CPU)")
}

func addFilters(fs *pflag.FlagSet, o *corpus.Options) {
	fs.StringSliceVar(&o.Exclude, "exclude", nil, "leave out files and folders matching `glob` inside scanned folders (repeatable; *.csv, drafts, 2019/*.md)")
	fs.StringSliceVar(&o.Include, "include", nil, "read only files matching `glob` inside scanned folders (repeatable; *.txt)")
}

func addJSONLFields(fs *pflag.FlagSet, o *corpus.Options) {
	fs.StringVar(&o.IDField, "id-field", "id", "JSONL `field` holding the document id")
	fs.StringVar(&o.TextField, "text-field", "text", "JSONL `field` holding the text")
	fs.StringVar(&o.DateField, "date-field", "date", "JSONL `field` holding the date")
}

// parseMemory is the budget --memory gives (s), or reuse.DefaultMemory
// when it is not given.
func parseMemory(s string) (int64, error) {
	if s == "" {
		return reuse.DefaultMemory(), nil
	}
	n, err := parseSize(s)
	if err != nil {
		return 0, fmt.Errorf("%w: --memory: %v", errUsage, err)
	}
	return n, nil
}

func addMemory(fs *pflag.FlagSet, memory *string) {
	fs.StringVar(memory, "memory", "", "memory budget of the scan (`size`, e.g. 512MiB, 4GB): the Go heap is held within it, less the spools' pages mapped in memory; postings and pair keys beyond it wait in $TMPDIR, and documents of 1 MiB or more are analyzed one after another within half of it; results do not depend on it (default: "+fmt.Sprintf("%dMiB", reuse.DefaultMemoryCap>>20)+", or half the memory the system gives the process where that is less)")
}

// AddCompareFlags registers the flags of reuse compare on fs: those of
// scan that mean something for two documents.
func (f *scanFlags) AddCompareFlags(fs *pflag.FlagSet) {
	f.addOutput(fs, "also write the two texts side by side to `file`, one self-contained HTML page")
	f.addDetection(fs)
	f.addInput(fs)
	f.addLimits(fs)
}

func (f *scanFlags) addOutput(fs *pflag.FlagSet, htmlUsage string) {
	fs.StringVar(&f.format, "format", "text", "output `format`: text, json, jsonl or csv")
	fs.StringVarP(&f.output, "output", "o", "", "write the result to `file` (atomically) instead of standard output")
	fs.StringVar(&f.html, "html", "", htmlUsage)
	fs.BoolVar(&f.opt.PassageText, "passage-text", false, "put each passage's text, on both sides, into the JSON result (jsonl and csv always hold it)")
	fs.StringVar(&f.saveText, "save-text", "", "also write the text of every document that is not a plain file (extracted from HTML or JSONL, decompressed, decoded) into `folder`, as the offsets count it: <folder>/<id>.txt")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress and no per-file warnings (the count of skipped inputs is still printed)")
}

func (f *scanFlags) addDetection(fs *pflag.FlagSet) {
	fs.IntVar(&f.opt.MinWords, "min-words", reuse.DefaultMinWords, "shortest passage reported, in matching `words` (at least 1)")
	fs.IntVar(&f.opt.Shingle, "shingle", reuse.DefaultShingle, "`words` per shingle of the fingerprint index (1-64)")
	fs.IntVar(&f.opt.Window, "window", reuse.DefaultWindow, "winnowing window in `shingles` (1-1024): shared runs of shingle+window-1 words are always found")
	fs.Float64Var(&f.opt.Threshold, "threshold", reuse.DefaultThreshold, "least `share` (above 0, at most 1) of both documents' words in common for near-duplicate groups")
	addExact(fs, &f.opt.Exact)
	fs.BoolVar(&f.opt.Reworded, "reworded", false, "also find reworded passages that share no exact text with their source (translated, summarized, reworded throughout), in prose and code: about 1.5 times the time on news, 4 times on technical prose (docs/benchmarks.md, \"Reworded reuse\")")
}

func (f *scanFlags) addInput(fs *pflag.FlagSet) { addEncoding(fs, &f.opt.Corpus) }

func addEncoding(fs *pflag.FlagSet, o *corpus.Options) {
	fs.StringVar(&o.Encoding, "encoding", "", "read text that is not UTF-8 as `name` (latin1, windows-1252, iso-8859-2, windows-1251, ...; utf-8 keeps the bytes); default: guess windows-1252 and warn")
}

func (f *scanFlags) addLimits(fs *pflag.FlagSet) {
	addMaxBytes(fs, &f.maxBytes)
	fs.StringVar(&f.cpuProf, "cpuprofile", "", "write a CPU profile of the scan to `file` (for performance reports)")
	fs.BoolVar(&f.timings, "timings", false, "print the wall-clock and CPU time of each stage, the storage it read and wrote, and the candidate pairs aligned, to stderr at the end, even with -q (for performance reports)")
}

func addMaxBytes(fs *pflag.FlagSet, maxBytes *string) {
	fs.StringVar(maxBytes, "max-bytes", "1GiB", "largest expanded `size` of a file, archive member or JSONL line (e.g. 200MB, 4GiB): guards against decompression bombs; tar and JSONL files are streamed, each member or line capped")
}

// check refuses flag values out of range, naming the flag and the range:
// none of them silently becomes a default.
func (f *scanFlags) check(fs *pflag.FlagSet) error {
	o := &f.opt
	bad := func(flag string, v any, want string) error {
		return fmt.Errorf("%w: --%s %v: want %s", errUsage, flag, v, want)
	}
	has := func(name string) bool { return fs.Lookup(name) != nil }
	switch {
	case o.MinWords < 1:
		return bad("min-words", o.MinWords, "a whole number of words, at least 1")
	case has("shingle") && (o.Shingle < 1 || o.Shingle > 64):
		return bad("shingle", o.Shingle, "a whole number of words from 1 to 64")
	case has("window") && (o.Window < 1 || o.Window > 1024):
		return bad("window", o.Window, "a whole number of shingles from 1 to 1024")
	case has("threshold") && !(o.Threshold > 0 && o.Threshold <= 1):
		return bad("threshold", o.Threshold, "a share above 0 and at most 1, such as 0.8")
	case has("max-df") && o.MaxDF < 2:
		return bad("max-df", o.MaxDF, "a number of documents, at least 2")
	case has("workers") && o.Workers < 0:
		return bad("workers", o.Workers, "a number of goroutines, at least 1 (or 0 for one per CPU)")
	case has("html-top") && f.htmlTop < 0:
		return bad("html-top", f.htmlTop, "a number of pages, at least 1 (or 0 for all)")
	case has("top") && f.top < 0:
		return bad("top", f.top, "a number of rows, at least 1 (or 0 for all)")
	}
	if _, err := corpus.LookupEncoding(o.Corpus.Encoding); err != nil {
		return fmt.Errorf("%w: --encoding: %s", errUsage, strings.TrimPrefix(err.Error(), "corpus: "))
	}
	for _, list := range [][]string{o.Corpus.Exclude, o.Corpus.Include} {
		if err := corpus.CheckPatterns(list); err != nil {
			return fmt.Errorf("%w: %s", errUsage, strings.TrimPrefix(err.Error(), "corpus: "))
		}
	}
	return nil
}

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) (skipped bool, err error) {
	return scanCommand(ctx, "scan", scanUsage, args, stdout, stderr)
}

// scanCommand runs reuse scan or reuse compare (name) from a command line:
// flags, checks of the arguments, the scan with warnings and progress, and
// the output.
func scanCommand(ctx context.Context, name, usage string, args []string, stdout, stderr io.Writer) (skipped bool, err error) {
	var f scanFlags
	fs := newFlagSet(name, usage, exitStatusHelp, stdout)
	switch name {
	case "compare":
		f.AddCompareFlags(fs)
	case "check":
		f.AddCheckFlags(fs)
	default:
		f.AddFlags(fs)
	}
	if err := parseFlags(fs, args); err != nil {
		return false, err
	}
	inputs := fs.Args()
	var idx string
	switch {
	case name == "compare":
		err = checkCompareArgs(inputs)
	case name == "check" && len(inputs) < 2:
		err = fmt.Errorf("%w: check needs an index and at least one PATH (try reuse check --help)", errUsage)
	case name == "check":
		idx, inputs = inputs[0], inputs[1:]
	case len(inputs) == 0:
		err = fmt.Errorf("%w: scan needs at least one PATH (try reuse scan --help)", errUsage)
	}
	if err != nil {
		return false, err
	}
	if err := f.check(fs); err != nil {
		return false, err
	}
	var heading func(*result.Result) string
	write, err := writerFor(name, f.format, f.top, func(r *result.Result) string {
		if heading == nil {
			return ""
		}
		return heading(r)
	})
	if err != nil {
		return false, err
	}
	if f.pairs != "" {
		if f.opt.Pairs, err = eval.ReadPairs(f.pairs); err != nil {
			return false, fmt.Errorf("%w: --pairs: %v", errUsage, err)
		}
		if f.opt.Pairs == nil {
			f.opt.Pairs = [][2]string{} // a file listing none compares none
		}
	}
	if f.opt.Corpus.MaxBytes, err = parseSize(f.maxBytes); err != nil {
		return false, fmt.Errorf("%w: --max-bytes: %v", errUsage, err)
	}
	if f.opt.Memory, err = parseMemory(f.memory); err != nil {
		return false, err
	}
	// The Go heap too is held near the budget, less the spools' pages
	// mapped beside it: the collector works harder instead of letting
	// the heap double its live data.
	defer holdHeap(f.opt.Memory, residentMapped)()
	own := newOwnOutputs(inputs)
	f.opt.Corpus.Skip, f.opt.Corpus.SkipDir = own.skipFile, own.skipDir
	if err := guardOutput("--output", f.output, inputs, &f.opt); err != nil {
		return false, err
	}
	if err := guardOutput("--save-text", f.saveText, inputs, &f.opt); err != nil {
		return false, err
	}
	if err := guardOutput("--html", f.html, inputs, &f.opt); err != nil {
		return false, err
	}
	if err := checkOutputDir(f.output); err != nil {
		return false, err
	}

	scanTo, scanTexts := reuse.ScanTo, reuse.ScanTexts
	if name == "check" {
		ix, err := archive.Open(idx, archive.Options{Root: f.root})
		if err != nil {
			return false, err
		}
		defer ix.Close()
		skipInside(idx, &f.opt.Corpus)
		heading = func(r *result.Result) string {
			n := 0
			for _, d := range r.Documents {
				if !d.Archived {
					n++
				}
			}
			return fmt.Sprintf("checked %s against %s (%s)", plural(int64(n), "new document"), idx, plural(int64(ix.Len()), "document"))
		}
		scanTo = func(ctx context.Context, inputs []string, opt reuse.Options, sink result.Sink) error {
			return reuse.CheckTo(ctx, ix, inputs, opt, sink)
		}
		scanTexts = func(ctx context.Context, inputs []string, opt reuse.Options) (*result.Result, *reuse.Texts, error) {
			return reuse.CheckTexts(ctx, ix, inputs, opt)
		}
	}

	warn := newWarner(stderr, f.quiet)
	f.opt.Warn = warn.warn
	verb := map[string]string{"scan": "scanned", "compare": "compared", "check": "checked"}[name]
	prog := startProgress(stderr, f.quiet, verb)
	f.opt.Progress = prog.counters
	warn.prog = prog
	stopProfile, err := startCPUProfile(f.cpuProf)
	if err != nil {
		return false, err
	}
	if f.timings {
		t := newTimings()
		t.progress = prog.counters
		prog.counters.OnPhase = t.phase
		defer func() { t.report(stderr) }()
	}
	if f.format == "jsonl" || f.format == "csv" {
		f.opt.PassageText = true // their rows stand alone
	}
	if sink := sinkFor(f.format); sink != nil && f.html == "" && f.saveText == "" && name != "compare" {
		// The result goes out as the scan assembles it: a large one is
		// never held whole. (compare checks the number of documents
		// before it writes anything, and two are small.)
		var stats result.Stats
		err := emit(f.output, stdout, func(w io.Writer) error {
			return scanTo(ctx, inputs, f.opt, &statsSink{ClusterParts: result.Parts(sink(ctxWriter{ctx, w})), stats: &stats})
		})
		stopProfile()
		prog.stop()
		if err != nil {
			return false, scanError(err)
		}
		if !f.quiet {
			own.report(stderr)
		}
		prog.done(outputsWritten(f.output, "", ""))
		skippedN := stats.Skipped + warn.late()
		warn.summary(skippedN)
		return skippedN > 0, nil
	}
	res, texts, err := scanTexts(ctx, inputs, f.opt)
	stopProfile()
	prog.stop()
	if err != nil {
		return false, scanError(err)
	}
	defer texts.Close()
	if !f.quiet {
		own.report(stderr)
	}
	if name == "compare" && len(res.Documents) > 2 {
		return false, fmt.Errorf("%w: compare takes exactly two documents, and %s and %s hold %d (JSONL records or archive members); use reuse scan",
			errUsage, inputs[0], inputs[1], len(res.Documents))
	}
	// An interrupt after the scan writes nothing more; one while the
	// result is written fails the write, which leaves no file behind.
	if err := ctx.Err(); err != nil {
		return false, err
	}
	// The report first: it is the slow one, and an interrupt while it is
	// written must leave no result file either.
	if f.html != "" {
		if err := writeHTML(ctx, name, f, res, texts, warn); err != nil {
			return false, err
		}
	}
	if f.saveText != "" {
		if err := saveTexts(ctx, f.saveText, res, texts); err != nil {
			return false, err
		}
	}
	if err := emit(f.output, stdout, func(w io.Writer) error { return write(ctxWriter{ctx, w}, res, texts) }); err != nil {
		return false, err
	}
	prog.done(outputsWritten(f.output, f.html, f.saveText))
	skippedN := res.Stats.Skipped + warn.late()
	warn.summary(skippedN)
	return skippedN > 0, nil
}

// outputsWritten lists the files a scan wrote, for the closing line.
func outputsWritten(output, html, texts string) []string {
	var out []string
	if output != "" && output != "-" {
		out = append(out, output)
	}
	if texts != "" {
		out = append(out, texts)
	}
	if html != "" {
		out = append(out, html)
	}
	return out
}

// scanError makes invalid options a usage error.
func scanError(err error) error {
	if errors.Is(err, reuse.ErrOptions) {
		return fmt.Errorf("%w: %v", errUsage, strings.TrimPrefix(err.Error(), "reuse: "))
	}
	return err
}

// sinkFor returns the streaming writer of a format, or nil for a format
// written from a whole Result.
func sinkFor(format string) func(io.Writer) result.Sink {
	switch format {
	case "json":
		return result.NewJSONSink
	case "jsonl":
		return report.NewJSONLSink
	case "csv":
		return report.NewCSVSink
	}
	return nil
}

// statsSink keeps the stats a result begins with. It takes clusters in
// parts as the writer it wraps does (a boilerplate cluster of a large
// archive is never held whole).
type statsSink struct {
	result.ClusterParts
	stats *result.Stats
}

func (s *statsSink) Begin(schema string, params result.Params, stats result.Stats) error {
	*s.stats = stats
	return s.ClusterParts.Begin(schema, params, stats)
}

// ctxWriter fails every write once ctx is done, so that an interrupted
// output stops early (and an atomic one is not put in place).
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// writeHTML writes the HTML report: a folder for scan, one pair page for
// compare.
func writeHTML(ctx context.Context, command string, f scanFlags, res *result.Result, texts *reuse.Texts, warn *warner) error {
	top := f.htmlTop
	if top == 0 {
		top = -1 // all
	}
	opt := html.Options{Top: top, TextError: func(id string, err error) { warn.warnLate(err) }}
	if command != "compare" {
		return html.Write(ctx, f.html, res, texts.Text, opt)
	}
	pair := result.Pair{}
	if len(res.Pairs) > 0 {
		pair = res.Pairs[0]
	} else if len(res.Documents) == 2 {
		pair.A, pair.B = res.Documents[0].ID, res.Documents[1].ID
	}
	return atomicfile.Write(f.html, func(w io.Writer) error {
		return html.WritePair(w, res, &pair, texts.Text, opt)
	})
}

// writeFunc writes a result; texts gives the documents' texts, for
// excerpts.
type writeFunc func(w io.Writer, r *result.Result, texts *reuse.Texts) error

// writerFor picks the output writer of a format for a command: compare's
// text output shows the passages, scan's a summary.
func writerFor(command, format string, top int, heading func(*result.Result) string) (writeFunc, error) {
	switch format {
	case "text":
		if command == "compare" {
			return func(w io.Writer, r *result.Result, texts *reuse.Texts) error {
				return report.WriteComparison(w, r, texts.Text)
			}, nil
		}
		if top == 0 {
			top = -1 // all
		}
		return func(w io.Writer, r *result.Result, _ *reuse.Texts) error {
			opt := report.TextOptions{Top: top}
			if heading != nil {
				opt.Heading = heading(r)
			}
			return report.WriteText(w, r, opt)
		}, nil
	case "json":
		return func(w io.Writer, r *result.Result, _ *reuse.Texts) error { return result.WriteJSON(w, r) }, nil
	case "jsonl":
		return func(w io.Writer, r *result.Result, _ *reuse.Texts) error { return report.WriteJSONL(w, r) }, nil
	case "csv":
		return func(w io.Writer, r *result.Result, _ *reuse.Texts) error { return report.WriteCSV(w, r) }, nil
	}
	return nil, fmt.Errorf("%w: unknown --format %q (want text, json, jsonl or csv)", errUsage, format)
}

// skipInside keeps the files of the folder dir (an index) out of what
// the corpus options read.
func skipInside(dir string, o *corpus.Options) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	prev := o.Skip
	o.Skip = func(path string) bool {
		if p, err := filepath.Abs(path); err == nil && (p == abs || strings.HasPrefix(p, abs+string(filepath.Separator))) {
			return true
		}
		return prev != nil && prev(path)
	}
}

// guardOutput refuses an output (file or report folder, given with flag)
// that is one of the inputs, and keeps it out of the scan when it lies
// inside a scanned folder.
func guardOutput(flag, output string, inputs []string, opt *reuse.Options) error {
	if output == "" || output == "-" {
		return nil
	}
	outAbs, err := filepath.Abs(output)
	if err != nil {
		return err
	}
	outInfo, statErr := os.Stat(output)
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		inAbs, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		same := inAbs == outAbs
		if !same && statErr == nil {
			if inInfo, err := os.Stat(in); err == nil && os.SameFile(inInfo, outInfo) {
				same = true
			}
		}
		if same {
			return fmt.Errorf("%w: %s %s is one of the inputs; it would be overwritten", errUsage, flag, output)
		}
		// A file inside a scanned folder is a document too, unless it
		// is the result of an earlier run (left out of this one).
		if flag == "--output" && statErr == nil && outInfo.Mode().IsRegular() &&
			insideVisible(in, output) && !looksLikeResult(output) {
			return fmt.Errorf("%w: %s %s is a document in %s; it would be overwritten", errUsage, flag, output, in)
		}
	}
	prev := opt.Corpus.Skip
	opt.Corpus.Skip = func(path string) bool {
		// This run's own output first: it is replaced, not reported as
		// left out.
		if abs, err := filepath.Abs(path); err == nil && (abs == outAbs || strings.HasPrefix(abs, outAbs+string(filepath.Separator))) {
			return true
		}
		return prev != nil && prev(path)
	}
	return nil
}

// insideVisible reports whether path lies inside the folder dir, where a
// scan of dir would read it: not below a hidden name.
func insideVisible(dir, path string) bool {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return false
	}
	resolve := func(p string) string {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		a, _ := filepath.Abs(p)
		return a
	}
	rel, err := filepath.Rel(resolve(dir), resolve(path))
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// looksLikeResult reports whether the file at path is empty or holds a
// result of reuse, which a new run may replace.
func looksLikeResult(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	return n == 0 || report.Sniff(head[:n]) != ""
}

// checkOutputDir fails early, before a long scan, when the output file's
// folder does not exist.
func checkOutputDir(output string) error {
	if output == "" || output == "-" {
		return nil
	}
	dir := filepath.Dir(output)
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--output %s: %w", output, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("--output %s: %s is not a folder", output, dir)
	}
	return nil
}

// warner prints warnings to stderr (unless quiet) and a closing count.
type warner struct {
	mu    sync.Mutex
	w     io.Writer
	quiet bool
	nLate int // warnings after the scan (texts the HTML report could not read)
	// prog, when set, is the progress line, cleared before a warning so
	// that the warning does not land on it.
	prog *progress
}

func newWarner(w io.Writer, quiet bool) *warner { return &warner{w: w, quiet: quiet} }

func (w *warner) warn(err error) {
	if w.quiet {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	line := "reuse: warning: " + userMessage(err) + "\n"
	if w.prog != nil {
		w.prog.interrupt(func() { io.WriteString(w.w, line) })
		return
	}
	io.WriteString(w.w, line)
}

// warnLate reports a problem met after the scan, while writing reports;
// it counts towards the exit status like a skipped input.
func (w *warner) warnLate(err error) {
	w.mu.Lock()
	w.nLate++
	w.mu.Unlock()
	w.warn(err)
}

func (w *warner) late() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.nLate
}

func (w *warner) summary(skipped int) {
	if skipped == 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	noun := "inputs or records"
	if skipped == 1 {
		noun = "input or record"
	}
	fmt.Fprintf(w.w, "reuse: %d %s skipped\n", skipped, noun)
}

// startCPUProfile profiles the process into file until the returned stop
// is called; an empty file profiles nothing.
func startCPUProfile(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// saveTexts writes the text of every document that is not a plain file
// into dir, as <dir>/<id>.txt (each file atomically): the text its
// offsets count in.
func saveTexts(ctx context.Context, dir string, res *result.Result, texts *reuse.Texts) error {
	for _, d := range res.Documents {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !texts.Extracted(d.ID) {
			continue
		}
		text, err := texts.Text(d.ID)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, textFileName(d.ID))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := atomicfile.Write(path, func(w io.Writer) error {
			_, err := w.Write(text)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// textFileName is where saveTexts writes a document's text, relative to
// its folder: the id's parts as folders ("." and ".." replaced, none
// empty), and ".txt".
func textFileName(id string) string {
	var parts []string
	for _, p := range strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == '\\' }) {
		if p == "." || p == ".." {
			p = "_"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		parts = []string{"_"}
	}
	return filepath.Join(parts...) + ".txt"
}
