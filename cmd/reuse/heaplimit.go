package main

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// holdHeap sets the Go heap's soft limit to the memory budget, and raises
// it while the live heap comes near it (heapLimit). The budget bounds
// the shuffle, but the documents' records and the last step (families,
// groups) grow with the corpus; a limit below the live heap makes the
// collector run without pause, for up to half the CPU time
// (docs/benchmarks.md, "Memory"). release stops the watch and restores
// the limit held before, so that a command run in-process leaves none.
func holdHeap(budget int64) (release func()) {
	prev := debug.SetMemoryLimit(budget)
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		limit := budget
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
			if next := heapLimit(budget, int64(sample[0].Value.Uint64())); next != limit {
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

// heapLimit is the heap limit for a live heap of the given size: the
// budget, or an eighth more than the live heap (as GOGC=12 would allow)
// once that outgrows the budget. A third more, as before, was a fifth of
// the 10 GB scan's peak, for little less collection: what the heap holds
// by then is mostly arrays without pointers, which the collector does
// not scan (docs/benchmarks.md, "The boilerplate off the 10 GB peak").
// It falls back as the live heap shrinks: a limit raised while two
// workers aligned the largest files of the Linux tree kept the collector
// lax for the rest of the scan, whose peak RSS came after
// (docs/benchmarks.md, "Memory").
func heapLimit(budget, live int64) int64 {
	return max(budget, live+live/8)
}
