package assemble

import (
	"context"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// findGroups finds near-duplicate documents: pairs whose passages cover
// at least Threshold of both sides (the Store's edges), and documents
// whose MinHash signatures collide under LSH (copies whose pairs were
// never formed because all their text is boilerplate), verified by
// aligning each with the first document of its bucket.
func findGroups(ctx context.Context, x *index.Index, ps *pairs.Store, opt *Options) ([]result.Group, error) {
	edges := ps.Edges()
	// A quarter of a load's share: the groups are found beside the
	// families, the last step's peak, and smaller loads read each band
	// key once all the same (at 10 GB of news 157 MB of them held at the
	// peak, docs/benchmarks.md, "The families' members through a file").
	buckets, err := x.Buckets(ctx, opt.LoadBytes/4, opt.Workers)
	if err != nil {
		return nil, err
	}
	var todo [][2]uint32
	checked := make(map[[2]uint32]bool)
	var sigA, sigB []uint64
	for _, bucket := range buckets {
		rep := bucket[0]
		if sigA, err = x.Signature(sigA, rep); err != nil {
			return nil, err
		}
		for _, m := range bucket[1:] {
			key := [2]uint32{rep, m}
			if ps.Paired(rep, m) || checked[key] {
				continue
			}
			if sigB, err = x.Signature(sigB, m); err != nil {
				return nil, err
			}
			if !SimilarEnough(sigA, sigB, opt.Params.Threshold) {
				continue
			}
			checked[key] = true
			todo = append(todo, key)
		}
	}
	found := make([]cluster.Edge, len(todo))
	near := make([]bool, len(todo))
	aligners := make([]*pairs.Aligner, opt.Workers)
	aDocs := make([]int64, opt.Workers)
	for w := range aligners {
		aligners[w] = pairs.NewAligner(x, opt.Params.MinWords)
		aDocs[w] = -1
	}
	err = work.Each(ctx, len(todo), opt.Workers, func(w, i int) error {
		al, pr := aligners[w], todo[i]
		if aDocs[w] != int64(pr[0]) {
			if err := al.SetA(pr[0]); err != nil {
				return err
			}
			aDocs[w] = int64(pr[0])
		}
		spans, err := al.Align(ctx, pr[1], nil)
		if err != nil {
			return err
		}
		p := pairs.Pair{Spans: spans}
		var pct float64
		pct, near[i] = p.NearDuplicate(x.Words(pr[0]), x.Words(pr[1]), opt.Params.Threshold)
		found[i] = cluster.Edge{A: pr[0], B: pr[1], Pct: pct}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, e := range found {
		if near[i] {
			edges = append(edges, e)
		}
	}

	var out []result.Group
	for i, grp := range cluster.Groups(edges) {
		ids := make([]string, len(grp.Docs))
		for j, d := range grp.Docs {
			ids[j] = x.ID(d)
		}
		out = append(out, result.Group{ID: i + 1, Documents: ids, MinPct: result.Round(grp.MinPct, 1)})
	}
	return out, nil
}

// SimilarEnough reports whether two documents whose MinHash signatures
// collide under LSH (a bucket of index.Index.Buckets) are worth aligning
// to check that they are near-duplicates at threshold: their estimated
// Jaccard similarity is at least half of what near-duplicates have
// (cluster.OverlapJaccard), which leaves room for the estimate's error.
func SimilarEnough(sigA, sigB []uint64, threshold float64) bool {
	return shingle.Similarity(sigA, sigB) >= cluster.OverlapJaccard(threshold)/2
}
