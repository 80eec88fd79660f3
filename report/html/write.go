package html

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reuse-tool/reuse/result"
)

// TextFunc returns the text of a document by its ID: the bytes that Result
// offsets refer to.
type TextFunc func(id string) ([]byte, error)

// Options configure Write and WritePair. The zero value is usable.
type Options struct {
	// Top is the most pairs and clusters listed in the index and given a
	// page, those with the most shared words (pairs) or documents
	// (clusters): 0 means 1000, a negative value no limit. The index says
	// what was left out.
	Top int
	// MaxDocs is the most documents listed in the index and given a page,
	// those with the highest reused share: 0 means 10000, negative no limit.
	MaxDocs int
	// Title is the report's title; "" means "Text reuse report".
	Title string
	// MaxGraph is the most documents drawn in the reuse network: 0 means
	// 300, negative draws no network.
	MaxGraph int
	// TextError, when not nil, is called once for each document whose text
	// could not be read; its pages say so in place of the text.
	TextError func(id string, err error)
}

// ErrTarget is returned by Write when the target exists and is not a
// folder holding an earlier reuse report, which it refuses to replace.
var ErrTarget = errors.New("html: target exists and is not an empty folder or a reuse HTML report")

const (
	defaultTop      = 1000
	defaultMaxDocs  = 10000
	defaultMaxGraph = 300
	defaultTitle    = "Text reuse report"
	textCacheBytes  = 64 << 20
	maxLegend       = 100 // partners listed on a document page
	maxOccurrences  = 200 // occurrences shown on a cluster page
)

// Write writes the report folder dir: dir/index.html, dir/report.css,
// dir/report.js, dir/d/NNNNN.html (document pages), dir/p/NNNNN.html (pair
// pages) and dir/c/NNNNN.html (cluster pages).
//
// The folder is written atomically: into a temporary folder next to dir,
// renamed into place only when complete. An existing dir is replaced only
// if it is empty or holds a reuse report (else ErrTarget); on Linux the
// two folders are exchanged in one step. An error, or ctx being cancelled
// (checked between pages), leaves dir as it was.
func Write(ctx context.Context, dir string, r *result.Result, text TextFunc, opt Options) (err error) {
	if r == nil || text == nil {
		panic("html: Write with a nil Result or TextFunc")
	}
	if dir == "" {
		return errors.New("html: empty report folder name")
	}
	dir = filepath.Clean(dir)
	if err := checkTarget(dir); err != nil {
		return err
	}
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	s := newSite(r, text, opt)
	if err := s.writeAll(ctx, tmp); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := replaceDir(tmp, dir); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	return nil
}

// WritePair writes one self-contained pair page to w, its CSS and script
// inline, for comparing two documents. p need not be one of r.Pairs; r
// supplies the documents' dates and word counts and may be nil.
func WritePair(w io.Writer, r *result.Result, p *result.Pair, text TextFunc, opt Options) error {
	if p == nil || text == nil {
		panic("html: WritePair with a nil Pair or TextFunc")
	}
	if r == nil {
		r = &result.Result{}
	}
	s := newSite(r, text, opt)
	s.inline = true
	bw := bufio.NewWriter(w)
	if err := s.writePair(bw, p); err != nil {
		return err
	}
	return bw.Flush()
}

// site is the state of one report being written: the Result indexed, and
// the pages chosen.
type site struct {
	r      *result.Result
	opt    Options
	texts  *textCache
	split  *splitter // for the word-level changes
	inline bool      // one self-contained page: no links to other pages

	docIdx      map[string]int
	docPairs    [][]int // pair indexes by document index
	docClusters [][]int // cluster indexes by document index
	docGroup    []int   // group index by document index, -1 for none

	pairRank  []int // pair indexes, most shared words first
	docRank   []int // document indexes, highest reused share first
	clusRank  []int // cluster indexes, most documents first
	pairsList []int // the pairs listed and given pages
	docsList  []int
	clusList  []int

	docHref     []string // from the folder root; "" when not written
	pairHref    []string
	clusterHref []string
}

func newSite(r *result.Result, text TextFunc, opt Options) *site {
	if opt.Title == "" {
		opt.Title = defaultTitle
	}
	s := &site{r: r, opt: opt, texts: newTextCache(text, textCacheBytes, opt.TextError), split: newSplitter()}
	s.docIdx = make(map[string]int, len(r.Documents))
	for i := range r.Documents {
		if _, dup := s.docIdx[r.Documents[i].ID]; !dup {
			s.docIdx[r.Documents[i].ID] = i
		}
	}
	s.docPairs = make([][]int, len(r.Documents))
	for pi := range r.Pairs {
		p := &r.Pairs[pi]
		if a, ok := s.docIdx[p.A]; ok {
			s.docPairs[a] = append(s.docPairs[a], pi)
		}
		if b, ok := s.docIdx[p.B]; ok && p.B != p.A {
			s.docPairs[b] = append(s.docPairs[b], pi)
		}
	}
	s.docClusters = make([][]int, len(r.Documents))
	for ci := range r.Clusters {
		last := -1
		for _, m := range r.Clusters[ci].Members {
			if d, ok := s.docIdx[m.Doc]; ok && d != last {
				if n := len(s.docClusters[d]); n == 0 || s.docClusters[d][n-1] != ci {
					s.docClusters[d] = append(s.docClusters[d], ci)
				}
				last = d
			}
		}
	}
	// A document is in one group at most (result.Group).
	s.docGroup = make([]int, len(r.Documents))
	for i := range s.docGroup {
		s.docGroup[i] = -1
	}
	for gi := range r.Groups {
		for _, id := range r.Groups[gi].Documents {
			if d, ok := s.docIdx[id]; ok && s.docGroup[d] < 0 {
				s.docGroup[d] = gi
			}
		}
	}

	s.pairRank = seq(len(r.Pairs))
	slices.SortStableFunc(s.pairRank, func(i, j int) int {
		return cmp.Compare(r.Pairs[j].SharedWords, r.Pairs[i].SharedWords)
	})
	s.docRank = seq(len(r.Documents))
	slices.SortStableFunc(s.docRank, func(i, j int) int {
		a, b := &r.Documents[i], &r.Documents[j]
		if c := cmp.Compare(b.ReusedPct, a.ReusedPct); c != 0 {
			return c
		}
		return cmp.Compare(b.ReusedWords, a.ReusedWords)
	})
	s.clusRank = seq(len(r.Clusters))
	slices.SortStableFunc(s.clusRank, func(i, j int) int {
		a, b := &r.Clusters[i], &r.Clusters[j]
		if c := cmp.Compare(len(b.Documents), len(a.Documents)); c != 0 {
			return c
		}
		return cmp.Compare(clusterWords(b), clusterWords(a))
	})
	top := limit(opt.Top, defaultTop)
	s.pairsList = s.pairRank[:min(top, len(s.pairRank))]
	s.clusList = s.clusRank[:min(top, len(s.clusRank))]
	s.docsList = s.docRank[:min(limit(opt.MaxDocs, defaultMaxDocs), len(s.docRank))]

	s.docHref = make([]string, len(r.Documents))
	s.pairHref = make([]string, len(r.Pairs))
	s.clusterHref = make([]string, len(r.Clusters))
	for _, i := range s.docsList {
		if len(s.docPairs[i]) > 0 || len(s.docClusters[i]) > 0 {
			s.docHref[i] = pageName("d", i)
		}
	}
	for _, i := range s.pairsList {
		s.pairHref[i] = pageName("p", i)
	}
	for _, i := range s.clusList {
		s.clusterHref[i] = pageName("c", i)
	}
	return s
}

func clusterWords(c *result.Cluster) int {
	n := 0
	for _, m := range c.Members {
		n += m.End - m.Start
	}
	return n
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// limit applies the convention of Options: 0 means def, negative no
// limit.
func limit(n, def int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return int(^uint(0) >> 1)
	}
	return n
}

// href returns the link from a page at depth 0 (index) or 1 (other pages)
// to target, a path from the folder root; "" stays "".
func (s *site) rel(depth int, target string) string {
	if target == "" || s.inline {
		return ""
	}
	return strings.Repeat("../", depth) + target
}

// writeAll writes every file of the report into root.
func (s *site) writeAll(ctx context.Context, root string) error {
	page := func(name string, fn func(io.Writer) error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return writeFile(root, name, fn)
	}
	for _, sub := range []string{"d", "p", "c"} {
		if err := os.Mkdir(filepath.Join(root, sub), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(root, "report.css"), assetCSS(), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, "report.js"), assetJS(), 0o644); err != nil {
		return err
	}
	if err := page("index.html", s.writeIndex); err != nil {
		return err
	}
	for _, i := range s.docsList {
		if s.docHref[i] == "" {
			continue
		}
		if err := page(s.docHref[i], func(w io.Writer) error { return s.writeDoc(w, i) }); err != nil {
			return err
		}
	}
	for _, i := range s.pairsList {
		if err := page(s.pairHref[i], func(w io.Writer) error { return s.writePair(w, &s.r.Pairs[i]) }); err != nil {
			return err
		}
	}
	for _, i := range s.clusList {
		if err := page(s.clusterHref[i], func(w io.Writer) error { return s.writeCluster(w, i) }); err != nil {
			return err
		}
	}
	return nil
}

// writeFile creates root/name (a slash-separated generated name) and
// writes it with fn through a buffer.
func writeFile(root, name string, fn func(io.Writer) error) error {
	f, err := os.OpenFile(filepath.Join(root, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// generatorMeta is in the head of every page; checkTarget looks for it in
// index.html before agreeing to replace a folder.
const generatorMeta = `<meta name="generator" content="reuse">`

// IsReport reports whether dir is a folder holding an HTML report of
// reuse: its index.html names reuse as its generator. Write replaces such
// a folder; a scan leaves it out of its inputs. It reads at most 4 KiB.
func IsReport(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "index.html"))
	if err != nil {
		return false
	}
	defer f.Close()
	first := make([]byte, 4096)
	n, _ := io.ReadFull(f, first)
	return strings.Contains(string(first[:n]), generatorMeta)
}

// checkTarget returns nil when dir does not exist, is an empty folder, or
// holds a reuse report.
func checkTarget(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: %w", dir, ErrTarget)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(ents) == 0 {
		return nil
	}
	if !IsReport(dir) {
		return fmt.Errorf("%s: %w", dir, ErrTarget)
	}
	return nil
}

// replaceDir moves the complete folder tmp to dir. When dir exists it is
// exchanged with tmp where the system can (exchangeDirs), else moved aside
// first and restored if the second rename fails; the old report is then
// removed.
func replaceDir(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	if err := exchangeDirs(tmp, dir); err == nil {
		os.RemoveAll(tmp) // best effort: tmp now holds the old report
		return nil
	}
	old, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".old-")
	if err != nil {
		return err
	}
	if err := os.Remove(old); err != nil {
		return err
	}
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("%w (the previous report is in %s)", err, old)
		}
		return err
	}
	os.RemoveAll(old) // best effort: the new report is in place
	return nil
}
