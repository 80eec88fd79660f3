package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/index"
)

// segmentFile returns the path of the one segment of the index in dir.
func segmentFile(t testing.TB, dir string) string {
	t.Helper()
	m, err := readManifest(dir)
	if err != nil || len(m.Segments) != 1 {
		t.Fatalf("manifest %+v, %v: want one segment", m, err)
	}
	return filepath.Join(dir, m.Segments[0].Name)
}

// TestCorruptSegment: a byte changed anywhere in a segment, or the
// segment cut short anywhere, is found by Verify and named; reading the
// index then fails with ErrCorrupt or reads on, and never panics. Both
// kinds of index: one made for reworded reuse holds keys of reworded
// sentences too.
func TestCorruptSegment(t *testing.T) {
	rw := testParams()
	rw.Reworded = true
	for _, p := range []Params{testParams(), rw} {
		t.Run(fmt.Sprintf("reworded=%v", p.Reworded), func(t *testing.T) { testCorruptSegment(t, p) })
	}
}

func testCorruptSegment(t *testing.T, p Params) {
	root, _ := filepath.Abs(exampleCorpus)
	dir := createWith(t, p, root, root)
	path := segmentFile(t, dir)
	name := filepath.Base(path)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	step := max(1, len(good)/700)
	try := func(what string, data []byte) {
		t.Helper()
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var problems []error
		st, err := Verify(context.Background(), dir, func(err error) { problems = append(problems, err) })
		if err != nil {
			t.Fatalf("%s: Verify = %v", what, err)
		}
		if st.Problems == 0 || len(problems) == 0 || !errors.Is(problems[0], ErrCorrupt) || !strings.Contains(problems[0].Error(), name) {
			t.Fatalf("%s: Verify found %v, want a problem naming %s", what, problems, name)
		}
		readAll(t, dir) // no panic
	}
	for at := 0; at < len(good); at += step {
		data := []byte(string(good))
		data[at] ^= 0x5a
		try("byte "+strconv.Itoa(at)+" changed", data)
	}
	for _, n := range []int{0, 1, len(segMagic), len(good) / 3, len(good) - len(segEnd) - 1, len(good) - 1} {
		try("cut to "+strconv.Itoa(n)+" bytes", good[:n])
	}
	os.WriteFile(path, good, 0o644)
}

// readAll opens the index in dir and reads everything it can, for the
// sake of finding panics: documents, and lookups of their keys.
func readAll(t testing.TB, dir string) {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Open of a damaged index = %v, want ErrCorrupt", err)
		}
		return
	}
	defer ix.Close()
	var keys []uint64
	ix.Each(func(r Ref) error {
		var d index.Doc
		if err := ix.Doc(r, &d); err != nil {
			return nil
		}
		for _, fp := range d.Fingerprints {
			keys = append(keys, fp.Hash)
		}
		return nil
	})
	slices.Sort(keys)
	keys = slices.Compact(keys)
	ix.Lookup(Fingerprints, keys, func(int, []Posting) error { return nil })
	ix.Frequencies(context.Background(), Fingerprints, keys, nil)
	ix.Lookup(Keys, keys, func(int, []Posting) error { return nil })
	ix.Frequencies(context.Background(), Keys, keys, nil)
	ix.Frequencies(context.Background(), Bands, []uint64{0, 1 << 63, ^uint64(0)}, nil)
	ix.Stats()
}

// TestVerifyRewordedRecord: Verify's check of a document's records
// refuses an analysis for reworded reuse that does not decode, or that
// is not of the document's words (a record of another document), and
// takes the document's own.
func TestVerifyRewordedRecord(t *testing.T) {
	x := build(t, "", filepath.Join("..", "testdata", "corpus"))
	var d, other index.Doc
	if err := x.Doc(0, &d); err != nil {
		t.Fatal(err)
	}
	if err := x.Doc(1, &other); err != nil {
		t.Fatal(err)
	}
	if len(d.Reworded) == 0 || len(other.Reworded) == 0 || d.Words == other.Words {
		t.Fatalf("documents of %d and %d words, analyses of %d and %d bytes: the test needs two analyzed documents of different lengths",
			d.Words, other.Words, len(d.Reworded), len(other.Reworded))
	}
	s, p := &segment{name: "s000001.seg"}, testParams()
	if err := checkDoc(s, 0, &d, p); err != nil {
		t.Errorf("the document's own records: %v", err)
	}
	for name, rec := range map[string][]byte{"another document's": other.Reworded, "a cut": d.Reworded[:len(d.Reworded)/2]} {
		bad := d
		bad.Reworded = rec
		if err := checkDoc(s, 0, &bad, p); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "reworded") {
			t.Errorf("%s analysis: %v, want ErrCorrupt naming it", name, err)
		}
	}
}
