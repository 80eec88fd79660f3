package reword

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/shingle"
)

// tokenSpan returns the tokens of toks lying inside the first occurrence
// of sub in text.
func tokenSpan(t *testing.T, text, sub string, toks []shingle.Token) (from, to int32) {
	t.Helper()
	at := strings.Index(text, sub)
	if at < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	from, to = -1, -1
	for i, tk := range toks {
		if from < 0 && int(tk.Start) >= at {
			from = int32(i)
		}
		if int(tk.End) <= at+len(sub) {
			to = int32(i) + 1
		}
	}
	return from, to
}

func TestEdges(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a, b  string
		passA []string // the passages as found, on A
		passB []string // and on B
		wantA []string // after edges
		wantB []string
	}{{
		name:  "edited start",
		a:     "Markets rose sharply across the region today. The daily day reported that the mayor settled the dispute about the council. Rain fell over the northern hills overnight.",
		b:     "Farmers in the valley expect a good harvest. The daily reported day that the mayor settled the dispute about the council. Shops closed early for the holiday.",
		passA: []string{"that the mayor settled the dispute about the council"},
		passB: []string{"that the mayor settled the dispute about the council"},
		wantA: []string{"The daily day reported that the mayor settled the dispute about the council"},
		wantB: []string{"The daily reported day that the mayor settled the dispute about the council"},
	}, {
		name:  "edited end",
		a:     "The province of the agency has approved the farming commission budget this year with droughts. Rain fell over the northern hills overnight.",
		b:     "The province of the agency has approved the farming commission budget their year with investors droughts. Shops closed early for the holiday.",
		passA: []string{"The province of the agency has approved the farming commission budget"},
		passB: []string{"The province of the agency has approved the farming commission budget"},
		wantA: []string{"The province of the agency has approved the farming commission budget this year with droughts"},
		wantB: []string{"The province of the agency has approved the farming commission budget their year with investors droughts"},
	}, {
		name:  "a short sentence joined to the next adds nothing",
		a:     "Markets rose sharply across the region today. The daily day reported that the mayor settled the dispute about the council. Rain fell over the northern hills overnight.",
		b:     "Unrelated here. The daily reported day that the mayor settled the dispute about the council. Shops closed early for the holiday.",
		passA: []string{"that the mayor settled the dispute about the council"},
		passB: []string{"that the mayor settled the dispute about the council"},
		wantA: []string{"daily day reported that the mayor settled the dispute about the council"},
		wantB: []string{"daily reported day that the mayor settled the dispute about the council"},
	}, {
		name:  "a reworded piece too unlike",
		a:     "Markets rose sharply across the region today. Harbour cranes and fishing boats and the old lighthouse stood while the mayor settled the dispute about the council. Rain fell.",
		b:     "Farmers in the valley expect a good harvest. A quiet afternoon passed slowly in the lighthouse while the mayor settled the dispute about the council. Shops closed.",
		passA: []string{"the mayor settled the dispute about the council"},
		passB: []string{"the mayor settled the dispute about the council"},
		wantA: []string{"the mayor settled the dispute about the council"},
		wantB: []string{"the mayor settled the dispute about the council"},
	}, {
		name:  "a quote in the writer's own sentence",
		a:     "Smith wrote that the old mill on the river closed in May last year. More.",
		b:     "Officials said the old mill on the river closed in May last year, adding details.",
		passA: []string{"the old mill on the river closed in May last year"},
		passB: []string{"the old mill on the river closed in May last year"},
		wantA: []string{"the old mill on the river closed in May last year"},
		wantB: []string{"the old mill on the river closed in May last year"},
	}, {
		name:  "the writer's words after a quote",
		a:     "Markets rose sharply across the region today. \"We will not balance this budget on the backs of renters again,\" she told the chamber, to applause from the public gallery. Rain fell over the northern hills overnight.",
		b:     "Farmers in the valley expect a good harvest. She said: \"We will not balance this budget on the backs of renters again\" to a packed public gallery. Shops closed early for the holiday.",
		passA: []string{"We will not balance this budget on the backs of renters again"},
		passB: []string{"We will not balance this budget on the backs of renters again"},
		wantA: []string{"We will not balance this budget on the backs of renters again"},
		wantB: []string{"We will not balance this budget on the backs of renters again"},
	}, {
		name:  "a leading article",
		a:     "Markets rose sharply across the region today. The skee dropped by fifteen percent to six billion dollars in spring.",
		b:     "Farmers in the valley expect a good harvest. The skee dropped by fifteen percent to six billion dollars in spring.",
		passA: []string{"skee dropped by fifteen percent to six billion dollars in spring"},
		passB: []string{"skee dropped by fifteen percent to six billion dollars in spring"},
		wantA: []string{"The skee dropped by fifteen percent to six billion dollars in spring"},
		wantB: []string{"The skee dropped by fifteen percent to six billion dollars in spring"},
	}, {
		name:  "the first and the last word replaced",
		a:     "Markets rose sharply across the region today. Engineers expect the harbour bridge to reopen after the repairs in March. Rain fell over the northern hills overnight.",
		b:     "Farmers in the valley expect a good harvest. Officials expect the harbour bridge to reopen after the repairs in April. Shops closed early for the holiday.",
		passA: []string{"expect the harbour bridge to reopen after the repairs in"},
		passB: []string{"expect the harbour bridge to reopen after the repairs in"},
		wantA: []string{"Engineers expect the harbour bridge to reopen after the repairs in March"},
		wantB: []string{"Officials expect the harbour bridge to reopen after the repairs in April"},
	}, {
		name:  "two words replaced are not one",
		a:     "Markets rose sharply across the region today. Harbour engineers expect the bridge to reopen after the repairs in March. Rain fell.",
		b:     "Farmers in the valley expect a good harvest. City officials expect the bridge to reopen after the repairs in March. Shops closed.",
		passA: []string{"expect the bridge to reopen after the repairs in March"},
		passB: []string{"expect the bridge to reopen after the repairs in March"},
		wantA: []string{"expect the bridge to reopen after the repairs in March"},
		wantB: []string{"expect the bridge to reopen after the repairs in March"},
	}, {
		name:  "two passages in one sentence keep apart",
		a:     "The harbour board approved seven new cranes for the eastern dock while the city council rejected the plan for a new bridge over the river.",
		b:     "The harbour board approved seven new cranes for the eastern dock although the city council rejected the plan for a new bridge over the river.",
		passA: []string{"The harbour board approved seven new cranes for the eastern dock", "the city council rejected the plan for a new bridge over the river"},
		passB: []string{"The harbour board approved seven new cranes for the eastern dock", "the city council rejected the plan for a new bridge over the river"},
		wantA: []string{"The harbour board approved seven new cranes for the eastern dock", "the city council rejected the plan for a new bridge over the river"},
		wantB: []string{"The harbour board approved seven new cranes for the eastern dock", "the city council rejected the plan for a new bridge over the river"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ta, da := analyze(tc.a)
			tb, db := analyze(tc.b)
			var ps []Passage
			for i := range tc.passA {
				a0, a1 := tokenSpan(t, tc.a, tc.passA[i], ta)
				b0, b1 := tokenSpan(t, tc.b, tc.passB[i], tb)
				ps = append(ps, Passage{AStart: a0, AEnd: a1, BStart: b0, BEnd: b1, Similarity: 0.9, Kind: Exact})
			}
			var e edger
			e.edges(ps, &da, &db)
			for i, p := range ps {
				gotA := tc.a[ta[p.AStart].Start:ta[p.AEnd-1].End]
				gotB := tc.b[tb[p.BStart].Start:tb[p.BEnd-1].End]
				if gotA != tc.wantA[i] || gotB != tc.wantB[i] {
					t.Errorf("passage %d = %q | %q, want %q | %q", i, gotA, gotB, tc.wantA[i], tc.wantB[i])
				}
			}
		})
	}
}

// refEdges is edges written the obvious way: every other passage checked
// for each piece, terms counted in maps.
func refEdges(ps []Passage, a, b *Doc) []Passage {
	out := append([]Passage(nil), ps...)
	freeOf := func(i int, a0, a1, b0, b1 int32) bool {
		for j, q := range ps {
			if j != i && (q.AStart < a1 && a0 < q.AEnd || q.BStart < b1 && b0 < q.BEnd) {
				return false
			}
		}
		return true
	}
	termSet := func(d *Doc, from, to int32) map[uint32]int {
		m := map[uint32]int{}
		for i := from; i < to; i++ {
			if t := d.Term(int(i)); t != 0 {
				m[t]++
			}
		}
		return m
	}
	count := func(m map[uint32]int) (n int) {
		for _, c := range m {
			n += c
		}
		return n
	}
	alikeRef := func(a0, a1, b0, b1 int32) bool {
		ca, cb := termSet(a, a0, a1), termSet(b, b0, b1)
		shared := 0
		for t, n := range ca {
			shared += min(n, cb[t])
		}
		return float64(shared) >= 0.5*float64(max(count(ca), count(cb)))
	}
	stops := func(d *Doc, from, to int32) bool { return to-from <= 2 && count(termSet(d, from, to)) == 0 }
	// shared lists the tokens of [from, to) of d whose term is in other.
	shared := func(d *Doc, from, to int32, other map[uint32]int) []int32 {
		var out []int32
		for i := from; i < to; i++ {
			if t := d.Term(int(i)); t != 0 && other[t] > 0 {
				out = append(out, i)
			}
		}
		return out
	}
	tooLong := func(a0, a1, b0, b1 int32) bool {
		return a1 <= a0 || b1 <= b0 || a1-a0 > MaxEdge || b1-b0 > MaxEdge
	}
	for i, p := range ps {
		a0, b0 := sentenceStart(a, p.AStart), sentenceStart(b, p.BStart)
		if freeOf(i, a0, p.AStart, b0, p.BStart) && !tooLong(a0, p.AStart, b0, p.BStart) {
			sa := shared(a, a0, p.AStart, termSet(b, b0, p.BStart))
			sb := shared(b, b0, p.BStart, termSet(a, a0, p.AStart))
			switch {
			case len(sa) == 0:
				// Nothing shared: only stop words, or one word replaced.
				if stops(a, a0, p.AStart) && stops(b, b0, p.BStart) || p.AStart-a0 == 1 && p.BStart-b0 == 1 {
					out[i].AStart, out[i].BStart = a0, b0
				}
			case alikeRef(a0, p.AStart, b0, p.BStart):
				out[i].AStart, out[i].BStart = sa[0], sb[0]
				if stops(a, a0, sa[0]) && stops(b, b0, sb[0]) {
					out[i].AStart, out[i].BStart = a0, b0
				}
			}
		}
		a1, b1 := sentenceEnd(a, p.AEnd-1), sentenceEnd(b, p.BEnd-1)
		if freeOf(i, p.AEnd, a1, p.BEnd, b1) && !tooLong(p.AEnd, a1, p.BEnd, b1) {
			sa := shared(a, p.AEnd, a1, termSet(b, p.BEnd, b1))
			sb := shared(b, p.BEnd, b1, termSet(a, p.AEnd, a1))
			switch {
			case len(sa) == 0:
				if stops(a, p.AEnd, a1) && stops(b, p.BEnd, b1) || a1-p.AEnd == 1 && b1-p.BEnd == 1 {
					out[i].AEnd, out[i].BEnd = a1, b1
				}
			case alikeRef(p.AEnd, a1, p.BEnd, b1):
				ea, eb := sa[len(sa)-1]+1, sb[len(sb)-1]+1
				out[i].AEnd, out[i].BEnd = ea, eb
				if stops(a, ea, a1) && stops(b, eb, b1) {
					out[i].AEnd, out[i].BEnd = a1, b1
				}
			}
		}
	}
	return out
}

// randomSentences returns the sentence starts of a document of n tokens,
// sentences of 1 to 12 tokens.
func randomSentences(r *rand.Rand, n int) []int32 {
	s := []int32{0}
	for at := int32(1 + r.IntN(12)); at < int32(n); at += int32(1 + r.IntN(12)) {
		s = append(s, at)
	}
	return s
}

// randomPassages returns up to k passages disjoint on both sides, in A
// order, their B ranges in random order.
func randomPassages(r *rand.Rand, na, nb, k int) []Passage {
	cut := func(n int) [][2]int32 {
		var out [][2]int32
		for at := int32(r.IntN(8)); at < int32(n) && len(out) < k; {
			l := int32(1 + r.IntN(15))
			end := min(at+l, int32(n))
			out = append(out, [2]int32{at, end})
			at = end + int32(r.IntN(10))
		}
		return out
	}
	as, bs := cut(na), cut(nb)
	m := min(len(as), len(bs))
	r.Shuffle(len(bs), func(i, j int) { bs[i], bs[j] = bs[j], bs[i] })
	ps := make([]Passage, m)
	for i := range m {
		ps[i] = Passage{AStart: as[i][0], AEnd: as[i][1], BStart: bs[i][0], BEnd: bs[i][1], Kind: Exact}
	}
	return ps
}

// TestEdgesReference checks edges against refEdges on small random
// documents (a vocabulary of 6 terms and stop words, so that pieces
// often match), and that the passages stay inside both documents and
// disjoint on each side.
func TestEdgesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var e edger
	grew := 0
	for iter := range 3000 {
		na, nb := 1+r.IntN(80), 1+r.IntN(80)
		terms := func(n int) []uint32 {
			ts := make([]uint32, n)
			for i := range ts {
				if r.IntN(3) > 0 {
					ts[i] = uint32(1 + r.IntN(6))
				}
			}
			return ts
		}
		a := hashDoc(terms(na), randomSentences(r, na))
		b := hashDoc(terms(nb), randomSentences(r, nb))
		ps := randomPassages(r, na, nb, 1+r.IntN(6))
		want := refEdges(ps, &a, &b)
		got := append([]Passage(nil), ps...)
		e.edges(got, &a, &b)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("case %d: edges(%v) =\n%v, want\n%v", iter, ps, got, want)
		}
		checkPassagesAnyOrder(t, got, na, nb)
		if fmt.Sprint(got) != fmt.Sprint(ps) {
			grew++
		}
	}
	if grew < 300 {
		t.Errorf("only %d of 3000 cases grew a passage: the reference checks little", grew)
	}
	// No allocation once the scratch has grown.
	a := hashDoc(make([]uint32, 80), randomSentences(r, 80))
	ps := randomPassages(r, 80, 80, 6)
	got := make([]Passage, len(ps))
	if n := testing.AllocsPerRun(100, func() { copy(got, ps); e.edges(got, &a, &a) }); n != 0 {
		t.Errorf("edges allocates %v times a call", n)
	}
}

// checkPassagesAnyOrder is checkPassages for passages not sorted by
// AStart.
func checkPassagesAnyOrder(t *testing.T, ps []Passage, na, nb int) {
	t.Helper()
	for i, p := range ps {
		if p.AStart < 0 || p.AStart >= p.AEnd || int(p.AEnd) > na || p.BStart < 0 || p.BStart >= p.BEnd || int(p.BEnd) > nb {
			t.Fatalf("passage %d %+v outside %d×%d tokens or empty", i, p, na, nb)
		}
		for _, q := range ps[:i] {
			if q.AStart < p.AEnd && p.AStart < q.AEnd || q.BStart < p.BEnd && p.BStart < q.BEnd {
				t.Fatalf("passages overlap: %+v and %+v", q, p)
			}
		}
	}
}

// TestAlignCompletesSentences checks that a pair's alignment completes
// the sentence an edited copy starts in: the exact run starts after the
// first edit, the passage at the sentence's start.
func TestAlignCompletesSentences(t *testing.T) {
	a := "The weather was fine in the valley. The daily day reported that the mayor settled the long dispute about the harbour council after a vote, and the board of the Tenia Farming Association held its annual meeting in the city hall. Sports results follow."
	b := "A new shop opened in town today. The daily reported day that the mayor settled the long dispute about the harbour council after one vote, and the board of the Tenia Farming Association held its annual meeting in the town hall. Markets were calm."
	ps, ta, tb := alignTexts(a, b)
	if len(ps) != 1 {
		t.Fatalf("got %d passages %v, want 1", len(ps), ps)
	}
	p := ps[0]
	gotA := a[ta[p.AStart].Start:ta[p.AEnd-1].End]
	gotB := b[tb[p.BStart].Start:tb[p.BEnd-1].End]
	if !strings.HasPrefix(gotA, "The daily day reported") || !strings.HasPrefix(gotB, "The daily reported day") {
		t.Errorf("passage %q | %q does not start at its sentence's start", gotA, gotB)
	}
}

// TestAlignPairCompletesVerbatimRun: a pair whose one exact passage is
// verbatim does not show rewording, so the reworded aligner does not run
// on it (AlignPair); the sentence it starts in is completed all the same,
// from the analyses read for it.
func TestAlignPairCompletesVerbatimRun(t *testing.T) {
	a := "Markets rose sharply across the region today. The daily day reported that the mayor settled the long dispute about the harbour council after a vote. Rain fell over the northern hills overnight."
	b := "Farmers in the valley expect a good harvest. The daily reported day that the mayor settled the long dispute about the harbour council after a vote. Shops closed early for the holiday."
	ta, da := analyze(a)
	tb, db := analyze(b)
	pa := NewPairAligner(align.Options{}, Options{})
	aSeeds, _ := shingle.Seeds(nil, ta, pa.ExactOptions().Seed, nil)
	bSeeds, _ := shingle.Seeds(nil, tb, pa.ExactOptions().Seed, nil)
	for _, analyzed := range []bool{true, false} {
		loadA, loadB := da, db
		if !analyzed {
			loadB = Doc{}
		}
		pa.SetASeedsLater(aSeeds, len(ta), func(Doc) (Doc, error) { return loadA, nil })
		got, err := pa.AlignPair(context.Background(), nil, Pair{Seeds: bSeeds, Tokens: len(tb),
			Load: func(Doc) (Doc, error) { return loadB, nil }})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Kind != Exact || got[0].Similarity != 1 {
			t.Fatalf("analyzed %v: got %+v, want one verbatim passage", analyzed, got)
		}
		p := got[0]
		gotA := a[ta[p.AStart].Start:ta[p.AEnd-1].End]
		gotB := b[tb[p.BStart].Start:tb[p.BEnd-1].End]
		wantA, wantB := "The daily day reported that", "The daily reported day that"
		if !analyzed {
			wantA, wantB = "that the mayor", "that the mayor"
		}
		if !strings.HasPrefix(gotA, wantA) || !strings.HasPrefix(gotB, wantB) {
			t.Errorf("analyzed %v: passage %q | %q, want it to start with %q | %q", analyzed, gotA, gotB, wantA, wantB)
		}
	}
}
