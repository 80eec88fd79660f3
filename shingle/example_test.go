package shingle_test

import (
	"fmt"

	"github.com/reuse-tool/reuse/shingle"
)

func ExampleTokenizer_Tokenize() {
	text := []byte("“Don’t” re-\nuse the boys' ＣＬＵＢ—東京!")
	tk := shingle.NewTokenizer()
	toks := tk.Tokenize(nil, text)
	for _, tok := range toks {
		fmt.Printf("%2d-%2d %q\n", tok.Start, tok.End, text[tok.Start:tok.End])
	}
	// Normalized forms hash equal.
	dont := tk.Tokenize(nil, []byte("dont"))
	club := tk.Tokenize(nil, []byte("club"))
	fmt.Println(toks[0].Hash == dont[0].Hash, toks[4].Hash == club[0].Hash)
	// Output:
	//  3-10 "Don’t"
	// 14-21 "re-\nuse"
	// 22-25 "the"
	// 26-30 "boys"
	// 32-44 "ＣＬＵＢ"
	// 47-50 "東"
	// 50-53 "京"
	// true true
}

// Shingles of k tokens, winnowed with window w: two texts that share a run
// of at least w+k-1 tokens share a fingerprint.
func ExampleWinnow() {
	const k, w = 3, 4
	tk := shingle.NewTokenizer()
	a := []byte("Officials said the bridge would reopen within weeks, after repairs.")
	b := []byte("Traffic resumed on Monday. The bridge would reopen within weeks, officials said.")

	fingerprints := func(text []byte) []shingle.Fingerprint {
		toks := tk.Tokenize(nil, text)
		fp, _ := shingle.Winnow(nil, nil, shingle.Shingles(nil, toks, k), w)
		return fp
	}
	fa, fb := fingerprints(a), fingerprints(b)
	fmt.Printf("%d and %d fingerprints\n", len(fa), len(fb))
	// Token offsets, to show the words a shared fingerprint covers.
	ta := tk.Tokenize(nil, a)
	for _, x := range fa {
		for _, y := range fb {
			if x.Hash == y.Hash {
				first, last := ta[x.Pos], ta[int(x.Pos)+k-1]
				fmt.Printf("shingle %d of A = shingle %d of B: %q\n", x.Pos, y.Pos, a[first.Start:last.End])
			}
		}
	}
	// Output:
	// 2 and 4 fingerprints
	// shingle 3 of A = shingle 5 of B: "bridge would reopen"
}

// Similarity estimates the Jaccard similarity of two texts' shingle sets
// from their MinHash signatures. Here a and b share 8 of their 14 distinct
// 2-token shingles (Jaccard 0.57). A 256-value estimate has a standard
// error of about 0.03 on average, but go-minhash's permutations h1 + i·h2
// are not independent, and on a set this small one pair can be off by
// more (here 0.11).
func ExampleSimilarity() {
	tk := shingle.NewTokenizer()
	s := shingle.NewSigner(256)
	sign := func(text string) []uint64 {
		toks := tk.Tokenize(nil, []byte(text))
		return s.Sign(nil, shingle.Shingles(nil, toks, 2))
	}
	a := sign("The bridge will reopen within weeks after repairs, officials said on Tuesday.")
	b := sign("Officials said on Tuesday the bridge would reopen within weeks after repairs.")
	c := sign("Heavy rain is expected across the region until the end of the week.")
	fmt.Printf("a~b %.2f\na~c %.2f\n", shingle.Similarity(a, b), shingle.Similarity(a, c))
	// Output:
	// a~b 0.46
	// a~c 0.00
}
