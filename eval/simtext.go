package eval

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reuse-tool/reuse/result"
)

// ReadSimTextFile reads sim_text's output from the file at path, as
// ReadSimText does. Its errors name path.
func ReadSimTextFile(path, corpusDir string) (*result.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := ReadSimText(f, corpusDir)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", path, err)
	}
	return res, nil
}

// simTextRun matches the header of one run in sim_text's output (the
// default format and -n; file names are never cut):
//
//	src/00001.txt: line 3-5                |sus/00042.txt: line 7-7          [37]
var simTextRun = regexp.MustCompile(`^(.+): line (\d+)-(\d+)\s*\|(.+): line (\d+)-(\d+)\s*\[(\d+)\]\s*$`)

// ReadSimText converts the output of sim_text (Debian's similarity-tester,
// run with -n or in its default format) into a Result, so that Score
// measures it as it measures reuse: each run of matching words, reported as
// line ranges of two files, becomes a passage from the first byte of its
// first line to the end of its last line (before the newline), with Words
// the run's length and Similarity 1. File names are relative to corpusDir
// (a leading "./" dropped), or absolute; their path relative to corpusDir
// is the document's id. Runs inside one file are dropped; other lines of
// the output (totals, the runs' text) are ignored. It reads each named file
// once, to find its lines.
func ReadSimText(r io.Reader, corpusDir string) (*result.Result, error) {
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
		var nums [8]int
		for _, i := range []int{2, 3, 5, 6, 7} {
			v, err := strconv.Atoi(m[i])
			if err != nil || v > 1<<31 {
				// The pattern takes digits only: a number no text has.
				return nil, fmt.Errorf("line %d: number %s out of range", n, m[i])
			}
			nums[i] = v
		}
		num := func(i int) int { return nums[i] }
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
