package spool

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// TestSeedsRoundTrip: records written by concurrent workers read back
// as the seeds (low 32 bits) and the byte offsets of the tokens put.
func TestSeedsRoundTrip(t *testing.T) {
	st := NewSeeds()
	defer st.Close()
	const docs, k = 200, 3
	toks := make([][]shingle.Token, docs)
	recs := make([]Record, docs)
	r := rand.New(rand.NewPCG(3, 4))
	for d := range toks {
		n := []int{0, 1, 2, 3, 50, 1000}[r.IntN(6)]
		end := uint32(r.IntN(1 << 20)) // a header before the first token
		for range n {
			start := end + uint32(r.IntN(300))
			end = start + 1 + uint32(r.IntN(40))
			toks[d] = append(toks[d], shingle.Token{Start: start, End: end, Hash: r.Uint64()})
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			var buf []byte
			var err error
			for d := w; d < docs; d += 4 {
				seeds := shingle.Shingles(nil, toks[d], k)
				if recs[d], buf, err = st.Put(toks[d], seeds, buf); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	check := func(mode string) {
		t.Helper()
		for d := range toks {
			checkRecord(t, fmt.Sprintf("%s, doc %d", mode, d), st, recs[d], toks[d], k)
		}
	}
	check("pread")
	st.Seal()
	if !st.Mapped() && runtime.GOOS == "linux" {
		t.Error("seal did not map the store")
	}
	check("mapped")
}

// checkRecord reads record r back and compares it with toks.
func checkRecord(t *testing.T, name string, st *Seeds, r Record, toks []shingle.Token, k int) {
	t.Helper()
	rec, err := st.Read(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	count := SeedCount(len(toks), k)
	seeds, err := DecodeSeeds(nil, rec, count)
	if err != nil {
		t.Fatal(err)
	}
	want := shingle.Shingles(nil, toks, k)
	for i := range want {
		want[i] = uint64(uint32(want[i]))
	}
	if !slices.Equal(seeds, want) {
		t.Errorf("%s: seeds %v, want %v", name, seeds, want)
	}
	offs, err := DecodeOffsets(nil, rec, count, len(toks))
	if err != nil {
		t.Fatal(err)
	}
	if len(offs) != len(toks) {
		t.Fatalf("%s: %d offsets, want %d", name, len(offs), len(toks))
	}
	for i, o := range offs {
		if w := toks[i]; o.Start != w.Start || o.End != w.End {
			t.Fatalf("%s token %d: offsets %d-%d, want %d-%d", name, i, o.Start, o.End, w.Start, w.End)
		}
	}
}

// FuzzDecodeOffsets: a damaged record is an error, never a panic.
func FuzzDecodeOffsets(f *testing.F) {
	st := NewSeeds()
	defer st.Close()
	toks := []shingle.Token{{Start: 3, End: 7}, {Start: 8, End: 300}, {Start: 301, End: 302}}
	_, rec, _ := st.Put(toks, shingle.Shingles(nil, toks, 2), nil)
	f.Add(rec, 2, 3)
	f.Add([]byte{0xff, 0xff, 0xff}, 0, 2)
	f.Fuzz(func(t *testing.T, rec []byte, count, n int) {
		if count < 0 || n < 0 || count > 1<<16 || n > 1<<16 {
			return
		}
		DecodeSeeds(nil, rec, count)
		DecodeOffsets(nil, rec, count, n)
	})
}
