package cluster

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Posting is one fingerprint of one document.
//
// Layout: 16 bytes, no pointers: a 1 GB corpus of English text gives about
// 170 M tokens and, with window 5 (2/(w+1) fingerprints a shingle), about
// 57 M postings (0.9 GB).
type Posting struct {
	Hash uint64
	Doc  uint32
	Pos  uint32
}

// Candidate is a pair of documents (A < B) that share Shared fingerprints.
type Candidate struct {
	A, B   uint32
	Shared int32
}

// PairOptions set the document-frequency limits of Candidates.
type PairOptions struct {
	// MaxDF: fingerprints held by more documents are boilerplate.
	MaxDF int
	// SoloDF: one shared fingerprint makes a candidate pair only when held
	// by at most SoloDF documents; two or more always do.
	SoloDF int
	// RareDF: fingerprints held by 2 to RareDF documents are rare (see
	// Shuffle.Rare).
	RareDF int
	// Near: shared fingerprints make a candidate pair only when they lie
	// within Near tokens of each other in both documents (0: anywhere).
	// A fingerprint a document holds more than once is near every other.
	Near int
	// Workers is the number of goroutines (default GOMAXPROCS).
	Workers int
}

// Shuffle is the outcome of Candidates.
type Shuffle struct {
	// Pairs to align, sorted by (A, B).
	Pairs []Candidate
	// Boilerplate postings: fingerprints held by more than MaxDF
	// documents, sorted by hash, then document and position.
	Boilerplate []Posting
	// Rare fingerprints per document: those held by 2 to RareDF
	// documents. Measured on 100 MB of generated news, 96% of the false
	// passages of 9 to 13 words were stock phrases whose every fingerprint
	// was held by 10 or more documents, while true ones of that length
	// held a fingerprint of 2 documents (one copy) in 91% of cases.
	Rare Rare
}

// Candidates finds the pairs of documents worth aligning; it uses
// postings as scratch space (their contents afterwards are unspecified). Of the fingerprints held by at most MaxDF
// documents, a pair must share
//
//   - one held by at most SoloDF documents, or
//   - three lying within Near tokens of one of them on both sides, or
//   - two lying within Near tokens of each other, when one of the
//     fingerprints they share is rare (held by at most RareDF documents).
//
// The rule is measured (package eval, 100 MB of generated news, 35,424
// documents): sharing any one fingerprint gave 6.75 M candidates for 50,697
// true pairs; 6.4 M of them shared a single fingerprint held by 5 or more
// documents, a stock phrase ("of the Harbour Board said that"), and only
// 910 of those were true pairs. A passage long enough to be evidence holds
// two fingerprints; a short quote (9-12 words) may hold one, and is then
// found while it has been copied into at most soloDF documents. The two
// fingerprints must be near each other: on the same corpus, 89% of the
// 457,096 pairs sharing two anywhere shared only stock phrases scattered
// through both documents, and aligning them took most of the scan. Of the
// 306,875 left, 128,158 shared neither a rare fingerprint nor three near
// each other; 924 of them made a passage, and only 8 of those were true
// (a stock phrase of 10-14 words gives two fingerprints, all common).
//
// The postings of fingerprints held by more than MaxDF documents are
// boilerplate: they are returned instead of paired, so that text copied
// into thousands of documents costs linear, not quadratic, time.
//
// Cost: O(n) for the radix sort plus O(p) for p pair occurrences, at most
// MaxDF²/2 per fingerprint.
//
// It returns ctx.Err() if ctx is cancelled while it works.
func Candidates(ctx context.Context, postings []Posting, opt PairOptions) (Shuffle, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sortInPlace(postings, workers)
	// The sorted postings are cut into one segment per worker at
	// fingerprint boundaries; every pass below runs the segments in
	// parallel and joins their outputs in segment order, so that the
	// result does not depend on the number of workers.
	segs := segments(postings, workers)
	parts := make([]shuffleWork, len(segs))

	// Pass 1: boilerplate postings, and each worker's rare postings per
	// document and pair occurrences per first document A (counts only), so
	// that later passes write every rare posting and every key
	// straight to its place: the keys of one A together, those of A's in
	// ranges of at most keysPerPass keys (memory stays bounded, and pairs
	// come out in (A, B) order range after range).
	pairable := func(docs int) bool { return docs <= opt.MaxDF }
	err := inParallel(len(segs), func(w int) error {
		x := &parts[w]
		kept, err := eachRun(ctx, segs[w], false, pairable, func(run []Posting, docs, _ []uint32) {
			df := len(docs)
			if df > opt.MaxDF {
				start := len(x.boiler)
				x.boiler = append(x.boiler, run...)
				slices.SortFunc(x.boiler[start:], byDocPos)
				return
			}
			if last := int(docs[len(docs)-1]); last >= len(x.perDoc) {
				x.perDoc = append(x.perDoc, make([]int, last+1-len(x.perDoc))...)
				x.rarePerDoc = append(x.rarePerDoc, make([]int, last+1-len(x.rarePerDoc))...)
			}
			if df <= opt.RareDF {
				for _, p := range run {
					x.rarePerDoc[p.Doc]++
				}
			}
			for i, d := range docs {
				x.perDoc[d] += len(docs) - 1 - i // pairs where d is A
			}
		})
		segs[w] = segs[w][:kept]
		return err
	})
	if err != nil {
		return Shuffle{}, err
	}
	var out Shuffle
	var perDoc []int
	for _, x := range parts {
		out.Boilerplate = append(out.Boilerplate, x.boiler...)
		perDoc = append(perDoc, make([]int, max(len(x.perDoc)-len(perDoc), 0))...)
		for d, n := range x.perDoc {
			perDoc[d] += n
		}
	}
	if out.Rare, err = rareByDoc(ctx, segs, parts, opt.RareDF); err != nil {
		return Shuffle{}, err
	}

	// The pairable runs move together to the front of postings; the rest
	// holds the pair keys, when it has room for a pass of a useful size:
	// memory that is already there. (A new buffer of keys cost 256 MB at
	// 1 GB, and on the measuring machine, where first touching memory
	// costs about 3 ms a MB, 1.3 of the 5.8 s of a 100 MB scan.)
	kept := 0
	for w, seg := range segs {
		kept += copy(postings[kept:], seg) // forward: never past seg's start
		segs[w] = postings[kept-len(seg) : kept]
	}
	free := postings[kept:]
	perPass := keysPerPass
	if len(free) >= keysPerPass/16 {
		perPass = min(perPass, len(free))
	}

	// Pass 2, per range of A: every worker writes its keys of document A
	// after those of the workers before it, so that the keys of A take
	// keys[start[A]:start[A+1]] whatever the timing.
	var keys []Posting
	for lo := 0; lo < len(perDoc); {
		hi, n := lo, 0
		for hi < len(perDoc) && (hi == lo || n+perDoc[hi] <= perPass) {
			n += perDoc[hi]
			hi++
		}
		if n <= len(free) {
			keys = free[:n]
		} else {
			keys = slices.Grow(keys[:0:0], n)[:n]
		}
		start, next := slots(len(parts), lo, hi, func(w, a int) int {
			if a < len(parts[w].perDoc) {
				return parts[w].perDoc[a]
			}
			return 0
		})
		err := inParallel(len(segs), func(w int) error {
			slot := next[w]
			_, err := eachRun(ctx, segs[w], true, nil, func(run []Posting, docs, pos []uint32) {
				// Pair keys A<<32|B, the positions in A and B in Doc and
				// Pos; in Pos's top bit whether the fingerprint alone makes
				// the pair, in Doc's whether it is rare.
				var solo, rare uint32
				if len(docs) <= opt.SoloDF {
					solo = soloBit
				}
				if len(docs) <= opt.RareDF {
					rare = rareBit
				}
				for i, a := range docs {
					if int(a) < lo || int(a) >= hi {
						continue
					}
					at := slot[int(a)-lo]
					for j, b := range docs[i+1:] {
						keys[at+j] = Posting{Hash: uint64(a)<<32 | uint64(b), Doc: pos[i] | rare, Pos: pos[i+1+j] | solo}
					}
					slot[int(a)-lo] = at + len(docs) - 1 - i
				}
			})
			return err
		})
		if err != nil {
			return Shuffle{}, err
		}
		out.Pairs = appendPairs(out.Pairs, keys, start, opt.Near, workers)
		lo = hi
	}
	return out, ctx.Err()
}

// Rare lists, per document, the positions of its rare fingerprints and
// their document frequencies: 8 bytes each.
type Rare struct {
	start []int    // document d's: at[start[d]:start[d+1]]
	at    []uint64 // position<<32 | document frequency, ascending
}

// Within reports whether document d has a rare fingerprint held by at
// most maxDF documents whose k-token shingle lies inside tokens [from, to).
func (r Rare) Within(d uint32, from, to int32, k, maxDF int) bool {
	if int(d)+1 >= len(r.start) {
		return false
	}
	at := r.at[r.start[d]:r.start[d+1]]
	i, _ := slices.BinarySearch(at, uint64(max(from, 0))<<32)
	for _, x := range at[i:] {
		if int64(x>>32)+int64(k) > int64(to) {
			break
		}
		if int(uint32(x)) <= maxDF {
			return true
		}
	}
	return false
}

// rareByDoc lays out the rare postings by document and position (ties,
// which real documents never have, by document frequency): one more pass
// over the pairable runs, each worker writing its postings of document d
// after those of the workers before it. Pass 1 only counted them: on 1 GB
// of generated news most pairable fingerprints are rare, and gathering
// them first held 12 bytes more of each in memory.
func rareByDoc(ctx context.Context, segs [][]Posting, parts []shuffleWork, rareDF int) (Rare, error) {
	docs := 0
	for _, x := range parts {
		docs = max(docs, len(x.rarePerDoc))
	}
	start, next := slots(len(parts), 0, docs, func(w, d int) int {
		if d < len(parts[w].rarePerDoc) {
			return parts[w].rarePerDoc[d]
		}
		return 0
	})
	out := Rare{start: start, at: make([]uint64, start[docs])}
	err := inParallel(len(segs), func(w int) error {
		slot := next[w]
		_, err := eachRun(ctx, segs[w], true, nil, func(run []Posting, docs, _ []uint32) {
			if df := len(docs); df <= rareDF {
				for _, p := range run {
					out.at[slot[p.Doc]] = uint64(p.Pos)<<32 | uint64(df)
					slot[p.Doc]++
				}
			}
		})
		return err
	})
	if err != nil {
		return Rare{}, err
	}
	var turn atomic.Int64
	parallel(len(segs), func(int) {
		for d := int(turn.Add(1)) - 1; d < docs; d = int(turn.Add(1)) - 1 {
			slices.Sort(out.at[out.start[d]:out.start[d+1]])
		}
	})
	for w := range parts {
		parts[w].rarePerDoc = nil
	}
	return out, nil
}

// shuffleWork is one worker's share of a pass of Candidates.
type shuffleWork struct {
	boiler     []Posting
	perDoc     []int // pair keys per first document
	rarePerDoc []int // rare postings per document
}

// segments cuts postings sorted by hash into at most n pieces of about
// equal size, never inside a run of one hash.
func segments(postings []Posting, n int) [][]Posting {
	var segs [][]Posting
	for lo := 0; lo < len(postings); {
		hi := max(lo+1, len(postings)*(len(segs)+1)/n)
		for hi < len(postings) && postings[hi].Hash == postings[hi-1].Hash {
			hi++
		}
		hi = min(hi, len(postings))
		segs = append(segs, postings[lo:hi])
		lo = hi
	}
	return segs
}

// inParallel runs fn(0) .. fn(n-1) in goroutines and returns the first
// error.
func inParallel(n int, fn func(i int) error) error {
	var g errgroup.Group
	for i := range n {
		g.Go(func() error { return fn(i) })
	}
	return g.Wait()
}

// slots lays out the items that workers hold of documents lo..hi-1 (count
// of worker w and document d), document after document, and within one
// document in worker order, so that every worker can write its items
// straight to their place whatever the timing. It returns where each
// document's items start (start[d-lo], and the end at start[hi-lo]) and
// where each worker's first item of a document goes (next[w][d-lo]).
func slots(workers, lo, hi int, count func(w, d int) int) (start []int, next [][]int) {
	start = make([]int, hi-lo+1)
	next = make([][]int, workers)
	for w := range next {
		next[w] = make([]int, hi-lo)
	}
	at := 0
	for d := lo; d < hi; d++ {
		start[d-lo] = at
		for w := range workers {
			next[w][d-lo] = at
			at += count(w, d)
		}
	}
	start[hi-lo] = at
	return start, next
}

// eachRun calls fn for every fingerprint held by two or more documents,
// with its postings (postings sorted by hash), its sorted documents, and
// each document's position of it (anyPos when it holds it more than once).
// Runs already sorted by document and position (byDoc) are not copied.
// When keep is not nil, the runs it keeps (by number of documents) are
// written back, sorted by document and position, to the front of
// postings, and eachRun returns how many postings that leaves there: the
// passes after the first skip the fingerprints of one document (most of
// them) and the boilerplate, and sort nothing (at 1 GB the passes took 10
// CPU-seconds, one pass per 16 M pair keys). It stops early with
// ctx.Err() when ctx is cancelled.
func eachRun(ctx context.Context, postings []Posting, byDoc bool, keep func(docs int) bool, fn func(run []Posting, docs, pos []uint32)) (int, error) {
	var (
		buf, sorted []Posting
		docs, pos   []uint32
		kept        int
	)
	for lo, runs := 0, 0; lo < len(postings); runs++ {
		if runs%(1<<16) == 0 && ctx.Err() != nil {
			return kept, ctx.Err()
		}
		hi := lo + 1
		for hi < len(postings) && postings[hi].Hash == postings[lo].Hash {
			hi++
		}
		run := postings[lo:hi]
		lo = hi
		if len(run) < 2 {
			continue
		}
		sorted = run
		if !byDoc {
			buf = append(buf[:0], run...)
			slices.SortFunc(buf, byDocPos)
			sorted = buf
		}
		docs, pos = docs[:0], pos[:0]
		for i, p := range sorted {
			if i > 0 && p.Doc == sorted[i-1].Doc {
				pos[len(pos)-1] = anyPos
				continue
			}
			docs = append(docs, p.Doc)
			pos = append(pos, min(p.Pos, anyPos))
		}
		if len(docs) < 2 {
			continue
		}
		fn(run, docs, pos)
		if keep != nil && keep(len(docs)) {
			kept += copy(postings[kept:], sorted) // kept <= the run's start
		}
	}
	return kept, nil
}

// anyPos stands for the position of a fingerprint a document holds more
// than once (or beyond 2³¹-1 tokens): near every other.
const anyPos = 1<<31 - 1

func byDocPos(x, y Posting) int {
	if x.Doc != y.Doc {
		return cmp.Compare(x.Doc, y.Doc)
	}
	return cmp.Compare(x.Pos, y.Pos)
}

// SortPostings sorts postings by hash, stably, with a radix sort using up
// to GOMAXPROCS goroutines: about 5x faster than a comparison sort on
// tens of millions of postings, and one scratch copy of them.
func SortPostings(ps []Posting) { sortPostings(ps, runtime.GOMAXPROCS(0)) }

// sortPostings scatters postings by their top 8 bits into a scratch copy
// (each worker a stripe, so the scatter is stable), then sorts each of the
// 256 buckets by the low 60 bits, 12 a pass (histograms that fit in L1),
// workers taking buckets in turn. Five passes end back in ps.
func sortPostings(ps []Posting, workers int) {
	if len(ps) < 256 {
		slices.SortStableFunc(ps, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
		return
	}
	workers = max(1, min(workers, len(ps)/sortPerWorker))
	tmp := make([]Posting, len(ps))
	stripes := make([][256]int, workers)
	stripe := func(w int) []Posting { return ps[len(ps)*w/workers : len(ps)*(w+1)/workers] }
	parallel(workers, func(w int) {
		for _, p := range stripe(w) {
			stripes[w][p.Hash>>56]++
		}
	})
	var bucket [257]int // bucket b is tmp[bucket[b]:bucket[b+1]]
	at := 0
	for b := range 256 {
		bucket[b] = at
		for w := range workers {
			c := stripes[w][b]
			stripes[w][b] = at // where stripe w's postings of bucket b go
			at += c
		}
	}
	bucket[256] = at
	parallel(workers, func(w int) {
		next := &stripes[w]
		for _, p := range stripe(w) {
			b := p.Hash >> 56
			tmp[next[b]] = p
			next[b]++
		}
	})
	var turn atomic.Int32
	parallel(workers, func(int) {
		var count [1 << 12]int32
		for b := int(turn.Add(1)) - 1; b < 256; b = int(turn.Add(1)) - 1 {
			lo, hi := bucket[b], bucket[b+1]
			src, dst := tmp[lo:hi], ps[lo:hi]
			if hi-lo < 256 {
				slices.SortStableFunc(src, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
				copy(dst, src)
				continue
			}
			radixPasses(src, dst, count[:], 60, 12) // five passes: the result is in dst
		}
	})
}

// sortInPlace sorts postings by hash, not stably, with one small scratch
// buffer per worker instead of a copy of them all: an in-place MSD pass on
// the top 8 bits (American flag sort), then the 256 buckets by the low 56
// bits, 14 a pass, workers taking buckets in turn. Four passes end back in
// ps. On 1 GB of text, postings take 0.9 GB: the scratch copy of a plain
// radix sort was the largest allocation of a scan.
func sortInPlace(ps []Posting, workers int) {
	if len(ps) < 256 {
		slices.SortFunc(ps, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
		return
	}
	workers = max(1, min(workers, len(ps)/sortPerWorker))
	stripes := make([][256]int, workers)
	parallel(workers, func(w int) {
		for _, p := range ps[len(ps)*w/workers : len(ps)*(w+1)/workers] {
			stripes[w][p.Hash>>56]++
		}
	})
	var bucket [257]int
	for b := range 256 {
		n := 0
		for w := range workers {
			n += stripes[w][b]
		}
		bucket[b+1] = bucket[b] + n
	}
	var next [256]int
	copy(next[:], bucket[:256])
	for b := range 256 {
		for next[b] < bucket[b+1] {
			v := ps[next[b]]
			for d := v.Hash >> 56; d != uint64(b); d = v.Hash >> 56 {
				ps[next[d]], v = v, ps[next[d]]
				next[d]++
			}
			ps[next[b]] = v
			next[b]++
		}
	}
	var turn atomic.Int32
	parallel(workers, func(int) {
		var (
			count   [1 << 14]int32
			scratch []Posting
		)
		for b := int(turn.Add(1)) - 1; b < 256; b = int(turn.Add(1)) - 1 {
			part := ps[bucket[b]:bucket[b+1]]
			if len(part) < 256 {
				slices.SortFunc(part, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
				continue
			}
			scratch = slices.Grow(scratch[:0], len(part))[:len(part)]
			radixPasses(part, scratch, count[:], 56, 14) // four passes: back in part
		}
	})
}

// radixPasses sorts src stably by the hash bits below top, width bits a
// pass (count has 1<<width entries), moving postings between src and dst
// each pass: the result is in src after an even number of passes, in dst
// after an odd one.
func radixPasses(src, dst []Posting, count []int32, top, width uint) {
	mask := uint64(1)<<width - 1
	for shift := uint(0); shift < top; shift += width {
		clear(count)
		for i := range src {
			count[src[i].Hash>>shift&mask]++
		}
		var sum int32
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for i := range src {
			k := src[i].Hash >> shift & mask
			dst[count[k]] = src[i]
			count[k]++
		}
		src, dst = dst, src
	}
}

// sortPerWorker is the least number of postings worth a sorting worker
// (a variable for tests).
var sortPerWorker = 1 << 16

// parallel runs fn(0) .. fn(n-1) in goroutines and waits for them.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { fn(i) })
	}
	wg.Wait()
}

// keysPerPass bounds the pair keys held at once (16 bytes each, and as
// much again while they are sorted): 512 MiB.
var keysPerPass = 1 << 24

// soloBit marks a pair key (in Pos) whose fingerprint alone makes the
// pair; rareBit one (in Doc) whose fingerprint is rare (RareDF).
const (
	soloBit = 1 << 31
	rareBit = 1 << 31
)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// appendPairs appends to dst the pairs the keys make (see Candidates).
// The keys of the i-th first document are keys[start[i]:start[i+1]];
// each document's are sorted here, documents shared out among workers.
func appendPairs(dst []Candidate, keys []Posting, start []int, near, workers int) []Candidate {
	docs := len(start) - 1
	const block = 256 // documents a turn
	found := make([][]Candidate, (docs+block-1)/block)
	var turn atomic.Int64
	parallel(workers, func(int) {
		for t := int(turn.Add(1)) - 1; t < len(found); t = int(turn.Add(1)) - 1 {
			for d := t * block; d < min(docs, (t+1)*block); d++ {
				found[t] = appendPairsOf(found[t], keys[start[d]:start[d+1]], near)
			}
		}
	})
	for _, f := range found {
		dst = append(dst, f...)
	}
	return dst
}

// appendPairsOf appends the pairs made by the keys of one first document.
func appendPairsOf(dst []Candidate, keys []Posting, near int) []Candidate {
	slices.SortFunc(keys, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		solo := keys[lo].Pos&soloBit != 0
		for hi < len(keys) && keys[hi].Hash == keys[lo].Hash {
			solo = solo || keys[hi].Pos&soloBit != 0
			hi++
		}
		rare := false
		for i := lo; i < hi; i++ {
			rare = rare || keys[i].Doc&rareBit != 0
			keys[i].Doc &^= rareBit
			keys[i].Pos &^= soloBit
		}
		if solo || hi-lo >= 2 && nearest(keys[lo:hi], near, 3) >= 3-boolInt(rare) {
			k := keys[lo].Hash
			dst = append(dst, Candidate{A: uint32(k >> 32), B: uint32(k), Shared: int32(hi - lo)})
		}
		lo = hi
	}
	return dst
}

// nearest returns the largest number of pair keys (positions in A in
// Doc, in B in Pos) lying within near tokens of one of them on both sides,
// itself included, counting up to want; near 0 means anywhere, and a key
// at anyPos is near every other. It reorders keys.
func nearest(keys []Posting, near, want int) int {
	n := len(keys)
	if near <= 0 || n <= 1 {
		return min(n, want)
	}
	for _, k := range keys {
		if k.Doc == anyPos || k.Pos == anyPos {
			return min(n, want)
		}
	}
	slices.SortFunc(keys, func(x, y Posting) int { return cmp.Compare(x.Doc, y.Doc) })
	isNear := func(x, y Posting) bool {
		d := int(y.Pos) - int(x.Pos)
		return d >= -near && d <= near
	}
	best := 1
	for i, x := range keys {
		c := 1
		for j := i - 1; j >= 0 && int(x.Doc-keys[j].Doc) <= near; j-- {
			if isNear(x, keys[j]) {
				c++
			}
		}
		for j := i + 1; j < n && int(keys[j].Doc-x.Doc) <= near; j++ {
			if isNear(x, keys[j]) {
				c++
			}
		}
		if best = max(best, c); best >= want {
			return want
		}
	}
	return best
}
