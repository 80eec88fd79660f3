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
	"github.com/reuse-tool/reuse/internal/atomicfile"
	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/report/html"
	"github.com/reuse-tool/reuse/result"
)

const scanUsage = `usage: reuse scan [flags] PATH...

Scan folders (recursively), files, archives (.zip, .tar, .tar.gz) or - (standard
input) for reused text, and report the passages that documents share.

Inputs by extension: .txt .md .text (and unknown text) as they are; .html .htm
(visible text); .jsonl .ndjson (one document per line, see --text-field); each
also compressed as .gz or .zst. Hidden files and binary files are skipped.
A leading " date YYYY-MM-DD" stamp, front matter date, HTML date meta tag or
JSONL date field gives a document's date: the earliest member of a cluster is
its likely source.

Examples:
  reuse scan testdata/corpus                     summary on the terminal
  reuse scan ./corpus --format json -o result.json
  reuse scan ./corpus --format csv > passages.csv  one row per passage
  reuse scan ./corpus --format jsonl             one object per line, streams
  reuse scan a.txt b.txt                         files, folders, or - for stdin
  reuse scan news.jsonl.gz --text-field body --id-field url
  reuse scan ./corpus --min-words 12             only longer passages

Flags:
`

// scanFlags are the flags of reuse scan.
type scanFlags struct {
	format   string
	output   string
	html     string
	htmlTop  int
	quiet    bool
	top      int
	maxBytes string
	cpuProf  string

	opt reuse.Options
}

// AddFlags registers the flags on fs.
func (f *scanFlags) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.format, "format", "text", "output `format`: text, json, jsonl or csv")
	fs.StringVarP(&f.output, "output", "o", "", "write the result to `file` (atomically) instead of standard output")
	fs.StringVar(&f.html, "html", "", "also write an HTML report to `path` (scan: a folder with index.html; compare: one page)")
	fs.IntVar(&f.htmlTop, "html-top", 1000, "most pairs and clusters given pages in the HTML report (`n`; 0 for all)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress and no per-file warnings (the count of skipped inputs is still printed)")
	fs.IntVar(&f.top, "top", 10, "rows per section of the text summary (`n`; 0 for all)")
	fs.IntVar(&f.opt.MinWords, "min-words", reuse.DefaultMinWords, "shortest passage reported, in matching `words`")
	fs.IntVar(&f.opt.Shingle, "shingle", reuse.DefaultShingle, "`words` per shingle of the fingerprint index")
	fs.IntVar(&f.opt.Window, "window", reuse.DefaultWindow, "winnowing window in `shingles`: shared runs of shingle+window-1 words are always found")
	fs.Float64Var(&f.opt.Threshold, "threshold", reuse.DefaultThreshold, "least `share` (0-1) of both documents' words in common for near-duplicate groups")
	fs.IntVar(&f.opt.MaxDF, "max-df", reuse.DefaultMaxDF, "text found in more than `n` documents is boilerplate: one cluster, no pairs")
	fs.IntVar(&f.opt.Workers, "workers", 0, "`n` goroutines per stage (default: the number of CPUs)")
	fs.StringVar(&f.opt.Corpus.IDField, "id-field", "id", "JSONL `field` holding the document id")
	fs.StringVar(&f.opt.Corpus.TextField, "text-field", "text", "JSONL `field` holding the text")
	fs.StringVar(&f.opt.Corpus.DateField, "date-field", "date", "JSONL `field` holding the date")
	fs.StringVar(&f.maxBytes, "max-bytes", "1GiB", "largest expanded `size` of one input (e.g. 200MB, 4GiB); guards against decompression bombs")
	fs.StringVar(&f.cpuProf, "cpuprofile", "", "write a CPU profile of the scan to `file` (for performance reports)")
}

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) (skipped bool, err error) {
	return scanCommand(ctx, "scan", scanUsage, args, stdout, stderr, func(inputs []string) error {
		if len(inputs) == 0 {
			return fmt.Errorf("%w: scan needs at least one PATH (try reuse scan --help)", errUsage)
		}
		return nil
	})
}

// scanCommand runs a scan from a command line: flags, checks of the
// arguments, the scan with warnings and progress, and the output.
func scanCommand(ctx context.Context, name, usage string, args []string, stdout, stderr io.Writer, checkArgs func([]string) error) (skipped bool, err error) {
	var f scanFlags
	fs := newFlagSet(name, usage, stdout)
	f.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return false, err
	}
	inputs := fs.Args()
	if err := checkArgs(inputs); err != nil {
		return false, err
	}
	write, err := writerFor(f.format, f.top)
	if err != nil {
		return false, err
	}
	if f.opt.Corpus.MaxBytes, err = parseSize(f.maxBytes); err != nil {
		return false, fmt.Errorf("%w: --max-bytes: %v", errUsage, err)
	}
	if err := guardOutput("--output", f.output, inputs, &f.opt); err != nil {
		return false, err
	}
	if err := guardOutput("--html", f.html, inputs, &f.opt); err != nil {
		return false, err
	}
	if err := checkOutputDir(f.output); err != nil {
		return false, err
	}

	warn := newWarner(stderr, f.quiet)
	f.opt.Warn = warn.warn
	prog := startProgress(stderr, f.quiet)
	f.opt.Progress = prog.counters
	stopProfile, err := startCPUProfile(f.cpuProf)
	if err != nil {
		return false, err
	}
	res, texts, err := reuse.ScanTexts(ctx, inputs, f.opt)
	stopProfile()
	prog.stop()
	if err != nil {
		if errors.Is(err, reuse.ErrOptions) {
			err = fmt.Errorf("%w: %v", errUsage, strings.TrimPrefix(err.Error(), "reuse: "))
		}
		return false, err
	}
	defer texts.Close()
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
	if err := emit(f.output, stdout, func(w io.Writer) error { return write(ctxWriter{ctx, w}, res) }); err != nil {
		return false, err
	}
	skippedN := res.Stats.Skipped + warn.late()
	warn.summary(skippedN)
	return skippedN > 0, nil
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

// writerFor picks the output writer of a format.
func writerFor(format string, top int) (func(io.Writer, *result.Result) error, error) {
	switch format {
	case "text":
		if top == 0 {
			top = -1 // all
		}
		return func(w io.Writer, r *result.Result) error {
			return report.WriteText(w, r, report.TextOptions{Top: top})
		}, nil
	case "json":
		return result.WriteJSON, nil
	case "jsonl":
		return report.WriteJSONL, nil
	case "csv":
		return report.WriteCSV, nil
	}
	return nil, fmt.Errorf("%w: unknown --format %q (want text, json, jsonl or csv)", errUsage, format)
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
		if prev != nil && prev(path) {
			return true
		}
		abs, err := filepath.Abs(path)
		return err == nil && (abs == outAbs || strings.HasPrefix(abs, outAbs+string(filepath.Separator)))
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
}

func newWarner(w io.Writer, quiet bool) *warner { return &warner{w: w, quiet: quiet} }

func (w *warner) warn(err error) {
	if w.quiet {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	fmt.Fprintf(w.w, "reuse: warning: %v\n", err)
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
