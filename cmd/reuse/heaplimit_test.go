package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestHoldHeapRaisesLimit holds the heap to a budget smaller than the
// live data: the limit must rise above the live heap instead of making
// the collector run without pause, and release must restore the limit
// held before.
func TestHoldHeapRaisesLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	const budget, live = 8 << 20, 48 << 20
	release := holdHeap(budget)
	defer release()
	if got := debug.SetMemoryLimit(-1); got != budget {
		t.Fatalf("limit %d right after holdHeap, want the budget %d", got, budget)
	}
	keep := make([][]byte, 0, live>>20)
	for range live >> 20 {
		keep = append(keep, make([]byte, 1<<20))
	}
	runtime.GC()
	deadline := time.Now().Add(10 * time.Second)
	for debug.SetMemoryLimit(-1) <= live && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got <= live {
		t.Errorf("limit %d with %d bytes live, want it raised above them", got, live)
	}
	runtime.KeepAlive(keep)
	release()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after release, want the one before, %d", got, before)
	}
}
