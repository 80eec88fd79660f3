package reuse

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// TestSeedStoreRoundTrip: records written by concurrent workers read back
// as the seeds (low 32 bits) and the byte offsets of the tokens put.
func TestSeedStoreRoundTrip(t *testing.T) {
	var st seedStore
	defer st.close()
	const docs, k = 200, 3
	toks := make([][]shingle.Token, docs)
	recs := make([]seedRecord, docs)
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
				if recs[d], buf, err = st.put(toks[d], seeds, buf); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for d := range toks {
		rec, err := st.read(recs[d], nil)
		if err != nil {
			t.Fatal(err)
		}
		count := seedCount(len(toks[d]), k)
		seeds, err := decodeSeeds(nil, rec, count)
		if err != nil {
			t.Fatal(err)
		}
		want := shingle.Shingles(nil, toks[d], k)
		for i := range want {
			want[i] = uint64(uint32(want[i]))
		}
		if !slices.Equal(seeds, want) {
			t.Errorf("doc %d: seeds %v, want %v", d, seeds, want)
		}
		offs, err := decodeOffsets(nil, rec, count, len(toks[d]))
		if err != nil {
			t.Fatal(err)
		}
		if len(offs) != len(toks[d]) {
			t.Fatalf("doc %d: %d offsets, want %d", d, len(offs), len(toks[d]))
		}
		for i, o := range offs {
			if w := toks[d][i]; o.Start != w.Start || o.End != w.End {
				t.Fatalf("doc %d token %d: offsets %d-%d, want %d-%d", d, i, o.Start, o.End, w.Start, w.End)
			}
		}
	}
}

// FuzzDecodeOffsets: a damaged record is an error, never a panic.
func FuzzDecodeOffsets(f *testing.F) {
	var st seedStore
	defer st.close()
	toks := []shingle.Token{{Start: 3, End: 7}, {Start: 8, End: 300}, {Start: 301, End: 302}}
	_, rec, _ := st.put(toks, shingle.Shingles(nil, toks, 2), nil)
	f.Add(rec, 2, 3)
	f.Add([]byte{0xff, 0xff, 0xff}, 0, 2)
	f.Fuzz(func(t *testing.T, rec []byte, count, n int) {
		if count < 0 || n < 0 || count > 1<<16 || n > 1<<16 {
			return
		}
		decodeSeeds(nil, rec, count)
		decodeOffsets(nil, rec, count, n)
	})
}
