package reword

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/eval/gen"
	"github.com/reuse-tool/reuse/shingle"
)

// genTexts are the src/ and sus/ documents of a generated corpus of 400
// documents (package eval), concatenated: a realistic pair of news texts
// where sus/ holds reworded and verbatim copies of src/ passages.
var genTexts = sync.OnceValues(func() (string, string) {
	dir, err := os.MkdirTemp("", "reword-bench")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 7, Docs: 400}); err != nil {
		panic(err)
	}
	read := func(sub string) string {
		names, _ := filepath.Glob(filepath.Join(dir, "corpus", sub, "*.txt"))
		sort.Strings(names)
		var sb strings.Builder
		for _, n := range names {
			b, _ := os.ReadFile(n)
			sb.Write(b)
			sb.WriteString("\n\n")
		}
		return sb.String()
	}
	return read("src"), read("sus")
})

// prefixTokens cuts text after its first n tokens.
func prefixTokens(text string, n int) string {
	toks := shingle.NewTokenizer().Tokenize(nil, []byte(text))
	if n >= len(toks) {
		return text
	}
	return text[:toks[n].Start]
}

// benchPair measures PairAligner.Align (exact + reworded + combine) or
// the reworded Aligner alone on texts a, b, per token of the pair.
func benchPair(b *testing.B, a, bt string, rewordedOnly bool) {
	ta, da := analyze(a)
	tb, db := analyze(bt)
	pa := NewPairAligner(align.Options{}, Options{})
	rw := NewAligner(Options{})
	pa.SetA(ta, da)
	rw.SetA(da)
	var out []Passage
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rewordedOnly {
			out = rw.Align(out[:0], db)
		} else {
			out = alignPair(pa, out[:0], tb, db)
		}
	}
	n := len(ta) + len(tb)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/token")
	b.ReportMetric(float64(len(out)), "passages")
}

// BenchmarkAlign measures one pair of generated news texts at several
// sizes (tokens per side): the cost per token should stay flat.
func BenchmarkAlign(b *testing.B) {
	src, sus := genTexts()
	for _, n := range []int{1_000, 10_000, 100_000} {
		a, bt := prefixTokens(src, n), prefixTokens(sus, n)
		b.Run(fmt.Sprintf("news/%d/reworded", n), func(b *testing.B) { benchPair(b, a, bt, true) })
		b.Run(fmt.Sprintf("news/%d/combined", n), func(b *testing.B) { benchPair(b, a, bt, false) })
	}
}

// BenchmarkAlignAdversarial measures inputs built to defeat the cost
// bounds: one sentence repeated (every term in every sentence), and
// tables (rows of a few labels and many numbers, no punctuation).
func BenchmarkAlignAdversarial(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		rep := strings.Repeat("The harbour board approved the new pier plans on Tuesday. ", n)
		b.Run(fmt.Sprintf("repeated/%dsentences", n), func(b *testing.B) { benchPair(b, rep, rep, true) })
		b.Run(fmt.Sprintf("repeated/%dsentences/combined", n), func(b *testing.B) { benchPair(b, rep, rep, false) })
		ta, tb := table(n, 1), table(n, 2)
		b.Run(fmt.Sprintf("table/%drows", n), func(b *testing.B) { benchPair(b, ta, tb, true) })
	}
}

// table writes n rows of a results table: a team from a short list and
// counts drawn from a small range.
func table(n int, seed uint64) string {
	teams := []string{"Harbour Rovers", "City United", "Northfield", "Eastbridge Town", "Riverside", "Old Mill"}
	var sb strings.Builder
	x := seed
	next := func() uint64 { x = x*6364136223846793005 + 1442695040888963407; return x >> 33 }
	for i := range n {
		fmt.Fprintf(&sb, "%s %d %d %d %d %d %d\n", teams[next()%uint64(len(teams))], i%38,
			next()%20, next()%20, next()%20, next()%60, next()%90)
	}
	return sb.String()
}

func BenchmarkAnalyze(b *testing.B) {
	src, _ := genTexts()
	text := []byte(prefixTokens(src, 100_000))
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	an := NewAnalyzer()
	d := an.Analyze(Doc{}, text, toks)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		d = an.Analyze(d, text, toks)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(toks)), "ns/token")
}

func BenchmarkKeys(b *testing.B) {
	src, _ := genTexts()
	_, d := analyze(prefixTokens(src, 100_000))
	k := NewKeyer(KeyOptions{})
	var keys []shingle.Fingerprint
	b.ReportAllocs()
	for b.Loop() {
		keys = k.Keys(keys[:0], d)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(d.Terms)), "ns/token")
	b.ReportMetric(float64(len(keys))/float64(len(d.Terms)), "keys/token")
}

// BenchmarkReadDoc decodes the analysis of a document of 100,000 tokens,
// as the aligner reads each second document of a pair.
func BenchmarkReadDoc(b *testing.B) {
	src, _ := genTexts()
	text := []byte(prefixTokens(src, 100_000))
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	rec := AppendDoc(nil, NewAnalyzer().Analyze(Doc{}, text, toks))
	var d Doc
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if d, err = ReadDoc(d, rec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(toks)), "ns/token")
}
