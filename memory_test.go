package reuse

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/result"
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
	var spooled []bool
	boilerplateHook = func(s bool) { spooled = append(spooled, s) }
	defer func() { boilerplateHook = nil }()
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
	// Boilerplate postings that outgrow their share go to a spool by
	// ranges of documents, read back a few ranges at a time; not at the
	// budgets above, which hold this corpus's.
	// (Text in more than 5 of this corpus's documents is boilerplate.)
	const tiny, maxDF = 1 << 10, 5
	want = jsonOf(t, scanCorpus(t, Options{MaxDF: maxDF}, dir))
	if got := jsonOf(t, scanCorpus(t, Options{MaxDF: maxDF, Memory: budget, boilerplateBytes: tiny}, dir)); !bytes.Equal(got, want) {
		t.Errorf("Memory: %d, boilerplate %d bytes at once, gives %d bytes of JSON that differ from the default's %d", budget, tiny, len(got), len(want))
	}
	if !slices.Equal(spooled, []bool{false, false, false, true}) {
		t.Errorf("boilerplate postings spooled: %v, want only in the last scan", spooled)
	}
}

// TestMemorySketchSameResult: keys that would not fit in their share of
// the budget are sketched first (candidate.Shuffle.SketchPairs), in one
// load or several, and the sketch is given up when the keys would crowd
// it; the JSON is the default's every time.
func TestMemorySketchSameResult(t *testing.T) {
	// texts joins the text files of pattern until they hold words words.
	texts := func(pattern string, words int) []byte {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %d files, %v", pattern, len(files), err)
		}
		var text []byte
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if text = append(text, b...); len(bytes.Fields(text)) >= words {
				break
			}
		}
		return text
	}
	small := texts("testdata/corpus/*/*.txt", 1e9)
	var large []byte // a budget of 2 times needs 100,000 words (1 MiB)
	if !testing.Short() {
		dir, err := generated()
		if err != nil {
			t.Fatal(err)
		}
		large = texts(filepath.Join(dir, "*", "*.txt"), 20000)
	}
	defer func() { sketchHook = nil }()
	// Copies of a text, each with a line of its own: P postings (16 bytes,
	// about one for three words) make about P·(copies-1)/2 keys. A budget
	// of M bytes loads M/4 of postings at once, holds M/8 of keys (20
	// bytes each) and gives the sketch M/4 counters, rounded down to a
	// power of two: times is M in units of 16·P.
	for _, tc := range []struct {
		text          []byte
		copies, times int
		oneLoad, kept bool
	}{
		{text: small, copies: 40, times: 10, oneLoad: true, kept: true},  // 19.5·P keys, 20 to 40·P counters
		{text: large, copies: 6, times: 2, oneLoad: false, kept: true},   // 2.5·P keys, 4 to 8·P counters
		{text: small, copies: 40, times: 2, oneLoad: false, kept: false}, // 19.5·P keys: given up
	} {
		if tc.text == nil {
			continue // -short: no generated corpus
		}
		text := tc.text
		dir := t.TempDir()
		for i := range tc.copies {
			doc := fmt.Sprintf("Copy number %d of the text, printed on page %d.\n\n%s", i, 3*i+1, text)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d.txt", i)), []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		sketchHook = nil
		def := scanCorpus(t, Options{}, dir)
		want := jsonOf(t, def)
		budget := int64(def.Stats.Words) / 3 * 16 * int64(tc.times)
		called := false
		var oneLoad, kept bool
		sketchHook = func(o, k bool) { called, oneLoad, kept = true, o, k }
		if got := jsonOf(t, scanCorpus(t, Options{Memory: budget}, dir)); !bytes.Equal(got, want) {
			t.Errorf("%d copies, Memory: %d gives %d bytes of JSON that differ from the default's %d", tc.copies, budget, len(got), len(want))
		}
		if !called || oneLoad != tc.oneLoad || kept != tc.kept {
			t.Errorf("%d copies, Memory: %d: sketched %v, one load %v, kept %v; want sketched, one load %v, kept %v",
				tc.copies, budget, called, oneLoad, kept, tc.oneLoad, tc.kept)
		}
	}
}

// TestMemorySketchRewordedKeys: the reworded keys' shuffle sketches its
// pairs as the fingerprints' does (a pair sharing one key is no
// candidate of the keys), and the result is byte-identical to the
// default budget's. Forty copies of the example corpus make about
// 0.16·w·780 pair keys of the reworded keys for w words a copy; a budget
// of 20,000·w bytes holds a twentieth of them in memory (Memory/32) and
// gives the sketch (Memory/16, four counters a byte) forty times as many
// counters as keys.
func TestMemorySketchRewordedKeys(t *testing.T) {
	files, err := filepath.Glob("testdata/corpus/*/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("testdata/corpus: %d files, %v", len(files), err)
	}
	var text []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text = append(text, b...)
	}
	dir := t.TempDir()
	const copies = 40
	for i := range copies {
		doc := fmt.Sprintf("Copy number %d of the text, printed on page %d.\n\n%s", i, 3*i+1, text)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d.txt", i)), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	defer func() { sketchHook = nil }()
	sketchHook = nil
	def := scanCorpus(t, Options{Reworded: true}, dir)
	want := jsonOf(t, def)
	budget := int64(def.Stats.Words) / copies * 20000
	type call struct{ oneLoad, kept bool }
	var calls []call
	sketchHook = func(o, k bool) { calls = append(calls, call{o, k}) }
	if got := jsonOf(t, scanCorpus(t, Options{Reworded: true, Memory: budget}, dir)); !bytes.Equal(got, want) {
		t.Errorf("Memory: %d gives %d bytes of JSON that differ from the default's %d", budget, len(got), len(want))
	}
	// The fingerprints' shuffle sketches first, then the keys'.
	if len(calls) != 2 || !calls[1].kept {
		t.Errorf("Memory: %d: sketches %+v, want two, the keys' (the second) kept", budget, calls)
	}
}

// TestClustersInParts: clusters of more than Options.clusterPart members
// are converted and handed to the sink in parts (as a large archive's
// boilerplate is: assemble.Options.PartMembers), and the JSON, the JSON
// Lines and the collected result are those of clusters given whole;
// boilerplate (MaxDF 2) too, whose members are widened. So are they when
// the budget makes each batch of clusters one cluster
// (assemble.Options.BatchBytes).
func TestClustersInParts(t *testing.T) {
	for _, opt := range []Options{{}, {MaxDF: 2}} {
		whole := scanCorpus(t, opt, exampleCorpus)
		large, boilerplate := 0, 0
		for _, c := range whole.Clusters {
			if len(c.Members) > 2 || len(c.Documents) > 2 {
				large++
			}
			if c.Boilerplate && len(c.Members) > 2 {
				boilerplate++
			}
		}
		if large < 3 || (opt.MaxDF > 0 && boilerplate == 0) {
			t.Fatalf("MaxDF %d: %d clusters of more than 2 members, %d of them boilerplate: too few to test", opt.MaxDF, large, boilerplate)
		}
		wantJSON := jsonOf(t, whole)
		var wantJSONL bytes.Buffer
		if err := report.WriteJSONL(&wantJSONL, whole); err != nil {
			t.Fatal(err)
		}
		// Parts of 1 and 2 members (batches of 16 and 32), and whole
		// clusters in batches of one cluster each (a byte a batch).
		for _, part := range []int{1, 2, 0} {
			o := opt
			o.clusterPart = part
			if part == 0 {
				o.clusterBatch = 1
			}
			if got := jsonOf(t, scanCorpus(t, o, exampleCorpus)); !bytes.Equal(got, wantJSON) {
				t.Errorf("MaxDF %d, parts of %d: the collected result differs from the whole clusters'", opt.MaxDF, part)
			}
			for name, sink := range map[string]func(io.Writer) result.Sink{"json": result.NewJSONSink, "jsonl": report.NewJSONLSink} {
				want := wantJSON
				if name == "jsonl" {
					want = wantJSONL.Bytes()
				}
				var got bytes.Buffer
				if err := ScanTo(context.Background(), []string{exampleCorpus}, o, sink(&got)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("MaxDF %d, parts of %d: %s differs from the whole clusters' (%d bytes, want %d)", opt.MaxDF, part, name, got.Len(), len(want))
				}
			}
		}
	}
}

// TestDefaultMemory: the default budget is half the system's memory up
// to DefaultMemoryCap, never below 256 MiB, and the cap when the
// system's memory is unknown.
func TestDefaultMemory(t *testing.T) {
	const mib = 1 << 20
	tests := []struct{ system, want int64 }{
		{0, DefaultMemoryCap},
		{-1, DefaultMemoryCap},
		{100 * mib, 256 * mib},
		{512 * mib, 256 * mib},
		{1024 * mib, 512 * mib},
		{2048 * mib, DefaultMemoryCap},
		{24 << 30, DefaultMemoryCap},
		{1 << 40, DefaultMemoryCap},
	}
	for _, tt := range tests {
		if got := defaultMemory(tt.system); got != tt.want {
			t.Errorf("defaultMemory(%d) = %d, want %d", tt.system, got, tt.want)
		}
	}
	if got := DefaultMemory(); got < 256*mib || got > DefaultMemoryCap {
		t.Errorf("DefaultMemory() = %d, want within [256 MiB, %d]", got, int64(DefaultMemoryCap))
	}
}
