package work

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestEach(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 7} {
		for _, n := range []int{0, 1, 5, 1000} {
			seen := make([]atomic.Int32, n)
			if err := Each(context.Background(), n, workers, func(w, i int) error {
				if w < 0 || w >= max(1, workers) {
					t.Errorf("worker %d of %d", w, workers)
				}
				seen[i].Add(1)
				return nil
			}); err != nil {
				t.Fatalf("Each(%d, %d workers) = %v", n, workers, err)
			}
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Fatalf("Each(%d, %d workers): item %d done %d times, want 1", n, workers, i, c)
				}
			}
		}
	}
}

func TestEachStops(t *testing.T) {
	boom := errors.New("boom")
	var done atomic.Int32
	err := Each(context.Background(), 10000, 3, func(w, i int) error {
		done.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Each = %v, want %v", err, boom)
	}
	if d := done.Load(); d > 100 {
		t.Errorf("Each went on after the error: %d items done", d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done.Store(0)
	err = Each(ctx, 10000, 2, func(w, i int) error {
		if done.Add(1) == 5 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Each after cancel = %v, want context.Canceled", err)
	}
	if d := done.Load(); d > 100 {
		t.Errorf("Each went on after cancel: %d items done", d)
	}
}
