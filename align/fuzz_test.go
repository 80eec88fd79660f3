package align

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// fuzzOptions derives aligner options from a fuzzed number: 0 gives
// the defaults, others small values that make short inputs align.
func fuzzOptions(knob uint16) Options {
	if knob == 0 {
		return Options{}
	}
	return Options{
		Seed:       1 + int(knob%4),
		MinWords:   1 + int(knob>>2%12),
		MaxGap:     1 + int(knob>>6%16),
		MaxRepeat:  1 + int(knob>>10%32),
		MinDensity: []float64{0, 0.1, 0.5, 1}[knob>>14&3],
	}
}

// checkAlignment reports the first broken promise of Align: passages
// inside both token ranges, not empty, ordered by AStart, not overlapping
// on either side, with MinWords..min(side lengths) matching tokens.
func checkAlignment(t *testing.T, opt Options, spans []Span, na, nb int) {
	t.Helper()
	for i, s := range spans {
		switch {
		case s.AStart < 0 || s.AEnd > int32(na) || s.BStart < 0 || s.BEnd > int32(nb):
			t.Fatalf("span %d %+v outside A[0,%d) or B[0,%d)", i, s, na, nb)
		case s.AStart >= s.AEnd || s.BStart >= s.BEnd:
			t.Fatalf("span %d %+v is empty", i, s)
		case s.Matched > min(s.AEnd-s.AStart, s.BEnd-s.BStart):
			t.Fatalf("span %d %+v matches more tokens than a side has", i, s)
		case s.Matched < int32(opt.MinWords):
			t.Fatalf("span %d %+v matches fewer than MinWords=%d tokens", i, s, opt.MinWords)
		}
		if i > 0 {
			p := spans[i-1]
			if p.AStart > s.AStart {
				t.Fatalf("spans %d %+v and %d %+v not ordered by AStart", i-1, p, i, s)
			}
			if p.AEnd > s.AStart {
				t.Fatalf("spans %d %+v and %d %+v overlap in A", i-1, p, i, s)
			}
		}
		for j, p := range spans[:i] {
			if p.BStart < s.BEnd && s.BStart < p.BEnd {
				t.Fatalf("spans %d %+v and %d %+v overlap in B", j, p, i, s)
			}
		}
	}
}

// fuzzSeeds are pairs of texts written for the fuzzer: shared passages,
// edited, reordered and repeated.
var fuzzSeeds = [][2]string{
	{
		"The ferry to the island was cancelled on Monday after strong winds damaged the landing stage, and the harbour master said repairs would take at least a week.",
		"Islanders were angry. The ferry to the island was cancelled on Monday after strong winds damaged the landing stage, and the harbour master said repairs would take at least a week. Shops ran short of bread.",
	},
	{
		"Apple growers in the upper valley expect a smaller harvest this autumn because a late frost killed many of the blossoms in April.",
		"Apple growers in the valley expect a much smaller harvest this year since a late frost killed most of the blossoms in early April, the cooperative said.",
	},
	{
		"First the council voted to close the pool. Then it agreed to sell the old depot. Finally it postponed the decision on the new bus lanes until spring.",
		"Finally it postponed the decision on the new bus lanes until spring. First the council voted to close the pool. Then it agreed to sell the old depot.",
	},
	{
		strings.Repeat("the river rose and the river fell ", 20),
		"Every year the river rose and the river fell and the river rose and the river fell again.",
	},
	{
		"今天上午，市政府宣布将在河边修建一座新的图书馆，预计明年秋天开放。",
		"据报道，市政府宣布将在河边修建一座新的图书馆，预计明年秋天开放。居民表示欢迎。",
	},
	{"", "a b c d e f g h i j k l"},
	{"a b c d e f g h i j k l m n", "a b c d e f g h i j k l m n"},
	{"a a a a a a a a a a a a a a a a a a a a", "a a a a a a a a a a a a"},
}

// FuzzAlign checks the promises of Align, with the default options, on
// any two texts.
func FuzzAlign(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		fuzzAlign(t, a, b, Options{})
	})
}

// FuzzOptions is FuzzAlign with small options too, which make short
// inputs align.
func FuzzOptions(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add([]byte(s[0]), []byte(s[1]), uint16(0))
		f.Add([]byte(s[0]), []byte(s[1]), uint16(uint32(i)*2654435761))
	}
	f.Fuzz(func(t *testing.T, a, b []byte, knob uint16) {
		fuzzAlign(t, a, b, fuzzOptions(knob))
	})
}

// FuzzAlignSymbols is FuzzAlign on sequences over a tiny vocabulary (each
// byte one of vocab symbols), where matches are everywhere and chains
// compete: the case random text rarely reaches.
func FuzzAlignSymbols(f *testing.F) {
	f.Add([]byte("abcabcabcabcabcabcabc"), []byte("abcabcabcabcabcabcabc"), uint8(3))
	f.Add([]byte("the cat sat on the mat and the dog sat on the log"), []byte("on the mat the dog sat and the cat sat on the log"), uint8(4))
	f.Add([]byte{0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0}, []byte{1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0}, uint8(2))
	f.Fuzz(func(t *testing.T, a, b []byte, vocab uint8) {
		v := 2 + int(vocab%5)
		ta, tb := fuzzSymbols(a, v), fuzzSymbols(b, v)
		al := New(Options{})
		al.SetA(ta)
		checkAlignment(t, al.Options(), alignOf(al, nil, tb), len(ta), len(tb))
	})
}

// fuzzSymbols turns each byte of s into a token, one of v symbols.
func fuzzSymbols(s []byte, v int) []shingle.Token {
	toks := make([]shingle.Token, len(s))
	for i, c := range s {
		toks[i] = shingle.Token{Start: uint32(2 * i), End: uint32(2*i + 1), Hash: uint64(1+int(c)%v) * 0x9e3779b97f4a7c15}
	}
	return toks
}

// TestAlignOverlapRepro is the smallest input found (by random search
// over two symbols, shrunk by hand) where two passages of Align overlap.
func TestAlignOverlapRepro(t *testing.T) {
	tk := shingle.NewTokenizer()
	a := tk.Tokenize(nil, []byte("ne ja ja ne ne ne ja ne ne ja ne ne ne ne ja ne"))
	b := tk.Tokenize(nil, []byte("ne ja ja ne ne ne ja ne ne ne ne ja ne ne ne ne ja ne"))
	al := New(Options{})
	al.SetA(a)
	// Today: [{0 9 0 9 9} {7 16 9 18 9}], A tokens 7 and 8 in both.
	checkAlignment(t, al.Options(), alignOf(al, nil, b), len(a), len(b))
	// Small options, from FuzzOptions: an overlap in B.
	a = tk.Tokenize(nil, []byte("A A A 1"))
	b = tk.Tokenize(nil, []byte("A 0 A 1 000"))
	al = New(Options{Seed: 1, MinWords: 1, MaxGap: 16, MaxRepeat: 21, MinDensity: 0.1})
	al.SetA(a)
	// Today: [{0 2 0 3 2} {2 4 2 4 2}], B token 2 in both.
	checkAlignment(t, al.Options(), alignOf(al, nil, b), len(a), len(b))
	// Seed 4: runs that overlap by a whole seed (joins allows gap -Seed)
	// are split into passages sharing 3 tokens of A and 4 of B.
	a = tk.Tokenize(nil, []byte("A A A A A A A 0 A A A A A A A A"))
	b = tk.Tokenize(nil, []byte("A A A A 0 00000000000"))
	al = New(Options{Seed: 4, MinWords: 3, MaxGap: 16, MaxRepeat: 21, MinDensity: 0.1})
	al.SetA(a)
	// Today: [{2 6 0 4 4} {3 8 0 5 5}].
	checkAlignment(t, al.Options(), alignOf(al, nil, b), len(a), len(b))
}

// fuzzAlign aligns a with b, and b with a, and checks the passages; and
// that an Aligner gives the same passages when reused and after indexing
// another document.
func fuzzAlign(t *testing.T, a, b []byte, opt Options) {
	tk := shingle.NewTokenizer()
	ta := tk.Tokenize(nil, a)
	tb := tk.Tokenize(nil, b)
	al := New(opt)
	opt = al.Options()
	al.SetA(ta)
	prefix := []Span{{AStart: -7, AEnd: -7}}
	spans := alignOf(al, slices.Clone(prefix), tb)
	if spans[0] != prefix[0] {
		t.Fatalf("Align overwrote dst[0]: %+v", spans[0])
	}
	spans = spans[1:]
	checkAlignment(t, opt, spans, len(ta), len(tb))

	// Reused scratch memory changes nothing.
	if again := alignOf(al, nil, tb); !slices.Equal(again, spans) {
		t.Fatalf("second Align = %+v, first %+v", again, spans)
	}
	// B against A, then A again: the index is rebuilt cleanly.
	al.SetA(tb)
	back := alignOf(al, nil, ta)
	checkAlignment(t, opt, back, len(tb), len(ta))
	al.SetA(ta)
	if again := alignOf(al, nil, tb); !slices.Equal(again, spans) {
		t.Fatalf("Align after SetA(b), SetA(a) = %+v, first %+v", again, spans)
	}
	// The ahead table, built at once or never, changes nothing.
	for _, mode := range []aheadMode{aheadAlways, aheadNever} {
		al := New(opt)
		al.aheadMode = mode
		al.SetA(ta)
		if got := alignOf(al, nil, tb); !slices.Equal(got, spans) {
			t.Fatalf("Align with ahead mode %d = %+v, default %+v", mode, got, spans)
		}
	}
}

// FuzzAlignAnchors checks the promises of AlignSeeds given any anchors,
// right or wrong (each pair of bytes of where places one in A and B).
func FuzzAlignAnchors(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s[0]), []byte(s[1]), []byte{0, 0, 3, 9, 255, 4})
	}
	f.Fuzz(func(t *testing.T, a, b, where []byte) {
		tk := shingle.NewTokenizer()
		ta, tb := tk.Tokenize(nil, a), tk.Tokenize(nil, b)
		if len(tb) == 0 {
			return
		}
		var anchors []Anchor
		for i := 0; i+1 < len(where); i += 2 {
			x := Anchor{A: int32(where[i]) - 1, B: int32(where[i+1]) % int32(len(tb))}
			if int(x.A) >= len(ta) {
				x.A = -1
			}
			anchors = append(anchors, x)
		}
		slices.SortFunc(anchors, func(x, y Anchor) int { return int(x.B - y.B) })
		al := New(Options{})
		al.SetA(ta)
		seeds := seedsOf(tb, al.Options().Seed)
		spans, err := al.AlignSeeds(context.Background(), nil, seeds, anchors)
		if err != nil {
			t.Fatal(err)
		}
		checkAlignment(t, al.Options(), spans, len(ta), len(tb))
		for _, mode := range []aheadMode{aheadAlways, aheadNever} {
			al := New(Options{})
			al.aheadMode = mode
			al.SetA(ta)
			got, err := al.AlignSeeds(context.Background(), nil, seeds, anchors)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, spans) {
				t.Fatalf("AlignSeeds with ahead mode %d = %+v, default %+v", mode, got, spans)
			}
		}
	})
}
