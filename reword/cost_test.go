package reword

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// TestScanCost estimates what the reworded stages add to a scan: given a
// corpus folder and a scan's JSON result (REWORD_COST=corpus,result.json),
// it times tokenizing every document (a lower bound of the scan's own
// stage 1), analysing it, and aligning the result's pairs with the
// reworded aligner, on one goroutine locked to its thread, in CPU time of
// that thread (a loaded machine makes wall time meaningless).
func TestScanCost(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	spec := os.Getenv("REWORD_COST")
	if spec == "" {
		t.Skip("set REWORD_COST=corpus-folder,result.json")
	}
	var dir, resPath string
	fmt.Sscanf(spec, "%s", &dir)
	for i := range spec {
		if spec[i] == ',' {
			dir, resPath = spec[:i], spec[i+1:]
		}
	}
	b, err := os.ReadFile(resPath)
	if err != nil {
		t.Fatal(err)
	}
	var res result.Result
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	texts := map[string][]byte{}
	for _, d := range res.Documents {
		if texts[d.ID], err = os.ReadFile(filepath.Join(dir, d.ID)); err != nil {
			t.Fatal(err)
		}
	}
	tok := shingle.NewTokenizer()
	toks := map[string][]shingle.Token{}
	t0 := cpuNow()
	ntok := 0
	for id, text := range texts {
		toks[id] = tok.Tokenize(nil, text)
		ntok += len(toks[id])
	}
	tTok := cpuNow() - t0
	an := NewAnalyzer()
	docs := map[string]Doc{}
	t0 = cpuNow()
	for id, text := range texts {
		docs[id] = an.Analyze(Doc{}, text, toks[id])
	}
	tAn := cpuNow() - t0
	al := NewAligner(Options{})
	var out []Passage
	t0 = cpuNow()
	found := 0
	for _, p := range res.Pairs {
		al.SetA(docs[p.A])
		out = al.Align(out[:0], docs[p.B])
		found += len(out)
	}
	tAl := cpuNow() - t0
	// The same with the exact aligner first and the reworded one skipped
	// on pairs the exact passages cover (PairAligner).
	pa := NewPairAligner(align.Options{}, Options{})
	ex := align.New(align.Options{})
	var spans []align.Span
	t0 = cpuNow()
	for _, p := range res.Pairs {
		ex.SetA(toks[p.A])
		spans, _ = ex.Align(context.Background(), spans[:0], toks[p.B])
	}
	tEx := cpuNow() - t0
	t0 = cpuNow()
	for _, p := range res.Pairs {
		pa.SetA(toks[p.A], docs[p.A])
		out = alignPair(pa, out[:0], toks[p.B], docs[p.B])
	}
	tPair := cpuNow() - t0
	fmt.Printf("exact aligner alone %v; exact+reworded+combine (PairAligner) %v\n", tEx, tPair)
	k := NewKeyer(KeyOptions{})
	var keys []uint64
	t0 = cpuNow()
	for _, d := range docs {
		keys = k.Keys(keys[:0], d)
	}
	tKeys := cpuNow() - t0
	fmt.Printf("%d documents, %d tokens, %d pairs: tokenize %v, analyse %v, align pairs %v (%.1f µs/pair, %d passages), keys %v\n",
		len(texts), ntok, len(res.Pairs), tTok, tAn, tAl, float64(tAl.Microseconds())/float64(len(res.Pairs)), found, tKeys)
}

// cpuNow is the CPU time (user and system) of the calling thread.
func cpuNow() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkScanPairs aligns the pairs of a scan's result, as TestScanCost
// (REWORD_COST=corpus,result.json), SetA once per pair.
func BenchmarkScanPairs(b *testing.B) {
	spec := os.Getenv("REWORD_COST")
	if spec == "" {
		b.Skip("set REWORD_COST=corpus-folder,result.json")
	}
	var dir, resPath string
	for i := range spec {
		if spec[i] == ',' {
			dir, resPath = spec[:i], spec[i+1:]
		}
	}
	raw, _ := os.ReadFile(resPath)
	var res result.Result
	if err := json.Unmarshal(raw, &res); err != nil {
		b.Fatal(err)
	}
	docs := map[string]Doc{}
	for _, d := range res.Documents {
		text, err := os.ReadFile(filepath.Join(dir, d.ID))
		if err != nil {
			b.Fatal(err)
		}
		_, docs[d.ID] = analyze(string(text))
	}
	al := NewAligner(Options{})
	var out []Passage
	b.ResetTimer()
	for b.Loop() {
		for _, p := range res.Pairs {
			al.SetA(docs[p.A])
			out = al.Align(out[:0], docs[p.B])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(res.Pairs)), "µs/pair")
}
