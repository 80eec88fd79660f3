package reuse

import (
	"bytes"
	"testing"
)

// TestMemoryBudgetSameResult scans a generated corpus with the smallest
// budget, where the postings come in several loads and the pair keys
// wait on disk, and with the default: the JSON must be the same bytes.
func TestMemoryBudgetSameResult(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a corpus")
	}
	dir, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	const budget = 1 << 20
	small := scanCorpus(t, Options{Memory: budget}, dir)
	// Postings are 16 bytes, about one for three words; a load holds a
	// quarter of the budget. Fewer than two loads would test nothing.
	if postings := small.Stats.Words / 3 * 16; postings < 2*budget/4 {
		t.Fatalf("corpus of %d words gives about %d bytes of postings: one load of a %d-byte budget", small.Stats.Words, postings, budget)
	}
	want := jsonOf(t, scanCorpus(t, Options{}, dir))
	if got := jsonOf(t, small); !bytes.Equal(got, want) {
		t.Errorf("Memory: %d gives %d bytes of JSON that differ from the default's %d", budget, len(got), len(want))
	}
}
