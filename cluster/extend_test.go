package cluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/shingle"
)

// seedsOf returns the seeds of text's tokens, k tokens each.
func seedsOf(text string, k int) ([]uint32, int) {
	toks := tokens(text)
	seeds, _ := shingle.Seeds(nil, toks, k, nil)
	return seeds, len(toks)
}

// TestWidenFooter gives documents of words of their own a footer, and a
// header to every other one, finds the boilerplate (Boilerplate) and
// widens it: each occurrence becomes the footer or the header, exactly,
// however far inside it its first and last fingerprints fell.
func TestWidenFooter(t *testing.T) {
	const k, w, seedK, docs, maxDF = 5, 4, 3, 200, 20
	header := "This bulletin is published by the Harbour District Residents Association for its members"
	footer := "To stop receiving these messages reply with the word stop or write to the association office at the old station building and include your membership number"
	r := rand.New(rand.NewPCG(9, 10))
	tk := shingle.NewTokenizer()
	own := func(d, n int) string { // words no other document has
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "d%dw%d ", d, i)
		}
		return b.String()
	}
	nHeader, nFooter := int32(len(tokens(header))), int32(len(tokens(footer)))
	texts := make([]string, docs)
	var ps []postings.Posting
	for d := range docs {
		texts[d] = own(d, 20+r.IntN(30)) + footer + " " + own(d+docs, 5+r.IntN(10))
		if d%2 == 0 {
			texts[d] = header + " " + texts[d]
		}
		ps, _ = fingerprints(ps, tk, texts[d], uint32(d), k, w)
	}
	fams, _, _ := Boilerplate(context.Background(), boilerplatePostings(ps, maxDF), k, w)
	if len(fams) != 2 {
		t.Fatalf("Boilerplate: %d families, want 2", len(fams))
	}
	shorter := 0
	for _, fam := range fams {
		var refs [2][]uint32
		for i := range 2 {
			seeds, _ := seedsOf(texts[fam[i].Doc], seedK)
			refs[i] = Reference(nil, seeds, fam[i], w)
		}
		for m, o := range fam {
			seeds, n := seedsOf(texts[o.Doc], seedK)
			got := []Occurrence{o}
			Widen(got, [][]uint32{refs[ReferenceOf(len(fam), m)]}, seeds, n, seedK, w)
			want := Occurrence{Doc: o.Doc, Start: 0, End: nHeader}
			if fs := footerStart(tokens(texts[o.Doc]), texts[o.Doc], footer); o.Start >= fs {
				want.Start, want.End = fs, fs+nFooter
			}
			if got[0] != want {
				t.Errorf("family of %d: occurrence %+v widened to %+v, want %+v", len(fam), o, got[0], want)
			}
			if o != want {
				shorter++
			}
		}
	}
	if shorter == 0 {
		t.Errorf("no occurrence fell inside its text: the test checks nothing")
	}
	t.Logf("%d of %d occurrences widened", shorter, docs+docs/2)
}

// footerStart is the token where footer begins in text.
func footerStart(toks []shingle.Token, text, footer string) int32 {
	at := strings.Index(text, footer)
	for i, tok := range toks {
		if int(tok.Start) >= at {
			return int32(i)
		}
	}
	return -1
}

// TestWiden: the rules of Widen on one document, against a reference
// from another (words a to h shared, x and y the document's own).
func TestWiden(t *testing.T) {
	const k, w = 3, 4
	ref := func(text string, o Occurrence) []uint32 {
		seeds, _ := seedsOf(text, k)
		return Reference(nil, seeds, o, w)
	}
	shared := ref("p q a b c d e f g h r s", Occurrence{Start: 5, End: 8}) // d e f, inside a..h
	for _, c := range []struct {
		name string
		text string
		occs []Occurrence
		refs [][]uint32
		want []Occurrence
	}{
		{"both ends, by window-1 at most", "x y a b c d e f g h y x", []Occurrence{{Start: 5, End: 8}},
			[][]uint32{shared}, []Occurrence{{Start: 2, End: 10}}},
		{"capped at window-1 tokens", "a b c d e f g h", []Occurrence{{Start: 4, End: 5}},
			[][]uint32{shared}, []Occurrence{{Start: 1, End: 8}}},
		{"stops at the first token of its own", "x a b x d e f x g h", []Occurrence{{Start: 4, End: 7}},
			[][]uint32{shared}, []Occurrence{{Start: 4, End: 7}}},
		{"the document's edges", "b c d e f g", []Occurrence{{Start: 2, End: 4}},
			[][]uint32{shared}, []Occurrence{{Start: 0, End: 6}}},
		{"no reference, no change", "x y a b c d e f g h y x", []Occurrence{{Start: 5, End: 8}},
			[][]uint32{nil}, []Occurrence{{Start: 5, End: 8}}},
		// Neighbours share the gap between them: the first takes it, the
		// second starts where the first ends.
		{"neighbours never overlap", "a b c d e f g h", []Occurrence{{Start: 1, End: 3}, {Start: 5, End: 7}},
			[][]uint32{shared, shared}, []Occurrence{{Start: 0, End: 5}, {Start: 5, End: 8}}},
	} {
		seeds, n := seedsOf(c.text, k)
		got := append([]Occurrence(nil), c.occs...)
		Widen(got, c.refs, seeds, n, k, w)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: Widen(%q, %v) = %v, want %v", c.name, c.text, c.occs, got, c.want)
		}
	}
	if got := ReferenceOf(1, 0); got != -1 {
		t.Errorf("ReferenceOf(1, 0) = %d, want -1", got)
	}
	if got := []int{ReferenceOf(5, 0), ReferenceOf(5, 1), ReferenceOf(5, 4)}; fmt.Sprint(got) != "[1 0 0]" {
		t.Errorf("ReferenceOf(5, 0, 1, 4) = %v, want [1 0 0]", got)
	}
}

// TestWidenReference checks Widen against a slow reference on random
// documents over a few words (so that seeds repeat, in and out of the
// reference): an occurrence's widened start is the smallest start, at
// most window-1 tokens before its own and not before its widened
// predecessor's end, from which every seed up to its own start is in the
// reference; likewise its end, up to its successor's start.
func TestWidenReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	in := func(ref []uint32, v uint32) bool {
		for _, x := range ref {
			if x == v {
				return true
			}
		}
		return false
	}
	for trial := range 2000 {
		k, w := 1+r.IntN(3), 1+r.IntN(6)
		n := r.IntN(40)
		var b strings.Builder
		for range n {
			fmt.Fprintf(&b, "w%d ", r.IntN(4))
		}
		seeds, n := seedsOf(b.String(), k)
		var occs []Occurrence
		var refs [][]uint32
		for at := int32(r.IntN(5)); int(at) < n; {
			end := min(at+1+int32(r.IntN(6)), int32(n))
			occs = append(occs, Occurrence{Start: at, End: end})
			ref := seeds[r.IntN(len(seeds)+1):]
			ref = Reference(nil, ref, Occurrence{Start: 0, End: int32(len(ref))}, 0)
			if r.IntN(5) == 0 {
				ref = nil
			}
			refs = append(refs, ref)
			at = end + int32(r.IntN(4))
		}
		got := append([]Occurrence(nil), occs...)
		Widen(got, refs, seeds, n, k, w)
		prevEnd := int32(0)
		for i, o := range occs {
			want := o
			if len(refs[i]) > 0 {
				for s := o.Start - 1; s >= max(o.Start-int32(w-1), prevEnd); s-- {
					if int(s) >= len(seeds) || !in(refs[i], seeds[s]) {
						break
					}
					want.Start = s
				}
				next := int32(n)
				if i+1 < len(occs) {
					next = occs[i+1].Start
				}
				for e := o.End + 1; e <= min(o.End+int32(w-1), next); e++ {
					if t := int(e) - k; t < 0 || t >= len(seeds) || !in(refs[i], seeds[t]) {
						break
					}
					want.End = e
				}
			}
			if got[i] != want {
				t.Fatalf("trial %d (k %d, window %d): Widen(%v) = %v, occurrence %d want %v", trial, k, w, occs, got, i, want)
			}
			prevEnd = want.End
		}
	}
}
