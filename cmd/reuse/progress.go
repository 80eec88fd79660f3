package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/reuse-tool/reuse"
)

// progressDelay is how long a scan runs before progress appears: short
// runs print nothing. A variable for tests.
var progressDelay = time.Second

// progress shows a scan's counters on a terminal: documents and megabytes
// while reading, then pairs aligned of the total. It draws nothing when
// stderr is not a terminal, when quiet, or for scans shorter than
// progressDelay.
type progress struct {
	counters *reuse.Progress
	done     chan struct{}
	finished chan struct{}
}

func startProgress(stderr io.Writer, quiet bool) *progress {
	p := &progress{counters: new(reuse.Progress), done: make(chan struct{}), finished: make(chan struct{})}
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		close(p.finished)
		return p
	}
	go p.draw(f)
	return p
}

func (p *progress) draw(w io.Writer) {
	defer close(p.finished)
	select {
	case <-p.done:
		return
	case <-time.After(progressDelay):
	}
	var bar *progressbar.ProgressBar
	phase := reuse.Phase(-1)
	tick := time.NewTicker(150 * time.Millisecond)
	defer tick.Stop()
	for {
		c := p.counters
		ph := reuse.Phase(c.Phase.Load())
		if ph != phase {
			if bar != nil {
				bar.Finish()
				fmt.Fprintln(w)
			}
			phase = ph
			max := int64(-1)
			if ph == reuse.PhaseAligning {
				max = c.Pairs.Load()
			}
			bar = progressbar.NewOptions64(max,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription(ph.String()),
				progressbar.OptionShowCount(),
				progressbar.OptionSetElapsedTime(true),
				progressbar.OptionSetPredictTime(max > 0),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSpinnerType(14),
				progressbar.OptionSetWidth(30),
			)
		}
		switch ph {
		case reuse.PhaseReading:
			bar.Describe(fmt.Sprintf("reading: %d documents, %.1f MB", c.Documents.Load(), float64(c.Bytes.Load())/1e6))
			bar.Set64(c.Documents.Load())
		case reuse.PhaseAligning:
			bar.Set64(c.Aligned.Load())
		default:
			bar.Add(1)
		}
		select {
		case <-p.done:
			bar.Clear()
			fmt.Fprint(w, "\r\x1b[K")
			return
		case <-tick.C:
		}
	}
}

// stop ends the display and waits until the line is cleared.
func (p *progress) stop() {
	close(p.done)
	<-p.finished
}
