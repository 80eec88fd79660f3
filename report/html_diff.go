package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word-level differences inside a passage, for the HTML report.
//
// Both sides of a passage are split into words (runs of letters, digits and
// combining marks, with an apostrophe allowed between two letters), compared
// case-insensitively with typographic apostrophes folded to ', and aligned by
// Myers' O(ND) difference algorithm. The work is capped: beyond htmlMaxDiffEdits
// edits (or htmlMaxDiffWords words on either side) no inner diff is shown, and
// the passage is only highlighted as a whole. Memory is O(D²) ints for the
// trace, at most about 4 MiB at the cap.

const (
	htmlMaxDiffEdits = 1000
	htmlMaxDiffWords = 50000
)

// htmlWord is one word of a text: byte offsets into the text, end exclusive, and
// the folded comparison key.
type htmlWord struct {
	start, end int
	key        string
}

// htmlSplitWords returns the words of b; offsets are relative to b plus base.
// Invalid UTF-8 bytes separate words.
func htmlSplitWords(b []byte, base int) []htmlWord {
	var words []htmlWord
	i := 0
	for i < len(b) {
		r, n := utf8.DecodeRune(b[i:])
		if !htmlIsWordRune(r) {
			i += n
			continue
		}
		start := i
		var key strings.Builder
		for i < len(b) {
			r, n = utf8.DecodeRune(b[i:])
			if htmlIsWordRune(r) {
				key.WriteRune(unicode.ToLower(r))
				i += n
				continue
			}
			if htmlIsApostrophe(r) && key.Len() > 0 && i+n < len(b) {
				r2, _ := utf8.DecodeRune(b[i+n:])
				if unicode.IsLetter(r2) {
					key.WriteByte('\'')
					i += n
					continue
				}
			}
			break
		}
		words = append(words, htmlWord{start: base + start, end: base + i, key: key.String()})
	}
	return words
}

func htmlIsWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

func htmlIsApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u02bc' || r == '\u2018'
}

// Edit operations of a word diff.
const (
	htmlOpEqual  = iota // the words a[A] and b[B] match
	htmlOpDelete        // a[A] is not in b
	htmlOpInsert        // b[B] is not in a
)

type htmlEditOp struct {
	kind uint8
	a, b int // word indexes; only the side the kind names is meaningful for inserts and deletes
}

// htmlDiffWords returns a shortest edit script from a to b, in order, or ok ==
// false when the script would need more than maxEdits edits.
func htmlDiffWords(a, b []htmlWord, maxEdits int) (ops []htmlEditOp, ok bool) {
	n, m := len(a), len(b)
	if n > htmlMaxDiffWords || m > htmlMaxDiffWords {
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
	mid, ok := htmlMyers(a[pre:n-suf], b[pre:m-suf], maxEdits)
	if !ok {
		return nil, false
	}
	ops = make([]htmlEditOp, 0, pre+len(mid)+suf)
	for i := 0; i < pre; i++ {
		ops = append(ops, htmlEditOp{htmlOpEqual, i, i})
	}
	for _, op := range mid {
		ops = append(ops, htmlEditOp{op.kind, op.a + pre, op.b + pre})
	}
	for i := suf; i > 0; i-- {
		ops = append(ops, htmlEditOp{htmlOpEqual, n - i, m - i})
	}
	return ops, true
}

// htmlMyers is Myers' greedy shortest edit script (Myers 1986, "An O(ND)
// difference algorithm and its variations"), keeping for each d the
// diagonal frontier of step d-1 to walk back.
func htmlMyers(a, b []htmlWord, maxEdits int) ([]htmlEditOp, bool) {
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
				return htmlBacktrack(trace, n, m), true
			}
		}
	}
	return nil, false
}

func htmlBacktrack(trace [][]int32, n, m int) []htmlEditOp {
	var rev []htmlEditOp
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
			rev = append(rev, htmlEditOp{htmlOpEqual, x, y})
		}
		if d > 0 {
			if x == px {
				rev = append(rev, htmlEditOp{htmlOpInsert, x, py})
			} else {
				rev = append(rev, htmlEditOp{htmlOpDelete, px, y})
			}
		}
		x, y = px, py
	}
	ops := make([]htmlEditOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}

// Kinds of inner marks.
const (
	htmlMarkDel = iota + 1 // words only on this side (A of an A→B diff)
	htmlMarkIns            // words only on this side (B of an A→B diff)
	htmlMarkSub            // words replaced by other words on the other side
	htmlMarkGap            // zero-width: the other side has words here (gap holds them)
)

// htmlMark is a stretch of a passage's words with a difference kind, in byte
// offsets of its side's text.
type htmlMark struct {
	start, end int
	kind       uint8
	other      [2]int // for markSub and markGap: the other side's byte range
}

// htmlWordMarks turns an edit script into marks on both sides: runs of deletions
// and insertions between matched words become htmlMarkDel/htmlMarkIns, or htmlMarkSub on
// both sides when both are present. A run on one side only also leaves a
// htmlMarkGap on the other side, at the end of the last matched word before it
// (or at the passage start, aStart and bStart).
func htmlWordMarks(a, b []htmlWord, ops []htmlEditOp, aStart, bStart int) (am, bm []htmlMark) {
	aPos, bPos := aStart, bStart // end of the last matched word on each side
	var dels, ins []int
	flush := func() {
		switch {
		case len(dels) > 0 && len(ins) > 0:
			ar := [2]int{a[dels[0]].start, a[dels[len(dels)-1]].end}
			br := [2]int{b[ins[0]].start, b[ins[len(ins)-1]].end}
			am = append(am, htmlMark{ar[0], ar[1], htmlMarkSub, br})
			bm = append(bm, htmlMark{br[0], br[1], htmlMarkSub, ar})
		case len(dels) > 0:
			ar := [2]int{a[dels[0]].start, a[dels[len(dels)-1]].end}
			am = append(am, htmlMark{ar[0], ar[1], htmlMarkDel, [2]int{}})
			bm = append(bm, htmlMark{bPos, bPos, htmlMarkGap, ar})
		case len(ins) > 0:
			br := [2]int{b[ins[0]].start, b[ins[len(ins)-1]].end}
			bm = append(bm, htmlMark{br[0], br[1], htmlMarkIns, [2]int{}})
			am = append(am, htmlMark{aPos, aPos, htmlMarkGap, br})
		}
		dels, ins = dels[:0], ins[:0]
	}
	for _, op := range ops {
		switch op.kind {
		case htmlOpEqual:
			flush()
			aPos, bPos = a[op.a].end, b[op.b].end
		case htmlOpDelete:
			dels = append(dels, op.a)
		case htmlOpInsert:
			ins = append(ins, op.b)
		}
	}
	flush()
	return am, bm
}

// htmlPassageDiff computes the inner marks of a passage given both texts and
// the passage's byte ranges (already clamped to the texts). ok is false when
// the diff was too large to compute.
func htmlPassageDiff(ta, tb []byte, as, ae, bs, be int) (am, bm []htmlMark, ok bool) {
	wa := htmlSplitWords(ta[as:ae], as)
	wb := htmlSplitWords(tb[bs:be], bs)
	ops, ok := htmlDiffWords(wa, wb, htmlMaxDiffEdits)
	if !ok {
		return nil, nil, false
	}
	am, bm = htmlWordMarks(wa, wb, ops, as, bs)
	return am, bm, true
}
