package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

func TestWriteTextNoReuse(t *testing.T) {
	tests := []struct {
		r    *result.Result
		want string
	}{
		{&result.Result{}, "no reuse found: 0 documents, 0 words\n"},
		{resulttest.NoReuse(), "no reuse found: 3 documents, 1,512 words\n"},
		{&result.Result{Stats: result.Stats{Documents: 1, Words: 1, Skipped: 2}}, "no reuse found: 1 document, 1 word (2 inputs skipped)\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := WriteText(&buf, tt.r, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("WriteText(%+v) = %q, want %q", tt.r.Stats, got, tt.want)
		}
	}
}

func TestWriteTextTop(t *testing.T) {
	tests := []struct {
		top       int
		more      int // lines saying "… and N more"
		pairsRows int
	}{
		{0, 0, 3},
		{-1, 0, 3},
		{3, 2, 3}, // documents, clusters
		{2, 3, 2}, // pairs, documents, clusters
		{1, 3, 1}, // pairs, documents, clusters (there is one group)
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := WriteText(&buf, resulttest.Scan(), TextOptions{Top: tt.top}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if got := strings.Count(out, "\n  … and "); got != tt.more {
			t.Errorf("WriteText(Top: %d) has %d \"more\" lines, want %d:\n%s", tt.top, got, tt.more, out)
		}
		pairs, _, _ := strings.Cut(out[strings.Index(out, "Pairs sharing"):], "\n\n")
		// Rows: the section's lines but its title, its header and "more".
		if got := strings.Count(pairs, "\n") - 1 - strings.Count(pairs, "…"); got != tt.pairsRows {
			t.Errorf("WriteText(Top: %d) lists %d pairs, want %d:\n%s", tt.top, got, tt.pairsRows, pairs)
		}
		for i, line := range strings.Split(out, "\n") {
			if strings.TrimRight(line, " ") != line {
				t.Errorf("WriteText(Top: %d) line %d has trailing blanks: %q", tt.top, i+1, line)
			}
		}
	}
}

func TestWriteTextUnsafeID(t *testing.T) {
	r := resulttest.Scan()
	r.Pairs[0].A = "evil\x1b[2J\tname.txt"
	var buf bytes.Buffer
	if err := WriteText(&buf, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(buf.String(), "\x1b\t") {
		t.Errorf("WriteText let a control character through:\n%q", buf.String())
	}
	if !strings.Contains(buf.String(), `"evil\x1b[2J\tname.txt"`) {
		t.Errorf("WriteText does not show the quoted ID:\n%s", buf.String())
	}
}

func TestTermExcerpt(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"", 10, ""},
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"  spaces \n\t collapse  ", 20, "spaces collapse"},
		{"bell\a and \x00nul", 20, "bell\ufffd and \ufffdnul"},
		{"bad \xff byte", 20, "bad \ufffd byte"},
		{"one two three four five six", 14, "one two three…"},
		{"one two three, four", 16, "one two three…"}, // trailing comma dropped
		{"supercalifragilistic", 10, "supercali…"},    // no space: cut mid-word
		{"a supercalifragilistic", 10, "a superca…"},  // space too early to use
		{"市长表示我们必须立即采取行动", 10, "市长表示…"},               // wide: two columns each
		{"市长表示，我们必须", 11, "市长表示，…"},
		{"e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"}, // accents stay on their letters
		{"👍🏽👍🏽👍🏽", 5, "👍🏽👍🏽…"},                                 // emoji with skin tone is one cluster
	}
	for _, tt := range tests {
		got := termExcerpt(tt.in, tt.width)
		if got != tt.want {
			t.Errorf("termExcerpt(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		if !utf8.ValidString(got) || uniseg.StringWidth(got) > tt.width {
			t.Errorf("termExcerpt(%q, %d) = %q: invalid or %d columns wide", tt.in, tt.width, got, uniseg.StringWidth(got))
		}
	}
}

// TestTermExcerptAllCuts cuts mixed text at every width and checks the
// invariants: valid UTF-8, within the width, a prefix of the collapsed text.
func TestTermExcerptAllCuts(t *testing.T) {
	for _, s := range []string{
		resulttest.Scan().Clusters[0].Text,
		"Ångström e\u0301 👍🏽 日本語のテキスト and some words — with dashes",
	} {
		full := termExcerpt(s, 1000)
		for w := 1; w <= uniseg.StringWidth(full)+1; w++ {
			got := termExcerpt(s, w)
			if !utf8.ValidString(got) || uniseg.StringWidth(got) > w {
				t.Errorf("termExcerpt(%q, %d) = %q: invalid or too wide", s, w, got)
			}
			if !strings.HasPrefix(full, strings.TrimSuffix(got, "…")) {
				t.Errorf("termExcerpt(%q, %d) = %q: not a prefix", s, w, got)
			}
		}
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		in   int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"},
		{123456, "123,456"}, {1234567, "1,234,567"}, {-1234, "-1,234"}, {-12, "-12"},
	}
	for _, tt := range tests {
		if got := termCount(tt.in); got != tt.want {
			t.Errorf("termCount(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSafeID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a/001.txt", "a/001.txt"},
		{`c/say "hi", bob.txt`, `c/say "hi", bob.txt`},
		{"Zeitung/Bürger 市长.txt", "Zeitung/Bürger 市长.txt"},
		{"tab\there", `"tab\there"`},
		{"new\nline", `"new\nline"`},
		{"bad\xffutf8", `"bad\xffutf8"`},
	}
	for _, tt := range tests {
		if got := termID(tt.in); got != tt.want {
			t.Errorf("termID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriteTextUnreusedDocuments: documents with no reuse are listed last
// when every row is asked for, and counted when the list is cut.
func TestWriteTextUnreusedDocuments(t *testing.T) {
	r := &result.Result{
		Stats: result.Stats{Documents: 4, Words: 40, ReusedWords: 15, Pairs: 1, Passages: 1},
		Documents: []result.Document{
			{ID: "a", Words: 10, ReusedWords: 10, ReusedPct: 100},
			{ID: "b", Words: 10, ReusedWords: 5, ReusedPct: 50},
			{ID: "c", Words: 10},
			{ID: "d", Words: 10},
		},
		Pairs: []result.Pair{{A: "a", B: "b", SharedWords: 5, Passages: []result.Passage{{Words: 5, Similarity: 1}}}},
	}
	tests := []struct {
		top  int
		want string // in the documents section
	}{
		{-1, "  a         -     10     10      100.0%\n  b         -     10     5       50.0%\n  c         -     10     0       0.0%\n  d         -     10     0       0.0%\n"},
		{1, "  a         -     10     10      100.0%\n  … and 3 more, 2 with no reuse\n"},
		{2, "  b         -     10     5       50.0%\n  … and 2 more, all with no reuse\n"},
		{3, "  c         -     10     0       0.0%\n  … and 1 more, with no reuse\n"},
	}
	for _, tt := range tests {
		var sb strings.Builder
		if err := WriteText(&sb, r, TextOptions{Top: tt.top}); err != nil {
			t.Fatal(err)
		}
		_, docs, _ := strings.Cut(sb.String(), "Most reused documents\n")
		if !strings.Contains(docs, tt.want) {
			t.Errorf("WriteText(Top %d): documents section\n%s\nwant it to hold\n%s", tt.top, docs, tt.want)
		}
	}
}

// TestWriteTextClustersIncomplete: a check that stopped following its
// clusters says how many under the counts, and only then, and marks
// them in the list.
func TestWriteTextClustersIncomplete(t *testing.T) {
	const note = "\n1 of the clusters and 0 of the groups not followed through the whole archive (--follow-limit)"
	for _, incomplete := range []bool{false, true} {
		r := resulttest.Scan()
		r.Stats.ClustersIncomplete = incomplete
		r.Clusters[0].Incomplete = incomplete
		r.Clusters[0].Boilerplate = false
		var buf bytes.Buffer
		if err := WriteText(&buf, r, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(buf.String(), "\n", 4)
		if got := strings.HasPrefix("\n"+lines[2], note); got != incomplete || strings.Contains(buf.String(), note) != incomplete {
			t.Errorf("ClustersIncomplete %v: the note as third line %v, want %v:\n%s", incomplete, got, incomplete, buf.String())
		}
		if got := strings.Contains(buf.String(), `" (incomplete)`); got != incomplete {
			t.Errorf("ClustersIncomplete %v: a cluster marked (incomplete) %v, want %v:\n%s", incomplete, got, incomplete, buf.String())
		}
	}
}
