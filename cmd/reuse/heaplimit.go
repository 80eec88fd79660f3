package main

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// holdHeap holds the process to the memory budget: it sets the Go heap's
// soft limit to the budget less the pages of files the process has
// mapped and keeps resident, and the large arrays it has mapped outside
// the heap (mapped: the spools read in place, the aligners' diagonals,
// which count in its memory beside the heap; nil or 0 where unknown), and
// moves the limit as they come and go, and while the live heap comes
// near it (heapLimit). The budget bounds the shuffle, but the documents'
// records and the last step (families, groups) grow with the corpus; a
// limit below the live heap makes the collector run without pause, for
// up to half the CPU time (docs/benchmarks.md, "Memory"). release stops
// the watch and restores the limit held before, so that a command run
// in-process leaves none.
func holdHeap(budget int64, mapped func() int64) (release func()) {
	resident := func() int64 {
		if mapped == nil {
			return 0
		}
		return mapped()
	}
	limit := heapLimit(budget, resident(), 0)
	prev := debug.SetMemoryLimit(limit)
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			if next := heapLimit(budget, resident(), int64(sample[0].Value.Uint64())); next != limit {
				limit = next
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			debug.SetMemoryLimit(prev)
		})
	}
}

// heapLimit is the heap limit for a live heap of the given size beside
// mapped bytes of mapped files' resident pages: the budget less those,
// but never under half the budget, or an eighth more than the live heap
// (as GOGC=12 would allow) once that outgrows it. A third more, as
// before, was a fifth of the 10 GB scan's peak, for little less
// collection: what the heap holds by then is mostly arrays without
// pointers, which the collector does not scan (docs/benchmarks.md, "The
// boilerplate off the 10 GB peak"). It falls back as the live heap
// shrinks: a limit raised while two workers aligned the largest files of
// the Linux tree kept the collector lax for the rest of the scan, whose
// peak RSS came after (docs/benchmarks.md, "Memory"). The mapped pages
// had counted twice, once in the limit and once beside it: the Linux
// tree peaked at 1.2 GB at a budget of 1 GiB (docs/benchmarks.md, "The
// heap leaves room for the mapped pages").
func heapLimit(budget, mapped, live int64) int64 {
	return max(budget-min(mapped, budget/2), live+live/8)
}
