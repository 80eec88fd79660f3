package cluster

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
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
	widened := widenEach(fams, texts, func(d uint32) uint64 { return DocKey(fmt.Sprint(d)) }, seedK, w)
	for f, fam := range fams {
		for m, o := range fam {
			want := Occurrence{Doc: o.Doc, Start: 0, End: nHeader}
			if fs := footerStart(tokens(texts[o.Doc]), texts[o.Doc], footer); o.Start >= fs {
				want.Start, want.End = fs, fs+nFooter
			}
			if got := widened[f][m]; got != want {
				t.Errorf("family of %d: occurrence %+v widened to %+v, want %+v", len(fam), o, got, want)
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

// widenEach widens every occurrence of the families fams of documents
// texts (each alone, as Widen would with its document's others), each
// family against its References by key, or with key nil against its
// first two occurrences (the order of ids, the rule before DocKey).
func widenEach(fams [][]Occurrence, texts []string, key func(uint32) uint64, seedK, w int) [][]Occurrence {
	out := make([][]Occurrence, len(fams))
	for f, fam := range fams {
		least, next := 0, 1
		if key != nil {
			least, next = References(fam, key)
		}
		refs := map[int][]uint32{}
		if len(fam) >= 2 {
			for _, m := range []int{least, next} {
				seeds, _ := seedsOf(texts[fam[m].Doc], seedK)
				refs[m] = Reference(nil, seeds, fam[m], w)
			}
		}
		for m, o := range fam {
			seeds, n := seedsOf(texts[o.Doc], seedK)
			got := []Occurrence{o}
			if len(fam) >= 2 {
				Widen(got, [][]uint32{refs[ReferenceOf(m, least, next)]}, seeds, n, seedK, w)
			}
			out[f] = append(out[f], got[0])
		}
	}
	return out
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
	for _, c := range []struct{ m, least, next, want int }{
		{0, -1, -1, -1}, // a family of one occurrence
		{3, 3, 1, 1},    // the least, against the next
		{1, 3, 1, 3},    // the others, against the least
		{0, 3, 1, 3},
	} {
		if got := ReferenceOf(c.m, c.least, c.next); got != c.want {
			t.Errorf("ReferenceOf(%d, %d, %d) = %d, want %d", c.m, c.least, c.next, got, c.want)
		}
	}
}

// TestReferences checks References against sorting the family by (key,
// Start, Doc), on random families with keys that tie, and shows what the
// keys are for: occurrences added with larger keys leave a family's
// references where they were, whatever their documents' order.
func TestReferences(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for trial := range 3000 {
		var fam []Occurrence
		for d := range uint32(r.IntN(8)) {
			for range 1 + r.IntN(3) {
				fam = append(fam, Occurrence{Doc: d, Start: int32(r.IntN(20))})
			}
		}
		slices.SortFunc(fam, func(a, b Occurrence) int { return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start)) })
		keys := make([]uint64, 8)
		for d := range keys {
			keys[d] = uint64(r.IntN(4)) // ties between documents
		}
		key := func(d uint32) uint64 { return keys[d] }
		least, next := References(fam, key)
		if len(fam) < 2 {
			if least != -1 || next != -1 {
				t.Fatalf("trial %d: References(%v) = %d, %d, want -1, -1", trial, fam, least, next)
			}
			continue
		}
		order := make([]int, len(fam))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(i, j int) int {
			a, b := fam[i], fam[j]
			return cmp.Or(cmp.Compare(keys[a.Doc], keys[b.Doc]), cmp.Compare(a.Start, b.Start), cmp.Compare(a.Doc, b.Doc), cmp.Compare(i, j))
		})
		if fam[least] != fam[order[0]] || fam[next] != fam[order[1]] {
			t.Fatalf("trial %d: References(%v, keys %v) = %v, %v, want %v, %v", trial, fam, keys, fam[least], fam[next], fam[order[0]], fam[order[1]])
		}
	}
	// Documents of ids sorting first, but of larger keys, leave the
	// references of a family of others where they were.
	ids := []string{"m/1.txt", "m/2.txt", "m/3.txt", "m/4.txt"}
	fam := []Occurrence{{Doc: 0, Start: 5}, {Doc: 1, Start: 2}, {Doc: 2, Start: 9}, {Doc: 3, Start: 1}}
	least, next := References(fam, func(d uint32) uint64 { return DocKey(ids[d]) })
	was := [2]string{ids[fam[least].Doc], ids[fam[next].Doc]}
	added := 0
	for i := 0; added < 20; i++ {
		id := fmt.Sprintf("a/%d.txt", i) // sorts before every m/
		if DocKey(id) < DocKey(was[1]) {
			continue
		}
		added++
		ids = append([]string{id}, ids...)
		fam = append([]Occurrence{{Start: 3}}, fam...)
		for j := range fam[1:] {
			fam[j+1].Doc++
		}
		fam[0].Doc = 0
		least, next = References(fam, func(d uint32) uint64 { return DocKey(ids[d]) })
		if got := [2]string{ids[fam[least].Doc], ids[fam[next].Doc]}; got != was {
			t.Fatalf("with %s added first, the references are in %v, want %v", id, got, was)
		}
	}
}

// TestDocKey: fixed values (a key that changed between releases would
// move every index's references), and keys spread over 64 bits.
func TestDocKey(t *testing.T) {
	for _, c := range []struct {
		id   string
		want uint64
	}{
		{"", 0xf52a15e9a9b5e89b}, // computed apart, in Python
		{"a/001.txt", 0x80fd7dcc4942522c},
		{"news/2020-05-23.txt", 0x3d4365208ce3b98b},
	} {
		if got := DocKey(c.id); got != c.want {
			t.Errorf("DocKey(%q) = %#x, want %#x", c.id, got, c.want)
		}
	}
	var high, low int
	for i := range 1000 {
		k := DocKey(fmt.Sprintf("doc/%d.txt", i))
		high += int(k >> 63)
		low += int(k & 1)
	}
	if high < 400 || high > 600 || low < 400 || low > 600 {
		t.Errorf("DocKey of 1,000 ids: %d with the top bit, %d with the low bit, want about 500", high, low)
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

// TestWidenStableUnderAdditions: a document added with an id that sorts
// before every other, but a larger key, leaves every other occurrence
// widened as it was; by the order of ids (the rule before DocKey) it
// becomes its family's first occurrence and moves some of them. The
// footer is preceded by one context in some documents and by another in
// others, so that what widening takes in depends on the reference.
func TestWidenStableUnderAdditions(t *testing.T) {
	const k, w, seedK, docs, maxDF = 5, 4, 3, 60, 10
	footer := "To stop receiving these messages reply with the word stop or write to the association office at the old station building"
	contexts := [2]string{"as ever the newsletter ends here", "printed on paper made from recycled pulp"}
	r := rand.New(rand.NewPCG(15, 16))
	own := func(d, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "d%dw%d ", d, i)
		}
		return b.String()
	}
	ids := make([]string, docs)
	maxKey := uint64(0)
	for d := range ids {
		ids[d] = fmt.Sprintf("m/%03d.txt", d)
		maxKey = max(maxKey, DocKey(ids[d]))
	}
	// The document of least key has the second context; every third
	// other has the first, as has the added one.
	least := 0
	for d := range ids {
		if DocKey(ids[d]) < DocKey(ids[least]) {
			least = d
		}
	}
	texts := make([]string, docs)
	for d := range texts {
		c := contexts[1]
		if d != least && d%3 == 0 {
			c = contexts[0]
		}
		texts[d] = own(d, 10+r.IntN(20)) + c + " " + footer + " " + own(d+docs, 5+r.IntN(10))
	}
	added := ""
	for i := 0; added == ""; i++ {
		if id := fmt.Sprintf("a/%d.txt", i); DocKey(id) > maxKey {
			added = id
		}
	}
	addedText := own(2*docs, 12) + contexts[0] + " " + footer + " " + own(3*docs, 7)

	// widenAll widens every occurrence of the documents (numbered in
	// order of id), each family against References (byKey) or against its
	// first two occurrences (the order of ids), and returns them by id.
	widenAll := func(ids, texts []string, byKey bool) map[string][]Occurrence {
		tk := shingle.NewTokenizer()
		var ps []postings.Posting
		for d, text := range texts {
			ps, _ = fingerprints(ps, tk, text, uint32(d), k, w)
		}
		fams, _, _ := Boilerplate(context.Background(), boilerplatePostings(ps, maxDF), k, w)
		var key func(uint32) uint64
		if byKey {
			key = func(d uint32) uint64 { return DocKey(ids[d]) }
		}
		out := map[string][]Occurrence{}
		for _, fam := range widenEach(fams, texts, key, seedK, w) {
			for _, o := range fam {
				id := ids[o.Doc]
				o.Doc = 0
				out[id] = append(out[id], o)
			}
		}
		return out
	}
	moved := func(before, after map[string][]Occurrence) int {
		n := 0
		for id, os := range before {
			if fmt.Sprint(after[id]) != fmt.Sprint(os) {
				n++
			}
		}
		return n
	}
	withIDs, withTexts := append([]string{added}, ids...), append([]string{addedText}, texts...)
	if n := moved(widenAll(ids, texts, false), widenAll(withIDs, withTexts, false)); n == 0 {
		t.Fatalf("by the order of ids, adding %s moves no occurrence: the test checks nothing", added)
	}
	if n := moved(widenAll(ids, texts, true), widenAll(withIDs, withTexts, true)); n != 0 {
		t.Errorf("by key, adding %s moves the occurrences of %d documents, want none", added, n)
	}
}
