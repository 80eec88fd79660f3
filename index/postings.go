package index

import (
	"context"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
)

// EachPostingLoad hands fn the documents' postings (fingerprint hash,
// document number, token position), a load at a time: a range of hash
// partitions holding at most maxBytes of postings (or a single
// partition), loaded by workers goroutines. Every posting of a hash
// comes in the same load, and loads come in increasing order of
// partition; within a load postings are in no particular order, and no
// load is empty. fn may reorder the load, which it must not keep.
//
// The postings are consumed: each load is dropped from its spool once fn
// returns, so EachPostingLoad is called once.
func (x *Index) EachPostingLoad(ctx context.Context, maxBytes int64, workers int, fn func(ps []postings.Posting) error) error {
	return x.eachLoad(ctx, x.postings, maxBytes, workers, true, fn)
}

// PeekPostingLoads is EachPostingLoad without consuming the postings: a
// first pass over them (candidate.Shuffle.Sketch) before the pass that
// consumes them. It reads them from disk again where they spilled.
func (x *Index) PeekPostingLoads(ctx context.Context, maxBytes int64, workers int, fn func(ps []postings.Posting) error) error {
	return x.eachLoad(ctx, x.postings, maxBytes, workers, false, fn)
}

// PostingLoads returns the number of loads EachPostingLoad and
// PeekPostingLoads make of the postings for maxBytes, and the number of
// postings.
func (x *Index) PostingLoads(maxBytes int64) (loads int, n int64) {
	return countLoads(x.postings, maxBytes)
}

// countLoads returns the number of loads eachLoad makes of recs for
// maxBytes, and the number of postings they hold.
func countLoads(recs *spool.Records, maxBytes int64) (loads int, n int64) {
	for from := 0; from < spool.PostingPartitions; {
		to := loadEnd(recs, from, maxBytes)
		if recs.Count(from, to) > 0 {
			loads++
		}
		from = to
	}
	return loads, recs.Count(0, spool.PostingPartitions)
}

// EachKeyLoad is EachPostingLoad of the documents' reworded keys
// (reword.Keyer: key hash, document number, token position), for a
// shuffle of their own. It needs Options.Reword (ErrNoReword otherwise)
// and consumes the keys: it is called once.
func (x *Index) EachKeyLoad(ctx context.Context, maxBytes int64, workers int, fn func(ps []postings.Posting) error) error {
	if x.keys == nil {
		return ErrNoReword
	}
	return x.eachLoad(ctx, x.keys, maxBytes, workers, true, fn)
}

// PeekKeyLoads is PeekPostingLoads of the reworded keys: EachKeyLoad
// without consuming them.
func (x *Index) PeekKeyLoads(ctx context.Context, maxBytes int64, workers int, fn func(ps []postings.Posting) error) error {
	if x.keys == nil {
		return ErrNoReword
	}
	return x.eachLoad(ctx, x.keys, maxBytes, workers, false, fn)
}

// KeyLoads is PostingLoads of the reworded keys: 0 loads without them.
func (x *Index) KeyLoads(maxBytes int64) (loads int, n int64) {
	if x.keys == nil {
		return 0, 0
	}
	return countLoads(x.keys, maxBytes)
}

// Buckets returns the LSH buckets of the documents: the groups of two or
// more documents whose signatures agree on a band (cluster.BucketsOf),
// sorted (cluster.SortBuckets). The band keys are loaded as
// EachPostingLoad loads postings, and consumed: Buckets is called once.
func (x *Index) Buckets(ctx context.Context, maxBytes int64, workers int) ([][]uint32, error) {
	var out [][]uint32
	err := x.eachLoad(ctx, x.bands, maxBytes, workers, true, func(ps []postings.Posting) error {
		postings.Sort(ps, workers)
		out = cluster.BucketsOf(out, ps)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return cluster.SortBuckets(out), nil
}

// loadEnd returns the end of the load of recs that starts at partition
// from: as many partitions as hold at most maxBytes of postings, at least
// one that holds some (empty partitions before it join it: a load is
// empty only when every partition from on is).
func loadEnd(recs *spool.Records, from int, maxBytes int64) int {
	limit := max(maxBytes/int64(postings.MemSize), 1)
	to := from + 1
	for to < spool.PostingPartitions && recs.Count(from, to) == 0 {
		to++
	}
	for to < spool.PostingPartitions && recs.Count(from, to+1) <= limit {
		to++
	}
	return to
}

// eachLoad is EachPostingLoad of the spool recs, consuming its postings
// when drop is set.
func (x *Index) eachLoad(ctx context.Context, recs *spool.Records, maxBytes int64, workers int, drop bool, fn func(ps []postings.Posting) error) error {
	var buf []postings.Posting
	for from := 0; from < spool.PostingPartitions; {
		to := loadEnd(recs, from, maxBytes)
		if recs.Count(from, to) == 0 { // the empty partitions at the end
			if drop {
				recs.Drop(from, to)
			}
			from = to
			continue
		}
		var err error
		if buf, err = spool.LoadPostings(ctx, recs, buf[:0], from, to, x.docOf, workers); err != nil {
			return err
		}
		if err := fn(buf); err != nil {
			return err
		}
		if drop {
			recs.Drop(from, to)
		}
		from = to
	}
	return nil
}
