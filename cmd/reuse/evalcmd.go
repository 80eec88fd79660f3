package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/internal/atomicfile"
	"github.com/reuse-tool/reuse/result"
)

const evalUsage = `usage: reuse eval --truth TRUTH [flags] RESULT.json
       reuse eval --truth TRUTH --simtext SIM.txt --corpus DIR [flags]

Score a scan's result (reuse scan --format json) against the ground truth
with the PAN text-alignment measures (Potthast et al. 2010): precision,
recall, granularity and plagdet, overall and per class of reuse, and the
precision, recall and F1 of document pairs and near-duplicate groups.

TRUTH is the truth.json written by reuse gen, or a folder of PAN XML files
(PAN-PC-09 to PAN 2013 text alignment; one <document reference=...> per
file). PAN offsets count characters, so --corpus must name the folder
holding the PAN texts (any subfolders). Truth documents are matched to the
result's ids by path suffix: "x.txt" matches "susp/x.txt", "src/1.txt"
matches "corpus/src/1.txt".

--simtext scores the output of sim_text (Debian's similarity-tester) in
place of a result, so that both tools are measured alike. Run sim_text with
-n inside the corpus folder; each reported run of lines becomes a passage
from the start of its first line to the end of its last.

Examples:
  reuse gen --seed 1 --docs 500 --out /tmp/g
  reuse scan /tmp/g/corpus --format json -o r.json
  reuse eval --truth /tmp/g/truth.json r.json
  reuse eval --truth /tmp/g/truth.json r.json --format json
  reuse eval --truth pan13/03-random-obfuscation --corpus pan13 r.json
  (cd /tmp/g/corpus && find . -name '*.txt' | sim_text -i -n -s -T -r 9 -o /tmp/sim.txt)
  reuse eval --truth /tmp/g/truth.json --simtext /tmp/sim.txt --corpus /tmp/g/corpus

Flags:
`

// evalFlags are the flags of reuse eval.
type evalFlags struct {
	truth       string
	corpus      string
	format      string
	output      string
	simText     string
	simTextJSON string
}

// AddFlags registers the flags on fs.
func (f *evalFlags) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.truth, "truth", "", "ground truth: a truth.json `path` (reuse gen) or a folder of PAN XML files (required)")
	fs.StringVar(&f.corpus, "corpus", "", "`folder` of the texts: PAN texts (for character offsets) or the corpus sim_text ran in")
	fs.StringVar(&f.format, "format", "text", "output `format`: text or json")
	fs.StringVarP(&f.output, "output", "o", "", "write the scores to `file` (atomically) instead of standard output")
	fs.StringVar(&f.simText, "simtext", "", "score sim_text's output `file` (sim_text -n) instead of a RESULT")
	fs.StringVar(&f.simTextJSON, "simtext-json", "", "with --simtext: also write the converted result as reuse JSON to `file`")
}

// check validates the flags and arguments.
func (f *evalFlags) check(args []string) error {
	switch {
	case f.truth == "":
		return fmt.Errorf("%w: eval needs --truth (a truth.json or a PAN XML folder; try reuse eval --help)", errUsage)
	case f.format != "text" && f.format != "json":
		return fmt.Errorf("%w: unknown --format %q (want text or json)", errUsage, f.format)
	case f.simText != "" && len(args) > 0:
		return fmt.Errorf("%w: give either --simtext or a RESULT, not both", errUsage)
	case f.simText != "" && f.corpus == "":
		return fmt.Errorf("%w: --simtext needs --corpus, the folder sim_text ran in", errUsage)
	case f.simText == "" && f.simTextJSON != "":
		return fmt.Errorf("%w: --simtext-json needs --simtext", errUsage)
	case f.simText == "" && len(args) != 1:
		return fmt.Errorf("%w: eval needs exactly one RESULT (reuse scan --format json), got %d", errUsage, len(args))
	}
	return nil
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	var f evalFlags
	flags := newFlagSet("eval", evalUsage, stdout)
	f.AddFlags(flags)
	if err := parseFlags(flags, args); err != nil {
		return false, err
	}
	if err := f.check(flags.Args()); err != nil {
		return false, err
	}
	truth, err := f.readTruth()
	if err != nil {
		return false, err
	}
	var res *result.Result
	if f.simText != "" {
		if res, err = readSimTextFile(f.simText, f.corpus); err != nil {
			return false, err
		}
		if f.simTextJSON != "" {
			if err := atomicfile.Write(f.simTextJSON, func(w io.Writer) error { return result.WriteJSON(w, res) }); err != nil {
				return false, err
			}
		}
	} else if res, err = readResult(flags.Arg(0)); err != nil {
		return false, err
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}

	matched, err := truth.MatchIDs(resultIDs(res))
	if err != nil {
		return false, fmt.Errorf("%w: %v", errUsage, err)
	}
	if matched == 0 && len(truth.Cases) > 0 {
		fmt.Fprintf(stderr, "reuse: warning: no document of the truth is in the result (scan the corpus folder itself, e.g. reuse scan DIR/corpus)\n")
	}
	scores := eval.Score(truth, res)
	return false, emit(f.output, stdout, func(w io.Writer) error {
		if f.format == "json" {
			b, err := json.MarshalIndent(scores, "", "  ")
			if err != nil {
				return err
			}
			_, err = w.Write(append(b, '\n'))
			return err
		}
		return scores.WriteText(w)
	})
}

// readTruth reads a truth.json, or a PAN XML folder with its texts.
func (f *evalFlags) readTruth() (*eval.Truth, error) {
	fi, err := os.Stat(f.truth)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return eval.ReadTruth(f.truth)
	}
	if f.corpus == "" {
		return nil, fmt.Errorf("%w: --truth %s is a PAN XML folder: --corpus must name the folder of its texts (offsets count characters)", errUsage, f.truth)
	}
	return eval.ReadPANTruth(f.truth, f.corpus)
}

// readResult reads a scan's JSON result from a file or "-" (stdin).
func readResult(name string) (*result.Result, error) {
	var res *result.Result
	var err error
	if name == "-" {
		if res, err = result.ReadJSON(os.Stdin); err != nil {
			err = fmt.Errorf("%v: %w", name, err)
		}
	} else {
		res, err = result.ReadFile(name)
	}
	if errors.Is(err, result.ErrFormat) || errors.Is(err, result.ErrSchema) {
		err = fmt.Errorf("%w (write one with reuse scan --format json)", err)
	}
	return res, err
}

// resultIDs lists the ids of a result's documents and pairs.
func resultIDs(r *result.Result) []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, d := range r.Documents {
		add(d.ID)
	}
	for _, p := range r.Pairs {
		add(p.A)
		add(p.B)
	}
	return ids
}

func readSimTextFile(name, corpusDir string) (*result.Result, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := readSimText(f, corpusDir)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", name, err)
	}
	return res, nil
}

// simTextRun matches the header of one run in sim_text's output (the
// default format and -n; file names are never cut):
//
//	src/00001.txt: line 3-5                |sus/00042.txt: line 7-7          [37]
var simTextRun = regexp.MustCompile(`^(.+): line (\d+)-(\d+)\s*\|(.+): line (\d+)-(\d+)\s*\[(\d+)\]\s*$`)

// readSimText converts sim_text's output into a Result: each run of
// matching words, reported as line ranges of two files, becomes a passage
// from the first byte of its first line to the end of its last line
// (before the newline), with Words the run's length and Similarity 1.
// File names are relative to corpusDir (a leading "./" dropped), or
// absolute; their path relative to corpusDir is the document's id. Runs
// inside one file are dropped; other lines of the output (totals, the
// runs' text) are ignored.
func readSimText(r io.Reader, corpusDir string) (*result.Result, error) {
	type docLines struct {
		id    string
		bytes int
		lines []int // start of every line, then len(text)+1
	}
	docs := map[string]*docLines{}
	absCorpus, err := filepath.Abs(corpusDir)
	if err != nil {
		return nil, err
	}
	load := func(name string) (*docLines, error) {
		file := filepath.Join(corpusDir, name)
		if filepath.IsAbs(name) {
			// sim_text was given absolute paths: ids are still relative
			// to the corpus.
			file = name
			if rel, err := filepath.Rel(absCorpus, name); err == nil && !strings.HasPrefix(rel, "..") {
				name = rel
			}
		}
		id := path.Clean(filepath.ToSlash(name))
		if d, ok := docs[id]; ok {
			return d, nil
		}
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		d := &docLines{id: id, bytes: len(text), lines: []int{0}}
		for i, c := range text {
			if c == '\n' {
				d.lines = append(d.lines, i+1)
			}
		}
		if len(text) > 0 && text[len(text)-1] != '\n' {
			d.lines = append(d.lines, len(text)+1)
		}
		docs[id] = d
		return d, nil
	}
	// span returns the bytes of lines from..to (1-based, inclusive),
	// without the last line's line break.
	span := func(d *docLines, from, to int) (int, int, error) {
		if from < 1 || to < from || to >= len(d.lines) {
			return 0, 0, fmt.Errorf("lines %d-%d not in %s (%d lines)", from, to, d.id, len(d.lines)-1)
		}
		start, end := d.lines[from-1], d.lines[to]-1
		return start, end, nil
	}

	type key struct{ a, b string }
	pairs := map[key]*result.Pair{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		m := simTextRun.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		num := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
		da, err := load(m[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		db, err := load(m[4])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if da.id == db.id {
			continue
		}
		as, ae, err := span(da, num(2), num(3))
		if err == nil {
			var bs, be int
			bs, be, err = span(db, num(5), num(6))
			if err == nil {
				if da.id > db.id {
					da, db, as, ae, bs, be = db, da, bs, be, as, ae
				}
				p := pairs[key{da.id, db.id}]
				if p == nil {
					p = &result.Pair{A: da.id, B: db.id}
					pairs[key{da.id, db.id}] = p
				}
				words := num(7)
				p.SharedWords += words
				p.Passages = append(p.Passages, result.Passage{AStart: as, AEnd: ae, BStart: bs, BEnd: be, Words: words, Similarity: 1})
			}
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}

	res := &result.Result{Schema: result.Schema, Documents: []result.Document{}, Pairs: []result.Pair{},
		Clusters: []result.Cluster{}, Groups: []result.Group{}}
	for _, d := range docs {
		res.Documents = append(res.Documents, result.Document{ID: d.id, Path: filepath.Join(corpusDir, filepath.FromSlash(d.id)), Bytes: d.bytes})
	}
	slices.SortFunc(res.Documents, func(x, y result.Document) int { return cmp.Compare(x.ID, y.ID) })
	for _, p := range pairs {
		slices.SortFunc(p.Passages, func(x, y result.Passage) int {
			return cmp.Or(cmp.Compare(x.AStart, y.AStart), cmp.Compare(x.BStart, y.BStart))
		})
		res.Pairs = append(res.Pairs, *p)
		res.Stats.Passages += len(p.Passages)
	}
	slices.SortFunc(res.Pairs, func(x, y result.Pair) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	res.Stats.Documents, res.Stats.Pairs = len(res.Documents), len(res.Pairs)
	return res, nil
}
