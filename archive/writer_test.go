package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// splitCorpus copies the files of the example corpus into n folders under
// a new root, file i into folder i%n, and returns the root and the
// folders.
func splitCorpus(t testing.TB, n int) (string, []string) {
	t.Helper()
	root := t.TempDir()
	var dirs []string
	for i := range n {
		dirs = append(dirs, filepath.Join(root, fmt.Sprintf("part%d", i)))
	}
	i := 0
	err := filepath.WalkDir(exampleCorpus, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(exampleCorpus, p)
		dst := filepath.Join(dirs[i%n], rel)
		i++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root, dirs
}

func ids(ix *Index) []string {
	var out []string
	ix.Each(func(r Ref) error { out = append(out, ix.ID(r)); return nil })
	slices.Sort(out)
	return out
}

// TestAddRemoveCompact: an index made by several additions, with
// documents removed and replaced, holds the documents and postings of
// what remains, before and after compaction; compaction leaves one
// segment and reclaims the space of removed documents.
func TestAddRemoveCompact(t *testing.T) {
	root, parts := splitCorpus(t, 4)
	dir := filepath.Join(t.TempDir(), "idx")
	w, err := Create(dir, root, testParams())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	opt := AddOptions{LoadBytes: 1 << 20, Workers: 2}
	for _, p := range parts[:3] {
		if _, err := w.Add(ctx, build(t, root, p), opt); err != nil {
			t.Fatal(err)
		}
	}
	all := ids(w.Index())
	if len(w.Index().segs) != 3 || len(all) < 10 {
		t.Fatalf("%d segments, %d documents; want 3 segments", len(w.Index().segs), len(all))
	}
	for _, id := range all {
		if strings.Contains(id, "/") && !strings.HasPrefix(id, "part") { // not a JSONL record's id
			t.Fatalf("id %q not relative to the root", id)
		}
	}
	// Adding a folder again adds nothing: its ids are taken.
	var warned []error
	st, err := w.Add(ctx, build(t, root, parts[0]), AddOptions{LoadBytes: 1 << 20, Workers: 2, Warn: func(err error) { warned = append(warned, err) }})
	if err != nil || st.Added != 0 || st.Skipped == 0 || len(warned) != st.Skipped || !errors.Is(warned[0], ErrTaken) {
		t.Fatalf("Add of taken ids = %+v, %v, warnings %v", st, err, warned)
	}
	// Replace the documents of part 1 with themselves, and add part 3.
	st, err = w.Add(ctx, build(t, root, parts[1]), AddOptions{Replace: true, LoadBytes: 1 << 20, Workers: 2})
	if err != nil || st.Replaced == 0 || st.Added != st.Replaced {
		t.Fatalf("Add with Replace = %+v, %v", st, err)
	}
	if _, err := w.Add(ctx, build(t, root, parts[3]), opt); err != nil {
		t.Fatal(err)
	}
	// Remove some, among them a missing id.
	gone := []string{all[0], all[3], all[len(all)-1]}
	missing, err := w.Remove(append(slices.Clone(gone), "no/such.txt"))
	if err != nil || !slices.Equal(missing, []string{"no/such.txt"}) {
		t.Fatalf("Remove = %v, %v", missing, err)
	}
	want := docsByID(t, open(t, create(t, root, parts...)))
	for _, id := range gone {
		delete(want, id)
	}
	check := func(when string) {
		t.Helper()
		ix := open(t, dir)
		got := docsByID(t, ix)
		if len(got) != len(want) || ix.Len() != len(want) {
			t.Fatalf("%s: %d documents (Len %d), want %d", when, len(got), ix.Len(), len(want))
		}
		for id, d := range want {
			if !sameDoc(got[id], d) {
				t.Errorf("%s: document %q differs", when, id)
			}
		}
		for _, id := range gone {
			if _, ok := ix.Find(id); ok {
				t.Errorf("%s: removed %q found", when, id)
			}
		}
		checkLookups(t, ix, got)
		if vs, err := Verify(ctx, dir, func(err error) { t.Error(err) }); err != nil || vs.Problems > 0 {
			t.Errorf("%s: Verify = %+v, %v", when, vs, err)
		}
	}
	check("before compaction")
	before := w.Index().Stats()
	if before.Removed != len(gone) {
		t.Fatalf("stats before compaction %+v: want removed documents and segments", before)
	}
	if err := w.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	check("after compaction")
	after := w.Index().Stats()
	if after.Segments != 1 || after.Removed != 0 || after.Bytes >= before.Bytes || after.Documents != before.Documents {
		t.Errorf("stats after compaction %+v, before %+v", after, before)
	}
	names, _ := os.ReadDir(dir)
	var files []string
	for _, n := range names {
		files = append(files, n.Name())
	}
	if len(files) != 3 { // LOCK, MANIFEST, one segment
		t.Errorf("files after compaction: %v, want LOCK, MANIFEST and one segment", files)
	}
}

// TestTiers: additions of about one size are merged four at a time.
func TestTiers(t *testing.T) {
	root, parts := splitCorpus(t, 9)
	dir := filepath.Join(t.TempDir(), "idx")
	w, err := Create(dir, root, testParams())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, p := range parts {
		if _, err := w.Add(context.Background(), build(t, root, p), AddOptions{LoadBytes: 1 << 20, Workers: 1}); err != nil {
			t.Fatal(err)
		}
		if n := len(w.Index().segs); n >= tierMerge {
			t.Fatalf("%d segments after an addition, want fewer than %d", n, tierMerge)
		}
	}
	if got := w.Index().Len(); got < 20 {
		t.Errorf("%d documents after the additions", got)
	}
}

// TestLock: a second writer is refused with a message naming the holder;
// readers open the index meanwhile; the lock goes with Close.
func TestLock(t *testing.T) {
	root, _ := filepath.Abs(exampleCorpus)
	dir := create(t, root, root)
	w, err := OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenWriter(dir)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("second writer: %v, want ErrLocked naming pid %d", err, os.Getpid())
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("reader while a writer holds the lock: %v", err)
	}
	ix.Close()
	w.Close()
	w2, err := OpenWriter(dir)
	if err != nil {
		t.Fatalf("writer after Close: %v", err)
	}
	w2.Close()
}

// TestVersion: an index of another format version is refused, saying
// what to do.
func TestVersion(t *testing.T) {
	dir := create(t, t.TempDir())
	path := filepath.Join(dir, manifestName)
	data, _ := os.ReadFile(path)
	this := fmt.Sprintf("reuse-index %d\n", FormatVersion)
	if !bytes.HasPrefix(data, []byte(this)) {
		t.Fatalf("manifest begins %q, want %q", data[:min(len(data), 20)], this)
	}
	for _, v := range []int{0, FormatVersion - 1, FormatVersion + 1} {
		os.WriteFile(path, bytes.Replace(data, []byte(this), fmt.Appendf(nil, "reuse-index %d\n", v), 1), 0o644)
		_, err := Open(dir, Options{})
		if !errors.Is(err, ErrVersion) || !strings.Contains(err.Error(), "reuse index create") {
			t.Errorf("version %d: %v, want ErrVersion saying what to do", v, err)
		}
	}
	if _, err := Open(t.TempDir(), Options{}); !errors.Is(err, ErrNotIndex) {
		t.Errorf("Open of an empty folder = %v, want ErrNotIndex", err)
	}
}

// TestRoot: paths count from the root the index recorded, or from the
// one given when the archive moved.
func TestRoot(t *testing.T) {
	root, parts := splitCorpus(t, 2)
	dir := create(t, root, parts...)
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(root, moved); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ root, want string }{{"", root}, {moved, moved}} {
		ix, err := Open(dir, Options{Root: tt.root})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docsByID(t, ix) {
			if !strings.HasPrefix(d.Path, tt.want+string(filepath.Separator)) {
				t.Errorf("root %q: path %s, want it under %s", tt.root, d.Path, tt.want)
			}
		}
		ix.Close()
	}
}

// TestReaderDuringCompaction: a reader keeps reading the segments it
// opened after a compaction replaced them, and one that read the manifest
// just before finds its files gone (the error Open retries on) and opens
// the new one.
func TestReaderDuringCompaction(t *testing.T) {
	root, parts := splitCorpus(t, 3)
	dir := create(t, root, parts[0])
	w, err := OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, p := range parts[1:] {
		if _, err := w.Add(context.Background(), build(t, root, p), AddOptions{LoadBytes: 1 << 20, Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	old := open(t, dir)
	want := docsByID(t, old)
	stale, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := docsByID(t, old); len(got) != len(want) {
		t.Errorf("the reader opened before the compaction reads %d documents, want %d", len(got), len(want))
	}
	if _, err := openManifest(dir, stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("opening the replaced manifest's files = %v, want ErrNotExist", err)
	}
	if got := docsByID(t, open(t, dir)); len(got) != len(want) {
		t.Errorf("after the compaction: %d documents, want %d", len(got), len(want))
	}
}
