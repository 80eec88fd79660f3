package index

import (
	"sync"

	"github.com/reuse-tool/reuse/corpus"
)

// TextHints asks the system to read the files of documents' texts ahead
// of the Text calls that will read them (HintTexts). It is safe for
// concurrent use.
//
// Why: the excerpts of a large result's clusters read hundreds of
// thousands of files again after stage 1, long after the page cache let
// them go, one at a time per worker and at the disk's latency; as stage
// 1 does (corpus.Prefetch), hints from many goroutines keep many reads
// in flight (docs/benchmarks.md, "Session 9").
type TextHints struct {
	mu      sync.Mutex
	more    sync.Cond // read or stopped changed
	read    int       // Text calls told of (Read)
	stopped bool
	done    sync.WaitGroup
}

// textHinters and textsAhead are how many hints are in flight at once,
// and how far the hinting runs ahead of the reads: with files of at most
// corpus.PrefetchBytes asked for, at most 1 GiB of page cache ahead of
// use, and far less for a corpus of small files. Measured on 1 GB of
// generated news evicted from the page cache after stage 1 (the
// clustering phase: 5.5 s warm, 11.4–11.9 s cold without hints): 16 and
// 64 as in stage 1, 8.6–9.3 s; 32 and 256, 7.4–8.3 s; 64 and 1024,
// 7.2 s (docs/benchmarks.md, "Session 9").
const (
	textHinters = 64
	textsAhead  = 1024
)

// HintTexts starts asking for the files of the texts of docs, in that
// order, for readers that will call Text on them in about that order and
// Read after each: at most textsAhead documents ahead of the reads.
// Texts that are not files of their own (extracted, decompressed: kept in
// the index's spool) are not asked for. Call Stop when done.
func (x *Index) HintTexts(docs []uint32) *TextHints {
	return x.hintTexts(docs, textsAhead, textHinters, func(path string) {
		corpus.Prefetch(corpus.Source{Path: path})
	})
}

// hintTexts is HintTexts with its window, its goroutines and the hint
// itself given.
func (x *Index) hintTexts(docs []uint32, ahead, hinters int, hint func(path string)) *TextHints {
	h := &TextHints{}
	h.more.L = &h.mu
	paths := make(chan string)
	h.done.Go(func() {
		defer close(paths)
		for i, d := range docs {
			h.mu.Lock()
			for i >= h.read+ahead && !h.stopped {
				h.more.Wait()
			}
			stopped := h.stopped
			h.mu.Unlock()
			if stopped {
				return
			}
			if r := &x.docs[d]; r.plain {
				paths <- x.path(r)
			}
		}
	})
	for range hinters {
		h.done.Go(func() {
			for p := range paths {
				hint(p)
			}
		})
	}
	return h
}

// Read tells h that one more of its documents' texts was read (or will
// not be): the hints may run one further.
func (h *TextHints) Read() {
	h.mu.Lock()
	h.read++
	h.mu.Unlock()
	h.more.Signal()
}

// Stop ends the hints and waits for those in flight.
func (h *TextHints) Stop() {
	h.mu.Lock()
	h.stopped = true
	h.mu.Unlock()
	h.more.Broadcast()
	h.done.Wait()
}
