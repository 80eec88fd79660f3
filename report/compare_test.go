package report_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/result"
)

// A comparison of two documents (reuse compare): both documents and their
// shares, then each passage with its byte offsets on both sides, its
// words, similarity and cluster, and an excerpt of each side.
func ExampleWriteComparison() {
	texts := map[string]string{
		"draft.txt":     "Notes. The council approved the new cycle lane on Mill Road after a long debate on Tuesday night.",
		"published.txt": "MILLBROOK - The council approved the new cycle lane on Mill Road after a long debate on Tuesday.",
	}
	r := &result.Result{
		Stats: result.Stats{Documents: 2, Words: 35, ReusedWords: 30, Pairs: 1, Passages: 1},
		Documents: []result.Document{
			{ID: "draft.txt", Words: 18, ReusedWords: 16, ReusedPct: 88.9},
			{ID: "published.txt", Date: "2024-03-05", Words: 17, ReusedWords: 15, ReusedPct: 88.2},
		},
		Pairs: []result.Pair{{A: "draft.txt", B: "published.txt", APct: 88.9, BPct: 88.2, SharedWords: 15,
			Passages: []result.Passage{{AStart: 7, AEnd: 90, BStart: 12, BEnd: 96, Words: 15, Similarity: 0.97}}}},
	}
	text := func(id string) ([]byte, error) { return []byte(texts[id]), nil }
	if err := report.WriteComparison(os.Stdout, r, text); err != nil {
		panic(err)
	}
	// Output:
	// 2 documents, 35 words, 15 shared in 1 passage
	//   A  draft.txt      -           18 words  88.9% shared with B
	//   B  published.txt  2024-03-05  17 words  88.2% shared with A
	//
	// Passage 1: 15 words, similarity 0.97
	//   A  bytes 7-90   "The council approved the new cycle lane on Mill Road after a…"
	//   B  bytes 12-96  "The council approved the new cycle lane on Mill Road after a…"
}

// TestWriteComparisonProblems: a text that cannot be read, or that no
// longer holds a passage's offsets, is named in place of its excerpt; a
// pair with no passage is "no reuse found", which Sniff recognises.
func TestWriteComparisonProblems(t *testing.T) {
	r := &result.Result{
		Stats:     result.Stats{Documents: 2, Words: 20},
		Documents: []result.Document{{ID: "a", Words: 10}, {ID: "b", Words: 10}},
		Pairs: []result.Pair{{A: "a", B: "b", SharedWords: 10,
			Passages: []result.Passage{{AStart: 0, AEnd: 500, BStart: 0, BEnd: 5, Words: 10, Similarity: 1}}}},
	}
	text := func(id string) ([]byte, error) {
		if id == "b" {
			return nil, errors.New("b: no such file")
		}
		return []byte("short"), nil
	}
	var sb strings.Builder
	if err := report.WriteComparison(&sb, r, text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"A  bytes 0-500  (outside the text: it changed since the scan)", "B  bytes 0-5    (text unreadable: b: no such file)"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("WriteComparison wrote\n%s\nwant a line %q", sb.String(), want)
		}
	}
	r.Pairs = nil
	sb.Reset()
	report.WriteComparison(&sb, r, text)
	if out := sb.String(); !strings.HasPrefix(out, "no reuse found: 2 documents, 20 words\n") || report.Sniff([]byte(out)) != "text" {
		t.Errorf("WriteComparison with no pair = %q, want it to begin with no reuse found", out)
	}
}

// TestWriteComparisonKind: a reworded or summary passage says so in its
// heading; an exact one says nothing of its kind.
func TestWriteComparisonKind(t *testing.T) {
	text := func(string) ([]byte, error) { return []byte(strings.Repeat("word ", 40)), nil }
	for kind, want := range map[string]string{
		"":                  "Passage 1: 12 words, similarity 0.70\n",
		result.KindReworded: "Passage 1: 12 words, reworded, similarity 0.70\n",
		result.KindSummary:  "Passage 1: 12 words, summary, similarity 0.70\n",
	} {
		r := &result.Result{
			Documents: []result.Document{{ID: "a", Words: 40}, {ID: "b", Words: 40}},
			Pairs: []result.Pair{{A: "a", B: "b", SharedWords: 12,
				Passages: []result.Passage{{AStart: 0, AEnd: 60, BStart: 0, BEnd: 60, Words: 12, Similarity: 0.7, Kind: kind}}}},
		}
		var b strings.Builder
		if err := report.WriteComparison(&b, r, text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), want) {
			t.Errorf("kind %q: comparison\n%s\nwant a line %q", kind, b.String(), want)
		}
	}
}
