package html

import "github.com/reuse-tool/reuse/shingle"

// Word-level differences inside a passage, for the HTML report.
//
// Both sides of a passage are split into words exactly as detection
// tokenizes text (shingle.Tokenizer: letters, digits and combining marks,
// apostrophes inside a word, a word hyphenated across a line break joined,
// one word per character in scripts written without spaces), and two words
// are the same when detection would match them: when their tokens' hashes
// (of the NFKC, case-folded form, apostrophes dropped) are equal. The words
// are aligned by Myers' O(ND) difference algorithm. The work is capped:
// beyond maxDiffEdits edits (or maxDiffWords words on either side) no inner
// diff is shown, and the passage is only highlighted as a whole. Memory is
// O(D²) ints for the trace, at most about 4 MiB at the cap.

const (
	maxDiffEdits = 1000
	maxDiffWords = 50000
)

// word is one word of a text: byte offsets into the text, end exclusive, and
// the comparison key, the hash of the word's token.
type word struct {
	start, end int
	key        uint64
}

// splitter splits texts into words as detection does. It keeps a
// Tokenizer and its scratch: it is NOT safe for concurrent use.
type splitter struct {
	tok  *shingle.Tokenizer
	toks []shingle.Token
}

func newSplitter() *splitter { return &splitter{tok: shingle.NewTokenizer()} }

// words returns the words of b; offsets are relative to b plus base.
func (sp *splitter) words(b []byte, base int) []word {
	sp.toks = sp.tok.Tokenize(sp.toks[:0], b)
	ws := make([]word, len(sp.toks))
	for i, t := range sp.toks {
		ws[i] = word{start: base + int(t.Start), end: base + int(t.End), key: t.Hash}
	}
	return ws
}

// Edit operations of a word diff.
const (
	opEqual  = iota // the words a[A] and b[B] match
	opDelete        // a[A] is not in b
	opInsert        // b[B] is not in a
)

type editOp struct {
	kind uint8
	a, b int // word indexes; only the side the kind names is meaningful for inserts and deletes
}

// diffWords returns a shortest edit script from a to b, in order, or ok ==
// false when the script would need more than maxEdits edits.
func diffWords(a, b []word, maxEdits int) (ops []editOp, ok bool) {
	n, m := len(a), len(b)
	if n > maxDiffWords || m > maxDiffWords {
		return nil, false
	}
	// Strip the common prefix and suffix: most passages are near copies.
	pre := 0
	for pre < n && pre < m && a[pre].key == b[pre].key {
		pre++
	}
	suf := 0
	for suf < n-pre && suf < m-pre && a[n-1-suf].key == b[m-1-suf].key {
		suf++
	}
	mid, ok := myers(a[pre:n-suf], b[pre:m-suf], maxEdits)
	if !ok {
		return nil, false
	}
	ops = make([]editOp, 0, pre+len(mid)+suf)
	for i := 0; i < pre; i++ {
		ops = append(ops, editOp{opEqual, i, i})
	}
	for _, op := range mid {
		ops = append(ops, editOp{op.kind, op.a + pre, op.b + pre})
	}
	for i := suf; i > 0; i-- {
		ops = append(ops, editOp{opEqual, n - i, m - i})
	}
	return ops, true
}

// myers is Myers' greedy shortest edit script (Myers 1986, "An O(ND)
// difference algorithm and its variations"), keeping for each d the
// diagonal frontier of step d-1 to walk back.
func myers(a, b []word, maxEdits int) ([]editOp, bool) {
	n, m := len(a), len(b)
	maxD := n + m
	if maxD > maxEdits {
		maxD = maxEdits
	}
	off := maxD + 1
	v := make([]int32, 2*maxD+3)
	var trace [][]int32 // trace[d] holds v[k] for k in -d-1..d+1, before step d
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int32(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = int(v[off+k+1])
			} else {
				x = int(v[off+k-1]) + 1
			}
			y := x - k
			for x < n && y < m && a[x].key == b[y].key {
				x++
				y++
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				return backtrack(trace, n, m), true
			}
		}
	}
	return nil, false
}

func backtrack(trace [][]int32, n, m int) []editOp {
	var rev []editOp
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		t := trace[d]
		at := func(k int) int { return int(t[k+d+1]) }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py {
			x--
			y--
			rev = append(rev, editOp{opEqual, x, y})
		}
		if d > 0 {
			if x == px {
				rev = append(rev, editOp{opInsert, x, py})
			} else {
				rev = append(rev, editOp{opDelete, px, y})
			}
		}
		x, y = px, py
	}
	ops := make([]editOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}

// Kinds of inner marks.
const (
	markDel = iota + 1 // words only on this side (A of an A→B diff)
	markIns            // words only on this side (B of an A→B diff)
	markSub            // words replaced by other words on the other side
	markGap            // zero-width: the other side has words here (gap holds them)
)

// mark is a stretch of a passage's words with a difference kind, in byte
// offsets of its side's text.
type mark struct {
	start, end int
	kind       uint8
	other      [2]int // for markSub and markGap: the other side's byte range
}

// wordMarks turns an edit script into marks on both sides: runs of deletions
// and insertions between matched words become markDel/markIns, or markSub on
// both sides when both are present. A run on one side only also leaves a
// markGap on the other side, at the end of the last matched word before it
// (or at the passage start, aStart and bStart).
func wordMarks(a, b []word, ops []editOp, aStart, bStart int) (am, bm []mark) {
	aPos, bPos := aStart, bStart // end of the last matched word on each side
	var dels, ins []int
	flush := func() {
		switch {
		case len(dels) > 0 && len(ins) > 0:
			ar := [2]int{a[dels[0]].start, a[dels[len(dels)-1]].end}
			br := [2]int{b[ins[0]].start, b[ins[len(ins)-1]].end}
			am = append(am, mark{ar[0], ar[1], markSub, br})
			bm = append(bm, mark{br[0], br[1], markSub, ar})
		case len(dels) > 0:
			ar := [2]int{a[dels[0]].start, a[dels[len(dels)-1]].end}
			am = append(am, mark{ar[0], ar[1], markDel, [2]int{}})
			bm = append(bm, mark{bPos, bPos, markGap, ar})
		case len(ins) > 0:
			br := [2]int{b[ins[0]].start, b[ins[len(ins)-1]].end}
			bm = append(bm, mark{br[0], br[1], markIns, [2]int{}})
			am = append(am, mark{aPos, aPos, markGap, br})
		}
		dels, ins = dels[:0], ins[:0]
	}
	for _, op := range ops {
		switch op.kind {
		case opEqual:
			flush()
			aPos, bPos = a[op.a].end, b[op.b].end
		case opDelete:
			dels = append(dels, op.a)
		case opInsert:
			ins = append(ins, op.b)
		}
	}
	flush()
	return am, bm
}

// passageDiff computes the inner marks of a passage given both texts and
// the passage's byte ranges (already clamped to the texts). ok is false when
// the diff was too large to compute.
func (sp *splitter) passageDiff(ta, tb []byte, as, ae, bs, be int) (am, bm []mark, ok bool) {
	wa := sp.words(ta[as:ae], as)
	wb := sp.words(tb[bs:be], bs)
	ops, ok := diffWords(wa, wb, maxDiffEdits)
	if !ok {
		return nil, nil, false
	}
	am, bm = wordMarks(wa, wb, ops, as, bs)
	return am, bm, true
}
