package cluster

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// benchVocab is a vocabulary of pseudo-words for generated text, drawn
// with Zipf frequencies so that a few short words are very common, as in
// English.
func benchVocab(n int) []string {
	syl := strings.Fields("ba ke ri to mu sa le po di na ve go lu fi ra te mo ka")
	vocab := append([]string(nil), words...)
	for i := 0; len(vocab) < n; i++ {
		w := ""
		for x := i; ; x /= len(syl) {
			w += syl[x%len(syl)]
			if x < len(syl) {
				break
			}
		}
		vocab = append(vocab, w)
	}
	return vocab
}

// benchTexts returns two texts of n words sharing the given number of
// passages of 15 to 60 words, in a different order in b, every other one
// with a few words changed.
func benchTexts(n, passages int) (a, b string) {
	r := rand.New(rand.NewPCG(uint64(n), uint64(passages)))
	vocab := benchVocab(20000)
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	text := func() []string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		return ws
	}
	wa, wb := text(), text()
	slot := n / passages
	perm := r.Perm(passages)
	for i := range passages {
		m := 15 + r.IntN(46)
		ai, bi := i*slot+r.IntN(slot-m), perm[i]*slot+r.IntN(slot-m)
		copy(wb[bi:bi+m], wa[ai:ai+m])
		if i%2 == 1 {
			for range 1 + m/20 {
				wb[bi+r.IntN(m)] = vocab[zipf.Uint64()]
			}
		}
	}
	sentences := func(ws []string) string {
		var sb strings.Builder
		for i, w := range ws {
			if i > 0 {
				if i%17 == 0 {
					sb.WriteString(". ")
				} else {
					sb.WriteByte(' ')
				}
			}
			sb.WriteString(w)
		}
		return sb.String()
	}
	return sentences(wa), sentences(wb)
}

// BenchmarkAlign aligns two 5,000-word texts that share 10 passages:
// SetA and Align per pair, and Align alone against an indexed A.
func BenchmarkAlign(b *testing.B) {
	ta0, tb0 := benchTexts(5000, 10)
	ta, tb := tokens(ta0), tokens(tb0)
	b.Run("pair", func(b *testing.B) {
		al := NewAligner(AlignOptions{})
		var spans []Span
		b.SetBytes(int64(len(ta0) + len(tb0)))
		b.ReportAllocs()
		for range b.N {
			al.SetA(ta)
			spans = al.Align(spans[:0], tb)
		}
		b.ReportMetric(float64(len(spans)), "passages")
	})
	b.Run("Align", func(b *testing.B) {
		al := NewAligner(AlignOptions{})
		al.SetA(ta)
		var spans []Span
		b.SetBytes(int64(len(tb0)))
		b.ReportAllocs()
		for range b.N {
			spans = al.Align(spans[:0], tb)
		}
		b.ReportMetric(float64(len(spans)), "passages")
	})
}

// benchPostings returns n postings of docs documents whose fingerprints
// have a realistic document frequency: most are held by one document,
// 1 in 8 by 2 to 6 (reuse), 1 in 5,000 by 100 to 1,000 (boilerplate:
// about 7% of the postings).
func benchPostings(n, docs int) []Posting {
	r := rand.New(rand.NewPCG(15, 16))
	ps := make([]Posting, 0, n)
	for h := uint64(1); len(ps) < n; h++ {
		df := 1
		switch x := r.IntN(5000); {
		case x < 1:
			df = 100 + r.IntN(901)
		case x < 626:
			df = 2 + r.IntN(5)
		}
		hash := mix(h)
		for range min(df, n-len(ps)) {
			ps = append(ps, Posting{Hash: hash, Doc: uint32(r.IntN(docs)), Pos: r.Uint32N(5000)})
		}
	}
	r.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	return ps
}

// BenchmarkCandidates finds the candidate pairs of 1M postings of 20,000
// documents, maxDF 50. Each iteration sorts a fresh copy (not timed).
func BenchmarkCandidates(b *testing.B) {
	ps := benchPostings(1_000_000, 20_000)
	work := make([]Posting, len(ps))
	var pairs []Candidate
	var boiler []Posting
	b.SetBytes(int64(16 * len(ps)))
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		copy(work, ps)
		b.StartTimer()
		pairs, boiler = candidates(work, 50, 4)
	}
	b.ReportMetric(float64(len(pairs)), "pairs")
	b.ReportMetric(float64(len(boiler)), "boilerplate")
}

// BenchmarkSortPostings sorts 1M random postings with SortPostings and,
// for comparison, with slices.SortFunc.
func BenchmarkSortPostings(b *testing.B) {
	ps := benchPostings(1_000_000, 20_000)
	for _, bm := range []struct {
		name string
		sort func([]Posting)
	}{
		{"radix", SortPostings},
		{"slices.SortFunc", func(ps []Posting) {
			slices.SortFunc(ps, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
		}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			work := make([]Posting, len(ps))
			b.SetBytes(int64(16 * len(ps)))
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				copy(work, ps)
				b.StartTimer()
				bm.sort(work)
			}
		})
	}
}

// benchFamilies returns the passages of 1,000 paragraphs syndicated into 2
// to 6 of 5,000 documents each (a passage for every pair of copies, ends
// off by a token or two), 500 quotes of them in other documents, and three
// boilerplate groups of 500 occurrences.
func benchFamilies() ([][2]Occurrence, [][]Occurrence) {
	r := rand.New(rand.NewPCG(17, 18))
	const docs = 5000
	jitter := func(o Occurrence) Occurrence {
		o.Start += int32(r.IntN(3))
		o.End -= int32(r.IntN(3))
		return o
	}
	var sides [][2]Occurrence
	var copies [][]Occurrence
	for range 1000 {
		n := int32(30 + r.IntN(150))
		var cs []Occurrence
		for range 2 + r.IntN(5) {
			s := int32(r.IntN(3000))
			cs = append(cs, Occurrence{Doc: uint32(r.IntN(docs)), Start: s, End: s + n})
		}
		for i := range cs {
			for j := i + 1; j < len(cs); j++ {
				if cs[i].Doc != cs[j].Doc {
					sides = append(sides, [2]Occurrence{jitter(cs[i]), jitter(cs[j])})
				}
			}
		}
		copies = append(copies, cs)
	}
	for range 500 {
		c := copies[r.IntN(len(copies))][0]
		off := int32(r.IntN(int(c.len() - 12)))
		s := int32(r.IntN(3000))
		sides = append(sides, [2]Occurrence{
			{Doc: c.Doc, Start: c.Start + off, End: c.Start + off + 12},
			{Doc: uint32(r.IntN(docs)), Start: s, End: s + 12},
		})
	}
	var boiler [][]Occurrence
	for g := range int32(3) {
		var occ []Occurrence
		for d := range 500 {
			occ = append(occ, Occurrence{Doc: uint32(d * 10), Start: 4000 + 100*g, End: 4040 + 100*g})
		}
		boiler = append(boiler, occ)
	}
	return sides, boiler
}

// BenchmarkFamilies groups about 7,000 passages and 1,500 boilerplate
// occurrences into families.
func BenchmarkFamilies(b *testing.B) {
	sides, boiler := benchFamilies()
	var fams []Family
	b.ReportAllocs()
	for range b.N {
		_, _, fams = Families(sides, boiler)
	}
	b.ReportMetric(float64(len(sides)), "passages")
	b.ReportMetric(float64(len(fams)), "families")
}

// adversarialPair returns two token sequences of about n tokens of one of
// the shapes that made alignment super-linear on real archives:
//
//	near-duplicate  one text and a copy with a word changed every 5,000
//	table           generated register headers: "#define BLOCK_FIELD__SHIFT 0xN"
//	                lines, few distinct words, the copy with a line in 50 changed
//	repeated        one word, n times, on both sides
func adversarialPair(kind string, n int) (a, b []shingle.Token) {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	var wa []string
	switch kind {
	case "near-duplicate":
		vocab := benchVocab(20000)
		zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
		for range n {
			wa = append(wa, vocab[zipf.Uint64()])
		}
	case "table":
		fields := strings.Fields("enable disable mode select status ctrl cntl base size limit addr data valid ready")
		for len(wa) < n {
			block := fmt.Sprintf("blk%d", r.IntN(n/200+1))
			wa = append(wa, "define", block, fields[r.IntN(len(fields))], fields[r.IntN(len(fields))], "shift", fmt.Sprintf("0x%x", r.IntN(32)))
		}
	case "repeated":
		for range n {
			wa = append(wa, "the")
		}
	}
	wb := slices.Clone(wa)
	every := 5000
	if kind == "table" {
		every = 300
	}
	for i := every / 2; i < len(wb); i += every {
		wb[i] = "changed"
	}
	return tokens(strings.Join(wa, " ")), tokens(strings.Join(wb, " "))
}

// BenchmarkAlignAdversarial aligns the shapes of adversarialPair at
// doubling sizes: the time per token must stay about flat.
func BenchmarkAlignAdversarial(b *testing.B) {
	for _, kind := range []string{"near-duplicate", "table", "repeated"} {
		for _, n := range []int{25000, 50000, 100000, 200000} {
			ta, tb := adversarialPair(kind, n)
			b.Run(fmt.Sprintf("%s/%d", kind, n), func(b *testing.B) {
				al := NewAligner(AlignOptions{})
				var spans []Span
				b.ReportAllocs()
				for b.Loop() {
					al.SetA(ta)
					spans = al.Align(spans[:0], tb)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ta)+len(tb)), "ns/token")
				b.ReportMetric(float64(len(spans)), "passages")
			})
		}
	}
}
