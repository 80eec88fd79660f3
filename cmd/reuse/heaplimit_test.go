package main

import (
	"runtime"
	"runtime/debug"
	"sync/atomic"
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
	release := holdHeap(budget, nil)
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

// TestHeapLimit: the limit is the budget less the mapped pages (at most
// half of it) until the live heap comes within an eighth of that, then
// an eighth above the live heap, and falls back as the live heap
// shrinks.
func TestHeapLimit(t *testing.T) {
	const b = 1 << 30
	for _, c := range []struct{ mapped, live, want int64 }{
		{0, 0, b},
		{0, b / 2, b},
		{0, 8 * b / 9, b},
		{0, 8*b/9 + 9, b + 9}, // just past: an eighth above it, about the budget
		{0, b, b + b/8},       // outgrew it
		{0, 8 * b, 9 * b},     // far beyond
		{0, 3*b/4 - 1<<20, b}, // shrunk back
		{b / 8, 0, 7 * b / 8}, // mapped pages count beside the heap
		{b / 8, 7 * b / 8, 7*b/8 + 7*b/64},
		{b, 0, b / 2},   // never under half the budget
		{b, b, b + b/8}, // nor under the live heap's eighth more
	} {
		if got := heapLimit(b, c.mapped, c.live); got != c.want {
			t.Errorf("heapLimit(%d, %d, %d) = %d, want %d", int64(b), c.mapped, c.live, got, c.want)
		}
	}
}

// TestHoldHeapLeavesMapped: the limit leaves the budget's room to the
// mapped pages there are, from the start, and follows them as they
// come and go.
func TestHoldHeapLeavesMapped(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	const budget = 1 << 30
	var mapped atomic.Int64
	mapped.Store(100 << 20)
	release := holdHeap(budget, mapped.Load)
	defer release()
	if got := debug.SetMemoryLimit(-1); got != budget-100<<20 {
		t.Fatalf("limit %d right after holdHeap with 100 MiB mapped, want %d", got, budget-100<<20)
	}
	mapped.Store(10 << 20)
	deadline := time.Now().Add(10 * time.Second)
	for debug.SetMemoryLimit(-1) != budget-10<<20 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got != budget-10<<20 {
		t.Errorf("limit %d once 10 MiB are mapped, want %d", got, budget-10<<20)
	}
}
