package reword

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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
// pairs with passages by the exact aligner alone and by PairAligner (both
// anchored at the fingerprints and keys the pair shares, as in a scan),
// and by the reworded aligner alone on all of the pair, in the scan's
// order (pairs sorted by first document, indexed once); then the pairs
// the keys add.
func TestScanCost(t *testing.T) {
	dir := os.Getenv("REWORD_COST")
	if dir == "" {
		t.Skip("set REWORD_COST=corpus-folder")
	}
	cc := scanCorpus(t, dir)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// Stage 1: each document analysed into one reused Doc, its keys
	// taken and its record written, in the scan's order of documents;
	// the records are read back for the next stages. Whole passes are
	// timed (a thread's CPU clock ticks too coarsely for one document):
	// analysis with a fresh Analyzer, then warm analysis with and without
	// writing the records, reading them with and without the keys.
	ids := make([]string, len(cc.res.Documents))
	for i, doc := range cc.res.Documents {
		ids[i] = doc.ID
	}
	an := NewAnalyzer()
	k := NewKeyer(KeyOptions{})
	var d, back Doc
	var keys []shingle.Fingerprint
	var rec []byte
	pass := func(f func(id string)) time.Duration {
		t0 := threadCPU()
		for _, id := range ids {
			f(id)
		}
		return threadCPU() - t0
	}
	tAn := pass(func(id string) { d = an.Analyze(d, cc.texts[id], cc.toks[id]) })
	tWarm := pass(func(id string) { d = an.Analyze(d, cc.texts[id], cc.toks[id]) })
	tEnc := pass(func(id string) {
		d = an.Analyze(d, cc.texts[id], cc.toks[id])
		rec = AppendDoc(rec[:0], d)
	}) - tWarm
	recs := map[string][]byte{}
	docs := map[string]Doc{}
	recBytes := 0
	for _, id := range ids {
		d = an.Analyze(d, cc.texts[id], cc.toks[id])
		recs[id] = AppendDoc(nil, d)
		recBytes += len(recs[id])
		var err error
		if docs[id], err = ReadDoc(Doc{}, recs[id]); err != nil {
			t.Fatal(err)
		}
	}
	tDec := pass(func(id string) { back, _ = ReadDoc(back, recs[id]) })
	nkeys := 0
	tKeys := pass(func(id string) {
		back, _ = ReadDoc(back, recs[id])
		keys = k.Keys(keys[:0], back)
		nkeys += len(keys)
	}) - tDec
	var t0 time.Duration

	// What stage 3 gets of each pair: seeds, the places of the
	// fingerprints the pair shares (anchors), and the places of its keys
	// when KeyRules pair it. The scan's pairs have exact passages, so the
	// reworded aligner runs on each.
	ctx := context.Background()
	kc := &keyCorpus{index: map[string]uint32{}}
	for _, d := range cc.res.Documents {
		kc.index[d.ID] = uint32(len(kc.names))
		kc.names = append(kc.names, d.ID)
		kc.docs = append(kc.docs, docs[d.ID])
	}
	rules := keyRules(maxDFEnv()) // KeyRules unless REWORD_LSH_RULES says
	st := kc.keyStats(k, rules.MaxDF, rules)
	seedsOf := map[string][]uint32{}
	fpsOf := map[string][]shingle.Fingerprint{}
	keysOf := map[string][]shingle.Fingerprint{}
	for id, toks := range cc.toks {
		seedsOf[id], _ = shingle.Seeds(nil, toks, 3, nil)
		fpsOf[id], _ = shingle.Winnow(nil, nil, shingle.Shingles(nil, toks, 5), 5)
		keysOf[id] = k.Keys(nil, docs[id])
	}
	pairOf := func(a, b string) Pair {
		p := Pair{Seeds: seedsOf[b], Doc: docs[b], Anchors: sharedPlaces(nil, fpsOf[a], fpsOf[b])}
		if st.pairs[pairKey(kc.index[a], kc.index[b])] {
			p.Keys = sharedPlaces(nil, keysOf[a], keysOf[b])
		}
		return p
	}
	pairs := make([]Pair, len(cc.res.Pairs))
	for i, p := range cc.res.Pairs {
		pairs[i] = pairOf(p.A, p.B)
	}
	ex := align.New(align.Options{})
	var spans []align.Span
	pairTokens := 0
	t0 = threadCPU()
	for i, p := range cc.res.Pairs {
		if i == 0 || p.A != cc.res.Pairs[i-1].A {
			ex.SetASeeds(seedsOf[p.A], len(cc.toks[p.A]))
		}
		spans, _ = ex.AlignSeeds(ctx, spans[:0], seedsOf[p.B], pairs[i].Anchors)
		pairTokens += len(cc.toks[p.A]) + len(cc.toks[p.B])
	}
	tEx := threadCPU() - t0
	rw := NewAligner(envOptions(t))
	var out []Passage
	t0 = threadCPU()
	for i, p := range cc.res.Pairs {
		if i == 0 || p.A != cc.res.Pairs[i-1].A {
			rw.SetA(docs[p.A])
		}
		out = rw.Align(out[:0], docs[p.B])
	}
	tRw := threadCPU() - t0
	pa := NewPairAligner(align.Options{}, envOptions(t))
	t0 = threadCPU()
	for i, p := range cc.res.Pairs {
		if i == 0 || p.A != cc.res.Pairs[i-1].A {
			pa.SetASeeds(seedsOf[p.A], docs[p.A])
		}
		out, _ = pa.AlignPair(ctx, out[:0], pairs[i])
	}
	tPair := threadCPU() - t0

	// The pairs the keys add (KeyRules), aligned by PairAligner in the
	// scan's order.
	scanned := map[uint64]bool{}
	for _, p := range cc.res.Pairs {
		scanned[pairKey(kc.index[p.A], kc.index[p.B])] = true
	}
	var extra []uint64
	for p := range st.pairs {
		if !scanned[p] {
			extra = append(extra, p)
		}
	}
	slices.Sort(extra)
	extraFound := 0
	show, _ := strconv.Atoi(os.Getenv("REWORD_COST_SHOW"))
	extraPairs := make([]Pair, len(extra))
	for i, p := range extra {
		extraPairs[i] = pairOf(kc.names[p>>32], kc.names[uint32(p)])
		// No fingerprint pairs them: the exact aligner looks around the
		// keys.
		extraPairs[i].Anchors = extraPairs[i].Keys
	}
	t0 = threadCPU()
	for i, p := range extra {
		a, b := kc.names[p>>32], kc.names[uint32(p)]
		if i == 0 || p>>32 != extra[i-1]>>32 {
			pa.SetASeeds(seedsOf[a], docs[a])
		}
		out, _ = pa.AlignPair(ctx, out[:0], extraPairs[i])
		if len(out) > 0 {
			extraFound++
			if show > 0 && extraFound%97 == 0 {
				show--
				for _, q := range out {
					ta, tb := cc.toks[a], cc.toks[b]
					fmt.Printf("extra %s %s %v %.2f\n  A: %q\n  B: %q\n", a, b, q.Kind, q.Similarity,
						clip(cc.texts[a][ta[q.AStart].Start:ta[q.AEnd-1].End]), clip(cc.texts[b][tb[q.BStart].Start:tb[q.BEnd-1].End]))
				}
			}
		}
	}
	tExtra := threadCPU() - t0

	perTok := func(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(max(n, 1)) }
	fmt.Printf("%s: %d documents, %d tokens; scan (1 worker) %v process CPU, %.0f ns/token; %d candidate pairs, %d with passages\n",
		dir, len(cc.texts), cc.tokens, cc.scanCPU.Round(time.Millisecond), perTok(cc.scanCPU, cc.tokens), cc.candidates, len(cc.res.Pairs))
	fmt.Printf("analysis %v (%.1f ns/token, %.2f of the scan); keys %v (%.1f ns/token, %.3f keys/token, %.2f of the scan)\n",
		tAn.Round(time.Millisecond), perTok(tAn, cc.tokens), tAn.Seconds()/cc.scanCPU.Seconds(),
		tKeys.Round(time.Millisecond), perTok(tKeys, cc.tokens), float64(nkeys)/float64(cc.tokens), tKeys.Seconds()/cc.scanCPU.Seconds())
	fmt.Printf("pairs with passages (%d tokens of pairs): exact alone %v (%.1f ns/token), reworded alone %v (%.1f), PairAligner %v (%.1f, %.2f times the exact aligner; adds %.2f of the scan)\n",
		pairTokens, tEx.Round(time.Millisecond), perTok(tEx, pairTokens), tRw.Round(time.Millisecond), perTok(tRw, pairTokens),
		tPair.Round(time.Millisecond), perTok(tPair, pairTokens), tPair.Seconds()/tEx.Seconds(), (tPair-tEx).Seconds()/cc.scanCPU.Seconds())
	fmt.Printf("spool: %.2f bytes/token, write %.1f ns/token, read %.1f; key pairs %d, %d beyond the scan's: PairAligner %v (%.1f µs a pair, %d with passages, %.2f of the scan)\n",
		float64(recBytes)/float64(cc.tokens), perTok(tEnc, cc.tokens), perTok(tDec, cc.tokens), len(st.pairs), len(extra),
		tExtra.Round(time.Millisecond), float64(tExtra.Microseconds())/float64(max(len(extra), 1)), extraFound, tExtra.Seconds()/cc.scanCPU.Seconds())
	total := tAn + tKeys + tEnc + tDec + tPair - tEx + tExtra
	fmt.Printf("all of the above but the shuffle of the keys: %v, %.2f of the scan\n", total.Round(time.Millisecond), total.Seconds()/cc.scanCPU.Seconds())
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
