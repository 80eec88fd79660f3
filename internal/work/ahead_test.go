package work

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// TestAhead: with one hinter, items are hinted in order, never more than
// the window beyond those done; with several, each item once; Stop
// returns with items left.
func TestAhead(t *testing.T) {
	var mu sync.Mutex
	var got []int
	hinted := func() []int {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
	// waitFor waits until n items were hinted, then a little longer for
	// any beyond.
	waitFor := func(n int) []int {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); len(hinted()) < n && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		return hinted()
	}
	record := func(i int) {
		mu.Lock()
		got = append(got, i)
		mu.Unlock()
	}

	const n, ahead = 50, 4
	a := NewAhead(n, ahead, 1, record)
	if g := waitFor(ahead); !slices.Equal(g, []int{0, 1, 2, 3}) {
		t.Fatalf("before any Done: hinted %v, want the first %d items", g, ahead)
	}
	for range 3 {
		a.Done()
	}
	if g := waitFor(ahead + 3); len(g) != ahead+3 {
		t.Fatalf("after 3 Done: hinted %v, want %d items", g, ahead+3)
	}
	for range n - 3 {
		a.Done()
	}
	g := waitFor(n)
	a.Stop()
	if want := seq(n); !slices.Equal(g, want) {
		t.Errorf("hinted %v, want %v", g, want)
	}

	// Several hinters: every item once, in any order.
	got = nil
	a = NewAhead(n, 8, 5, record)
	for range n {
		a.Done()
	}
	g = waitFor(n)
	a.Stop()
	if slices.Sort(g); !slices.Equal(g, seq(n)) {
		t.Errorf("5 hinters hinted %v, want each of %d items once", g, n)
	}

	// Stopped with items left: Stop returns, the hints end.
	got = nil
	a = NewAhead(n, ahead, 3, record)
	done := make(chan struct{})
	go func() {
		a.Stop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not return with items left")
	}
	if g := hinted(); len(g) > ahead {
		t.Errorf("stopped before any Done: hinted %v, at most %d", g, ahead)
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
