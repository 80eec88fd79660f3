package eval_test

import (
	"fmt"
	"os"

	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/result"
)

// A case of 100 bytes found as two halves: full precision and recall, but
// granularity 2 halves plagdet (F1 / log2(1+2)).
func ExampleScore() {
	truth := &eval.Truth{Schema: eval.TruthSchema, Cases: []eval.Case{{
		Class:  eval.ClassVerbatim,
		Source: "src/1.txt", SourceStart: 0, SourceEnd: 100,
		Target: "sus/2.txt", TargetStart: 500, TargetEnd: 600,
	}}}
	result := &result.Result{Pairs: []result.Pair{{
		A: "src/1.txt", B: "sus/2.txt",
		Passages: []result.Passage{
			{AStart: 0, AEnd: 50, BStart: 500, BEnd: 550},
			{AStart: 50, AEnd: 100, BStart: 550, BEnd: 600},
		},
	}}}
	s := eval.Score(truth, result)
	fmt.Printf("precision %.2f recall %.2f granularity %.2f plagdet %.3f\n",
		s.Precision, s.Recall, s.Granularity, s.Plagdet)
	s.WriteText(os.Stdout)
	// Output:
	// precision 1.00 recall 1.00 granularity 2.00 plagdet 0.631
	// class         cases  detected  detections  precision  recall  granularity  plagdet
	// verbatim          1         1           2      1.000   1.000        2.000    0.631
	// all               1         1           2      1.000   1.000        2.000    0.631
	// document pairs  precision 1.000  recall 1.000  F1 1.000  (truth 1, found 1, correct 1)
	// group pairs     precision 1.000  recall 1.000  F1 1.000  (truth 0, found 0, correct 0)
}
