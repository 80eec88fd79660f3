package reword

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	reuse "github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// costCorpus is a corpus scanned by package reuse with one worker, and
// its documents tokenized as the scan does.
type costCorpus struct {
	res        *result.Result
	candidates int64
	scanCPU    time.Duration // process CPU time of the scan
	toks       map[string][]shingle.Token
	texts      map[string][]byte
	tokens     int
}

// scanCorpus scans dir with one worker and reads its documents back.
func scanCorpus(t testing.TB, dir string) *costCorpus {
	var p reuse.Progress
	runtime.GC()
	t0 := processCPU()
	res, err := reuse.Scan(context.Background(), []string{dir}, reuse.Options{Workers: 1, Progress: &p})
	if err != nil {
		t.Fatal(err)
	}
	cc := &costCorpus{res: res, candidates: p.Pairs.Load(), scanCPU: processCPU() - t0,
		toks: map[string][]shingle.Token{}, texts: map[string][]byte{}}
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

// TestScanCost estimates what the reworded stages add to a scan of a
// corpus folder (REWORD_COST=folder): a scan with one worker (process CPU
// time), then, on one goroutine locked to its thread and in CPU time of
// that thread (a loaded machine makes wall time meaningless), the
// analysis of every document, its keys, and the alignment of the scan's
// pairs with passages by the exact aligner alone (all of B, no anchors),
// the reworded aligner alone and PairAligner, in the scan's order (pairs
// sorted by first document, indexed once).
func TestScanCost(t *testing.T) {
	dir := os.Getenv("REWORD_COST")
	if dir == "" {
		t.Skip("set REWORD_COST=corpus-folder")
	}
	cc := scanCorpus(t, dir)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	an := NewAnalyzer()
	docs := map[string]Doc{}
	t0 := threadCPU()
	for id, text := range cc.texts {
		docs[id] = an.Analyze(Doc{}, text, cc.toks[id])
	}
	tAn := threadCPU() - t0
	k := NewKeyer(KeyOptions{})
	var keys []shingle.Fingerprint
	nkeys := 0
	t0 = threadCPU()
	for _, d := range docs {
		keys = k.Keys(keys[:0], d)
		nkeys += len(keys)
	}
	tKeys := threadCPU() - t0

	ctx := context.Background()
	ex := align.New(align.Options{})
	var spans []align.Span
	pairTokens := 0
	t0 = threadCPU()
	for i, p := range cc.res.Pairs {
		if i == 0 || p.A != cc.res.Pairs[i-1].A {
			ex.SetA(cc.toks[p.A])
		}
		spans, _ = ex.Align(ctx, spans[:0], cc.toks[p.B])
		pairTokens += len(cc.toks[p.A]) + len(cc.toks[p.B])
	}
	tEx := threadCPU() - t0
	rw := NewAligner(Options{})
	var out []Passage
	t0 = threadCPU()
	for i, p := range cc.res.Pairs {
		if i == 0 || p.A != cc.res.Pairs[i-1].A {
			rw.SetA(docs[p.A])
		}
		out = rw.Align(out[:0], docs[p.B])
	}
	tRw := threadCPU() - t0
	pa := NewPairAligner(align.Options{}, Options{})
	t0 = threadCPU()
	for i, p := range cc.res.Pairs {
		if i == 0 || p.A != cc.res.Pairs[i-1].A {
			pa.SetA(cc.toks[p.A], docs[p.A])
		}
		out, _ = pa.Align(ctx, out[:0], cc.toks[p.B], docs[p.B])
	}
	tPair := threadCPU() - t0

	perTok := func(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(max(n, 1)) }
	fmt.Printf("%s: %d documents, %d tokens; scan (1 worker) %v process CPU, %.0f ns/token; %d candidate pairs, %d with passages\n",
		dir, len(cc.texts), cc.tokens, cc.scanCPU.Round(time.Millisecond), perTok(cc.scanCPU, cc.tokens), cc.candidates, len(cc.res.Pairs))
	fmt.Printf("analysis %v (%.1f ns/token, %.2f of the scan); keys %v (%.1f ns/token, %.3f keys/token, %.2f of the scan)\n",
		tAn.Round(time.Millisecond), perTok(tAn, cc.tokens), tAn.Seconds()/cc.scanCPU.Seconds(),
		tKeys.Round(time.Millisecond), perTok(tKeys, cc.tokens), float64(nkeys)/float64(cc.tokens), tKeys.Seconds()/cc.scanCPU.Seconds())
	fmt.Printf("pairs with passages (%d tokens of pairs): exact alone %v (%.1f ns/token), reworded alone %v (%.1f), PairAligner %v (%.1f, %.2f times the exact aligner; adds %.2f of the scan)\n",
		pairTokens, tEx.Round(time.Millisecond), perTok(tEx, pairTokens), tRw.Round(time.Millisecond), perTok(tRw, pairTokens),
		tPair.Round(time.Millisecond), perTok(tPair, pairTokens), tPair.Seconds()/tEx.Seconds(), (tPair-tEx).Seconds()/cc.scanCPU.Seconds())
}

// threadCPU is the CPU time (user and system) of the calling thread.
func threadCPU() time.Duration { return rusage(unix.RUSAGE_THREAD) }

// processCPU is the CPU time (user and system) of the process.
func processCPU() time.Duration { return rusage(unix.RUSAGE_SELF) }

func rusage(who int) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
