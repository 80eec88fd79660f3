package pairs

import (
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
	ev := &align.Evidence{MinWords: minWords, Shingle: shingle, Rare: rare}
	widen := int32(window-1) / 2
	ev.GrowBoilerplate(len(runs))
	for _, o := range runs {
		ev.AddBoilerplate(o.Doc, align.Range{Start: o.Start, End: o.End}, widen)
	}
	return ev
}
