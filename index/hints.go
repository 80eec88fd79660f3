package index

import (
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/internal/work"
)

// textHinters and textsAhead are how many hints are in flight at once,
// and how far the hinting runs ahead of the reads: with files of at most
// corpus.PrefetchBytes asked for, at most 1 GiB of page cache ahead of
// use, and far less for a corpus of small files. Stage 1's smaller
// window (prefetchers) left half of the cold excerpts' wait
// (docs/benchmarks.md, "Session 9", has the windows measured).
const (
	textHinters = 64
	textsAhead  = 1024
)

// HintTexts asks the system to read the files of the texts of docs ahead
// of the Text calls that will read them, in that order, for readers that
// call Done on the result after each (work.Ahead): at most textsAhead
// documents ahead. Texts that are not files of their own (extracted,
// decompressed: kept in the index's spool) are not asked for. Call Stop
// when done.
//
// Why: the excerpts of a large result's clusters, and every pair's
// passage texts in JSON Lines, read hundreds of thousands of files again
// after stage 1, long after the page cache let them go, one at a time per
// worker at the disk's latency; as in stage 1 (corpus.Prefetch), many
// hints at once keep many reads in flight (docs/benchmarks.md, "Session
// 9").
func (x *Index) HintTexts(docs []uint32) *work.Ahead {
	return x.hintTexts(docs, textsAhead, textHinters, func(path string) {
		corpus.Prefetch(corpus.Source{Path: path})
	})
}

// hintTexts is HintTexts with its window, its goroutines and the hint
// itself given.
func (x *Index) hintTexts(docs []uint32, ahead, hinters int, hint func(path string)) *work.Ahead {
	return work.NewAhead(len(docs), ahead, hinters, func(i int) {
		if r := &x.docs[docs[i]]; r.plain {
			hint(x.path(r))
		}
	})
}
