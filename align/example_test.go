package align_test

import (
	"context"
	"fmt"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/shingle"
)

// Two reports share a sentence, edited and reformatted in the second: one
// passage, with its byte range in each text.
func ExampleAligner() {
	a := []byte("The storm closed the coast road on Sunday. Engineers said the old stone piers " +
		"of the harbour bridge were cracked and would need months of repairs. Buses ran late.")
	b := []byte("Residents were warned. “The old stone piers of the Harbour Bridge were cracked\n" +
		"and will need months of repairs,” engineers said on Monday.")

	tk := shingle.NewTokenizer()
	ta := tk.Tokenize(nil, a)
	tb := tk.Tokenize(nil, b)

	al := align.New(align.Options{})
	al.SetA(ta)
	spans, err := al.Align(context.Background(), nil, tb)
	if err != nil {
		panic(err)
	}
	for _, s := range spans {
		aText := a[ta[s.AStart].Start:ta[s.AEnd-1].End]
		bText := b[tb[s.BStart].Start:tb[s.BEnd-1].End]
		fmt.Printf("A %d-%d: %q\n", ta[s.AStart].Start, ta[s.AEnd-1].End, aText)
		fmt.Printf("B %d-%d: %q\n", tb[s.BStart].Start, tb[s.BEnd-1].End, bText)
		fmt.Printf("%d words match, similarity %.2f\n", s.Matched, s.Similarity())
	}
	// Output:
	// A 58-145: "the old stone piers of the harbour bridge were cracked and would need months of repairs"
	// B 26-112: "The old stone piers of the Harbour Bridge were cracked\nand will need months of repairs"
	// 15 words match, similarity 0.94
}
