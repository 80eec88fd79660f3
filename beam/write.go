package reusebeam

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/result"
)

// Reused is a document's reused words.
type Reused struct {
	Doc   uint32
	Words int
}

// writeFn assembles the result and writes it: one worker, which receives
// every piece (documents, pairs, clusters, groups: the result itself),
// sorts them and numbers clusters and groups; cost O(result), as the
// result is one file. JSON is reuse.scan/v1, byte for byte a scan's;
// JSONL (an output ending in .jsonl) is report.NewJSONLSink's.
type writeFn struct {
	Settings Settings
	Output   string
}

func (f *writeFn) ProcessElement(ctx context.Context, _ int, infos func(*Info) bool, reused func(*Reused) bool, pairs func(*PairOut) bool,
	clusters func(*ClusterOut) bool, groups func(*GroupOut) bool, warnings func(*Warning) bool) error {
	var docs []Info
	var in Info
	for infos(&in) {
		docs = append(docs, in)
	}
	slices.SortFunc(docs, func(x, y Info) int { return cmp.Compare(x.Doc, y.Doc) })
	words := make([]int, len(docs))
	var r Reused
	for reused(&r) {
		words[r.Doc] = r.Words
	}
	var ps []PairOut
	var p PairOut
	for pairs(&p) {
		ps = append(ps, p)
		p = PairOut{}
	}
	slices.SortFunc(ps, func(x, y PairOut) int { return cmp.Compare(pairKey(x.Pair.A, x.Pair.B), pairKey(y.Pair.A, y.Pair.B)) })
	var cs []ClusterOut
	var c ClusterOut
	for clusters(&c) {
		cs = append(cs, c)
		c = ClusterOut{}
	}
	slices.SortFunc(cs, func(x, y ClusterOut) int { return strings.Compare(x.Key, y.Key) })
	number := make(map[string]int32, len(cs))
	for i := range cs {
		cs[i].Cluster.ID = i + 1
		number[cs[i].Key] = int32(i)
	}
	var gs []GroupOut
	var g GroupOut
	for groups(&g) {
		gs = append(gs, g)
		g = GroupOut{}
	}
	slices.SortFunc(gs, func(x, y GroupOut) int { return cmp.Compare(x.Docs[0], y.Docs[0]) })
	stats := result.Stats{Documents: len(docs), Pairs: len(ps), Clusters: len(cs), Groups: len(gs)}
	var w Warning
	for warnings(&w) {
		if w.Skipped {
			stats.Skipped++
		}
	}
	for i, d := range docs {
		stats.Words += d.Words
		stats.ReusedWords += words[i]
	}
	for _, p := range ps {
		stats.Passages += len(p.Pair.Spans)
	}

	out, err := create(ctx, f.Output)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	var sink result.Sink
	if strings.HasSuffix(f.Output, ".jsonl") {
		sink = report.NewJSONLSink(bw)
	} else {
		sink = result.NewJSONSink(bw)
	}
	err = func() error {
		if err := sink.Begin(result.Schema, f.Settings.options().Params(), stats); err != nil {
			return err
		}
		for i, d := range docs {
			if err := sink.Document(&result.Document{
				ID: d.ID, Path: d.Path, Bytes: d.Bytes, Words: d.Words, Date: d.Date,
				ReusedWords: words[i], ReusedPct: result.Percent(words[i], d.Words),
			}); err != nil {
				return err
			}
		}
		fams := []int32{}
		for _, p := range ps {
			a, b := &docs[p.Pair.A], &docs[p.Pair.B]
			fams = fams[:0]
			for _, k := range p.Families {
				fams = append(fams, number[k])
			}
			rp := assemble.ResultPair(assemble.PairDoc{ID: a.ID, Words: a.Words, Fingerprints: a.Distinct},
				assemble.PairDoc{ID: b.ID, Words: b.Words, Fingerprints: b.Distinct}, &p.Pair.Pair, fams)
			for i := range p.Pair.ATexts {
				rp.Passages[i].AText, rp.Passages[i].BText = p.Pair.ATexts[i], p.Pair.BTexts[i]
			}
			if err := sink.Pair(&rp); err != nil {
				return err
			}
		}
		for i := range cs {
			if err := sink.Cluster(&cs[i].Cluster); err != nil {
				return err
			}
		}
		for i, g := range gs {
			ids := make([]string, len(g.Docs))
			for j, d := range g.Docs {
				ids[j] = docs[d].ID
			}
			if err := sink.Group(&result.Group{ID: i + 1, Documents: ids, MinPct: result.Round(g.MinPct, 1)}); err != nil {
				return err
			}
		}
		if err := sink.End(); err != nil {
			return err
		}
		return bw.Flush()
	}()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.Output, err)
	}
	return nil
}

// create opens the output for writing: a local file is written to a
// temporary file renamed at Close (whole or not at all); other file
// systems through Beam's.
func create(ctx context.Context, name string) (io.WriteCloser, error) {
	if !remote(name) {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return nil, err
		}
		tmp, err := os.CreateTemp(filepath.Dir(name), ".reuse-beam-*")
		if err != nil {
			return nil, err
		}
		return &renameOnClose{File: tmp, to: name}, nil
	}
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return nil, err
	}
	return fs.OpenWrite(ctx, name)
}

type renameOnClose struct {
	*os.File
	to string
}

func (r *renameOnClose) Close() error {
	if err := r.File.Close(); err != nil {
		os.Remove(r.Name())
		return err
	}
	if err := os.Chmod(r.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(r.Name(), r.to)
}
