package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestAlignments: alignments kept beside an index come back for their
// settings, and their joins alone; other settings, and files of an
// earlier reuse, are stale; a damaged file is named and corrupt (and
// Verify says so), whether the alignments or the joins are damaged; after an addition they still hold, with
// the documents added, and after removals with the documents removed
// (whose removal files they keep); a merge makes them stale and removes
// them.
func TestAlignments(t *testing.T) {
	root, parts := splitCorpus(t, 2)
	dir := create(t, root, parts[0])
	w, err := OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	data := []byte("the alignments, as package pairs encodes them")
	joins := []byte("the joins, as package cluster encodes them")
	clusters := []byte("the clusters, as package assemble encodes them")
	if err := w.PutAlignments("min-words 9", "max-df 3", data, joins, clusters); err != nil {
		t.Fatal(err)
	}
	ix := open(t, dir)
	if got, err := ix.Alignments("min-words 9"); err != nil || !bytes.Equal(got.Data, data) || !bytes.Equal(got.Joins, joins) || !bytes.Equal(got.Clusters, clusters) || got.Added != nil || got.Generation != ix.m.Generation {
		t.Errorf("Alignments = %+v, %v; want %q, %q and %q, none added, generation %d", got, err, data, joins, clusters, ix.m.Generation)
	}
	if got, err := ix.Joins("max-df 3"); err != nil || got.Data != nil || !bytes.Equal(got.Joins, joins) || !bytes.Equal(got.Clusters, clusters) || got.Settings != "min-words 9" || got.Added != nil {
		t.Errorf("Joins = %+v, %v; want %q and %q alone, made for min-words 9, none added", got, err, joins, clusters)
	}
	for _, other := range []string{"max-df 4", "min-words 9"} {
		if _, err := ix.Joins(other); !errors.Is(err, ErrStale) {
			t.Errorf("Joins for %s, made for max-df 3: %v, want ErrStale", other, err)
		}
	}
	if st, ok, err := ix.KeptAlignments(); err != nil || !ok || st.Settings != "min-words 9" || st.Bytes != int64(len(data)+len(joins)+len(clusters)) || st.JoinsBytes != int64(len(joins)) || st.ClustersBytes != int64(len(clusters)) {
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
	badJoins := bytes.Clone(good)
	badJoins[len(good)-len(data)-len(clusters)-3] ^= 1
	badClusters := bytes.Clone(good)
	badClusters[len(good)-len(data)-3] ^= 1
	for i, b := range [][]byte{bad, badJoins, good[:len(good)-2], []byte("reuse-alignment 3\n{}\n"), bytes.Replace(good, []byte(" 5\n"), []byte(" 6\n"), 1), badClusters} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Alignments("min-words 9"); !errors.Is(err, ErrCorrupt) || !bytes.Contains([]byte(err.Error()), []byte(path)) {
			t.Errorf("damaged alignments: %v, want ErrCorrupt naming %s", err, path)
		}
		// Joins checks the joins and the file's length; the clusters,
		// mapped, are checked cluster by cluster as they are decoded.
		joinsWhole := i == 0 || i == 5 // the alignments alone changed, or the clusters
		if _, err := ix.Joins("max-df 3"); joinsWhole && err != nil || !joinsWhole && !errors.Is(err, ErrCorrupt) {
			t.Errorf("damaged file %d: Joins = %v, want ErrCorrupt unless the alignments or clusters alone are damaged", i, err)
		}
		st, err := Verify(context.Background(), dir, nil)
		if err != nil || st.Problems != 1 {
			t.Errorf("Verify of damaged alignments: %+v, %v; want one problem", st, err)
		}
	}
	// Of an earlier reuse: stale, and not a problem.
	for _, first := range alignmentsEarlier {
		if err := os.WriteFile(path, []byte(first+"\n{}\ncrc32c 00000000\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Alignments("min-words 9"); !errors.Is(err, ErrEarlier) || !errors.Is(err, ErrStale) {
			t.Errorf("alignments of an earlier reuse (%s): %v, want ErrEarlier, stale", first, err)
		}
		if !ix.EarlierAlignments() {
			t.Errorf("alignments of an earlier reuse (%s): EarlierAlignments false", first)
		}
		if st, err := Verify(context.Background(), dir, nil); err != nil || st.Problems != 0 {
			t.Errorf("Verify of alignments of an earlier reuse (%s): %+v, %v; want no problem", first, st, err)
		}
	}
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if ix.EarlierAlignments() {
		t.Error("alignments of this reuse: EarlierAlignments true")
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
	// After removals they hold, with the documents removed from the
	// segments they were made for (one added since only leaves Added).
	gone := []Ref{ref(0, 0), ref(0, 2)}
	for _, r := range []Ref{gone[0], ref(1, 0), gone[1]} {
		if _, err := w.Remove([]string{w.Index().ID(r)}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := w.Index().Alignments("min-words 9"); err != nil || !slices.Equal(got.Removed, gone) || len(got.Added) != added-1 {
		t.Errorf("after Remove: removed %v, %d added, %v; want %v, %d", got.Removed, len(got.Added), err, gone, added-1)
	}
	if st, ok, err := w.Index().KeptAlignments(); !ok || err != nil || st.Removed != 2 || st.Added != added-1 {
		t.Errorf("after Remove: KeptAlignments = %+v, %v, %v; want 2 removed, %d added", st, ok, err, added-1)
	}

	// Made again after those removals, they keep the removal file they
	// were made with through the next removal, which tidy would
	// otherwise replace.
	if err := w.PutAlignments("min-words 9", "max-df 3", data, nil, nil); err != nil {
		t.Fatal(err)
	}
	then := w.Index().m.Segments[0].Removed
	if _, err := w.Remove([]string{w.Index().ID(ref(0, 4))}); err != nil {
		t.Fatal(err)
	}
	if now := w.Index().m.Segments[0].Removed; now == then {
		t.Fatalf("a removal left the removal file %s", now)
	}
	if _, err := os.Stat(filepath.Join(dir, then)); err != nil {
		t.Errorf("the removal file the alignments name: %v", err)
	}
	if got, err := w.Index().Alignments("min-words 9"); err != nil || !slices.Equal(got.Removed, []Ref{ref(0, 4)}) {
		t.Errorf("after another Remove: removed %v, %v; want [%v]", got.Removed, err, ref(0, 4))
	}
	// Without it they do not hold.
	if err := os.Rename(filepath.Join(dir, then), filepath.Join(dir, then+".away")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Index().Alignments("min-words 9"); !errors.Is(err, ErrStale) {
		t.Errorf("without the removal file they name: %v, want ErrStale", err)
	}
	if err := os.Rename(filepath.Join(dir, then+".away"), filepath.Join(dir, then)); err != nil {
		t.Fatal(err)
	}
	// Damaged, it is named, and Verify says so.
	thenPath := filepath.Join(dir, then)
	good, err = os.ReadFile(thenPath)
	if err != nil {
		t.Fatal(err)
	}
	bad = bytes.Clone(good)
	bad[len(bad)-1] ^= 1
	if err := os.WriteFile(thenPath, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Index().Alignments("min-words 9"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), thenPath) {
		t.Errorf("a damaged removal file they name: %v, want ErrCorrupt naming %s", err, thenPath)
	}
	if st, err := Verify(context.Background(), dir, nil); err != nil || st.Problems != 1 {
		t.Errorf("Verify of a damaged removal file the alignments name: %+v, %v; want one problem", st, err)
	}
	if err := os.WriteFile(thenPath, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if st, err := Verify(context.Background(), dir, nil); err != nil || st.Problems != 0 {
		t.Errorf("Verify: %+v, %v; want no problem", st, err)
	}

	// A merge of their segments leaves them stale, and removes them.
	kept := filepath.Join(dir, alignmentsName(w.Index().m.Generation-1))
	if err := w.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Index().Alignments("min-words 9"); !errors.Is(err, ErrStale) {
		t.Errorf("after Compact: %v, want ErrStale", err)
	}
	if _, ok, err := w.Index().KeptAlignments(); ok || err != nil {
		t.Errorf("after Compact: KeptAlignments = %v, %v; want none", ok, err)
	}
	for _, p := range []string{path, kept, filepath.Join(dir, then)} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("after Compact: %s still there (%v)", p, err)
		}
	}
}

// alignedWriter returns a writer (closed at the test's end) of an index
// in dir of the first of four parts of a corpus (root, parts), with
// alignments for "min-words 9" whose joins, for "max-df 3", are joins
// and whose clusters are "clusters".
func alignedWriter(t *testing.T, joins []byte) (w *Writer, dir, root string, parts []string) {
	t.Helper()
	root, parts = splitCorpus(t, 4)
	dir = create(t, root, parts[0])
	w, err := OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.PutAlignments("min-words 9", "max-df 3", []byte("data"), joins, []byte("clusters")); err != nil {
		t.Fatal(err)
	}
	return w, dir, root, parts
}

// TestGrownJoins: joins grown after an addition (PutJoins) come back
// from Joins instead of the alignments', with no clusters and nothing
// added since; a later addition leaves them with the documents it added;
// a damaged file is named, corrupt, and a problem for Verify; after a
// removal they hold with the document removed; alignments made since
// supersede them, and tidy removes them; a merge of their segments
// leaves them stale, and Joins falls back to the alignments' joins where
// those still hold.
func TestGrownJoins(t *testing.T) {
	joins, grown, later := []byte("the joins"), []byte("the joins grown"), []byte("the joins grown again")
	w, dir, root, parts := alignedWriter(t, joins)
	alnGen := w.Index().m.Generation
	addPart := func(i int) {
		t.Helper()
		if _, err := w.Add(context.Background(), build(t, root, parts[i]), AddOptions{LoadBytes: 1 << 20, Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	addPart(1)
	first := len(w.Index().addedAfter(1))
	if err := w.PutJoins("max-df 3", grown, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Index().Joins("max-df 3"); err != nil || !bytes.Equal(got.Joins, grown) || got.Clusters != nil || got.Settings != "" || got.Added != nil || got.Removed != nil {
		t.Errorf("Joins after PutJoins = %+v, %v; want the joins grown, no clusters, none added", got, err)
	}
	if got, err := w.Index().Alignments("min-words 9"); err != nil || !bytes.Equal(got.Joins, joins) || len(got.Added) != first {
		t.Errorf("Alignments after PutJoins: %q, %d added, %v; want their own joins, %d added", got.Joins, len(got.Added), err, first)
	}
	if st, ok, err := w.Index().KeptAlignments(); !ok || err != nil || st.JoinsGrown != w.Index().m.Generation || st.JoinsAdded != 0 || st.Added != first {
		t.Errorf("KeptAlignments after PutJoins = %+v, %v, %v", st, ok, err)
	}
	if _, err := w.Index().Joins("max-df 4"); !errors.Is(err, ErrStale) {
		t.Errorf("grown joins of other settings: %v, want ErrStale", err)
	}
	// Another addition: they hold with the documents it added, until
	// grown again; tidy keeps the newest alone.
	grownPath := filepath.Join(dir, joinsName(w.Index().m.Generation))
	addPart(2)
	if got, err := w.Index().Joins("max-df 3"); err != nil || !bytes.Equal(got.Joins, grown) || len(got.Added) != len(w.Index().addedAfter(2)) || len(got.Added) == 0 {
		t.Errorf("Joins after another addition: %q, %d added, %v; want the joins grown, with the documents added", got.Joins, len(got.Added), err)
	}
	if st, ok, err := w.Index().KeptAlignments(); !ok || err != nil || st.JoinsAdded == 0 {
		t.Errorf("KeptAlignments after another addition = %+v, %v, %v; want documents added since the joins", st, ok, err)
	}
	if err := w.PutJoins("max-df 3", later, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(grownPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the older grown joins %s still there (%v)", grownPath, err)
	}
	if got, err := w.Index().Joins("max-df 3"); err != nil || !bytes.Equal(got.Joins, later) || got.Added != nil {
		t.Errorf("Joins grown again = %q, %v", got.Joins, err)
	}
	// Damaged: named, corrupt, a problem for Verify.
	path := filepath.Join(dir, joinsName(w.Index().m.Generation))
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{append(bytes.Clone(good[:len(good)-1]), good[len(good)-1]^1), good[:len(good)-1], bytes.Replace(good, []byte("reuse-joins 2"), []byte("reuse-joins 9"), 1)} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Index().Joins("max-df 3"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
			t.Errorf("damaged grown joins: %v, want ErrCorrupt naming %s", err, path)
		}
		if st, err := Verify(context.Background(), dir, nil); err != nil || st.Problems != 1 {
			t.Errorf("Verify of damaged grown joins: %+v, %v; want one problem", st, err)
		}
	}
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	// After a removal they hold with the document removed (which a
	// check does not join by).
	if _, err := w.Remove([]string{w.Index().ID(ref(0, 0))}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Index().Joins("max-df 3"); err != nil || !bytes.Equal(got.Joins, later) || !slices.Equal(got.Removed, []Ref{ref(0, 0)}) || got.Generation <= alnGen {
		t.Errorf("Joins after a removal = %q, removed %v, %v; want the joins grown, one removed", got.Joins, got.Removed, err)
	}
	if st, ok, err := w.Index().KeptAlignments(); !ok || err != nil || st.JoinsRemoved != 1 {
		t.Errorf("KeptAlignments after a removal = %+v, %v, %v; want one removed since the joins", st, ok, err)
	}
	// Alignments made since supersede them, and tidy removes them.
	if err := w.PutJoins("max-df 3", later, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.PutAlignments("min-words 9", "max-df 3", []byte("data"), joins, []byte("clusters")); err != nil {
		t.Fatal(err)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*.jns")); len(names) != 0 {
		t.Errorf("grown joins %v left beside newer alignments", names)
	}
	if got, err := w.Index().Joins("max-df 3"); err != nil || !bytes.Equal(got.Joins, joins) || got.Clusters == nil {
		t.Errorf("Joins with newer alignments = %q, %v; want theirs, with the clusters", got.Joins, err)
	}
	// A merge of the segments grown joins were made for leaves them
	// stale; the alignments' joins, made for the first segment alone,
	// still hold.
	dir = create(t, root, parts[0])
	w2, err := OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	w = w2
	if err := w.PutAlignments("min-words 9", "max-df 3", []byte("data"), joins, []byte("clusters")); err != nil {
		t.Fatal(err)
	}
	addPart(1)
	addPart(2)
	if err := w.PutJoins("max-df 3", later, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(w.Index().m.Segments); n != 3 {
		t.Fatalf("%d segments, want the alignments' and two added", n)
	}
	if err := w.mergeSegments(context.Background(), []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Index().Joins("max-df 3"); err != nil || !bytes.Equal(got.Joins, joins) || len(got.Added) != len(w.Index().addedAfter(1)) {
		t.Errorf("Joins after a merge of the grown joins' segments = %q, %d added, %v; want the alignments' joins, with the documents added", got.Joins, len(got.Added), err)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*.jns")); len(names) != 0 {
		t.Errorf("stale grown joins %v left after a merge", names)
	}

	// With SetJoinsRenumber, merges carry them over, renumbered: here
	// joins that name documents by Ref, as text.
	dir = create(t, root, parts[0])
	w3, err := OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w3.Close()
	w = w3
	w.SetJoinsRenumber(func(joins []byte, to func(Ref) (Ref, bool)) ([]byte, error) {
		var out []string
		for _, f := range strings.Fields(string(joins)) {
			r, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				return nil, err
			}
			n, ok := to(Ref(r))
			if !ok {
				return nil, errors.New("gone")
			}
			out = append(out, strconv.FormatUint(uint64(n), 10))
		}
		return []byte(strings.Join(out, " ")), nil
	})
	if err := w.PutAlignments("min-words 9", "max-df 3", []byte("data"), joins, []byte("clusters")); err != nil {
		t.Fatal(err)
	}
	addPart(1)
	addPart(2)
	// Joins naming a document of each segment, and their ids.
	var named []string
	var ids []string
	for s := range 3 {
		r := ref(s, 1)
		named = append(named, strconv.FormatUint(uint64(r), 10))
		ids = append(ids, w.Index().ID(r))
	}
	if err := w.PutJoins("max-df 3", []byte(strings.Join(named, " ")), nil); err != nil {
		t.Fatal(err)
	}
	if err := w.mergeSegments(context.Background(), []int{0, 2}); err != nil {
		t.Fatal(err)
	}
	got, err := w.Index().Joins("max-df 3")
	if err != nil || got.Added != nil || got.Removed != nil || got.Generation != w.Index().m.Generation {
		t.Fatalf("Joins after a merge with SetJoinsRenumber = %+v, %v; want the joins carried over, for the merge's generation", got, err)
	}
	var carried []string
	for _, f := range strings.Fields(string(got.Joins)) {
		r, _ := strconv.ParseUint(f, 10, 64)
		carried = append(carried, w.Index().ID(Ref(r)))
	}
	if !slices.Equal(carried, ids) {
		t.Errorf("joins carried over name %v, want %v", carried, ids)
	}
	if _, ok, _ := w.Index().KeptAlignments(); ok {
		t.Error("alignments still kept after a merge of their segment")
	}
	if settings, ok := w.Index().KeptJoinsSettings(); !ok || settings != "max-df 3" {
		t.Errorf("KeptJoinsSettings = %q, %v; want the joins carried over's", settings, ok)
	}
	// Joins that lack a document are not carried over: stale, removed.
	addPart(3)
	if err := w.mergeSegments(context.Background(), []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Index().Joins("max-df 3"); !errors.Is(err, ErrStale) {
		t.Errorf("Joins after a merge of joins lacking documents: %v, want ErrStale", err)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*.jns")); len(names) != 0 {
		t.Errorf("stale grown joins %v left after a merge", names)
	}
}

// TestGrownJoinsTouched: joins grown with the clusters the addition
// touched (PutJoins' Touched) bring the alignments' clusters back from
// Joins, with the alignments' own joins, the families touched and the
// documents added since (Since); the counts show in KeptAlignments.
// Touched families of other alignments, a file of format 1, or a
// removal since bring none.
func TestGrownJoinsTouched(t *testing.T) {
	joins, grown := []byte("the joins"), []byte("the joins grown")
	w, dir, root, parts := alignedWriter(t, joins)
	alnGen := w.Index().m.Generation
	if _, err := w.Add(context.Background(), build(t, root, parts[1]), AddOptions{LoadBytes: 1 << 20, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	added := w.Index().addedAfter(1)
	if err := w.PutJoins("max-df 3", grown, &Touched{Alignments: alnGen, Families: []int32{2, 5}, Kept: 9}); err != nil {
		t.Fatal(err)
	}
	got, err := w.Index().Joins("max-df 3")
	if err != nil || !bytes.Equal(got.Joins, grown) || string(got.Clusters) != "clusters" || got.Settings != "min-words 9" || got.Since == nil ||
		!bytes.Equal(got.Since.Joins, joins) || !slices.Equal(got.Since.Touched, []int32{2, 5}) || !slices.Equal(got.Since.Added, added) || len(added) == 0 {
		t.Fatalf("Joins grown with the clusters touched = %+v, %v; want the grown joins, the alignments' clusters and joins, touched [2 5], %d added", got, err, len(added))
	}
	if st, ok, err := w.Index().KeptAlignments(); !ok || err != nil || st.ClustersKept != 9 || st.ClustersTouched != 2 || !st.ClustersHold() {
		t.Errorf("KeptAlignments = %+v, %v, %v; want 2 of 9 clusters touched, the others holding", st, ok, err)
	}
	path := filepath.Join(dir, joinsName(w.Index().m.Generation))
	if st, err := Verify(context.Background(), dir, nil); err != nil || st.Problems != 0 {
		t.Errorf("Verify = %+v, %v", st, err)
	}
	// Families touched of other alignments: no clusters.
	if err := w.PutJoins("max-df 3", grown, &Touched{Alignments: alnGen + 100, Families: []int32{2}, Kept: 9}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Index().Joins("max-df 3"); err != nil || got.Clusters != nil || got.Since != nil {
		t.Errorf("Joins with the clusters of other alignments touched = %+v, %v; want no clusters", got, err)
	}
	// A file of format 1 reads as joins grown with no clusters.
	v1 := fmt.Sprintf("reuse-joins 1\n{\"generation\":%d,\"joins_settings\":\"max-df 3\",\"bytes\":%d,\"segments\":[{\"name\":%q},{\"name\":%q}]}\ncrc32c %08x\n%s",
		w.Index().m.Generation, len(grown), w.Index().m.Segments[0].Name, w.Index().m.Segments[1].Name, crc(grown), grown)
	if err := os.WriteFile(path, []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Index().Joins("max-df 3"); err != nil || !bytes.Equal(got.Joins, grown) || got.Clusters != nil || got.Since != nil {
		t.Errorf("Joins of format 1 = %+v, %v; want the joins grown, no clusters", got, err)
	}
	// A removal since: no clusters.
	if err := w.PutJoins("max-df 3", grown, &Touched{Alignments: alnGen, Families: []int32{2, 5}, Kept: 9}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Remove([]string{w.Index().ID(ref(0, 0))}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Index().Joins("max-df 3"); err != nil || got.Clusters != nil || got.Since != nil || len(got.Removed) != 1 {
		t.Errorf("Joins after a removal = %+v, %v; want the grown joins, one removed, no clusters", got, err)
	}
	if st, ok, err := w.Index().KeptAlignments(); !ok || err != nil || st.ClustersHold() {
		t.Errorf("KeptAlignments after a removal = %+v, %v, %v; want no clusters holding", st, ok, err)
	}
}
