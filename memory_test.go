package reuse

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
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

// TestMemorySketchSameResult: keys that would not fit in their share of
// the budget are sketched first (candidate.Shuffle.SketchPairs), in one
// load or several, and the JSON is the default's.
func TestMemorySketchSameResult(t *testing.T) {
	// 40 copies of a text, each with a line of its own: every fingerprint
	// held by 40 documents makes 780 keys of its 40 postings.
	dir := t.TempDir()
	files, err := filepath.Glob("testdata/corpus/*/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("testdata/corpus: %d text files, %v", len(files), err)
	}
	var text []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text = append(text, b...)
	}
	for i := range 40 {
		doc := fmt.Sprintf("Copy number %d of the text, printed on page %d.\n\n%s", i, 3*i+1, text)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d.txt", i)), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := jsonOf(t, scanCorpus(t, Options{}, dir))
	defer func() { sketchHook = nil }()
	words := scanCorpus(t, Options{}, dir).Stats.Words
	// Postings are 16 bytes, about one for three words; a load holds a
	// quarter of the budget, keys (20 bytes, 19.5 a posting here) an
	// eighth: 5 times the postings' bytes is one load whose keys do not
	// fit, 2 times several loads.
	for _, tc := range []struct {
		times int64
		loads string
	}{{5, "one"}, {2, "several"}} {
		budget := int64(words) / 3 * 16 * tc.times
		var got string
		sketchHook = func(oneLoad bool) { got = map[bool]string{true: "one", false: "several"}[oneLoad] }
		if js := jsonOf(t, scanCorpus(t, Options{Memory: budget}, dir)); !bytes.Equal(js, want) {
			t.Errorf("Memory: %d gives %d bytes of JSON that differ from the default's %d", budget, len(js), len(want))
		}
		if got != tc.loads {
			t.Errorf("Memory: %d: sketched %q loads, want %q", budget, got, tc.loads)
		}
	}
}
