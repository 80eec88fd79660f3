package pairs

import (
	"context"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
)

// Evidence returns the filter of passages of a scan whose fingerprints
// are shingles of shingle tokens winnowed in windows of window, knowing
// its boilerplate runs (cluster.Boilerplate) and its rare
// fingerprints (candidate.Shuffle.Rare). The boilerplate's token ranges
// are widened by half the uncertainty of their edges (window-1 tokens),
// which keeps documents sharing one word next to a footer apart
// (docs/benchmarks.md measures the widening).
func Evidence(runs []cluster.Occurrence, rare candidate.Rare, minWords, shingle, window int) *align.Evidence {
	ev, add := newEvidence(len(runs), rare, minWords, shingle, window)
	for _, o := range runs {
		add(o)
	}
	return ev
}

// EvidenceOf is Evidence of the runs a scan put aside
// (cluster.BoilerplateAside), read back from their file; or ctx's error,
// or the file's.
func EvidenceOf(ctx context.Context, runs *cluster.Runs, rare candidate.Rare, minWords, shingle, window int) (*align.Evidence, error) {
	ev, add := newEvidence(runs.Len(), rare, minWords, shingle, window)
	if err := runs.Each(ctx, add); err != nil {
		return nil, err
	}
	return ev, nil
}

// newEvidence returns an Evidence with room for n runs, and the function
// that adds one.
func newEvidence(n int, rare candidate.Rare, minWords, shingle, window int) (*align.Evidence, func(cluster.Occurrence)) {
	ev := &align.Evidence{MinWords: minWords, Shingle: shingle, Rare: rare}
	widen := int32(window-1) / 2
	ev.GrowBoilerplate(n)
	return ev, func(o cluster.Occurrence) {
		ev.AddBoilerplate(o.Doc, align.Range{Start: o.Start, End: o.End}, widen)
	}
}
