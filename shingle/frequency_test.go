package shingle

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// exactCounts counts, for every hash, the documents holding it.
func exactCounts(docs [][]uint64) map[uint64]int {
	out := map[uint64]int{}
	for _, d := range docs {
		seen := map[uint64]bool{}
		for _, h := range d {
			if !seen[h] {
				seen[h] = true
				out[h]++
			}
		}
	}
	return out
}

// randomDocs draws n documents of up to 50 hashes each from a pool of
// size pool (so that hashes recur within and across documents), spread
// over all 64 bits.
func randomDocs(r *rand.Rand, n, pool int) [][]uint64 {
	hs := make([]uint64, pool)
	for i := range hs {
		hs[i] = r.Uint64()
	}
	docs := make([][]uint64, n)
	for i := range docs {
		for range r.IntN(51) {
			docs[i] = append(docs[i], hs[r.IntN(pool)])
		}
	}
	return docs
}

// TestFrequenciesCount checks the table against exact counting: never
// below it, equal for a hash alone in its slot, saturated at 255, and
// each document counted once however often it holds a hash.
func TestFrequenciesCount(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for _, tc := range []struct{ docs, pool, slots int }{
		{0, 1, 0}, {1, 1, 1}, {10, 5, 4096}, {300, 40, 4096}, {600, 3000, 4096}, {2000, 20000, 1 << 16},
	} {
		docs := randomDocs(r, tc.docs, tc.pool)
		f := NewFrequencies(tc.slots)
		var scratch []uint64
		for _, d := range docs {
			scratch = f.AddDocument(d, scratch)
		}
		exact := exactCounts(docs)
		bySlot := map[uint64]int{}
		for h := range exact {
			bySlot[h>>f.shift]++
		}
		// Each slot counts the documents holding any hash of it, once
		// each: the table against a brute force over the slots.
		slotDocs := map[uint64]int{}
		for _, d := range docs {
			seen := map[uint64]bool{}
			for _, h := range d {
				if s := h >> f.shift; !seen[s] {
					seen[s] = true
					slotDocs[s]++
				}
			}
		}
		for s, c := range f.counts {
			if want := min(slotDocs[uint64(s)], 255); int(c) != want {
				t.Fatalf("%+v: slot %d counts %d documents, want %d", tc, s, c, want)
			}
		}
		for h, want := range exact {
			got := f.Count(h)
			if got < min(want, 255) {
				t.Fatalf("%+v: Count(%x) = %d, below the %d documents holding it", tc, h, got, want)
			}
			if bySlot[h>>f.shift] == 1 && got != min(want, 255) {
				t.Fatalf("%+v: Count(%x) = %d, want %d (alone in its slot)", tc, h, got, want)
			}
		}
	}
	// Saturation: 300 documents holding one hash.
	f := NewFrequencies(0)
	for range 300 {
		f.AddDocument([]uint64{42, 42}, nil)
	}
	if got := f.Count(42); got != 255 {
		t.Errorf("Count after 300 documents = %d, want 255", got)
	}
}

// TestFrequenciesMerge checks that tables counted over two halves of the
// documents and merged equal one table counted over all of them.
func TestFrequenciesMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	docs := randomDocs(r, 500, 2000)
	all, a, b := NewFrequencies(1<<13), NewFrequencies(1<<13), NewFrequencies(1<<13)
	for i, d := range docs {
		all.AddDocument(d, nil)
		if i%2 == 0 {
			a.AddDocument(d, nil)
		} else {
			b.AddDocument(d, nil)
		}
	}
	a.Merge(b)
	if !slices.Equal(a.counts, all.counts) {
		t.Error("merged halves differ from the table of all documents")
	}
	defer func() {
		if recover() == nil {
			t.Error("Merge of tables of different sizes did not panic")
		}
	}()
	a.Merge(NewFrequencies(1 << 14))
}

func TestNewFrequenciesSlots(t *testing.T) {
	for _, tc := range []struct{ in, want int }{
		{-1, 4096}, {0, 4096}, {4096, 4096}, {4097, 8192}, {1 << 20, 1 << 20}, {3 << 20, 4 << 20},
	} {
		if got := NewFrequencies(tc.in).Slots(); got != tc.want {
			t.Errorf("NewFrequencies(%d).Slots() = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestRanks checks the levels: the number of limits a count exceeds, on
// top of the hash's top 62 bits.
func TestRanks(t *testing.T) {
	f := NewFrequencies(0)
	h := uint64(0xdeadbeefcafef00d)
	limits := []int{1, 3, 5}
	for docs, level := range []uint64{0, 0, 1, 1, 2, 2, 3, 3} {
		if docs > 0 {
			f.AddDocument([]uint64{h}, nil)
		}
		got := f.Ranks(nil, []uint64{h}, limits)[0]
		if want := level<<62 | h>>2; got != want {
			t.Errorf("held by %d documents: rank %x, want %x (level %d)", docs, got, want, level)
		}
	}
	if got := f.Ranks(nil, []uint64{h}, nil)[0]; got != h>>2 {
		t.Errorf("no limits: rank %x, want %x", got, h>>2)
	}
}

// TestWinnowRanked checks WinnowRanked against bruteWinnow on the ranks,
// the fingerprints keeping their hashes.
func TestWinnowRanked(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 36))
	for n := range 40 {
		hashes, ranks := make([]uint64, n), make([]uint64, n)
		for i := range hashes {
			hashes[i], ranks[i] = r.Uint64(), uint64(r.IntN(6))
		}
		for w := 1; w <= 8; w++ {
			got, _ := WinnowRanked(nil, nil, hashes, ranks, w)
			want := bruteWinnow(ranks, w)
			for i := range want {
				want[i].Hash = hashes[want[i].Pos]
			}
			if !slices.Equal(got, want) {
				t.Fatalf("WinnowRanked(%v, %v, %d) = %v, want %v", hashes, ranks, w, got, want)
			}
		}
	}
}

// TestWeightedGuarantee checks the winnowing guarantee under weights, end
// to end through Analyze: two texts sharing a run of w+k-1 words, ranked
// by one table counted over them and other documents (so that levels
// vary inside the run), share a fingerprint inside it.
func TestWeightedGuarantee(t *testing.T) {
	r := rand.New(rand.NewPCG(37, 38))
	vocab := strings.Fields("the harbour board said that it would close a port on monday and its ships were sold to new owners last year")
	words := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = vocab[r.IntN(len(vocab))]
		}
		return out
	}
	for _, k := range []int{3, 5} {
		for _, w := range []int{2, 5} {
			for trial := range 20 {
				run := words(w + k - 1)
				preA, preB := r.IntN(30), r.IntN(30)
				a := strings.Join(slices.Concat(words(preA), run, words(r.IntN(30))), " ")
				b := strings.Join(slices.Concat(words(preB), run, words(r.IntN(30))), " ")
				plain := NewAnalyzer(AnalyzerOptions{Shingle: k, Window: w})
				table := NewFrequencies(0)
				for _, text := range []string{a, b, a[:len(a)/2], b[len(b)/3:], strings.Join(words(200), " ")} {
					table.AddDocument(plain.ShingleHashes(nil, []byte(text), 0), nil)
				}
				z := NewAnalyzer(AnalyzerOptions{Shingle: k, Window: w, Weights: &Weights{Table: table, Limits: []int{1, 2, 3}}})
				fa := slices.Clone(z.Analyze([]byte(a), 0).Fingerprints)
				fb := slices.Clone(z.Analyze([]byte(b), 0).Fingerprints)
				found := false
				for _, x := range fa {
					for _, y := range fb {
						at := int(x.Pos) - preA
						if x.Hash == y.Hash && at == int(y.Pos)-preB && at >= 0 && at < w {
							found = true
						}
					}
				}
				if !found {
					t.Errorf("k=%d w=%d trial %d: texts sharing %d words share no fingerprint in them\nA: %s\nB: %s", k, w, trial, len(run), a, b)
				}
			}
		}
	}
}

// ExampleFrequencies ranks two documents' shingles by a table counted
// over a small corpus: the window's least common shingle is kept, not
// its smallest hash.
func ExampleFrequencies() {
	corpus := []string{
		"the spokesman of the harbour board said that the port will close",
		"the spokesman of the harbour board said that ships were sold",
		"the spokesman of the harbour board said that it rained",
	}
	plain := NewAnalyzer(AnalyzerOptions{Shingle: 3, Window: 4})
	table := NewFrequencies(0)
	for _, text := range corpus {
		table.AddDocument(plain.ShingleHashes(nil, []byte(text), 0), nil)
	}
	z := NewAnalyzer(AnalyzerOptions{Shingle: 3, Window: 4, Weights: &Weights{Table: table, Limits: []int{1}}})
	text := []byte(corpus[0])
	a := z.Analyze(text, 0)
	for _, fp := range a.Fingerprints {
		from, to := a.Tokens[fp.Pos].Start, a.Tokens[fp.Pos+2].End
		fmt.Printf("%q held by %d\n", text[from:to], table.Count(fp.Hash))
	}
	// Output:
	// "the harbour board" held by 3
	// "said that the" held by 1
	// "that the port" held by 1
	// "the port will" held by 1
	// "port will close" held by 1
}
