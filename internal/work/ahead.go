package work

import "sync"

// Ahead calls hint(i) for every i in [0, n), in order of i, on goroutines
// of its own, at most ahead items beyond those its caller has finished
// (Done): a read-ahead for workers that take items in about that order
// (Each hands them out in order). The stages ask the system to read files
// ahead of their readers this way (POSIX_FADV_WILLNEED), so that many
// reads are in flight where each reader would wait for one.
//
// Calls of hint may run at once, and in another order than i's; it must
// be safe for concurrent use. Ahead is safe for concurrent use.
type Ahead struct {
	mu      sync.Mutex
	more    sync.Cond // done or stopped changed
	done    int       // items finished (Done)
	stopped bool
	running sync.WaitGroup
}

// NewAhead starts the hints of n items on hinters goroutines, ahead items
// ahead of the caller (both at least 1). Call Stop when done.
func NewAhead(n, ahead, hinters int, hint func(i int)) *Ahead {
	a := &Ahead{}
	a.more.L = &a.mu
	ahead, hinters = max(ahead, 1), max(hinters, 1)
	next := make(chan int, hinters)
	a.running.Go(func() {
		defer close(next)
		for i := range n {
			a.mu.Lock()
			for i >= a.done+ahead && !a.stopped {
				a.more.Wait()
			}
			stopped := a.stopped
			a.mu.Unlock()
			if stopped {
				return
			}
			next <- i
		}
	})
	for range hinters {
		a.running.Go(func() {
			for i := range next {
				hint(i)
			}
		})
	}
	return a
}

// Done tells a that one more item is finished (or will not be taken):
// the hints may run one further.
func (a *Ahead) Done() {
	a.mu.Lock()
	a.done++
	a.mu.Unlock()
	a.more.Signal()
}

// Stop ends the hints and waits for those running.
func (a *Ahead) Stop() {
	a.mu.Lock()
	a.stopped = true
	a.mu.Unlock()
	a.more.Broadcast()
	a.running.Wait()
}
