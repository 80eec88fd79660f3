package eval

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
)

// The fixture in testdata/pan: PAN XML (one file per pair, 2013-style, and
// one without cases) and texts in subfolders, with 2-, 3- and 4-byte
// UTF-8 before and inside the cases, so character and byte offsets differ.
const (
	panXML   = "testdata/pan/xml"
	panTexts = "testdata/pan/texts"
)

func TestReadPANTruth(t *testing.T) {
	tr, err := ReadPANTruth(panXML, panTexts)
	if err != nil {
		t.Fatal(err)
	}
	wantDocs := []string{"source-document00001.txt", "source-document00002.txt",
		"suspicious-document00001.txt", "suspicious-document00002.txt", "suspicious-document00003.txt"}
	if len(tr.Documents) != len(wantDocs) {
		t.Fatalf("ReadPANTruth: %d documents, want %d", len(tr.Documents), len(wantDocs))
	}
	for i, d := range tr.Documents {
		if d.ID != wantDocs[i] {
			t.Errorf("document %d = %q, want %q", i, d.ID, wantDocs[i])
		}
	}
	text := func(id string) string {
		for _, dir := range []string{"src", "susp"} {
			if b, err := os.ReadFile(filepath.Join(panTexts, dir, id)); err == nil {
				return string(b)
			}
		}
		t.Fatalf("no text %s", id)
		return ""
	}
	want := []struct {
		class, target, source, targetText, sourceText string
	}{
		{"none", "suspicious-document00001.txt", "source-document00001.txt",
			"The quick brown fox jumps over the lazy dog while the old mill turns slowly by the river.",
			"The quick brown fox jumps over the lazy dog while the old mill turns slowly by the river."},
		{ClassPlagiarism, "suspicious-document00001.txt", "source-document00001.txt",
			"Größe, Straße, Fußgänger crossing the street in the early morning light of spring",
			"Größe, Straße, Fußgänger crossing the street in the early morning light of spring"},
		{"random", "suspicious-document00002.txt", "source-document00002.txt",
			"The harbour committee met on a Tuesday to discuss the new ferry time table for islands.",
			"the harbour committee met on Tuesday to discuss the new ferry timetable 🚢 for the islands."},
	}
	if len(tr.Cases) != len(want) {
		t.Fatalf("ReadPANTruth: %d cases, want %d: %+v", len(tr.Cases), len(want), tr.Cases)
	}
	for i, w := range want {
		c := tr.Cases[i]
		if c.Class != w.class || c.Target != w.target || c.Source != w.source {
			t.Errorf("case %d = %s %s<-%s, want %s %s<-%s", i, c.Class, c.Target, c.Source, w.class, w.target, w.source)
			continue
		}
		if got := text(c.Target)[c.TargetStart:c.TargetEnd]; got != w.targetText {
			t.Errorf("case %d target bytes [%d,%d) = %q, want %q", i, c.TargetStart, c.TargetEnd, got, w.targetText)
		}
		if got := text(c.Source)[c.SourceStart:c.SourceEnd]; got != w.sourceText {
			t.Errorf("case %d source bytes [%d,%d) = %q, want %q", i, c.SourceStart, c.SourceEnd, got, w.sourceText)
		}
	}
}

// A result that finds every case exactly, under a scan's ids (paths
// relative to the scanned folder), scores 1 once MatchIDs has renamed the
// truth's documents.
func TestPANPerfectResult(t *testing.T) {
	tr, err := ReadPANTruth(panXML, panTexts)
	if err != nil {
		t.Fatal(err)
	}
	scanID := func(name string) string {
		if strings.HasPrefix(name, "source") {
			return "src/" + name
		}
		return "susp/" + name
	}
	var r result.Result
	var ids []string
	for _, d := range tr.Documents {
		ids = append(ids, scanID(d.ID))
		r.Documents = append(r.Documents, result.Document{ID: scanID(d.ID)})
	}
	for _, c := range tr.Cases {
		a, b := scanID(c.Source), scanID(c.Target)
		p := result.Passage{AStart: c.SourceStart, AEnd: c.SourceEnd, BStart: c.TargetStart, BEnd: c.TargetEnd}
		if a > b {
			a, b = b, a
			p = result.Passage{AStart: c.TargetStart, AEnd: c.TargetEnd, BStart: c.SourceStart, BEnd: c.SourceEnd}
		}
		r.Pairs = append(r.Pairs, result.Pair{A: a, B: b, Passages: []result.Passage{p}})
	}

	if s := Score(tr, &r); s.Detected != 0 {
		t.Fatalf("before MatchIDs: %d cases detected, want 0 (ids differ)", s.Detected)
	}
	n, err := tr.MatchIDs(ids)
	if err != nil || n != len(tr.Documents) {
		t.Fatalf("MatchIDs = %d, %v; want %d, nil", n, err, len(tr.Documents))
	}
	s := Score(tr, &r)
	if s.Precision != 1 || s.Recall != 1 || s.Granularity != 1 || s.Plagdet != 1 {
		t.Errorf("perfect result: precision %v recall %v granularity %v plagdet %v, want 1",
			s.Precision, s.Recall, s.Granularity, s.Plagdet)
	}
	for _, class := range []string{"none", "random", ClassPlagiarism} {
		if cs := s.PerClass[class]; cs.Cases == 0 || cs.Recall != 1 {
			t.Errorf("class %s: %+v, want recall 1", class, cs)
		}
	}
}

func TestMatchIDs(t *testing.T) {
	tests := []struct {
		ids     []string
		want    int
		wantErr error
		source  string
	}{
		{[]string{"a/x.txt", "b/y.txt"}, 2, nil, "a/x.txt"},
		{[]string{"x.txt", "y.txt"}, 2, nil, "x.txt"},
		{[]string{"a/x.txt"}, 1, nil, "a/x.txt"},
		{[]string{"a/xx.txt", "zx.txt"}, 0, nil, "x.txt"}, // a suffix that is not a whole name
		{[]string{"a/x.txt", "b/x.txt", "y.txt"}, 0, ErrAmbiguous, ""},
		{[]string{"x.txt", "b/x.txt", "y.txt"}, 2, nil, "x.txt"}, // the exact id wins
		{[]string{"corpus/x.txt", "corpus/y.txt", "other/y.txt.bak"}, 2, nil, "corpus/x.txt"},
	}
	for _, tt := range tests {
		tr := &Truth{Schema: TruthSchema,
			Documents: []TruthDoc{{ID: "x.txt"}, {ID: "y.txt"}},
			Cases:     []Case{{Class: "none", Source: "x.txt", Target: "y.txt"}}}
		n, err := tr.MatchIDs(tt.ids)
		if !errors.Is(err, tt.wantErr) || n != tt.want {
			t.Errorf("MatchIDs(%q) = %d, %v; want %d, %v", tt.ids, n, err, tt.want, tt.wantErr)
			continue
		}
		if err == nil && tr.Cases[0].Source != tt.source {
			t.Errorf("MatchIDs(%q): source %q, want %q", tt.ids, tr.Cases[0].Source, tt.source)
		}
	}
}

func TestReadPANTruthErrors(t *testing.T) {
	const text = "Straße und Größe.\n" // 18 characters, 21 bytes
	feature := func(attrs string) string {
		return `<document reference="s.txt"><feature name="plagiarism" ` + attrs + `/></document>`
	}
	ok := `this_offset="0" this_length="6" source_reference="r.txt" source_offset="7" source_length="10"`
	tests := []struct {
		name, xml string
		wantErr   error // nil: no error
	}{
		{"valid", feature(ok), nil},
		{"end of text", feature(`this_offset="0" this_length="18" source_reference="r.txt" source_offset="18" source_length="0"`), nil},
		{"beyond text", feature(`this_offset="10" this_length="9" source_reference="r.txt" source_offset="0" source_length="1"`), ErrPANFormat},
		{"not a number", feature(`this_offset="x" this_length="6" source_reference="r.txt" source_offset="7" source_length="10"`), ErrPANFormat},
		{"end overflows", feature(`this_offset="3" this_length="9223372036854775807" source_reference="r.txt" source_offset="0" source_length="1"`), ErrPANFormat},
		{"negative", feature(`this_offset="-1" this_length="6" source_reference="r.txt" source_offset="7" source_length="10"`), ErrPANFormat},
		{"no source", feature(`this_offset="0" this_length="6" source_offset="7" source_length="10"`), ErrPANFormat},
		{"missing text", feature(`this_offset="0" this_length="6" source_reference="q.txt" source_offset="7" source_length="10"`), ErrPANText},
		{"no reference", `<document><feature name="about"/></document>`, ErrPANFormat},
		{"broken xml", `<document reference="s.txt"><feature`, ErrPANFormat},
		{"detections ignored", `<document reference="s.txt"><feature name="detected-plagiarism" this_offset="x"/></document>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			xmlDir, texts := filepath.Join(dir, "xml"), filepath.Join(dir, "texts")
			for _, d := range []string{xmlDir, texts} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for name, data := range map[string]string{
				filepath.Join(xmlDir, "s.xml"): tt.xml,
				filepath.Join(texts, "s.txt"):  text,
				filepath.Join(texts, "r.txt"):  text,
			} {
				if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tr, err := ReadPANTruth(xmlDir, texts)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("ReadPANTruth: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReadPANTruth = %+v, %v; want error %v", tr, err, tt.wantErr)
			}
		})
	}
}

// TestMatchResult matches the ids of a result's documents and of its
// pairs, which need not be listed as documents.
func TestMatchResult(t *testing.T) {
	tr := &Truth{Schema: TruthSchema,
		Documents: []TruthDoc{{ID: "x.txt"}, {ID: "y.txt"}},
		Cases:     []Case{{Class: "none", Source: "x.txt", Target: "y.txt"}}}
	r := &result.Result{
		Documents: []result.Document{{ID: "corpus/x.txt"}},
		Pairs:     []result.Pair{{A: "corpus/x.txt", B: "corpus/y.txt"}},
	}
	n, err := tr.MatchResult(r)
	if err != nil || n != 2 || tr.Cases[0].Source != "corpus/x.txt" || tr.Cases[0].Target != "corpus/y.txt" {
		t.Errorf("MatchResult = %d, %v, case %+v; want 2 renamed to corpus/", n, err, tr.Cases[0])
	}
}

// A PAN folder's pairs file restricts scoring to the listed pairs, as
// PAN's scorer does: a detection in another pair changes nothing, and
// one in a listed pair without cases counts against precision.
func TestPANListedPairs(t *testing.T) {
	dir := t.TempDir()
	ents, err := os.ReadDir(panXML)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(panXML, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pairs := "suspicious-document00001.txt source-document00001.txt\n" +
		"# a comment, and a blank line\n\n" +
		"suspicious-document00002.txt\tsource-document00002.txt\n" +
		"suspicious-document00003.txt source-document00001.txt\n"
	if err := os.WriteFile(filepath.Join(dir, PairsFile), []byte(pairs), 0o644); err != nil {
		t.Fatal(err)
	}
	tr, err := ReadPANTruth(dir, panTexts)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Pairs) != 3 {
		t.Fatalf("ReadPANTruth: %d listed pairs, want 3: %v", len(tr.Pairs), tr.Pairs)
	}
	// A perfect result, plus a detection in a pair not listed and one in
	// a listed pair without cases.
	var r result.Result
	for _, c := range tr.Cases {
		r.Pairs = append(r.Pairs, result.Pair{A: c.Source, B: c.Target, Passages: []result.Passage{
			{AStart: c.SourceStart, AEnd: c.SourceEnd, BStart: c.TargetStart, BEnd: c.TargetEnd}}})
	}
	perfect := Score(tr, &r)
	r.Pairs = append(r.Pairs, result.Pair{A: "source-document00002.txt", B: "suspicious-document00003.txt",
		Passages: []result.Passage{{AStart: 0, AEnd: 10, BStart: 0, BEnd: 10}}})
	if s := Score(tr, &r); s.Precision != perfect.Precision || s.DocPairs != perfect.DocPairs || s.ListedDetected != 2 {
		t.Errorf("a detection in a pair not listed: precision %v, pairs %+v, listed detected %d; want %v, %+v, 2",
			s.Precision, s.DocPairs, s.ListedDetected, perfect.Precision, perfect.DocPairs)
	}
	r.Pairs = append(r.Pairs, result.Pair{A: "source-document00001.txt", B: "suspicious-document00003.txt",
		Passages: []result.Passage{{AStart: 0, AEnd: 10, BStart: 0, BEnd: 10}}})
	s := Score(tr, &r)
	if s.Precision >= perfect.Precision || s.ListedPairs != 3 || s.ListedDetected != 3 || s.DocPairs.Found-s.DocPairs.Correct != 1 {
		t.Errorf("a detection in a listed pair without cases: precision %v (perfect %v), listed %d, detected %d, pairs %+v; want lower, 3, 3, one false",
			s.Precision, perfect.Precision, s.ListedPairs, s.ListedDetected, s.DocPairs)
	}
}

func TestDecodePairs(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want [][2]string
		err  bool
	}{
		{"a b\nc\td\n", [][2]string{{"a", "b"}, {"c", "d"}}, false},
		{"# comment\n\n  a  b  \r\n", [][2]string{{"a", "b"}}, false},
		{"", nil, false},
		{"a b c\n", nil, true},
		{"a\n", nil, true},
	} {
		got, err := DecodePairs(strings.NewReader(tt.in), "pairs")
		if (err != nil) != tt.err || !tt.err && !slices.Equal(got, tt.want) {
			t.Errorf("DecodePairs(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrPairsFormat) {
			t.Errorf("DecodePairs(%q) error %v is not ErrPairsFormat", tt.in, err)
		}
	}
}
