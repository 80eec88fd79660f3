package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reuse-tool/reuse"
)

// testProgress returns a display that writes to buf, with a clock the test
// moves.
func testProgress(buf *bytes.Buffer, clock *time.Time, width int) *progress {
	p := &progress{counters: new(reuse.Progress), w: buf, verb: "scanned", width: width,
		now: func() time.Time { return *clock }, stopc: make(chan struct{}), finished: make(chan struct{})}
	p.start = *clock
	return p
}

// TestProgressDisplay drives the display with a fake clock: each phase has
// one live line, redrawn in place, that shows real counts and the totals
// known (no "/-" of an unknown total, never two counts of one thing);
// lines are cut to the terminal's width; the line is cleared at the end
// and one closing line, ending in a newline, says what was done.
func TestProgressDisplay(t *testing.T) {
	clock := time.Unix(1000, 0)
	var buf bytes.Buffer
	p := testProgress(&buf, &clock, 100)
	c := p.counters

	steps := []struct {
		phase   reuse.Phase
		advance time.Duration
		set     func()
		want    string
	}{
		{reuse.PhaseReading, 2 * time.Second, func() { c.Documents.Store(33783); c.Bytes.Store(98_800_000) },
			"reading: 33,783 documents, 98.8 MB (49.4 MB/s) · 2.0 s"},
		{reuse.PhaseReading, time.Second, func() { c.Skipped.Store(2) },
			"reading: 33,783 documents, 98.8 MB (32.9 MB/s), 2 skipped · 3.0 s"},
		{reuse.PhasePairing, 300 * time.Millisecond, func() { c.Pairs.Store(1200) },
			"pairing 33,783 documents: 1,200 candidate pairs found so far, 2 skipped · 3.3 s"},
		{reuse.PhaseAligning, 500 * time.Millisecond, func() { c.Pairs.Store(45678); c.Aligned.Store(12345) },
			"aligning: 12,345 aligned of 45,678 candidate pairs found so far, 2 skipped · 3.8 s"},
		{reuse.PhaseClustering, 500 * time.Millisecond, func() { c.Aligned.Store(45678) },
			"clustering the passages of 45,678 aligned pairs, 2 skipped · 4.3 s"},
	}
	for _, st := range steps {
		c.Phase.Store(int32(st.phase))
		clock = clock.Add(st.advance)
		st.set()
		buf.Reset()
		p.draw()
		out := buf.String()
		if !strings.HasPrefix(out, "\r") || !strings.HasSuffix(out, "\x1b[K") || strings.Contains(out, "\n") {
			t.Errorf("phase %v: drew %q, want one line redrawn in place (\\r ... \\x1b[K, no newline)", st.phase, out)
		}
		line := strings.TrimSuffix(strings.TrimPrefix(out, "\r"), "\x1b[K")
		if _, text, _ := strings.Cut(line, " "); text != st.want {
			t.Errorf("phase %v: line %q, want %q after the spinner", st.phase, line, st.want)
		}
		if strings.Contains(out, "/-") {
			t.Errorf("phase %v: line %q shows an unknown total", st.phase, out)
		}
	}

	// The end: the live line is cleared, and the closing line follows.
	buf.Reset()
	p.clear()
	p.done([]string{"result.json"})
	want := "\r\x1b[Kscanned 33,783 documents (98.8 MB) in 4.3 s; wrote result.json\n"
	if got := buf.String(); got != want {
		t.Errorf("end of the display = %q, want %q", got, want)
	}
}

// TestProgressWidth: a line never wraps (wrapping breaks redrawing in
// place): it is cut to the terminal's width.
func TestProgressWidth(t *testing.T) {
	clock := time.Unix(0, 0)
	var buf bytes.Buffer
	p := testProgress(&buf, &clock, 30)
	p.counters.Documents.Store(123456789)
	p.counters.Bytes.Store(123456789012)
	p.draw()
	line := strings.TrimSuffix(strings.TrimPrefix(buf.String(), "\r"), "\x1b[K")
	if n := utf8.RuneCountInString(line); n > 29 || !strings.HasSuffix(line, "…") {
		t.Errorf("line %q: %d columns, want at most 29, cut with …", line, n)
	}
}

// TestProgressLoop: the display waits progressDelay, redraws, and leaves
// nothing on the line when stopped; a scan that ends before the delay
// draws nothing and, having written no file, prints no closing line.
func TestProgressLoop(t *testing.T) {
	defer func(d time.Duration) { progressDelay = d }(progressDelay)
	for _, delay := range []time.Duration{0, time.Hour} {
		progressDelay = delay
		clock := time.Now()
		var buf bytes.Buffer // read after stop, which waits for run
		p := testProgress(&buf, &clock, 80)
		p.counters.Documents.Store(12)
		p.counters.Bytes.Store(3_400_000)
		go p.run()
		time.Sleep(3 * progressTick)
		p.stop()
		p.done(nil)
		out := buf.String()
		if delay == 0 {
			if !strings.Contains(out, "reading: 12 documents, 3.4 MB") || !strings.HasSuffix(out, "\r\x1b[Kscanned 12 documents (3.4 MB) in 0.0 s\n") {
				t.Errorf("progress drew %q, want the documents read, then a cleared line and the closing line", out)
			}
		} else if out != "" {
			t.Errorf("a scan shorter than the delay drew %q, want nothing", out)
		}
	}
}

// TestProgressTerminal runs reuse on a pseudo-terminal (script(1)): the
// scan's closing line is the last thing on the screen, ends in a newline
// (the prompt does not land on it), and no spinner or control sequence is
// left after it.
func TestProgressTerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed: no pseudo-terminal")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	in := smallCorpus(t)
	out := filepath.Join(t.TempDir(), "result.json")
	shell := exe + " scan " + in + " --format json -o " + out
	cmd := exec.Command(script, "-qefc", shell, "/dev/null")
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	screen, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%q", shell, err, screen)
	}
	want := regexp.MustCompile(`scanned 3 documents \([\d.]+ kB\) in \d+\.\d s; wrote ` + regexp.QuoteMeta(out) + "\r\n$")
	if !want.Match(screen) {
		t.Errorf("terminal shows %q, want it to end with the closing line and a newline", screen)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}

// TestProgressWarning: a warning during a scan clears the live line first,
// so that it starts a line of its own and no spinner is left before it.
func TestProgressWarning(t *testing.T) {
	clock := time.Unix(0, 0)
	var buf bytes.Buffer
	p := testProgress(&buf, &clock, 80)
	w := newWarner(&buf, false)
	w.prog = p
	p.draw()
	w.warn(errString("a.txt: binary file, skipped"))
	p.draw()
	out := buf.String()
	if !strings.Contains(out, "\x1b[K\r\x1b[Kreuse: warning: a.txt: binary file, skipped\n\r") {
		t.Errorf("display %q: want the live line cleared before the warning, and redrawn after it", out)
	}
}

// TestProgressCounting: a weighted scan's first pass says what it has
// counted.
func TestProgressCounting(t *testing.T) {
	p := &progress{counters: new(reuse.Progress), start: time.Unix(1000, 0)}
	p.counters.Documents.Store(1200)
	p.counters.Bytes.Store(3_400_000)
	if got, want := p.line(reuse.PhaseCounting, p.start.Add(1500*time.Millisecond)), "counting shingles: 1,200 documents, 3.4 MB · 1.5 s"; got != want {
		t.Errorf("line = %q, want %q", got, want)
	}
}
