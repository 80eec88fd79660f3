// Package work runs the stages' loops on several goroutines: the one
// helper for handing out work, so that every stage stops the same way on
// an error or a cancelled context, and the one read-ahead window (Ahead)
// through which stages ask the system for data ahead of their workers.
//
// Items are handed out in increasing order through an atomic counter; a
// worker that finishes one takes the next, so uneven items balance
// themselves. Callers that need deterministic output give each item its
// own slot, or each worker its own buffer and merge them in order.
package work

import (
	"context"
	"sync"
	"sync/atomic"
)

// Each calls fn(w, i) for every i in [0, n) on workers goroutines, w being
// the number of the calling worker (0 ≤ w < workers), which it may use to
// pick its own scratch memory. It stops handing out items at the first
// error, or once ctx is cancelled (checked before each item), and returns
// that error. Each returns when every call has returned.
func Each(ctx context.Context, n, workers int, fn func(w, i int) error) error {
	workers = max(1, min(workers, n))
	var (
		next     atomic.Int64
		stopped  atomic.Bool
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() { firstErr = err })
		stopped.Store(true)
	}
	Parallel(workers, func(w int) {
		for !stopped.Load() {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			if err := ctx.Err(); err != nil {
				fail(err)
				return
			}
			if err := fn(w, i); err != nil {
				fail(err)
				return
			}
		}
	})
	return firstErr
}

// Parallel calls fn(w) for every w in [0, workers) concurrently and waits
// for them all.
func Parallel(workers int, fn func(w int)) {
	if workers <= 1 {
		fn(0)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { fn(w) })
	}
	wg.Wait()
}

// Blocks returns how many blocks of size items n items make: the number of
// work items of Each when each item is a block.
func Blocks(n, size int) int { return (n + size - 1) / size }
