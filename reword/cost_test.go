package reword

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// costCorpus is a corpus folder's documents tokenized as a scan does,
// with the pairs of a scan's result.
type costCorpus struct {
	res    *result.Result
	toks   map[string][]shingle.Token
	texts  map[string][]byte
	tokens int
}

// scanCorpus reads the documents of the scan result REWORD_COST_SCAN
// (reuse scan dir --format json), whose folder is dir. (The scan itself,
// with and without reworded reuse, is measured by reuse scan --reworded
// and reuse scan: docs/benchmarks.md.)
func scanCorpus(t testing.TB, dir string) *costCorpus {
	path := os.Getenv("REWORD_COST_SCAN")
	if path == "" {
		t.Skip("set REWORD_COST_SCAN=result.json, a scan of REWORD_COST")
	}
	res, err := result.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cc := &costCorpus{res: res, toks: map[string][]shingle.Token{}, texts: map[string][]byte{}}
	r := newPanRunner(Options{})
	for _, d := range res.Documents {
		path := filepath.Join(dir, d.ID)
		pd, err := r.load(path)
		if err != nil {
			t.Fatal(err)
		}
		cc.toks[d.ID] = pd.toks
		if cc.texts[d.ID], err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
		cc.tokens += len(pd.toks)
		delete(r.docs, path)
	}
	return cc
}

// BenchmarkScanPairs aligns the pairs with passages of a one-worker scan
// of REWORD_COST (a corpus folder) with PairAligner, in the scan's order
// (SetA once per first document).
func BenchmarkScanPairs(b *testing.B) {
	dir := os.Getenv("REWORD_COST")
	if dir == "" {
		b.Skip("set REWORD_COST=corpus-folder")
	}
	cc := scanCorpus(b, dir)
	an := NewAnalyzer()
	docs := map[string]Doc{}
	for id, text := range cc.texts {
		docs[id] = an.Analyze(Doc{}, text, cc.toks[id])
	}
	pa := NewPairAligner(align.Options{}, Options{})
	var out []Passage
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		for i, p := range cc.res.Pairs {
			if i == 0 || p.A != cc.res.Pairs[i-1].A {
				pa.SetA(cc.toks[p.A], docs[p.A])
			}
			out, _ = pa.Align(ctx, out[:0], cc.toks[p.B], docs[p.B])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(cc.res.Pairs)), "µs/pair")
}

// BenchmarkScanReworded aligns the pairs with passages of a one-worker
// scan of REWORD_COST with the reworded Aligner alone, in the scan's
// order.
func BenchmarkScanReworded(b *testing.B) {
	dir := os.Getenv("REWORD_COST")
	if dir == "" {
		b.Skip("set REWORD_COST=corpus-folder")
	}
	cc := scanCorpus(b, dir)
	an := NewAnalyzer()
	docs := map[string]Doc{}
	for id, text := range cc.texts {
		docs[id] = an.Analyze(Doc{}, text, cc.toks[id])
	}
	al := NewAligner(envOptions(b))
	var out []Passage
	b.ResetTimer()
	for b.Loop() {
		for i, p := range cc.res.Pairs {
			if i == 0 || p.A != cc.res.Pairs[i-1].A {
				al.SetA(docs[p.A])
			}
			out = al.Align(out[:0], docs[p.B])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(cc.res.Pairs)), "µs/pair")
}

// clip shortens a passage's text for printing.
func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:150]) + " … " + string(b[len(b)-150:])
	}
	return string(b)
}

// BenchmarkAnalyzeCorpus analyses every document of REWORD_COST (a corpus
// folder) with one Analyzer, into one reused Doc, as a scan's first stage.
func BenchmarkAnalyzeCorpus(b *testing.B) {
	dir := os.Getenv("REWORD_COST")
	if dir == "" {
		b.Skip("set REWORD_COST=corpus-folder")
	}
	cc := scanCorpus(b, dir)
	var d Doc
	b.ResetTimer()
	for b.Loop() {
		an := NewAnalyzer()
		for _, doc := range cc.res.Documents {
			d = an.Analyze(d, cc.texts[doc.ID], cc.toks[doc.ID])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cc.tokens), "ns/token")
}
