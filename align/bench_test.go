package align

import (
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
	vocab := strings.Fields("the a of to and in on for with by at from said new old year")
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
		al := New(Options{})
		var spans []Span
		b.SetBytes(int64(len(ta0) + len(tb0)))
		b.ReportAllocs()
		for range b.N {
			al.SetA(ta)
			spans = alignOf(al, spans[:0], tb)
		}
		b.ReportMetric(float64(len(spans)), "passages")
	})
	b.Run("Align", func(b *testing.B) {
		al := New(Options{})
		al.SetA(ta)
		var spans []Span
		b.SetBytes(int64(len(tb0)))
		b.ReportAllocs()
		for range b.N {
			spans = alignOf(al, spans[:0], tb)
		}
		b.ReportMetric(float64(len(spans)), "passages")
	})
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
				al := New(Options{})
				var spans []Span
				b.ReportAllocs()
				for b.Loop() {
					al.SetA(ta)
					spans = alignOf(al, spans[:0], tb)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ta)+len(tb)), "ns/token")
				b.ReportMetric(float64(len(spans)), "passages")
			})
		}
	}
}
