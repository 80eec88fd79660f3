package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// holdHeap sets the Go heap's soft limit to the memory budget, and raises
// it while the live heap outgrows three quarters of it. The budget bounds
// the shuffle, but the documents' records and the last step (families,
// groups) grow with the corpus; a limit below the live heap makes the
// collector run without pause, for up to half the CPU time
// (docs/benchmarks.md, "Memory"). The watch ends with ctx.
func holdHeap(ctx context.Context, budget int64) {
	debug.SetMemoryLimit(budget)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		limit := budget
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			if live := int64(sample[0].Value.Uint64()); 4*live > 3*limit {
				limit = raisedLimit(live)
				debug.SetMemoryLimit(limit)
			}
		}
	}()
}

// raisedLimit is the heap limit for a live heap that outgrew the budget:
// a third more than it, as GOGC=33 would allow.
func raisedLimit(live int64) int64 { return live + live/3 }
