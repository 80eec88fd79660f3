package spool

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
)

// TestPostingsRoundTrip: postings load back by partition range, in their
// partitions, with documents renumbered.
func TestPostingsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const n, docs = 20000, 40
	all := make([]postings.Posting, n)
	for i := range all {
		all[i] = postings.Posting{Hash: r.Uint64(), Doc: uint32(r.IntN(docs)), Pos: uint32(i)}
	}
	docOf := make([]uint32, docs)
	for i := range docOf {
		docOf[i] = uint32(docs - 1 - i)
	}
	for _, memory := range []int64{0, 1 << 30} {
		s := NewPostings(memory)
		w := s.NewWriter()
		for _, p := range all {
			if err := AddPosting(w, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		var got, buf []postings.Posting
		for _, cut := range [][2]int{{0, 3}, {3, 200}, {200, PostingPartitions}} {
			var err error
			if buf, err = LoadPostings(context.Background(), s, buf, cut[0], cut[1], docOf, 2); err != nil {
				t.Fatal(err)
			}
			for _, p := range buf {
				if part := int(p.Hash >> 56); part < cut[0] || part >= cut[1] {
					t.Fatalf("partitions %v gave a posting of partition %d", cut, part)
				}
			}
			got = append(got, buf...)
		}
		s.Close()
		want := slices.Clone(all)
		for i := range want {
			want[i].Doc = docOf[want[i].Doc]
		}
		byPos := func(x, y postings.Posting) int { return int(x.Pos) - int(y.Pos) }
		slices.SortFunc(got, byPos)
		if !slices.Equal(got, want) {
			t.Fatalf("memory %d: postings loaded differ from those written", memory)
		}
	}
}
