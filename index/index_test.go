package index

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/reword"
)

const exampleCorpus = "../testdata/corpus"

func build(t *testing.T, opt Options, inputs ...string) *Index {
	t.Helper()
	x, err := Build(context.Background(), inputs, opt)
	if err != nil {
		t.Fatalf("Build(%q) = %v", inputs, err)
	}
	t.Cleanup(x.Close)
	return x
}

// TestBuild checks what an Index holds of the example corpus: documents
// numbered in order of id, found by id, their texts, signatures and seeds
// consistent with their records.
func TestBuild(t *testing.T) {
	x := build(t, Options{}, exampleCorpus)
	if x.Len() < 20 {
		t.Fatalf("Len() = %d, want the example corpus's documents", x.Len())
	}
	r := x.NewSeedReader()
	var sig []uint64
	for d := range uint32(x.Len()) {
		id := x.ID(d)
		if d > 0 && x.ID(d-1) >= id {
			t.Errorf("ID(%d) = %q after %q: not sorted and unique", d, id, x.ID(d-1))
		}
		if got, ok := x.Find(id); !ok || got != d {
			t.Errorf("Find(%q) = %d, %v, want %d", id, got, ok, d)
		}
		text, err := x.Text(d, nil)
		if err != nil || len(text) != x.Bytes(d) {
			t.Fatalf("Text(%q) = %d bytes, %v; want %d", id, len(text), err, x.Bytes(d))
		}
		if !x.Extracted(d) {
			file, err := os.ReadFile(x.Path(d))
			if err != nil || string(file) != string(text) {
				t.Errorf("%q: Text differs from its file %s (%v)", id, x.Path(d), err)
			}
		}
		if sig, err = x.Signature(sig, d); err != nil || len(sig) != 64 {
			t.Errorf("Signature(%q) = %d values, %v; want 64", id, len(sig), err)
		}
		v, err := r.View(d)
		if err != nil || v.Len() != x.Words(d) {
			t.Fatalf("View(%q) = %d tokens, %v; want %d", id, v.Len(), err, x.Words(d))
		}
		if n := v.Len(); n > 0 {
			if _, end, err := v.Token(n - 1); err != nil || int(end) > x.Bytes(d) {
				t.Errorf("%q: last token ends at %d (%v), past its %d bytes", id, end, err, x.Bytes(d))
			}
		}
	}
	if _, ok := x.Find("no/such/document.txt"); ok {
		t.Error("Find of a missing id reports it found")
	}
	// Records of a JSONL file: extracted texts, dated.
	d, ok := x.Find("vps-2024-03-15-library")
	if !ok || !x.Extracted(d) || x.Date(d) == "" || !strings.HasSuffix(x.Path(d), "briefs.jsonl") {
		t.Errorf("JSONL record: found %v, extracted %v, date %q, path %q", ok, ok && x.Extracted(d), x.Date(d), x.Path(d))
	}
}

// loads returns the postings of x, load by load, copied.
func loads(t *testing.T, x *Index, maxBytes int64, workers int) [][]postings.Posting {
	t.Helper()
	var out [][]postings.Posting
	err := x.EachPostingLoad(context.Background(), maxBytes, workers, func(ps []postings.Posting) error {
		out = append(out, slices.Clone(ps))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sortedPostings(ls [][]postings.Posting) []postings.Posting {
	all := slices.Concat(ls...)
	slices.SortFunc(all, func(x, y postings.Posting) int {
		if c := cmp.Compare(x.Hash, y.Hash); c != 0 {
			return c
		}
		return postings.ByDocPos(x, y)
	})
	return all
}

// TestEachPostingLoad: small loads hand out the postings of a load of
// everything, each hash within one load, loads in order of partition;
// documents and postings do not depend on the number of workers.
func TestEachPostingLoad(t *testing.T) {
	whole := loads(t, build(t, Options{Workers: 1}, exampleCorpus), 1<<30, 1)
	if len(whole) != 1 || len(whole[0]) == 0 {
		t.Fatalf("one large load: %d loads, want 1 with postings", len(whole))
	}
	small := loads(t, build(t, Options{Workers: 3}, exampleCorpus), 4*postings.Size, 2)
	if len(small) < 2 {
		t.Fatalf("loads of 4 postings: %d loads, want several", len(small))
	}
	partition := func(h uint64) uint64 { return h >> 56 } // spool: the top 8 bits
	if spool.PostingPartitions != 256 {
		t.Fatalf("spool.PostingPartitions = %d; the test assumes 256", spool.PostingPartitions)
	}
	for i, l := range small {
		if len(l) == 0 {
			t.Fatalf("load %d of %d is empty", i, len(small))
		}
	}
	for i := 1; i < len(small); i++ {
		last, first := slices.MaxFunc(small[i-1], byPart(partition)), slices.MinFunc(small[i], byPart(partition))
		if partition(last.Hash) >= partition(first.Hash) {
			t.Errorf("load %d holds partition %d, load %d partition %d: out of order or split",
				i-1, partition(last.Hash), i, partition(first.Hash))
		}
	}
	if a, b := sortedPostings(whole), sortedPostings(small); !slices.Equal(a, b) {
		t.Errorf("postings of small loads on 3 workers differ from one load on 1 (%d and %d)", len(b), len(a))
	}
}

// TestPeekPostingLoads: peeking at the loads of the postings, or of the
// reworded keys, gives what consuming them gives, as often as asked,
// in as many loads as PostingLoads or KeyLoads counts; consuming them
// leaves none.
func TestPeekPostingLoads(t *testing.T) {
	type each func(ctx context.Context, maxBytes int64, workers int, fn func(ps []postings.Posting) error) error
	x := build(t, Options{Workers: 2, Reword: true, RewordKeys: true}, exampleCorpus)
	for _, c := range []struct {
		name        string
		count       func(maxBytes int64) (int, int64)
		peek, eachf each
	}{
		{"postings", x.PostingLoads, x.PeekPostingLoads, x.EachPostingLoad},
		{"keys", x.KeyLoads, x.PeekKeyLoads, x.EachKeyLoad},
	} {
		const maxBytes = 64 * postings.Size
		n, total := c.count(maxBytes)
		all := func(f each) [][]postings.Posting {
			var out [][]postings.Posting
			err := f(context.Background(), maxBytes, 2, func(ps []postings.Posting) error {
				out = append(out, slices.Clone(ps))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		var peeked [][]postings.Posting
		for range 2 {
			peeked = all(c.peek)
		}
		consumed := all(c.eachf)
		if len(peeked) != n || len(consumed) != n || n < 2 {
			t.Fatalf("%s: %d loads counted, peeked %d, consumed %d; want them equal, and several", c.name, n, len(peeked), len(consumed))
		}
		for i := range peeked {
			if a, b := sortedPostings(peeked[i:i+1]), sortedPostings(consumed[i:i+1]); !slices.Equal(a, b) {
				t.Errorf("%s: load %d peeked twice has %d postings, consumed %d, or they differ", c.name, i, len(a), len(b))
			}
		}
		if got := int64(len(slices.Concat(consumed...))); got != total {
			t.Errorf("%s: %d counted, the loads hold %d", c.name, total, got)
		}
		if again := all(c.eachf); len(slices.Concat(again...)) != 0 {
			t.Errorf("%s: %d left after consuming them", c.name, len(slices.Concat(again...)))
		}
	}
	if n, total := build(t, Options{}, exampleCorpus).KeyLoads(1 << 20); n != 0 || total != 0 {
		t.Errorf("KeyLoads without Options.Reword = %d, %d; want 0, 0", n, total)
	}
}

func byPart(partition func(uint64) uint64) func(x, y postings.Posting) int {
	return func(x, y postings.Posting) int { return cmp.Compare(partition(x.Hash), partition(y.Hash)) }
}

// TestTextChanged: a file changed after Build is not read as the text
// whose offsets the scan computed.
func TestTextChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(path, []byte("The first version of the text."), 0o644); err != nil {
		t.Fatal(err)
	}
	x := build(t, Options{}, dir)
	if err := os.WriteFile(path, []byte("The second version of the text!"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Text(0, nil); !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), path) {
		t.Errorf("Text of a changed file = %v, want ErrChanged naming %s", err, path)
	}
}

// TestTextRange: ranges of a plain file (read whole and checked the first
// time, then by range) and of an extracted text equal Text's bytes; a
// range past the text, and a plain file whose size changed after its
// check, are errors.
func TestTextRange(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(plain, []byte("A plain text of a few words, read again by range."), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.html"), []byte("<p>An extracted text, kept in the index.</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	x := build(t, Options{}, dir)
	for d := range uint32(x.Len()) {
		whole, err := x.Text(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range [][2]int{{0, len(whole)}, {2, 7}, {len(whole), len(whole)}, {5, 5}, {0, 1}} {
			for range 2 { // the first read checks a plain file, the second reads the range
				got, err := x.TextRange(d, r[0], r[1], nil)
				if err != nil || string(got) != string(whole[r[0]:r[1]]) {
					t.Errorf("TextRange(%d, %d, %d) = %q, %v, want %q", d, r[0], r[1], got, err, whole[r[0]:r[1]])
				}
			}
		}
		if _, err := x.TextRange(d, 1, len(whole)+1, nil); err == nil {
			t.Errorf("TextRange(%d) past the text's %d bytes = nil error", d, len(whole))
		}
		if _, err := x.TextRange(d, 3, 2, nil); err == nil {
			t.Errorf("TextRange(%d, 3, 2) = nil error", d)
		}
	}
	if err := os.WriteFile(plain, []byte("A plain text of a few words, read again by range, and grown."), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := x.TextRange(0, 0, 5, nil); !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), plain) {
		t.Errorf("TextRange of a file grown after its check = %v, want ErrChanged naming %s", err, plain)
	}
}

// TestTextReader: a TextReader reads what TextRange reads, with more
// documents than it keeps open, and reports a file that changed.
func TestTextReader(t *testing.T) {
	dir := t.TempDir()
	const files = openTexts + 40 // more than it keeps open
	for i := range files {
		text := fmt.Sprintf("Document %d of a few words, read again by range.", i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "x.html"), []byte("<p>An extracted text, kept in the index.</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	x := build(t, Options{}, dir)
	r := x.NewTextReader()
	defer r.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range 4 * x.Len() {
		// Every document in turn, then at random: opened, kept, closed
		// for others and opened again.
		d := uint32(k % x.Len())
		if k >= x.Len() {
			d = uint32(rng.IntN(x.Len()))
		}
		whole, err := x.Text(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		lo := rng.IntN(len(whole) + 1)
		hi := lo + rng.IntN(len(whole)-lo+1)
		got, err := r.Range(d, lo, hi, nil)
		if err != nil || string(got) != string(whole[lo:hi]) {
			t.Fatalf("Range(%d, %d, %d) = %q, %v, want %q", d, lo, hi, got, err, whole[lo:hi])
		}
	}
	if n := len(r.slots); n != openTexts {
		t.Errorf("%d files open, want %d", n, openTexts)
	}
	if _, err := r.Range(0, 3, 2, nil); err == nil {
		t.Errorf("Range(0, 3, 2) = nil error")
	}
	// A file cut short after it was kept open, and one grown before it
	// was opened.
	for _, d := range []uint32{0, 1} {
		if _, err := r.Range(d, 0, 1, nil); err != nil {
			t.Fatal(err)
		}
	}
	fresh := x.NewTextReader() // has document 1 to open
	defer fresh.Close()
	for _, c := range []struct {
		r    *TextReader
		d    uint32
		text string
	}{
		{r, 0, "Cut"},
		{fresh, 1, "Document 1 of a few words, read again by range, and grown."},
	} {
		path := x.path(&x.docs[c.d])
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := c.r.Range(c.d, 5, 20, nil); !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), path) {
			t.Errorf("Range of %s changed = %v, want ErrChanged naming it", path, err)
		}
	}
	r.Close()
	if len(r.slots) != 0 || len(r.open) != 0 {
		t.Errorf("after Close: %d files open", len(r.slots))
	}
}

// idSink keeps ids from being optimized away.
var idSink string

// TestDuplicateIDs: the second record of an id is renamed, with a notice,
// and the Index stays sorted by id; an id is read without a copy.
func TestDuplicateIDs(t *testing.T) {
	dir := t.TempDir()
	jsonl := `{"id": "b", "text": "one"}` + "\n" + `{"id": "a", "text": "two"}` + "\n" + `{"id": "a", "text": "three"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "r.jsonl"), []byte(jsonl), 0o644); err != nil {
		t.Fatal(err)
	}
	var warnings []error
	x := build(t, Options{Warn: func(err error) { warnings = append(warnings, err) }}, dir)
	var ids []string
	for d := range uint32(x.Len()) {
		ids = append(ids, x.ID(d))
	}
	if want := []string{"a", "a#2", "b"}; !slices.Equal(ids, want) {
		t.Errorf("ids %q, want %q", ids, want)
	}
	// An id is a view of the arena, a renamed one too: the last step
	// asks for tens of millions.
	if n := testing.AllocsPerRun(10, func() { idSink = x.ID(1) }); n != 0 || idSink != "a#2" {
		t.Errorf("ID(1) = %q in %v allocations, want a#2 in none", idSink, n)
	}
	if text, _ := x.Text(1, nil); string(text) != "three" {
		t.Errorf("a#2 = %q, want the later record, %q", text, "three")
	}
	if len(warnings) != 1 || !errors.Is(warnings[0], corpus.ErrDuplicateID) || !corpus.IsNotice(warnings[0]) {
		t.Errorf("warnings %v, want one duplicate-id notice", warnings)
	}
}

// TestBuildCancelled: Build returns the context's error and leaves no
// temporary file.
func TestBuildCancelled(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if x, err := Build(ctx, []string{exampleCorpus}, Options{}); !errors.Is(err, context.Canceled) {
		if x != nil {
			x.Close()
		}
		t.Fatalf("Build with a cancelled context = %v, want context.Canceled", err)
	}
	if names, _ := os.ReadDir(tmp); len(names) > 0 {
		t.Errorf("temporary files left: %v", names)
	}
}

// TestNumber: Number orders and renames as Build does, whatever the
// order of the keys: a hand-made case, and the documents of a folder
// with duplicate ids read by corpus and numbered again.
func TestNumber(t *testing.T) {
	var notices []error
	order, ids := Number([]DocKey{
		{ID: "b", Path: "in/b"},
		{ID: "w1", Path: "in/x.jsonl", Line: 3},
		{ID: "a", Path: "in/a"},
		{ID: "w1", Path: "in/x.jsonl", Line: 1},
		{ID: "w1#2", Path: "in/y.jsonl", Line: 1},
	}, func(err error) { notices = append(notices, err) })
	wantOrder, wantIDs := []int{2, 0, 3, 4, 1}, []string{"a", "b", "w1", "w1#2", "w1#3"}
	if !slices.Equal(order, wantOrder) || !slices.Equal(ids, wantIDs) {
		t.Errorf("Number = %v, %q, want %v, %q", order, ids, wantOrder, wantIDs)
	}
	if len(notices) != 1 || !errors.Is(notices[0], corpus.ErrDuplicateID) {
		t.Errorf("notices = %v, want one duplicate id", notices)
	}

	dir := t.TempDir()
	files := map[string]string{
		"r.jsonl": `{"id": "b", "text": "one"}` + "\n" + `{"id": "a", "text": "two"}` + "\n" + `{"id": "a", "text": "three"}` + "\n",
		"s.jsonl": `{"id": "a", "text": "four"}` + "\n" + `{"id": "a#2", "text": "five"}` + "\n" + `{"text": "six"}` + "\n",
		"a":       "seven",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	x := build(t, Options{Workers: 2}, dir)
	var docs []corpus.Doc
	err := corpus.Walk(context.Background(), []string{dir}, nil, func(src corpus.Source) error {
		return corpus.Read(context.Background(), src, nil, func(d corpus.Doc) error {
			docs = append(docs, d)
			return nil
		}, nil)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(docs) // an order of arrival other than the walk's
	keys := make([]DocKey, len(docs))
	for i, d := range docs {
		keys[i] = DocKey{ID: d.ID, Path: d.Path, Line: d.Line, CRC: Checksum(d.Text), Bytes: len(d.Text)}
	}
	order, ids = Number(keys, nil)
	if len(ids) != x.Len() {
		t.Fatalf("Number gave %d documents, Build %d", len(ids), x.Len())
	}
	for d := range uint32(x.Len()) {
		text, err := x.Text(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ids[d] != x.ID(d) || string(docs[order[d]].Text) != string(text) {
			t.Errorf("document %d: Number gives %q (%q), Build %q (%q)", d, ids[d], docs[order[d]].Text, x.ID(d), text)
		}
	}
}

// TestBands: the cut is cluster.Bands' for near-duplicates at the
// threshold, defaults filled in.
func TestBands(t *testing.T) {
	b, r := Options{}.Bands()
	if b2, r2 := cluster.Bands(64, cluster.OverlapJaccard(0.8)); b != b2 || r != r2 || b*r > 64 || b < 2 {
		t.Errorf("Options{}.Bands() = %d, %d, want %d, %d", b, r, b2, r2)
	}
	if b9, r9 := (Options{Threshold: 0.95}).Bands(); r9 <= r && b9 >= b {
		t.Errorf("Bands at 0.95 = %d, %d: no stricter than at 0.8 (%d, %d)", b9, r9, b, r)
	}
}

// TestScatteredSeedReader: a scattered reader of a seed spool larger
// than the resident share reads every record, and every analysis for
// reworded reuse, into its own buffer (a mapped page faulted in would
// count in the scan's memory: the kernel maps pages around each fault,
// so a few bytes read in place cost up to 64 KiB), and gives the same
// seeds, repeats, token offsets and analyses as the reader that views
// them in place; with the spool within the share it views them in place
// too.
func TestScatteredSeedReader(t *testing.T) {
	x := build(t, Options{Reword: true}, exampleCorpus)
	if !x.seeds.Mapped() {
		t.Skip("the seed spool is not mapped here: both readers copy")
	}
	if r := x.NewScatteredSeedReader(); r.copy {
		t.Fatalf("the example corpus's %d bytes of seeds are beyond the resident share %d", x.seeds.Size(), x.releaseEvery)
	}
	x.releaseEvery = x.seeds.Size() - 1
	inPlace, scattered := x.NewSeedReader(), x.NewScatteredSeedReader()
	if !scattered.copy {
		t.Fatal("NewScatteredSeedReader of a spool larger than the resident share views records in place")
	}
	for d := range uint32(x.Len()) {
		v, err := inPlace.View(d)
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(v.Bytes())
		wantSeeds, wantRepeats := v.Seeds(nil), v.Repeats(nil)
		wantToks, err := v.Tokens(nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := scattered.View(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) > 0 && &c.Bytes()[0] == &v.Bytes()[0] {
			t.Fatalf("document %d: the scattered reader's record is the mapped one", d)
		}
		gotToks, err := c.Tokens(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.Bytes(), want) || !slices.Equal(c.Seeds(nil), wantSeeds) ||
			!slices.Equal(c.Repeats(nil), wantRepeats) || !slices.Equal(gotToks, wantToks) {
			t.Errorf("document %d: the scattered reader's record differs from the one in place", d)
		}
		rec, err := inPlace.rewordRecord(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec) == 0 {
			t.Fatalf("document %d: no analysis for reworded reuse", d)
		}
		want = slices.Clone(rec)
		got, err := scattered.rewordRecord(d)
		if err != nil {
			t.Fatal(err)
		}
		if &got[0] == &rec[0] {
			t.Fatalf("document %d: the scattered reader's analysis is the mapped one", d)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("document %d: the scattered reader's analysis differs from the one in place", d)
		}
	}
	// Records of largeRecord bytes or more are viewed in place: a pair
	// reads little of them.
	sizes := make([]int64, x.Len())
	for d := range sizes {
		sizes[d] = x.docs[d].seeds.Bytes
	}
	scattered.large = slices.Sorted(slices.Values(sizes))[len(sizes)/2]
	for d := range uint32(x.Len()) {
		v, err := inPlace.View(d)
		if err != nil {
			t.Fatal(err)
		}
		c, err := scattered.View(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Bytes()) == 0 {
			continue
		}
		if got, want := &c.Bytes()[0] == &v.Bytes()[0], sizes[d] >= scattered.large; got != want || !bytes.Equal(c.Bytes(), v.Bytes()) {
			t.Errorf("document %d of %d bytes (large from %d): viewed in place %v, want %v, or its bytes differ", d, sizes[d], scattered.large, got, want)
		}
		rec, err := inPlace.rewordRecord(d)
		if err != nil {
			t.Fatal(err)
		}
		mapped := &rec[0]
		rec = slices.Clone(rec)
		if got, err := scattered.rewordRecord(d); err != nil || (&got[0] == mapped) != (sizes[d] >= scattered.large) || !bytes.Equal(got, rec) {
			t.Errorf("document %d of %d bytes (large from %d): its analysis read in place %v, or differs (%v)", d, sizes[d], scattered.large, &got[0] == mapped, err)
		}
	}
}

// TestProseOnly: with Options.ProseOnly only the documents that read as
// prose (reword.Prose) are analyzed for reworded reuse; the others read
// back as an empty analysis. Keys are spooled only with RewordKeys.
// Index.Prose says which documents read as prose, whatever the options.
func TestProseOnly(t *testing.T) {
	dir := t.TempDir()
	prose := strings.Repeat("The council met on Tuesday. It approved the new pier and the budget for the harbour. ", 20)
	code := strings.Repeat("if (x.y > 0) { z = x.y; } else { z = -x.y; } /* clamp. */\n", 40)
	for name, text := range map[string]string{"prose.txt": prose, "code.c": code} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		opt       Options
		codeTerms bool // code.c analyzed
		keys      bool
	}{
		{Options{}, false, false},
		{Options{Reword: true, ProseOnly: true}, false, false},
		{Options{Reword: true}, true, false},
		{Options{Reword: true, ProseOnly: true, RewordKeys: true}, false, true},
	} {
		x := build(t, c.opt, dir)
		r := x.NewSeedReader()
		for _, id := range []string{"prose.txt", "code.c"} {
			d, ok := x.Find(id)
			if !ok {
				t.Fatalf("%+v: no %s", c.opt, id)
			}
			if got, want := x.Prose(d), id == "prose.txt"; got != want {
				t.Errorf("%+v: Prose(%s) = %v, want %v", c.opt, id, got, want)
			}
			if !c.opt.Reword {
				continue
			}
			doc, err := r.Reworded(reword.Doc{}, d)
			if err != nil {
				t.Fatal(err)
			}
			want := id == "prose.txt" || c.codeTerms
			if got := len(doc.Terms) > 0; got != want || got && len(doc.Terms) != x.Words(d) {
				t.Errorf("%+v: %s analyzed with %d terms for %d words, want analyzed %v", c.opt, id, len(doc.Terms), x.Words(d), want)
			}
		}
		if n, _ := x.KeyLoads(1 << 30); (n > 0) != c.keys {
			t.Errorf("%+v: %d loads of keys, want keys %v", c.opt, n, c.keys)
		}
	}
}

// TestAnalysisBytes: large documents under a budget too small for two of
// them (Options.AnalysisBytes) are analyzed one at a time: Build ends
// (a worker gives a document's budget back before it waits for the next,
// which its reader holds until it has the budget) and indexes what an
// unbounded Build indexes. Small documents are not counted.
func TestAnalysisBytes(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 5 {
		size := 64 // small
		if i%2 == 0 {
			size = bigText + 1000 // large
		}
		var b strings.Builder
		for b.Len() < size {
			for range 3 + r.IntN(7) {
				b.WriteByte(byte('a' + r.IntN(26)))
			}
			b.WriteString(" ")
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.txt", i)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		n    int
		want int64
	}{{0, 0}, {bigText - 1, 0}, {bigText, analysisPerByte * bigText}, {1 << 30, 64 * bigText}} {
		b := newBuilder(Options{AnalysisBytes: 64 * bigText})
		if got := b.cost(c.n); got != c.want {
			t.Errorf("cost(%d) = %d, want %d", c.n, got, c.want)
		}
	}
	free := build(t, Options{Workers: 2, Reword: true}, dir)
	done := make(chan *Index)
	go func() {
		x, err := Build(context.Background(), []string{dir}, Options{Workers: 2, Reword: true, AnalysisBytes: 1})
		if err != nil {
			t.Error(err)
		}
		done <- x
	}()
	var bounded *Index
	select {
	case bounded = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Build with a budget for one large document at a time never ended")
	}
	if bounded == nil {
		return
	}
	defer bounded.Close()
	if free.Len() != 5 || bounded.Len() != 5 {
		t.Fatalf("%d and %d documents indexed, want 5", free.Len(), bounded.Len())
	}
	for d := range uint32(5) {
		var x, y Doc
		if err := free.Doc(d, &x); err != nil {
			t.Fatal(err)
		}
		if err := bounded.Doc(d, &y); err != nil {
			t.Fatal(err)
		}
		if x.ID != y.ID || !bytes.Equal(x.Seeds, y.Seeds) || !slices.Equal(x.Signature, y.Signature) || !bytes.Equal(x.Reworded, y.Reworded) || !slices.Equal(x.Repeats, y.Repeats) {
			t.Errorf("document %s indexed otherwise under the budget", x.ID)
		}
	}
}

// TestTouchCountsWindows: a reader of the mapped seed spool counts what
// its reads can make resident, whole fault-around windows: a small
// record read alone counts a window, reads going on through a window
// count it once, and a read back into a counted window counts it again
// (the spool's pages may have been released since).
func TestTouchCountsWindows(t *testing.T) {
	const w = faultAround
	tests := []struct {
		name  string
		reads [][2]int64 // offset, bytes
		want  int64
	}{
		{"one small record", [][2]int64{{100, 300}}, w},
		{"small records far apart", [][2]int64{{100, 300}, {5 * w, 300}, {9*w + 10, 8}}, 3 * w},
		{"a record across two windows", [][2]int64{{w - 10, 20}}, 2 * w},
		{"sequential records", [][2]int64{{0, 1000}, {1000, 1000}, {2000, w}, {2000 + w, 3 * w}}, 5 * w}, // bytes 0 to 2000+4w
		{"back into a counted window", [][2]int64{{5 * w, 100}, {w, 100}, {5 * w, 100}}, 3 * w},
		{"an empty record", [][2]int64{{3 * w, 0}}, w},
	}
	for _, tt := range tests {
		x := &Index{releaseEvery: 1 << 62}
		r := x.NewSeedReader()
		for _, rd := range tt.reads {
			r.touch(rd[0], rd[1])
		}
		if got := x.read.Load(); got != tt.want {
			t.Errorf("%s: counted %d bytes, want %d", tt.name, got, tt.want)
		}
	}
}

// TestSignatureCountsWindows: signatures read in the spool's order count
// each fault-around window of it once; a read back at the start counts
// its window again.
func TestSignatureCountsWindows(t *testing.T) {
	dir := t.TempDir()
	const docs = 300 // 128 signatures of 512 bytes to a window: 3 windows
	for i := range docs {
		text := fmt.Sprintf("Document %d says something of its own, number %d.\n", i, i*7919)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	x := build(t, Options{}, dir)
	x.releaseEvery = 1 << 62
	x.sigRead.Store(0)
	order := make([]uint32, x.Len())
	for d := range order {
		order[x.docs[d].seq] = uint32(d)
	}
	var sig []uint64
	var err error
	for _, d := range order {
		if sig, err = x.Signature(sig, d); err != nil {
			t.Fatal(err)
		}
	}
	size := int64(8 * len(sig))
	want := (int64(x.Len())*size + faultAround - 1) / faultAround * faultAround
	if got := x.sigRead.Load(); got != want || want < 2*faultAround {
		t.Errorf("signatures of %d documents in order counted %d bytes, want %d (at least 2 windows)", x.Len(), got, want)
	}
	if _, err = x.Signature(sig, order[0]); err != nil {
		t.Fatal(err)
	}
	if got := x.sigRead.Load(); got != want+faultAround {
		t.Errorf("a signature read back at the start counted %d bytes more, want %d", got-want, faultAround)
	}
}

// windowsCorpus writes 300 distinct documents whose records span several
// fault-around windows of the seed spool, and returns their folder.
func windowsCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i := range 300 {
		var text strings.Builder
		for s := range 12 {
			fmt.Fprintf(&text, "Report %d of part %d counts %d ships and %d boats in the harbour today. ", i, s, i*7919+s, s*31+i)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.txt", i)), []byte(text.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// spoolOrder returns x's documents in the order of their records in the
// seed spool.
func spoolOrder(x *Index) []uint32 {
	order := make([]uint32, x.Len())
	for d := range order {
		order[d] = uint32(d)
	}
	slices.SortFunc(order, func(a, b uint32) int { return cmp.Compare(x.docs[a].seeds.Off, x.docs[b].seeds.Off) })
	return order
}

// TestDocCountsWindows checks that Index.Doc counts the seed spool's
// windows it reads towards a release, as SeedReader does: read in the
// spool's order, each window of seed and reworded records once, with the
// signatures' windows counted as Signature counts them. Without the
// count, an archive written from a large scan kept the whole spool
// resident.
func TestDocCountsWindows(t *testing.T) {
	x := build(t, Options{Reword: true}, windowsCorpus(t))
	if !x.reword {
		t.Fatal("index built without reworded records")
	}
	x.releaseEvery = 1 << 62
	order := spoolOrder(x)
	var seedNext, sigNext int64
	want := int64(0)
	for _, d := range order {
		r := &x.docs[d]
		want += windowBytes(&seedNext, r.seeds.Off, r.seeds.Bytes)
		if r.rwBytes > 0 {
			want += windowBytes(&seedNext, r.seeds.Off+((r.seeds.Bytes+3)&^3), int64(r.rwBytes))
		}
		size := int64(8 * x.sigSize)
		want += windowBytes(&sigNext, int64(r.seq)*size, size)
	}
	if seedNext < 3 {
		t.Fatalf("the seed spool spans %d windows, want at least 3", seedNext)
	}
	x.read.Store(0)
	x.sigRead.Store(0)
	var doc Doc
	for _, d := range order {
		if err := x.Doc(d, &doc); err != nil {
			t.Fatal(err)
		}
	}
	if got := x.read.Load() + x.sigRead.Load(); got != want {
		t.Errorf("Doc of %d documents in the spool's order counted %d bytes, want %d", x.Len(), got, want)
	}
}

// TestDropsWhereSpoolsOutgrowShare checks when the mapped spools' pages
// are dropped: never while each spool's reads since the last drop, but
// no more than its mapping, fit in the resident share (at the default
// budget the seed spool fits whole, and dropping it made the alignment
// fault its pages in again), and as soon as they outgrow it. The corpus
// spans several fault-around windows however the workers laid out the
// spool: the example corpus's records fit in one window when a single
// worker wrote them, and then no count grew.
func TestDropsWhereSpoolsOutgrowShare(t *testing.T) {
	x := build(t, Options{}, windowsCorpus(t))
	if x.seedsMapped == 0 || x.sigsMapped == 0 {
		t.Skip("spools not mapped on this system")
	}
	order := spoolOrder(x)
	// readAll reads every record passes times in the spool's order and
	// returns the bytes counted since the last drop.
	readAll := func(passes int) int64 {
		x.read.Store(0)
		x.sigRead.Store(0)
		r := x.NewSeedReader()
		for range passes {
			for _, d := range order {
				if _, err := r.View(d); err != nil {
					t.Fatal(err)
				}
			}
		}
		return x.read.Load()
	}
	x.releaseEvery = 1 << 62
	perPass := readAll(1)
	if perPass < 3*faultAround {
		t.Fatalf("a pass counted %d bytes, want at least 3 windows", perPass)
	}
	for _, tt := range []struct {
		name    string
		share   int64
		dropped bool
	}{
		{"both spools fit whole", x.seedsMapped + x.sigsMapped, false},
		{"the seed spool fits whole, the signatures unread", x.seedsMapped + 1, false},
		{"the seed spool outgrows the share", x.seedsMapped / 2, true},
	} {
		// Reads of about twice the share, counted once with no drop
		// possible: a drop resets the count, so the two differ exactly
		// when the share made one.
		passes := int(2*tt.share/perPass) + 2
		x.releaseEvery = 1 << 62
		undropped := readAll(passes)
		if undropped < tt.share {
			t.Fatalf("%s: %d passes counted %d bytes, less than the share %d", tt.name, passes, undropped, tt.share)
		}
		x.releaseEvery = tt.share
		if got := readAll(passes); (got != undropped) != tt.dropped {
			t.Errorf("%s: %d passes counted %d bytes since the last drop, %d with none possible; want dropped = %v", tt.name, passes, got, undropped, tt.dropped)
		}
	}
}
