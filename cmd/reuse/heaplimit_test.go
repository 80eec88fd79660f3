package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestHoldHeapRaisesLimit holds the heap to a budget smaller than the
// live data: the limit must rise above the live heap instead of making
// the collector run without pause.
func TestHoldHeapRaisesLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const budget, live = 8 << 20, 48 << 20
	holdHeap(ctx, budget)
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
}
