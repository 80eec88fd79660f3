// Package resulttest provides what tests of code that writes or reads a
// result.Result share: hand-made Results covering every field and edge case,
// a golden-file check, and TestWriter, which checks the promises every writer
// of a Result makes. It is for tests only.
package resulttest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
)

// Scan is a small hand-made scan of four documents: a and b share two
// passages, a and c two, b and c are near-duplicates (a group), and a
// boilerplate footer occurs in all four. c has no date and a comma and
// quotes in its ID; cluster 1's text is not ASCII, cluster 2's holds HTML
// special characters.
func Scan() *result.Result {
	const (
		a = "a/001.txt"
		b = "b/002.txt"
		c = `c/say "hi", bob.txt`
		d = "d/zeitung.txt"
	)
	return &result.Result{
		Schema: result.Schema,
		Params: result.Params{Shingle: 5, Window: 4, MinWords: 8, Threshold: 0.8, MaxDF: 3},
		Stats: result.Stats{Documents: 4, Words: 1333, ReusedWords: 720,
			Pairs: 3, Passages: 6, Clusters: 5, Groups: 1, Skipped: 1},
		Documents: []result.Document{
			{ID: a, Path: "corpus/a/001.txt", Bytes: 2400, Words: 400, Date: "2020-05-20", ReusedWords: 98, ReusedPct: 24.5},
			{ID: b, Path: "corpus/b/002.txt", Bytes: 2082, Words: 333, Date: "2020-05-23", ReusedWords: 313, ReusedPct: 94},
			{ID: c, Path: `corpus/c/say "hi", bob.txt`, Bytes: 2010, Words: 320, ReusedWords: 299, ReusedPct: 93.4},
			{ID: d, Path: "corpus/d/zeitung.txt", Bytes: 1790, Words: 280, Date: "2019-12-01", ReusedWords: 10, ReusedPct: 3.6},
		},
		Pairs: []result.Pair{
			{A: a, B: b, APct: 19, BPct: 22.8, SharedWords: 76, Jaccard: 0.11, Passages: []result.Passage{
				{AStart: 1510, AEnd: 1595, BStart: 1844, BEnd: 1929, Words: 12, Similarity: 1, Cluster: 1},
				{AStart: 1700, AEnd: 2100, BStart: 200, BEnd: 610, Words: 64, Similarity: 0.925, Cluster: 2},
			}},
			{A: a, B: c, APct: 6, BPct: 7.5, SharedWords: 24, Jaccard: 0.04, Passages: []result.Passage{
				{AStart: 1510, AEnd: 1595, BStart: 1790, BEnd: 1875, Words: 12, Similarity: 1, Cluster: 1},
				{AStart: 2200, AEnd: 2290, BStart: 12, BEnd: 101, Words: 12, Similarity: 0.917, Cluster: 3},
			}},
			{A: b, B: c, APct: 87.4, BPct: 90.9, SharedWords: 291, Jaccard: 0.83, Passages: []result.Passage{
				{AStart: 620, AEnd: 1800, BStart: 580, BEnd: 1760, Words: 279, Similarity: 0.966, Cluster: 4},
				{AStart: 1844, AEnd: 1929, BStart: 1790, BEnd: 1875, Words: 12, Similarity: 1, Cluster: 1},
			}},
		},
		Clusters: []result.Cluster{
			{ID: 1, Documents: []string{a, b, c}, Earliest: a,
				Text:    "市长表示：“我们必须立即行动。” Der Bürgermeister sagte: „Wir müssen jetzt handeln, bevor es zu spät ist.“",
				Members: []result.Member{{Doc: a, Start: 1510, End: 1595}, {Doc: b, Start: 1844, End: 1929}, {Doc: c, Start: 1790, End: 1875}}},
			{ID: 2, Documents: []string{a, b}, Earliest: a,
				Text:    "The council voted 7–2 to close the <old> bridge to cars & trucks.",
				Members: []result.Member{{Doc: a, Start: 1700, End: 2100}, {Doc: b, Start: 200, End: 610}}},
			{ID: 3, Documents: []string{a, c}, Earliest: a,
				Text:    "a quote of twelve words, lifted into another sentence entirely",
				Members: []result.Member{{Doc: a, Start: 2200, End: 2290}, {Doc: c, Start: 12, End: 101}}},
			{ID: 4, Documents: []string{b, c}, Earliest: b,
				Text:    "Flood waters rose overnight across the valley, forcing hundreds of families from their homes as emergency crews worked through the night to reinforce the levees along the river.",
				Members: []result.Member{{Doc: b, Start: 620, End: 1800}, {Doc: c, Start: 580, End: 1760}}},
			{ID: 5, Documents: []string{a, b, c, d}, Earliest: d, Boilerplate: true,
				Text:    "All rights reserved.",
				Members: []result.Member{{Doc: a, Start: 2380, End: 2400}, {Doc: b, Start: 2062, End: 2082}, {Doc: c, Start: 1990, End: 2010}, {Doc: d, Start: 1770, End: 1790}}},
		},
		Groups: []result.Group{{ID: 1, Documents: []string{b, c}, MinPct: 87.4}},
	}
}

// NoReuse has documents but nothing shared; its slices are nil.
func NoReuse() *result.Result {
	return &result.Result{
		Schema: result.Schema,
		Stats:  result.Stats{Documents: 3, Words: 1512},
		Documents: []result.Document{
			{ID: "x.txt", Path: "x.txt", Bytes: 4000, Words: 700, Date: "2021-01-02"},
			{ID: "y.txt", Path: "y.txt", Bytes: 3000, Words: 512},
			{ID: "z.txt", Path: "z.txt", Bytes: 1800, Words: 300},
		},
	}
}

// Normalize returns a deep copy of r whose nil slices are empty and whose
// empty Schema is result.Schema: what result.ReadJSON gives back from
// result.WriteJSON.
func Normalize(r *result.Result) *result.Result {
	n := *r
	if n.Schema == "" {
		n.Schema = result.Schema
	}
	n.Documents = append([]result.Document{}, r.Documents...)
	n.Pairs = make([]result.Pair, len(r.Pairs))
	for i, p := range r.Pairs {
		p.Passages = append([]result.Passage{}, p.Passages...)
		n.Pairs[i] = p
	}
	n.Clusters = make([]result.Cluster, len(r.Clusters))
	for i, c := range r.Clusters {
		c.Members = append([]result.Member{}, c.Members...)
		c.Documents = append([]string{}, c.Documents...)
		n.Clusters[i] = c
	}
	n.Groups = make([]result.Group, len(r.Groups))
	for i, g := range r.Groups {
		g.Documents = append([]string{}, g.Documents...)
		n.Groups[i] = g
	}
	return &n
}

// NilSlices has a nil slice at every level that can hold one.
func NilSlices() *result.Result {
	return &result.Result{
		Documents: []result.Document{{ID: "x"}},
		Pairs:     []result.Pair{{A: "x", B: "y"}},
		Clusters:  []result.Cluster{{ID: 1}},
		Groups:    []result.Group{{ID: 1}},
	}
}

// Big is a synthetic scan of n documents, each paired with the next
// through three passages.
func Big(n int) *result.Result {
	r := &result.Result{Schema: result.Schema}
	for i := range n {
		r.Documents = append(r.Documents, result.Document{ID: fmt.Sprintf("doc/%06d.txt", i),
			Path: fmt.Sprintf("corpus/doc/%06d.txt", i), Bytes: 6000, Words: 1000, ReusedWords: 300, ReusedPct: 30})
	}
	for i := 0; i+1 < n; i++ {
		p := result.Pair{A: r.Documents[i].ID, B: r.Documents[i+1].ID, APct: 15.2, BPct: 14.9, SharedWords: 150, Jaccard: 0.123}
		for k := range 3 {
			p.Passages = append(p.Passages, result.Passage{AStart: 1000 * k, AEnd: 1000*k + 300, BStart: 2000 + 1000*k,
				BEnd: 2300 + 1000*k, Words: 50, Similarity: 0.987, Cluster: i*3 + k + 1})
		}
		r.Pairs = append(r.Pairs, p)
		for k := range 3 {
			r.Clusters = append(r.Clusters, result.Cluster{ID: i*3 + k + 1, Documents: []string{p.A, p.B}, Earliest: p.A,
				Text:    "some reused text of about a sentence, as an excerpt would hold it",
				Members: []result.Member{{Doc: p.A, Start: 1000 * k, End: 1000*k + 300}, {Doc: p.B, Start: 2000 + 1000*k, End: 2300 + 1000*k}}})
		}
	}
	return r
}

// Fixture is a named Result for table tests; New returns a fresh copy.
type Fixture struct {
	Name string
	New  func() *result.Result
}

// Fixtures lists the Results whose output every writer has a golden file
// of: "result" (Scan), "noreuse" (NoReuse) and "empty" (the zero Result).
func Fixtures() []Fixture {
	return []Fixture{
		{"result", Scan},
		{"noreuse", NoReuse},
		{"empty", func() *result.Result { return &result.Result{} }},
	}
}

// Golden compares got with the file at path, or writes got there when
// update is true (a test's -update flag). On a difference it reports the
// first line that differs.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
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
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Errorf("output differs from %s at line %d:\ngot:  %.300s\nwant: %.300s\n(run go test -update if the change is intended)", path, i+1, g, w)
			return
		}
	}
}

// ErrWrite is the error of a FailingWriter.
var ErrWrite = errors.New("resulttest: write failed")

// FailingWriter accepts N bytes, then fails every write with ErrWrite.
type FailingWriter struct{ N int }

func (w *FailingWriter) Write(p []byte) (int, error) {
	if len(p) <= w.N {
		w.N -= len(p)
		return len(p), nil
	}
	n := w.N
	w.N = 0
	return n, ErrWrite
}

// TestWriter checks the promises every writer of a Result makes, on each of
// Fixtures and on NilSlices: the same Result always gives the same bytes;
// the Result is left as it was; a failing io.Writer's error is returned,
// whether it fails at once, in the middle or at the last byte; and a
// complete write returns nil.
func TestWriter(t *testing.T, name string, write func(io.Writer, *result.Result) error) {
	t.Helper()
	fixtures := append(Fixtures(), Fixture{"nilslices", NilSlices})
	for _, fx := range fixtures {
		r := fx.New()
		var first bytes.Buffer
		if err := write(&first, r); err != nil {
			t.Fatalf("%s(%s): %v", name, fx.Name, err)
		}
		for i := range 5 {
			var buf bytes.Buffer
			if err := write(&buf, r); err != nil {
				t.Fatalf("%s(%s): %v", name, fx.Name, err)
			}
			if !bytes.Equal(buf.Bytes(), first.Bytes()) {
				t.Errorf("%s(%s): call %d differs from the first", name, fx.Name, i+2)
			}
		}
		if !reflect.DeepEqual(r, fx.New()) {
			t.Errorf("%s(%s) modified its Result", name, fx.Name)
		}
		for _, n := range []int{0, 1, 100, first.Len() / 2, first.Len() - 1} {
			if n < 0 || n >= first.Len() {
				continue
			}
			if err := write(&FailingWriter{N: n}, fx.New()); !errors.Is(err, ErrWrite) {
				t.Errorf("%s(%s) to a writer failing after %d bytes = %v, want %v", name, fx.Name, n, err, ErrWrite)
			}
		}
		if err := write(&FailingWriter{N: first.Len()}, fx.New()); err != nil {
			t.Errorf("%s(%s) to a writer failing after all %d bytes = %v, want nil", name, fx.Name, first.Len(), err)
		}
	}
}

// BenchmarkWriter measures write on Big(1000): bytes written per second and
// allocations per call.
func BenchmarkWriter(b *testing.B, write func(io.Writer, *result.Result) error) {
	r := Big(1000)
	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := write(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// FeedInParts sends r to s as result.Feed does, but every cluster in
// parts (result.ClusterParts): its documents and members cut at places
// split picks (split(n) returns how many of n to send next, at least 1).
func FeedInParts(s result.ClusterParts, r *result.Result, split func(n int) int) error {
	return result.Feed(inParts{s, split}, r)
}

// inParts hands each whole cluster it is given to its ClusterParts in
// parts.
type inParts struct {
	result.ClusterParts
	split func(n int) int
}

func (p inParts) Cluster(c *result.Cluster) error {
	if err := p.ClusterBegin(c); err != nil {
		return err
	}
	for ids := c.Documents; len(ids) > 0; {
		n := min(max(p.split(len(ids)), 1), len(ids))
		if err := p.ClusterDocuments(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	for ms := c.Members; len(ms) > 0; {
		n := min(max(p.split(len(ms)), 1), len(ms))
		if err := p.ClusterMembers(ms[:n]); err != nil {
			return err
		}
		ms = ms[n:]
	}
	return p.ClusterEnd()
}

// Clustered is Scan with more clusters: one of n members in as many
// documents, and clusters with no documents or no members.
func Clustered(n int) *result.Result {
	r := Scan()
	big := result.Cluster{ID: len(r.Clusters) + 1, Boilerplate: true, Earliest: "doc/000000.txt", Text: `a "boilerplate" line`}
	for i := range n {
		id := fmt.Sprintf("doc/%06d.txt", i)
		big.Documents = append(big.Documents, id)
		big.Members = append(big.Members, result.Member{Doc: id, Start: 10 * i, End: 10*i + 7})
	}
	r.Clusters = append(r.Clusters, big,
		result.Cluster{ID: big.ID + 1, Text: "no documents", Members: []result.Member{{Doc: "x", Start: 1, End: 2}}},
		result.Cluster{ID: big.ID + 2, Documents: []string{"y"}},
		result.Cluster{ID: big.ID + 3})
	return r
}
