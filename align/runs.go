package align

import (
	"context"
	"slices"
)

// Anchor is a place two documents are known to share before they are
// aligned (a fingerprint both hold): its token position in A and in B; A
// is -1 when unknown (A holds it more than once).
type Anchor struct{ A, B int32 }

// liveRun is a run known to belong to a passage near an anchor (run ≥ 0),
// or an anchor's own place (run < 0: diagonal and end given; run
// anyDiagonal when A's place is unknown).
type liveRun struct {
	run        int32
	diag, bEnd int32
}

const anyDiagonal = -2

// findRuns is the first step of an alignment: the seed matches of B
// against A, merged into runs along diagonals (al.runs).
//
// With anchors (sorted by B), only windows of B around them are scanned:
// from 6·MinWords+MaxGap tokens before an anchor (an edited passage may
// begin well before its first shared fingerprint: at 2·MinWords+MaxGap,
// heavily edited copies lost 0.6% of their recall on generated news; at
// 6·MinWords+MaxGap none) to MinWords+MaxGap after it, and on for as
// long as runs keep continuing a passage near an
// anchor (a match within MaxGap tokens after a live run's end, on a
// diagonal within MaxDrift of it). A run found at the start of a window
// is followed back along its diagonal. Text shared far from any shared
// fingerprint is not looked at: a pair's cost follows what it shares, not
// the size of its documents (a 3 MB register header shares a few lines
// with hundreds of files). Without anchors, all of B is scanned.
//
// Of a seed repeated many times in A, the occurrences near where the
// diagonal is expected are taken: where the previous seed matched, or at
// first the position proportional to j. Text that repeats itself then
// aligns along one diagonal, with a copy of itself or a single quote.
//
// A seed found more than followRepeats times in A (a table, a line of
// code, a phrase the document keeps using) that continues a run of
// MinWords tokens or more (evidence already, not a chance match) only
// extends the runs it continues: on text that repeats itself, following
// every occurrence made 16 parallel runs a token, and two near-identical
// register headers cost 4 µs a token (BenchmarkAlignAdversarial).
func (al *Aligner) findRuns(ctx context.Context, seeds []uint32, anchors []Anchor) error {
	k := int32(al.opt.Seed)
	if n := al.table.len() + len(seeds) + 1; len(al.diagRun) < n {
		al.diagRun = make([]int32, n)
		al.diagGen = make([]uint32, n)
		al.gen = 0
	}
	if al.gen++; al.gen == 0 { // wrapped: stamps of 2³² calls ago look current
		clear(al.diagGen)
		al.gen = 1
	}
	off := int32(len(seeds))
	al.runs = al.runs[:0]
	al.runLive = al.runLive[:0]
	al.windowStarts = al.windowStarts[:0]

	var diag int32
	haveDiag := false
	minWords := int32(al.opt.MinWords)
	maxGap, maxDrift := int32(al.opt.MaxGap), int32(al.opt.MaxDrift)
	n := int32(len(seeds))

	// The scan's windows: positions < until are scanned; anchors[na:] are
	// still to come; the live runs and anchors that keep a window open.
	scanAll := anchors == nil
	until := n
	if !scanAll {
		until = -1
	}
	back, after := 6*minWords+maxGap, minWords+maxGap
	na := 0
	live := al.live[:0]
	// accept reports whether a match on diagonal d at j continues a live
	// run or anchor, forgetting those it can no longer reach.
	accept := func(d, j int32) bool {
		ok := false
		kept := live[:0]
		for _, e := range live {
			bEnd, ed := e.bEnd, e.diag
			if e.run >= 0 {
				r := al.runs[e.run]
				bEnd, ed = r.b+r.n, r.a-r.b
			}
			if j-bEnd > maxGap {
				continue
			}
			kept = append(kept, e)
			ok = ok || e.run == anyDiagonal || abs(d-ed) <= maxDrift
		}
		live = kept
		return ok
	}
	// matched records a match of run r at j: a live run keeps its window
	// open.
	matched := func(r, j int32) {
		if scanAll {
			return
		}
		ru := &al.runs[r]
		for int(r) >= len(al.runLive) {
			al.runLive = append(al.runLive, false)
		}
		if !al.runLive[r] {
			if !accept(ru.a-ru.b, j) {
				return
			}
			al.runLive[r] = true
			live = append(live, liveRun{run: r})
		}
		until = max(until, ru.b+ru.n+maxGap+1)
	}

	active, next := al.active[:0], al.next[:0] // runs extended at j-1 and at j
	for j := int32(0); j < n; j++ {
		if !scanAll {
			if j >= until {
				// The next window: around the next anchor not yet passed.
				for na < len(anchors) && anchors[na].B+after <= j {
					na++
				}
				if na == len(anchors) {
					break
				}
				if start := anchors[na].B - back; start > j {
					al.windowStarts = append(al.windowStarts, [2]int32{start, j})
					j = start
					active = active[:0]
				}
				until = max(until, anchors[na].B+after)
			}
			// Anchors reached open their place: their diagonal, or every
			// match over their fingerprint when A's place is unknown.
			for na < len(anchors) && anchors[na].B <= j {
				a := anchors[na]
				e := liveRun{run: anyDiagonal, bEnd: a.B + minWords}
				if a.A >= 0 {
					e.run, e.diag = -1, a.A-a.B
				}
				live = append(live, e)
				until = max(until, a.B+after)
				na++
			}
		}
		if j&checkEvery == checkEvery {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		h := seeds[j]
		// The runs that h continues on their diagonals: when they hold
		// every occurrence of h in A, the lookup below would find just
		// them; when h is repeated and one of them is strong, they are
		// followed alone. Either way the table is not probed: aligning
		// near-identical texts costs a comparison a token.
		next = next[:0]
		strong := false
		var count int32 // occurrences of h in A
		for _, r := range active {
			i := j + al.runs[r].a - al.runs[r].b
			if i < int32(len(al.aSeeds)) && al.aSeeds[i] == h {
				strong = strong || al.runs[r].n >= minWords
				count = al.table.repeats[i]
				next = append(next, r)
			}
		}
		if len(next) > 0 && (int(count) == len(next) || count > followRepeats && strong) {
			target := j + diag
			for x, r := range next {
				al.runs[r].n++
				matched(r, j)
				if i := j + al.runs[r].a - al.runs[r].b; x == 0 || abs(i-target) < abs(diag+j-target) {
					diag = i - j
				}
			}
			active, next = next, active
			continue
		}
		next = next[:0]
		var ps []int32
		if al.table.mayHave(h) {
			ps = al.table.positions(h)
		}
		if len(ps) == 0 {
			active, next = next, active
			continue
		}
		target := j + diag
		if !haveDiag {
			target = int32(int64(j) * int64(al.aLen) / int64(max(n, 1)))
		}
		ps = near(ps, target, al.opt.MaxRepeat)
		for x, i := range ps {
			d := i - j
			if x == 0 || abs(i-target) < abs(diag+j-target) {
				diag = d // the diagonal nearest the expected one
			}
			if r := al.diagRun[d+off]; al.diagGen[d+off] == al.gen && al.runs[r].b+al.runs[r].n-k+1 == j {
				al.runs[r].n++
				next = append(next, r)
				matched(r, j)
				continue
			}
			al.diagRun[d+off], al.diagGen[d+off] = int32(len(al.runs)), al.gen
			next = append(next, int32(len(al.runs)))
			al.runs = append(al.runs, run{a: i, b: j, n: k})
			matched(int32(len(al.runs)-1), j)
		}
		haveDiag = true
		active, next = next, active
	}
	al.active, al.next, al.live = active[:0], next[:0], live[:0]
	al.extendBack(seeds)
	return nil
}

// extendBack follows back along its diagonal every run that begins where
// a window of the scan began, as far as the positions left unscanned
// before it: its start was not looked at.
func (al *Aligner) extendBack(seeds []uint32) {
	if len(al.windowStarts) == 0 {
		return
	}
	for i := range al.runs {
		r := &al.runs[i]
		w, ok := slices.BinarySearchFunc(al.windowStarts, r.b, func(x [2]int32, b int32) int { return int(x[0] - b) })
		if !ok {
			continue
		}
		for gap := al.windowStarts[w][1]; r.a > 0 && r.b > gap && al.aSeeds[r.a-1] == seeds[r.b-1]; {
			r.a--
			r.b--
			r.n++
		}
	}
}
