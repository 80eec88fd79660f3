package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/reuse-tool/reuse"
)

// progressDelay is how long a scan runs before progress appears: short
// runs print nothing. A variable for tests.
var progressDelay = time.Second

// progressTick is how often the line is redrawn.
const progressTick = 150 * time.Millisecond

// spinner frames: the line moves while the scan does.
var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// progress shows a running scan on a terminal: one live line, redrawn in
// place, that says what the current phase has done with the totals that
// are known (documents and megabytes read; candidate pairs found so far,
// since they are found range by range; pairs aligned of those), and the
// time since the scan began. The line is cleared when the scan ends, and
// done prints one closing line:
//
//	scanned 1,234 documents (5.6 MB) in 7.8 s; wrote result.json
//
// It draws nothing when stderr is not a terminal or when quiet, and only
// the closing line (if anything was written to files) for scans shorter
// than progressDelay.
type progress struct {
	counters *reuse.Progress
	w        io.Writer // nil: draw nothing
	verb     string    // "scanned" or "compared"
	now      func() time.Time
	width    int // columns of the terminal; the line is cut to fit

	start    time.Time
	stopc    chan struct{}
	finished chan struct{}

	mu     sync.Mutex
	shown  bool // a line was drawn
	frame  int
	phase  reuse.Phase
	phased time.Time // when the phase began
}

func startProgress(stderr io.Writer, quiet bool, verb string) *progress {
	p := &progress{counters: new(reuse.Progress), verb: verb, now: time.Now,
		stopc: make(chan struct{}), finished: make(chan struct{}), width: 80}
	p.start = p.now()
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		close(p.finished)
		return p
	}
	if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 20 {
		p.width = w
	}
	p.w = f
	go p.run()
	return p
}

// run redraws the line every progressTick from progressDelay on, until
// stop.
func (p *progress) run() {
	defer close(p.finished)
	select {
	case <-p.stopc:
		return
	case <-time.After(progressDelay):
	}
	tick := time.NewTicker(progressTick)
	defer tick.Stop()
	for {
		p.draw()
		select {
		case <-p.stopc:
			p.clear()
			return
		case <-tick.C:
		}
	}
}

// draw writes the current line over the previous one.
func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	ph := reuse.Phase(p.counters.Phase.Load())
	switch {
	case !p.shown:
		// The first phase shown began with the scan, or about then.
		p.phase, p.phased = ph, p.start
	case ph != p.phase:
		p.phase, p.phased = ph, now
	}
	line := spinner[p.frame%len(spinner)] + " " + p.line(ph, now)
	p.frame++
	fmt.Fprint(p.w, "\r"+fit(line, p.width-1)+"\x1b[K")
	p.shown = true
}

// clear removes the line, leaving the cursor at the start of an empty
// line.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// interrupt clears the live line, if one is drawn, and runs write (which
// prints a warning) before the next redraw: a warning never lands on the
// progress line, and no half-drawn line stays above it.
func (p *progress) interrupt(write func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown && p.w != nil {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	write()
}

// line says what phase ph has done, from the counters.
func (p *progress) line(ph reuse.Phase, now time.Time) string {
	c := p.counters
	docs, bytes := c.Documents.Load(), c.Bytes.Load()
	var s string
	switch ph {
	case reuse.PhaseReading:
		s = fmt.Sprintf("reading: %s, %s", plural(docs, "document"), megabytes(bytes))
		if d := now.Sub(p.phased).Seconds(); d >= 0.5 {
			s += fmt.Sprintf(" (%.1f MB/s)", float64(bytes)/1e6/d)
		}
	case reuse.PhasePairing:
		s = fmt.Sprintf("pairing %s: %s found so far", plural(docs, "document"), plural(c.Pairs.Load(), "candidate pair"))
	case reuse.PhaseAligning:
		s = fmt.Sprintf("aligning: %s aligned of %s found so far", count(c.Aligned.Load()), plural(c.Pairs.Load(), "candidate pair"))
	case reuse.PhaseClustering:
		s = fmt.Sprintf("clustering the passages of %s", plural(c.Aligned.Load(), "aligned pair"))
	case reuse.PhaseWriting:
		s = fmt.Sprintf("writing the index of %s", plural(docs, "document"))
	case reuse.PhaseCounting:
		s = fmt.Sprintf("counting shingles: %s, %s", plural(docs, "document"), megabytes(bytes))
	default:
		s = "finishing"
	}
	if n := c.Skipped.Load(); n > 0 {
		s += fmt.Sprintf(", %s skipped", count(n))
	}
	return s + fmt.Sprintf(" · %s", seconds(now.Sub(p.start)))
}

// stop ends the display and waits until the line is cleared.
func (p *progress) stop() {
	select {
	case <-p.stopc:
	default:
		close(p.stopc)
	}
	<-p.finished
}

// done prints the closing line, on a terminal, when the live line was
// shown or something was written to files: how much was scanned (the
// counters' documents and bytes), how long it took and what was written.
func (p *progress) done(wrote []string) {
	if p.w == nil || (!p.shown && len(wrote) == 0) {
		return
	}
	c := p.counters
	line := fmt.Sprintf("%s %s (%s) in %s", p.verb, plural(c.Documents.Load(), "document"), megabytes(c.Bytes.Load()), seconds(p.now().Sub(p.start)))
	if len(wrote) > 0 {
		line += "; wrote " + strings.Join(wrote, " and ")
	}
	fmt.Fprintln(p.w, line)
}

// fit cuts s to at most n runes, with an ellipsis.
func fit(s string, n int) string {
	if utf8.RuneCountInString(s) <= n || n < 2 {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}

// count formats n with commas: 12,345.
func count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return count(n) + " " + noun + "s"
}

// megabytes formats a size in MB with one decimal (kB below 0.1 MB).
func megabytes(n int64) string {
	if n < 100_000 {
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// seconds formats a duration as 4.3 s, or 2 min 05 s past two minutes.
func seconds(d time.Duration) string {
	if d >= 2*time.Minute {
		s := int(d.Round(time.Second) / time.Second)
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
