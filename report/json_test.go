package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// scanFixture is a small hand-made scan of four documents: a and b share two
// passages, a and c two, b and c are near-duplicates (a group), and a
// boilerplate footer occurs in all four. c has no date and a comma and
// quotes in its ID; cluster 1's text is not ASCII, cluster 2's holds HTML
// special characters.
func scanFixture() *Result {
	const (
		a = "a/001.txt"
		b = "b/002.txt"
		c = `c/say "hi", bob.txt`
		d = "d/zeitung.txt"
	)
	return &Result{
		Schema: Schema,
		Params: Params{Shingle: 5, Window: 4, MinWords: 8, Threshold: 0.8, MaxDF: 3},
		Stats: Stats{Documents: 4, Words: 1333, ReusedWords: 720,
			Pairs: 3, Passages: 6, Clusters: 5, Groups: 1, Skipped: 1},
		Documents: []Document{
			{ID: a, Path: "corpus/a/001.txt", Bytes: 2400, Words: 400, Date: "2020-05-20", ReusedWords: 98, ReusedPct: 24.5},
			{ID: b, Path: "corpus/b/002.txt", Bytes: 2082, Words: 333, Date: "2020-05-23", ReusedWords: 313, ReusedPct: 94},
			{ID: c, Path: `corpus/c/say "hi", bob.txt`, Bytes: 2010, Words: 320, ReusedWords: 299, ReusedPct: 93.4},
			{ID: d, Path: "corpus/d/zeitung.txt", Bytes: 1790, Words: 280, Date: "2019-12-01", ReusedWords: 10, ReusedPct: 3.6},
		},
		Pairs: []Pair{
			{A: a, B: b, APct: 19, BPct: 22.8, SharedWords: 76, Jaccard: 0.11, Passages: []Passage{
				{AStart: 1510, AEnd: 1595, BStart: 1844, BEnd: 1929, Words: 12, Similarity: 1, Cluster: 1},
				{AStart: 1700, AEnd: 2100, BStart: 200, BEnd: 610, Words: 64, Similarity: 0.925, Cluster: 2},
			}},
			{A: a, B: c, APct: 6, BPct: 7.5, SharedWords: 24, Jaccard: 0.04, Passages: []Passage{
				{AStart: 1510, AEnd: 1595, BStart: 1790, BEnd: 1875, Words: 12, Similarity: 1, Cluster: 1},
				{AStart: 2200, AEnd: 2290, BStart: 12, BEnd: 101, Words: 12, Similarity: 0.917, Cluster: 3},
			}},
			{A: b, B: c, APct: 87.4, BPct: 90.9, SharedWords: 291, Jaccard: 0.83, Passages: []Passage{
				{AStart: 620, AEnd: 1800, BStart: 580, BEnd: 1760, Words: 279, Similarity: 0.966, Cluster: 4},
				{AStart: 1844, AEnd: 1929, BStart: 1790, BEnd: 1875, Words: 12, Similarity: 1, Cluster: 1},
			}},
		},
		Clusters: []Cluster{
			{ID: 1, Documents: 3, Earliest: a,
				Text:    "市长表示：“我们必须立即行动。” Der Bürgermeister sagte: „Wir müssen jetzt handeln, bevor es zu spät ist.“",
				Members: []Member{{a, 1510, 1595}, {b, 1844, 1929}, {c, 1790, 1875}}},
			{ID: 2, Documents: 2, Earliest: a,
				Text:    "The council voted 7–2 to close the <old> bridge to cars & trucks.",
				Members: []Member{{a, 1700, 2100}, {b, 200, 610}}},
			{ID: 3, Documents: 2, Earliest: a,
				Text:    "a quote of twelve words, lifted into another sentence entirely",
				Members: []Member{{a, 2200, 2290}, {c, 12, 101}}},
			{ID: 4, Documents: 2, Earliest: b,
				Text:    "Flood waters rose overnight across the valley, forcing hundreds of families from their homes as emergency crews worked through the night to reinforce the levees along the river.",
				Members: []Member{{b, 620, 1800}, {c, 580, 1760}}},
			{ID: 5, Documents: 4, Earliest: d, Boilerplate: true,
				Text:    "All rights reserved.",
				Members: []Member{{a, 2380, 2400}, {b, 2062, 2082}, {c, 1990, 2010}, {d, 1770, 1790}}},
		},
		Groups: []Group{{ID: 1, Documents: []string{b, c}, MinPct: 87.4}},
	}
}

// noReuseFixture has documents but nothing shared; its slices are nil.
func noReuseFixture() *Result {
	return &Result{
		Schema: Schema,
		Stats:  Stats{Documents: 3, Words: 1512},
		Documents: []Document{
			{ID: "x.txt", Path: "x.txt", Bytes: 4000, Words: 700, Date: "2021-01-02"},
			{ID: "y.txt", Path: "y.txt", Bytes: 3000, Words: 512},
			{ID: "z.txt", Path: "z.txt", Bytes: 1800, Words: 300},
		},
	}
}

// formatWriters lists every format with its golden file extension.
var formatWriters = []struct {
	name  string
	ext   string
	write func(io.Writer, *Result) error
}{
	{"WriteJSON", "json", WriteJSON},
	{"WriteJSONL", "jsonl", WriteJSONL},
	{"WriteCSV", "csv", WriteCSV},
	{"WriteText", "txt", func(w io.Writer, r *Result) error { return WriteText(w, r, TextOptions{}) }},
}

var fixtures = []struct {
	name string
	r    func() *Result
}{
	{"result", scanFixture},
	{"noreuse", noReuseFixture},
	{"empty", func() *Result { return &Result{} }},
}

// checkGolden compares got with testdata/golden/name, or rewrites the file
// under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update if the change is intended)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestGolden(t *testing.T) {
	for _, res := range fixtures {
		for _, w := range formatWriters {
			t.Run(res.name+"."+w.ext, func(t *testing.T) {
				var buf bytes.Buffer
				if err := w.write(&buf, res.r()); err != nil {
					t.Fatalf("%s: %v", w.name, err)
				}
				checkGolden(t, res.name+"."+w.ext, buf.Bytes())
			})
		}
	}
}

// TestDeterministic writes each result repeatedly and checks that the bytes
// never change and that the Result is left as it was.
func TestDeterministic(t *testing.T) {
	for _, res := range fixtures {
		for _, w := range formatWriters {
			r := res.r()
			var first bytes.Buffer
			if err := w.write(&first, r); err != nil {
				t.Fatalf("%s(%s): %v", w.name, res.name, err)
			}
			for i := range 5 {
				var buf bytes.Buffer
				if err := w.write(&buf, r); err != nil {
					t.Fatalf("%s(%s): %v", w.name, res.name, err)
				}
				if !bytes.Equal(buf.Bytes(), first.Bytes()) {
					t.Errorf("%s(%s): call %d differs from the first", w.name, res.name, i+2)
				}
			}
			if !reflect.DeepEqual(r, res.r()) {
				t.Errorf("%s(%s) modified its Result", w.name, res.name)
			}
		}
	}
}

// normalizeResult returns a deep copy of r whose nil slices are empty and whose
// empty Schema is Schema: what a decoder gives back from WriteJSON.
func normalizeResult(r *Result) *Result {
	n := *r
	if n.Schema == "" {
		n.Schema = Schema
	}
	n.Documents = append([]Document{}, r.Documents...)
	n.Pairs = make([]Pair, len(r.Pairs))
	for i, p := range r.Pairs {
		p.Passages = append([]Passage{}, p.Passages...)
		n.Pairs[i] = p
	}
	n.Clusters = make([]Cluster, len(r.Clusters))
	for i, c := range r.Clusters {
		c.Members = append([]Member{}, c.Members...)
		n.Clusters[i] = c
	}
	n.Groups = make([]Group, len(r.Groups))
	for i, g := range r.Groups {
		g.Documents = append([]string{}, g.Documents...)
		n.Groups[i] = g
	}
	return &n
}

// nilSlicesFixture has a nil slice at every level that can hold one.
func nilSlicesFixture() *Result {
	return &Result{
		Documents: []Document{{ID: "x"}},
		Pairs:     []Pair{{A: "x", B: "y"}},
		Clusters:  []Cluster{{ID: 1}},
		Groups:    []Group{{ID: 1}},
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	rs := []*Result{scanFixture(), noReuseFixture(), {}, nilSlicesFixture()}
	for i, r := range rs {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, r); err != nil {
			t.Fatalf("WriteJSON(#%d): %v", i, err)
		}
		if bytes.Contains(buf.Bytes(), []byte("null")) {
			t.Errorf("WriteJSON(#%d) wrote null:\n%s", i, buf.Bytes())
		}
		var got Result
		dec := json.NewDecoder(&buf)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("decoding WriteJSON(#%d): %v", i, err)
		}
		if want := normalizeResult(r); !reflect.DeepEqual(&got, want) {
			t.Errorf("WriteJSON(#%d) decodes to\n%+v\nwant\n%+v", i, got, *want)
		}
	}
}

// TestWriteJSONMatchesMarshal checks the streaming writer against the slow,
// obvious one: encoding/json on the whole normalized Result.
func TestWriteJSONMatchesMarshal(t *testing.T) {
	rs := []*Result{scanFixture(), noReuseFixture(), {}, nilSlicesFixture()}
	for i, r := range rs {
		var got, want bytes.Buffer
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(normalizeResult(r)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("WriteJSON(#%d) =\n%s\nwant (encoding/json)\n%s", i, got.String(), want.String())
		}
	}
}

// TestResultFields fails when Result gains or renames a field: WriteJSON and
// WriteJSONL's scan line name Result's fields one by one and must be taught
// about it.
func TestResultFields(t *testing.T) {
	var got []string
	rt := reflect.TypeFor[Result]()
	for i := range rt.NumField() {
		got = append(got, rt.Field(i).Tag.Get("json"))
	}
	want := []string{"schema", "params", "stats", "documents", "pairs", "clusters", "groups"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Result's JSON fields are %q, WriteJSON and WriteJSONL know %q", got, want)
	}
}

func TestWriteJSONNaN(t *testing.T) {
	for _, w := range formatWriters[:2] {
		r := scanFixture()
		r.Pairs[1].Jaccard = math.NaN()
		var buf bytes.Buffer
		err := w.write(&buf, r)
		if err == nil || !strings.Contains(err.Error(), "NaN") {
			t.Errorf("%s with a NaN = %v, want an unsupported value error", w.name, err)
		}
	}
}

// bigResult is a synthetic scan of n documents, each paired with the next
// through three passages.
func bigResult(n int) *Result {
	r := &Result{Schema: Schema}
	for i := range n {
		r.Documents = append(r.Documents, Document{ID: fmt.Sprintf("doc/%06d.txt", i),
			Path: fmt.Sprintf("corpus/doc/%06d.txt", i), Bytes: 6000, Words: 1000, ReusedWords: 300, ReusedPct: 30})
	}
	for i := 0; i+1 < n; i++ {
		p := Pair{A: r.Documents[i].ID, B: r.Documents[i+1].ID, APct: 15.2, BPct: 14.9, SharedWords: 150, Jaccard: 0.123}
		for k := range 3 {
			p.Passages = append(p.Passages, Passage{AStart: 1000 * k, AEnd: 1000*k + 300, BStart: 2000 + 1000*k,
				BEnd: 2300 + 1000*k, Words: 50, Similarity: 0.987, Cluster: i*3 + k + 1})
		}
		r.Pairs = append(r.Pairs, p)
		for k := range 3 {
			r.Clusters = append(r.Clusters, Cluster{ID: i*3 + k + 1, Documents: 2, Earliest: p.A,
				Text:    "some reused text of about a sentence, as an excerpt would hold it",
				Members: []Member{{p.A, 1000 * k, 1000*k + 300}, {p.B, 2000 + 1000*k, 2300 + 1000*k}}})
		}
	}
	return r
}

func BenchmarkWrite(b *testing.B) {
	r := bigResult(1000)
	for _, w := range formatWriters {
		b.Run(w.name, func(b *testing.B) {
			var buf bytes.Buffer
			if err := w.write(&buf, r); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			b.ReportAllocs()
			for b.Loop() {
				if err := w.write(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
