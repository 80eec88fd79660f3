package archive

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestAlignments: alignments kept beside an index come back for their
// settings; other settings are stale; a damaged file is named and
// corrupt (and Verify says so); after an addition they still hold, with
// the documents added; a removal makes them stale and removes them.
func TestAlignments(t *testing.T) {
	root, parts := splitCorpus(t, 2)
	dir := create(t, root, parts[0])
	w, err := OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	data := []byte("the alignments, as package pairs encodes them")
	if err := w.PutAlignments("min-words 9", data); err != nil {
		t.Fatal(err)
	}
	ix := open(t, dir)
	if got, err := ix.Alignments("min-words 9"); err != nil || !bytes.Equal(got.Data, data) || got.Added != nil || got.Generation != ix.m.Generation {
		t.Errorf("Alignments = %+v, %v; want %q, none added, generation %d", got, err, data, ix.m.Generation)
	}
	if st, ok, err := ix.KeptAlignments(); err != nil || !ok || st.Settings != "min-words 9" || st.Bytes != int64(len(data)) {
		t.Errorf("KeptAlignments = %+v, %v, %v", st, ok, err)
	}
	if _, err := ix.Alignments("min-words 12"); !errors.Is(err, ErrStale) {
		t.Errorf("Alignments of other settings: %v, want ErrStale", err)
	}

	// Damaged: one byte of the alignments changed.
	path := filepath.Join(dir, alignmentsName(ix.m.Generation))
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(good)
	bad[len(bad)-3] ^= 1
	for _, b := range [][]byte{bad, good[:len(good)-2], []byte("reuse-alignments 1\n{}\n")} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Alignments("min-words 9"); !errors.Is(err, ErrCorrupt) || !bytes.Contains([]byte(err.Error()), []byte(path)) {
			t.Errorf("damaged alignments: %v, want ErrCorrupt naming %s", err, path)
		}
		st, err := Verify(context.Background(), dir, nil)
		if err != nil || st.Problems != 1 {
			t.Errorf("Verify of damaged alignments: %+v, %v; want one problem", st, err)
		}
	}
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}

	// After an addition they hold, with the documents added.
	if _, err := w.Add(context.Background(), build(t, root, parts[1]), AddOptions{LoadBytes: 1 << 20, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	added := w.Index().Len() - ix.Len()
	if got, err := w.Index().Alignments("min-words 9"); err != nil || !bytes.Equal(got.Data, data) || len(got.Added) != added || added == 0 {
		t.Errorf("after Add: %d added, %v; want the alignments, %d added", len(got.Added), err, added)
	}
	if st, ok, err := w.Index().KeptAlignments(); !ok || err != nil || st.Added != added {
		t.Errorf("after Add: KeptAlignments = %+v, %v, %v", st, ok, err)
	}
	// A removal leaves them stale, and removes them.
	if _, err := w.Remove([]string{ix.ID(ref(0, 0))}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Index().Alignments("min-words 9"); !errors.Is(err, ErrStale) {
		t.Errorf("after Remove: %v, want ErrStale", err)
	}
	if _, ok, err := w.Index().KeptAlignments(); ok || err != nil {
		t.Errorf("after Remove: KeptAlignments = %v, %v; want none", ok, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Remove: %s still there (%v)", path, err)
	}
}
