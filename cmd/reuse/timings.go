package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reuse-tool/reuse"
)

// timings records when each phase of a scan began, in wall-clock and
// process CPU time, and the storage the process had read and written
// then (reuse scan --timings): a phase that waits for the disk shows it.
type timings struct {
	marks []mark
	// progress, when set, gives the number of candidate pairs aligned,
	// reported after the phases: how a corpus's alignment time grows
	// with its size is mostly how its candidates do.
	progress *reuse.Progress
}

type mark struct {
	name string
	wall time.Time
	usage
}

// usage is what the process has used so far; -1 where the system does
// not say.
type usage struct {
	cpu     time.Duration
	in, out int64 // bytes read from and written to storage
}

func newTimings() *timings {
	t := &timings{}
	t.mark("start")
	return t
}

func (t *timings) mark(name string) {
	t.marks = append(t.marks, mark{name: name, wall: time.Now(), usage: processUsage()})
}

// phase is reuse.Progress.OnPhase: the phase that begins ends the one
// before.
func (t *timings) phase(ph reuse.Phase) {
	name := ph.String()
	if ph == reuse.PhaseDone {
		name = "finishing"
	}
	t.mark(name)
}

// report writes one line: each phase's wall time, with its CPU time in
// brackets, then the totals, and the candidate pairs aligned when there
// were any. A phase is what ran from its start to the next one's; the
// last, to the end of the command (writing and closing the output). What
// ran before reading (opening the index, checking the options) shows as
// "starting" when it took 5 ms or more: what prints as 0.01 s at least
// (reading the system's memory size for the default budget takes about
// a millisecond, and printed "starting 0.00 s").
func (t *timings) report(w io.Writer) {
	t.mark("end")
	var parts []string
	for i := 1; i < len(t.marks); i++ {
		from, to := t.marks[i-1], t.marks[i]
		if from.name == "start" {
			if to.wall.Sub(from.wall) < 5*time.Millisecond {
				continue
			}
			from.name = "starting"
		}
		parts = append(parts, from.name+" "+span(from, to))
	}
	line := fmt.Sprintf("timings: %s; total %s", strings.Join(parts, ", "), span(t.marks[0], t.marks[len(t.marks)-1]))
	if t.progress != nil {
		if n := t.progress.Aligned.Load(); n > 0 {
			line += "; " + plural(n, "candidate pair") + " aligned"
			if k := t.progress.Kept.Load(); k > 0 {
				line += " (" + count(k) + " of them taken from the alignments kept beside the index)"
			}
		}
		kept, own := t.progress.JoinedKept.Load(), t.progress.JoinedOwn.Load()
		switch {
		case kept > 0 && own == 0:
			line += "; boilerplate joined by the joins kept beside the index"
		case kept > 0:
			line += fmt.Sprintf("; boilerplate joined by the joins kept beside the index in %d of %d rounds", kept, kept+own)
		}
	}
	fmt.Fprintln(w, line)
}

// span formats the time between two marks, "1.23 s (2.01 CPU-s)", with
// the storage read and written when it reached a megabyte: "1.23 s (2.01
// CPU-s, 3.4 GB read, 120 MB written)".
func span(from, to mark) string {
	s := fmt.Sprintf("%.2f s", to.wall.Sub(from.wall).Seconds())
	if from.cpu < 0 || to.cpu < 0 {
		return s
	}
	s += fmt.Sprintf(" (%.2f CPU-s", (to.cpu - from.cpu).Seconds())
	if in := to.in - from.in; from.in >= 0 && in >= 1e6 {
		s += ", " + storage(in) + " read"
	}
	if out := to.out - from.out; from.out >= 0 && out >= 1e6 {
		s += ", " + storage(out) + " written"
	}
	return s + ")"
}

// storage formats a number of bytes of at least a megabyte: "120 MB",
// "3.4 GB".
func storage(n int64) string {
	if n < 1e9 {
		return fmt.Sprintf("%d MB", (n+5e5)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}
