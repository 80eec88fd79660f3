package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"unsafe"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/mmap"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

const exampleCorpus = "../testdata/corpus"

// testParams are the settings of a default scan.
func testParams() Params {
	b, r := cluster.Bands(64, cluster.OverlapJaccard(0.8))
	return Params{Shingle: 5, Window: 5, Seed: 3, Signature: 64, Threshold: 0.8, Bands: b, Rows: r}
}

func buildOpts(p Params, root string) index.Options {
	return index.Options{
		Analyzer:         shingle.AnalyzerOptions{Shingle: p.Shingle, Window: p.Window, Seed: p.Seed, SignatureSize: p.Signature},
		Threshold:        p.Threshold,
		KeepFingerprints: true,
		Reword:           true,
		ProseOnly:        !p.Reworded,
		RewordKeys:       p.Reworded,
		Corpus:           corpus.Options{IDRoot: root},
	}
}

// build runs stage 1 on inputs, as Add wants it.
func build(t testing.TB, root string, inputs ...string) *index.Index {
	t.Helper()
	return buildWith(t, testParams(), root, inputs...)
}

// buildWith is build for an index of the given settings.
func buildWith(t testing.TB, p Params, root string, inputs ...string) *index.Index {
	t.Helper()
	x, err := index.Build(context.Background(), inputs, buildOpts(p, root))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	return x
}

// create makes an index in a new folder of the documents of inputs.
func create(t testing.TB, root string, inputs ...string) string {
	t.Helper()
	return createWith(t, testParams(), root, inputs...)
}

// createWith is create with the given settings.
func createWith(t testing.TB, p Params, root string, inputs ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	w, err := Create(dir, root, p)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if len(inputs) > 0 {
		if _, err := w.Add(context.Background(), buildWith(t, p, root, inputs...), AddOptions{LoadBytes: 1 << 20, Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func open(t testing.TB, dir string) *Index {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// docsByID returns every document of ix, by id.
func docsByID(t testing.TB, ix *Index) map[string]index.Doc {
	t.Helper()
	out := map[string]index.Doc{}
	err := ix.Each(func(r Ref) error {
		var d index.Doc
		if err := ix.Doc(r, &d); err != nil {
			return err
		}
		if d.ID != ix.ID(r) {
			t.Errorf("Doc(%v).ID = %q, ID = %q", r, d.ID, ix.ID(r))
		}
		out[d.ID] = d
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameDoc(a, b index.Doc) bool {
	return a.ID == b.ID && a.Path == b.Path && a.Date == b.Date && a.Bytes == b.Bytes && a.Words == b.Words &&
		a.Header == b.Header && a.Line == b.Line && a.Distinct == b.Distinct && a.Plain == b.Plain && a.CRC == b.CRC &&
		slices.Equal(a.Seeds, b.Seeds) && slices.Equal(a.Repeats, b.Repeats) && slices.Equal(a.Fingerprints, b.Fingerprints) &&
		slices.Equal(a.Signature, b.Signature) && string(a.Text) == string(b.Text) && string(a.Reworded) == string(b.Reworded)
}

// TestRoundTrip: an index holds every document as stage 1 gave it, finds
// it by id, and its lookups give every posting of every fingerprint, band
// key and, in an index made for reworded reuse, key of reworded sentences
// (checked against the documents' own lists).
func TestRoundTrip(t *testing.T) {
	rw := testParams()
	rw.Reworded = true
	for _, p := range []Params{testParams(), rw} {
		t.Run(fmt.Sprintf("reworded=%v", p.Reworded), func(t *testing.T) { testRoundTrip(t, p) })
	}
}

func testRoundTrip(t *testing.T, p Params) {
	root, _ := filepath.Abs(exampleCorpus)
	dir := createWith(t, p, root, root)
	ix := open(t, dir)
	x := buildWith(t, p, root, root)
	if ix.Len() != x.Len() {
		t.Fatalf("Len() = %d, want %d", ix.Len(), x.Len())
	}
	got := docsByID(t, ix)
	for d := range uint32(x.Len()) {
		var want index.Doc
		if err := x.Doc(d, &want); err != nil {
			t.Fatal(err)
		}
		want.Path, _ = filepath.Abs(want.Path)
		if g, ok := got[want.ID]; !ok || !sameDoc(g, want) {
			t.Errorf("document %q: stored %+v\nwant %+v", want.ID, g.ID, want.ID)
		}
		if r, ok := ix.Find(want.ID); !ok || ix.ID(r) != want.ID {
			t.Errorf("Find(%q) = %v, %v", want.ID, r, ok)
		}
	}
	if _, ok := ix.Find("no/such.txt"); ok {
		t.Error("Find of a missing id found it")
	}
	checkLookups(t, ix, got)
	st, err := Verify(context.Background(), dir, func(err error) { t.Error(err) })
	if err != nil || st.Problems > 0 || st.Documents != x.Len() {
		t.Errorf("Verify = %+v, %v", st, err)
	}
}

// TestEmptyExtractedText: a document whose extracted text is empty (an
// HTML page without text, an empty file in a tar) is stored and read back
// as it was made, and the index verifies: its empty text once read as no
// text at all, a corrupt record.
func TestEmptyExtractedText(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"prose.txt":  "A document with words enough to hold a few fingerprints of its own, and more.",
		"empty.html": "<html><head><title></title></head><body></body></html>",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := create(t, root, root)
	got := docsByID(t, open(t, dir))
	empty, ok := got["empty.html"]
	if !ok || len(got) != 2 {
		t.Fatalf("stored %d documents, want 2 with empty.html", len(got))
	}
	if empty.Plain || empty.Bytes != 0 || empty.Text == nil {
		t.Errorf("empty.html: plain %v, %d bytes, text %v; want an extracted, empty, non-nil text", empty.Plain, empty.Bytes, empty.Text)
	}
	st, err := Verify(context.Background(), dir, func(err error) { t.Error(err) })
	if err != nil || st.Problems > 0 || st.Documents != 2 {
		t.Errorf("Verify = %+v, %v", st, err)
	}
}

// checkLookups compares Lookup and Frequencies with the postings the
// documents' records give.
func checkLookups(t *testing.T, ix *Index, docs map[string]index.Doc) {
	t.Helper()
	p := ix.Params()
	type post struct {
		id  string
		pos uint32
	}
	want := map[Kind]map[uint64][]post{Fingerprints: {}, Bands: {}, Keys: {}}
	keyer := index.NewKeyer(reword.KeyOptions{})
	for id, d := range docs {
		// The keys of the analyses: held in an index made for reworded
		// reuse, by no document in another.
		rw, err := keyer.Keys(nil, &d)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range rw {
			ps := want[Keys][k.Hash]
			if p.Reworded {
				ps = append(ps, post{id, k.Pos})
			}
			want[Keys][k.Hash] = ps
		}
		for _, fp := range d.Fingerprints {
			want[Fingerprints][fp.Hash] = append(want[Fingerprints][fp.Hash], post{id, fp.Pos})
		}
		keys := cluster.BandKeys(nil, d.Signature, p.Bands, p.Rows)
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			want[Bands][k] = append(want[Bands][k], post{id, 0})
		}
	}
	if len(want[Keys]) == 0 {
		t.Fatal("no keys of reworded sentences in the documents' analyses")
	}
	for k, byKey := range want {
		var keys []uint64
		for key := range byKey {
			keys = append(keys, key, key+1) // and keys nobody holds, mostly
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		got := map[uint64][]post{}
		err := ix.Lookup(k, keys, func(i int, ps []Posting) error {
			for _, q := range ps {
				got[keys[i]] = append(got[keys[i]], post{ix.ID(q.Doc), q.Pos})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		dfs, err := ix.Frequencies(context.Background(), k, keys, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, key := range keys {
			w, g := byKey[key], got[key]
			order := func(x []post) {
				sort.Slice(x, func(i, j int) bool { return x[i].id < x[j].id || x[i].id == x[j].id && x[i].pos < x[j].pos })
			}
			order(w)
			order(g)
			if !slices.Equal(w, g) {
				t.Fatalf("%s: Lookup(%x) = %v, want %v", k, key, g, w)
			}
			ids := map[string]bool{}
			for _, q := range w {
				ids[q.id] = true
			}
			if dfs[i] != len(ids) {
				t.Fatalf("%s: Frequencies(%x) = %d, want %d", k, key, dfs[i], len(ids))
			}
		}
		// A cancelled lookup stops: keys enough for it to look.
		many := make([]uint64, 3*4096)
		for i := range many {
			many[i] = uint64(i) << 40
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := ix.Frequencies(ctx, k, many, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Frequencies(cancelled, %d keys) = %v, want %v", k, len(many), err, context.Canceled)
		}
	}
}

// TestCreateRefusesIndex: a folder holding an index or other files is not
// made an index.
func TestCreateRefusesIndex(t *testing.T) {
	dir := create(t, t.TempDir())
	if _, err := Create(dir, t.TempDir(), testParams()); !errors.Is(err, ErrExists) {
		t.Errorf("Create over an index = %v, want ErrExists", err)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if _, err := Create(other, other, testParams()); !errors.Is(err, ErrExists) {
		t.Errorf("Create in a folder with a file = %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(b) != "mine" {
		t.Error("Create changed a file of the folder")
	}
}

// TestCompactKeepsKeys: the keys of reworded sentences of an index made
// for reworded reuse survive additions, removals and a compaction: its
// lookups give every key of the documents left, and Verify passes.
func TestCompactKeepsKeys(t *testing.T) {
	ctx := context.Background()
	root, _ := filepath.Abs(exampleCorpus)
	p := testParams()
	p.Reworded = true
	dir := createWith(t, p, root, filepath.Join(root, "courier"))
	w, err := OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Add(ctx, buildWith(t, p, root, filepath.Join(root, "gazette"), filepath.Join(root, "wire")), AddOptions{LoadBytes: 1 << 20, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	gone := "gazette/2024-03-06-school-roof.txt"
	if missing, err := w.Remove([]string{gone}); err != nil || len(missing) > 0 {
		t.Fatalf("Remove = %v, %v", missing, err)
	}
	if err := w.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	ix := open(t, dir)
	docs := docsByID(t, ix)
	if _, ok := docs[gone]; ok || ix.Stats().Segments != 1 {
		t.Fatalf("after compaction: %d segments, %s held: %v", ix.Stats().Segments, gone, ok)
	}
	checkLookups(t, ix, docs)
	if st, err := Verify(ctx, dir, func(err error) { t.Error(err) }); err != nil || st.Problems > 0 {
		t.Errorf("Verify = %+v, %v", st, err)
	}
}

// TestReadByCopy: where the system maps files, the lookups' blocks and
// Doc's records are read into buffers of their own (a fault in the
// mapping can make a whole large folio resident, up to 2 MiB, where a
// lookup reads a few KiB), with the same bytes as the mapping holds, and
// a damaged block read by copy is still found by its checksum.
func TestReadByCopy(t *testing.T) {
	if !mmap.Maps {
		t.Skip("no mmap here: a segment is read whole into memory")
	}
	root, _ := filepath.Abs(exampleCorpus)
	dir := create(t, root, root)
	ix := open(t, dir)
	s := ix.segs[0]
	inMapping := func(b []byte) bool {
		return len(b) > 0 && uintptr(unsafe.Pointer(&b[0])) >= uintptr(unsafe.Pointer(&s.data[0])) &&
			uintptr(unsafe.Pointer(&b[0])) < uintptr(unsafe.Pointer(&s.data[0]))+uintptr(len(s.data))
	}
	for d := range uint32(s.docs) {
		want, err := s.records(d)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := s.readRecords(d, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		if !inMapping(want) || inMapping(got) || !bytes.Equal(got, want) {
			t.Fatalf("document %d: records in the mapping %v, copied %v, equal %v", d, inMapping(want), !inMapping(got), bytes.Equal(got, want))
		}
	}
	for _, k := range []Kind{Fingerprints, Bands} {
		it, copied := s.terms(k), ix.iterators(k)[0]
		if !copied.copy {
			t.Fatalf("%v: the lookups' iterator reads in place", k)
		}
		n := 0
		for {
			ok, err := it.next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			n++
			if n%7 != 0 {
				continue
			}
			found, err := copied.seek(it.key)
			if err != nil || !found {
				t.Fatalf("%v: seek(%#x) = %v, %v", k, it.key, found, err)
			}
			if inMapping(copied.postingBytes) || !inMapping(it.postingBytes) || !bytes.Equal(copied.postingBytes, it.postingBytes) || copied.docs != it.docs {
				t.Fatalf("%v: key %#x read by copy differs from the mapping's, or was read in place", k, it.key)
			}
		}
		if n < 7 {
			t.Fatalf("%v: %d terms", k, n)
		}
	}
	// A byte of a block's postings changed on disk.
	sec := s.section(Fingerprints)
	b := sec.blocks / 2
	e := sec.index[b*indexSize:]
	off, size := int64(binary.LittleEndian.Uint64(e[8:])), int64(binary.LittleEndian.Uint32(e[16:]))
	f, err := os.OpenFile(segmentFile(t, dir), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	one := []byte{0}
	if _, err := f.ReadAt(one, off+size-1); err != nil {
		t.Fatal(err)
	}
	one[0] ^= 0x5a
	if _, err := f.WriteAt(one, off+size-1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	key := binary.LittleEndian.Uint64(e)
	if err := ix.Lookup(Fingerprints, []uint64{key}, func(int, []Posting) error { return nil }); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Lookup of a key of a damaged block: %v, want ErrCorrupt", err)
	}
}
