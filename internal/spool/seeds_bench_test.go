package spool

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/shingle"
)

// BenchmarkSeedsReadCold reads records of 500 tokens (about 3 KB, a news
// article's) from a seed spool dropped from the page cache (Linux;
// elsewhere it stays cached), in random order with ReadCopy on two
// workers, as stage 3 reads second documents of pairs from a spool larger
// than the page cache, with WillNeed hints ahead of the reads off and at
// several windows (work.Ahead, 8 goroutines).
func BenchmarkSeedsReadCold(b *testing.B) {
	const (
		words = 500
		docs  = 1 << 16 // about 200 MB
		reads = 1 << 13
	)
	s := NewSeeds()
	defer s.Close()
	toks := make([]shingle.Token, words)
	seeds := make([]uint32, SeedCount(words, 3))
	for i := range toks {
		toks[i] = shingle.Token{Start: uint32(6 * i), End: uint32(6*i + 5)}
	}
	recs := make([]Record, docs)
	var buf []byte
	for d := range recs {
		for i := range seeds {
			seeds[i] = uint32(d*words + i)
		}
		var err error
		if recs[d], buf, err = s.Put(toks, seeds, nil, buf); err != nil {
			b.Fatal(err)
		}
	}
	s.Seal()
	f := s.f.current()
	if f == nil {
		b.Fatal("no spool file")
	}
	order := rand.New(rand.NewPCG(1, 2)).Perm(docs)[:reads]
	for _, ahead := range []int{0, 64, 512} {
		b.Run(fmt.Sprintf("ahead=%d", ahead), func(b *testing.B) {
			b.SetBytes(reads * recs[0].Bytes)
			for b.Loop() {
				b.StopTimer()
				dontNeed(f, 0, s.Size())
				b.StartTimer()
				var hints *work.Ahead
				if ahead > 0 {
					hints = work.NewAhead(reads, ahead, 8, func(i int) { s.WillNeed(recs[order[i]], 0) })
				}
				var bufs [2][]byte
				var mu sync.Mutex
				err := work.Each(b.Context(), reads, 2, func(w, i int) error {
					if hints != nil {
						hints.Done()
					}
					var err error
					_, bufs[w], err = s.ReadCopy(recs[order[i]], len(seeds), words, bufs[w])
					if err != nil {
						mu.Lock()
						defer mu.Unlock()
						b.Error(err)
					}
					return err
				})
				if hints != nil {
					hints.Stop()
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
