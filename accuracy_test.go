package reuse

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/eval/gen"
)

// TestAccuracy scans generated corpora with planted reuse of every class
// (package eval) at default settings and holds detection quality to the
// targets of the detection core: PAN plagdet, per-class recall, document
// pair precision and near-duplicate group F1. Generation is seeded, so the
// figures are exact and repeatable; go test -v prints them.
func TestAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and scans corpora")
	}
	recallTarget := map[string]float64{
		eval.ClassVerbatim: 0.95, eval.ClassReformatted: 0.95, eval.ClassRemix: 0.95, eval.ClassQuote: 0.95,
		eval.ClassLight: 0.85, eval.ClassHeavy: 0.78, eval.ClassSyndicated: 0.95,
	}
	// Quotes measure 1.000 on both seeds. Three of seed 2's planted quotes
	// are exactly an attribution ("Name, the manager of the ... Trust,
	// announced that"), which the evidence filter takes for a mention of a
	// name unless quotation marks enclose it (align.Evidence.Mention):
	// without that, 0.942.
	// Heavy edits measured 0.807 and 0.816 (seeds 1, 2) when that floor
	// was set, 0.758 and 0.757 before passages completed the sentences
	// they start and end in (reword.PairAligner).
	for _, seed := range []uint64{1, 2} {
		dir := t.TempDir()
		truth, err := gen.Generate(context.Background(), dir, gen.Config{Seed: seed, Docs: 300})
		if err != nil {
			t.Fatal(err)
		}
		r := scanCorpus(t, Options{}, filepath.Join(dir, "corpus"))
		s := eval.Score(truth, r)
		var table strings.Builder
		if err := s.WriteText(&table); err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d, %d documents:\n%s", seed, len(r.Documents), table.String())

		check := func(what string, got, want float64) {
			t.Helper()
			if got < want {
				t.Errorf("seed %d: %s = %.3f, want >= %.2f", seed, what, got, want)
			}
		}
		check("plagdet", s.Plagdet, 0.90)
		for class, want := range recallTarget {
			check(class+" recall", s.PerClass[class].Recall, want)
		}
		// The targets are light recall 0.90 and pair precision
		// 0.98; the figures measured here, and what the misses are, are
		// in the README's accuracy section. The test guards against
		// regressions below them.
		// A heavily edited paragraph is one passage: the reworded
		// aligner joins its exact pieces (--exact gives 1.068 on seed 1).
		if g := s.PerClass[eval.ClassHeavy].Granularity; g > 1.02 {
			t.Errorf("seed %d: heavy-edit granularity = %.3f, want <= 1.02", seed, g)
		}
		check("document pair precision", s.DocPairs.Precision, 0.99)
		check("group F1", s.Groups.F1, 0.95)
	}
}
