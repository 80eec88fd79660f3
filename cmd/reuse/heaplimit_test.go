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

// TestHeapLimit: the limit is the budget until the live heap comes
// within an eighth of it, then an eighth above the live heap, and falls
// back to the budget as the live heap shrinks.
func TestHeapLimit(t *testing.T) {
	const b = 1 << 30
	for _, c := range []struct{ live, want int64 }{
		{0, b},
		{b / 2, b},
		{8 * b / 9, b},
		{8*b/9 + 9, b + 9}, // just past: an eighth above it, about the budget
		{b, b + b/8},       // outgrew it
		{8 * b, 9 * b},     // far beyond
		{3*b/4 - 1<<20, b}, // shrunk back
	} {
		if got := heapLimit(b, c.live); got != c.want {
			t.Errorf("heapLimit(%d, %d) = %d, want %d", int64(b), c.live, got, c.want)
		}
	}
}
