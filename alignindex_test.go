package reuse

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/eval/gen"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
)

func TestShiftsReach(t *testing.T) {
	const a, b, c, d = archive.Ref(1), archive.Ref(2), archive.Ref(3), archive.Ref(4)
	sh := newShifts(5, 5) // a shift reaches 15 tokens around a passage
	sh.add([]archive.Shift{
		{Doc: a, Hash: 7, Pos: 100},
		{Doc: b, Hash: 7, Pos: 40},
		{Doc: b, Hash: 9, Pos: 500},
		{Doc: c, Hash: 8, Pos: 20, Whole: true},
	})
	sh.addWhole([]archive.Ref{d})
	span := func(aStart, aEnd, bStart, bEnd int32) []align.Span {
		return []align.Span{{AStart: aStart, AEnd: aEnd, BStart: bStart, BEnd: bEnd, Matched: aEnd - aStart}}
	}
	for _, tt := range []struct {
		name  string
		x, y  archive.Ref
		spans []align.Span
		want  bool
	}{
		{"a shifted fingerprint both hold", a, b, nil, true},
		{"no shift in either", 10, 11, span(0, 50, 0, 50), false},
		{"a shift far from the passages", a, 10, span(0, 50, 0, 50), false},
		{"no passage", a, 10, nil, false},
		{"a shift inside a passage", a, 10, span(90, 120, 0, 30), true},
		{"a shift just before a passage", a, 10, span(115, 140, 0, 25), true},
		{"a shift just beyond reach before", a, 10, span(116, 140, 0, 25), false},
		{"a shift just after a passage", a, 10, span(60, 86, 0, 26), true},
		{"a shift just beyond reach after", a, 10, span(60, 85, 0, 25), false},
		{"a shift on side B", 10, b, span(0, 30, 450, 490), true},
		{"side A's shift on side B's range", 10, a, span(90, 120, 0, 30), false},
		{"a fingerprint unique before: every pair", c, 10, span(300, 330, 0, 30), true},
		{"a document counted whole", 10, d, nil, true},
	} {
		if got := sh.reach(tt.x, tt.y, tt.spans); got != tt.want {
			t.Errorf("%s: reach(%d, %d, %v) = %v, want %v", tt.name, tt.x, tt.y, tt.spans, got, tt.want)
		}
	}
}

// TestShiftsReachChangedAlignments: the alignments `reuse index align`
// kept before documents were added differ from a fresh AlignIndex's
// after the addition only in pairs the additions' shifts reach
// (Index.ShiftedBy, shifts.reach). TestShiftsReachLarge runs it on a
// corpus of your choosing; on the Linux Documentation it found the pairs
// a fingerprint unique before reaches (Shift.Whole).
func TestShiftsReachChangedAlignments(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	a, n := split(t, gen, func(_ string, i int) bool { return i%7 == 3 })
	checkShiftsReach(t, "generated", a, n)
}

// TestShiftsReachLarge is TestShiftsReachChangedAlignments on a corpus of
// your choosing, every 90th file added:
//
//	REUSE_CHECK_CORPUS=/work/cache/linux-docs go test -run ShiftsReachLarge -v
func TestShiftsReachLarge(t *testing.T) {
	dir := os.Getenv("REUSE_CHECK_CORPUS")
	if dir == "" {
		t.Skip("set REUSE_CHECK_CORPUS to a corpus folder")
	}
	a, n := split(t, dir, func(_ string, i int) bool { return i%90 == 45 })
	checkShiftsReach(t, filepath.Base(dir), a, n)
}

// checkShiftsReach indexes archiveDir, keeps its alignments, adds newDir
// and removes every 45th document, and holds the kept alignments against
// those of a fresh index so made.
func checkShiftsReach(t *testing.T, name, archiveDir, newDir string) {
	t.Helper()
	ctx := context.Background()
	root := filepath.Dir(archiveDir)
	made := func(alignFirst bool) string {
		idx := filepath.Join(t.TempDir(), "idx")
		if _, err := CreateIndex(ctx, idx, []string{archiveDir}, IndexOptions{Root: root}); err != nil {
			t.Fatal(err)
		}
		if alignFirst {
			if _, err := AlignIndex(ctx, idx, Options{}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := AddToIndex(ctx, idx, []string{newDir}, IndexOptions{}); err != nil {
			t.Fatal(err)
		}
		removeEvery(t, idx, 45)
		if !alignFirst {
			if _, err := AlignIndex(ctx, idx, Options{}); err != nil {
				t.Fatal(err)
			}
		}
		return idx
	}
	kept := func(idx string) (*archive.Index, archive.Kept, *pairs.Stored, Options) {
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		o, err := Options{}.withIndex(ix.Params())
		if err == nil {
			o, err = o.WithDefaults()
		}
		if err != nil {
			t.Fatal(err)
		}
		k, err := ix.Alignments(o.alignSettings())
		if err != nil {
			t.Fatal(err)
		}
		st, err := pairs.OpenStored(k.Data)
		if err != nil {
			t.Fatal(err)
		}
		return ix, k, st, o
	}
	// Both indexes hold the same segments: a document has one Ref in both.
	ix, before, old, o := kept(made(true))
	_, _, fresh, _ := kept(made(false))
	if len(before.Removed) == 0 {
		t.Fatalf("%s: no document removed", name)
	}
	fps, err := ix.ShiftedBy(ctx, before.Added, before.Removed, dfClass(o.rules()))
	if err != nil {
		t.Fatal(err)
	}
	sh := newShifts(o.Shingle, o.Window)
	sh.addWhole(before.Added)
	sh.add(fps)
	// Documents removed are never asked for: their pairs are left out.
	removed := map[archive.Ref]bool{}
	for _, r := range before.Removed {
		removed[r] = true
	}
	changed, reached, unique := 0, 0, 0
	for x, y := range old.Keys() {
		was, _ := old.Passages(x, y)
		a, b := archive.Ref(x), archive.Ref(y)
		if removed[a] || removed[b] {
			continue
		}
		if sh.reach(a, b, was) {
			reached++
		}
		now, ok := fresh.Passages(x, y)
		if ok && reflect.DeepEqual(was, now) || !ok && len(was) == 0 {
			continue
		}
		changed++
		if sh.whole[a] && !slices.Contains(before.Added, a) || sh.whole[b] && !slices.Contains(before.Added, b) {
			unique++
		}
		if !sh.reach(a, b, was) {
			t.Errorf("%s: %s~%s: kept %v, %v after the addition, and no shift reaches it", name, ix.ID(a), ix.ID(b), was, now)
		}
	}
	t.Logf("%s: %d documents added, %d removed; %d of %d kept alignments changed (%d of a document counted whole); %d reached", name, len(before.Added), len(before.Removed), changed, old.Len(), unique, reached)
}

// removeEvery removes every nth document of the index in dir.
func removeEvery(t *testing.T, dir string, n int) {
	t.Helper()
	w, err := archive.OpenWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var ids []string
	i := 0
	w.Index().Each(func(r archive.Ref) error {
		if i++; i%n == 7 {
			ids = append(ids, w.Index().ID(r))
		}
		return nil
	})
	if _, err := w.Remove(ids); err != nil {
		t.Fatal(err)
	}
}

// newMemberSpans returns the members of res's clusters in documents of
// isNew, as "id start-end", sorted.
func newMemberSpans(res *result.Result, isNew map[string]bool) []string {
	var out []string
	for _, c := range res.Clusters {
		for _, m := range c.Members {
			if isNew[m.Doc] {
				out = append(out, fmt.Sprintf("%s %d-%d", m.Doc, m.Start, m.End))
			}
		}
	}
	slices.Sort(out)
	return out
}

// recordJoined has every round of the checks of the running test that
// reads part of the archive append to found how it joined boilerplate.
func recordJoined(t *testing.T, found *[]cluster.JoinsFound) {
	checkJoinedHook = func(f cluster.JoinsFound) { *found = append(*found, f) }
	t.Cleanup(func() { checkJoinedHook = nil })
}

// TestCheckKeptJoinsBadHolder: joins whose holders of least key are not
// in the index (a file damaged under a valid checksum) are left unused,
// with a notice, and the check goes on by its own places.
func TestCheckKeptJoinsBadHolder(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opt := Options{MaxDF: 3, MinWords: 12}
	a, n := split(t, gen, func(_ string, i int) bool { return i%5 == 2 }) // new documents holding boilerplate of kept families
	idx, _ := alignedIndex(t, a, opt)
	w, err := archive.OpenWriter(idx)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := w.Index().Alignments(opt.alignSettings())
	if err != nil {
		t.Fatal(err)
	}
	j, err := cluster.DecodeJoins(kept.Joins)
	if err != nil {
		t.Fatal(err)
	}
	j.Renumber(func(uint64) uint64 { return 1 << 40 }) // segment 256: none
	if err := w.PutAlignments(opt.alignSettings(), opt.joinsSettings(), kept.Data, j.Encode(), kept.Clusters); err != nil {
		t.Fatal(err)
	}
	w.Close()
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var found []cluster.JoinsFound
	recordJoined(t, &found)
	var notices []error
	o := opt
	o.FollowLimit, o.Warn = ix.Len()/4, func(err error) { notices = append(notices, err) }
	if _, err := Check(ctx, ix, []string{n}, o); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(notices, func(err error) bool {
		return errors.Is(err, ErrAlignmentsUnused) && errors.Is(err, cluster.ErrJoins) && strings.Contains(err.Error(), "not in the index")
	}) {
		t.Errorf("notices %v; want the joins left unused, a holder not in the index", notices)
	}
	if len(found) == 0 || slices.ContainsFunc(found, func(f cluster.JoinsFound) bool { return f.Kept }) {
		t.Errorf("rounds %+v: want some, none joined by the damaged joins; notices %v", found, notices)
	}
}

// TestCheckKeptJoins: a check whose rounds read part of the archive (its
// limit below the archive's size) cuts the new documents' boilerplate
// into the scan's occurrences, by the joins kept beside the index
// (AlignIndex) and the documents holding the occurrences of least key
// of each family: its clusters' members in new documents are the scan's,
// incomplete clusters too. Without them it cuts some otherwise, or the test checks
// nothing.
func TestCheckKeptJoins(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opt := Options{MaxDF: 3, MinWords: 12}
	var found []cluster.JoinsFound
	recordJoined(t, &found)
	differed := 0
	for _, c := range []struct {
		name   string
		isNew  func(rel string, i int) bool
		pieces bool // the index made a folder at a time: documents in order of id within each segment only
	}{
		{"syn", func(rel string, _ int) bool { return strings.HasPrefix(rel, "syn/") }, false},
		{"every fifth", func(_ string, i int) bool { return i%5 == 2 }, false},
		{"every fifth, in pieces", func(_ string, i int) bool { return i%5 == 2 }, true},
		{"one document", func(_ string, i int) bool { return i == 7 }, false},
		{"another", func(_ string, i int) bool { return i == 40 }, false},
	} {
		a, n := split(t, gen, c.isNew)
		full := scanCorpus(t, opt, a, n)
		isNew := idSet(scanCorpus(t, opt, n))
		want := newMemberSpans(full, isNew)
		idx := filepath.Join(t.TempDir(), "idx")
		if !c.pieces {
			if _, err := CreateIndex(ctx, idx, []string{a}, IndexOptions{}); err != nil {
				t.Fatal(err)
			}
		} else {
			// The last folder first, so that the first segment's ids
			// come after the others'.
			ents, err := os.ReadDir(a)
			if err != nil || len(ents) < 2 {
				t.Fatalf("%d folders in the archive, want 2 or more (%v)", len(ents), err)
			}
			slices.Reverse(ents)
			if _, err := CreateIndex(ctx, idx, []string{filepath.Join(a, ents[0].Name())}, IndexOptions{Root: a}); err != nil {
				t.Fatal(err)
			}
			for _, e := range ents[1:] {
				if _, err := AddToIndex(ctx, idx, []string{filepath.Join(a, e.Name())}, IndexOptions{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		minWords := opt.MinWords
		check := func() *result.Result {
			t.Helper()
			ix, err := archive.Open(idx, archive.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			o := opt
			o.FollowLimit, o.Warn, o.MinWords = ix.Len()/4, func(error) {}, minWords
			chk, err := Check(ctx, ix, []string{n}, o)
			if err != nil {
				t.Fatal(err)
			}
			return chk
		}
		found = found[:0]
		without := newMemberSpans(check(), isNew)
		if !slices.Equal(without, want) {
			differed++
		}
		if _, err := AlignIndex(ctx, idx, Options{MaxDF: opt.MaxDF, MinWords: opt.MinWords}); err != nil {
			t.Fatal(err)
		}
		found = found[:0]
		chk := check()
		if len(found) == 0 {
			t.Errorf("%s: no round read part of the archive", c.name)
		}
		kept := 0
		for _, f := range found {
			if f.Kept {
				kept++
			} else {
				t.Logf("%s: a round joined by its own places: %s", c.name, f.Doubt)
			}
		}
		if kept < len(found) {
			t.Errorf("%s: %d of %d rounds joined by the joins kept, want all (the check reads the documents they need)", c.name, kept, len(found))
		}
		got := newMemberSpans(chk, isNew)
		if !slices.Equal(got, want) {
			t.Errorf("%s: members in new documents\n%v\nwant\n%v", c.name, got, want)
		}
		t.Logf("%s: %d rounds, %d joined by the joins kept; %d members in new documents, the same as the scan's without them: %v",
			c.name, len(found), kept, len(got), slices.Equal(without, want))
		if c.name != "one document" {
			continue
		}
		// A check of another --min-words: the joins depend on --max-df
		// alone, and serve it.
		found, minWords = found[:0], opt.MinWords+5
		check()
		minWords = opt.MinWords
		if len(found) == 0 || slices.ContainsFunc(found, func(f cluster.JoinsFound) bool { return !f.Kept }) {
			t.Errorf("a check with --min-words %d: rounds %+v, want all joined by the joins kept", opt.MinWords+5, found)
		}
		// A document added since: the addition grows the joins with its
		// places, and rounds join by them (TestAddGrowsJoins checks them).
		extra := filepath.Join(t.TempDir(), "extra.txt")
		if err := os.WriteFile(extra, []byte("a document added to the archive after index align, with words of its own"), 0o644); err != nil {
			t.Fatal(err)
		}
		if res, err := AddToIndex(ctx, idx, []string{extra}, IndexOptions{}); err != nil || !res.Joins.Grown {
			t.Fatalf("%s: an addition: %+v, %v; want the joins grown", c.name, res.Joins, err)
		}
		found = found[:0]
		if got := newMemberSpans(check(), isNew); !slices.Equal(got, want) {
			t.Errorf("%s: members in new documents after an addition\n%v\nwant\n%v", c.name, got, want)
		}
		if len(found) == 0 || slices.ContainsFunc(found, func(f cluster.JoinsFound) bool { return !f.Kept }) {
			t.Errorf("%s: rounds after an addition %+v, want all joined by the joins grown", c.name, found)
		}
		// A document removed since: the joins lack a change, and no round
		// joins by them.
		w, err := archive.OpenWriter(idx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Remove([]string{w.Index().ID(0)}); err != nil {
			t.Fatal(err)
		}
		w.Close()
		found = found[:0]
		check()
		for _, f := range found {
			if f.Kept {
				t.Errorf("%s: a round joined by the joins kept after a removal", c.name)
			}
		}
	}
	if differed == 0 {
		t.Errorf("without the joins kept, every check's members in new documents are the scan's: the test checks nothing")
	}
}

// boilerplateCorpus writes an archive of n documents of words drawn at
// random (seeded), each ending with one of two footers held by most of
// them (boilerplate above MaxDF 3), a few sharing a paragraph with
// another (passages, some of them beside a footer), and news new
// documents of the same making; it returns the folders of both.
func boilerplateCorpus(t *testing.T, n, news int) (archiveDir, newDir string) {
	return boilerplateCorpusNamed(t, n, news, func(i int) string { return fmt.Sprintf("n%02d.txt", i) })
}

// boilerplateCorpusNamed is boilerplateCorpus, the new documents named
// by name.
func boilerplateCorpusNamed(t *testing.T, n, news int, name func(i int) string) (archiveDir, newDir string) {
	return boilerplateFooters(t, n, news, name, 2)
}

// boilerplateFooters is boilerplateCorpusNamed with k footers: with more
// than two, document i holds footer i%k alone.
func boilerplateFooters(t *testing.T, n, news int, name func(i int) string, k int) (archiveDir, newDir string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 64))
	syllables := []string{"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "ba", "gu", "fe"}
	word := func() string {
		w := ""
		for range 2 + rng.IntN(2) {
			w += syllables[rng.IntN(len(syllables))]
		}
		return w
	}
	sentence := func(words int) string {
		ws := make([]string, words)
		for i := range ws {
			ws[i] = word()
		}
		return strings.Join(ws, " ") + "."
	}
	paragraph := func() string {
		ss := make([]string, 4)
		for i := range ss {
			ss[i] = sentence(10 + rng.IntN(6))
		}
		return strings.Join(ss, " ")
	}
	footers := []string{
		"This story was first printed by the Kalomi Gazette. " + sentence(14) + " " + sentence(12),
		"Readers may write to the editors of the Tarisu Courier. " + sentence(13) + " " + sentence(11),
	}
	// More footers, of their own words: the documents' words are drawn
	// as they are with two.
	more := rng
	rng = rand.New(rand.NewPCG(8, 64))
	for i := 2; i < k; i++ {
		footers = append(footers, fmt.Sprintf("Footer %d of the Pomita Ledger. ", i)+sentence(14)+" "+sentence(12))
	}
	rng = more
	var shared string // a paragraph the document before gave the next
	doc := func(i int) string {
		ps := []string{paragraph(), paragraph()}
		if shared != "" && i%4 == 1 {
			ps = append(ps, shared)
		}
		shared = ""
		if i%4 == 0 {
			shared = paragraph()
			ps = append(ps, shared)
		}
		ps = append(ps, paragraph(), footers[i%k])
		if i%3 == 0 && k == 2 {
			ps = append(ps, footers[(i+1)%2])
		}
		return strings.Join(ps, "\n\n") + "\n"
	}
	dir := t.TempDir()
	archiveDir, newDir = filepath.Join(dir, "archive"), filepath.Join(dir, "new")
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("archive/%03d.txt", i)] = doc(i)
	}
	for i := range news {
		files["new/"+name(i)] = doc(n + i)
	}
	if err := writeFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return archiveDir, newDir
}

// TestCheckServesKeptClusters: a check whose rounds read part of the
// archive lists the clusters of boilerplate that AlignIndex kept, where
// the new documents only add occurrences to them, whole and unmarked:
// every cluster not marked incomplete is the scan's (compareCheck),
// archived documents listed included, and some of boilerplate are, or
// the test checks nothing.
func TestCheckServesKeptClusters(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opt := Options{MaxDF: 3, MinWords: 12}
	for _, c := range []struct {
		name  string
		isNew func(rel string, i int) bool
		serve bool // some cluster of boilerplate must be served
	}{
		{"boilerplate", nil, true},
		{"every fifth", func(_ string, i int) bool { return i%5 == 2 }, false},
		{"one document", func(_ string, i int) bool { return i == 7 }, false},
		{"another", func(_ string, i int) bool { return i == 40 }, false},
	} {
		var a, n string
		if c.isNew == nil {
			a, n = boilerplateCorpus(t, 60, 4)
		} else {
			a, n = split(t, gen, c.isNew)
		}
		full := scanCorpus(t, opt, a, n)
		isNew := idSet(scanCorpus(t, opt, n))
		idx, res := alignedIndex(t, a, opt)
		chk, o := checkQuarter(t, idx, n, opt)
		compareCheck(t, c.name, full, chk, isNew, false)
		listsItsDocuments(t, c.name, chk)
		whole := 0
		for _, cl := range chk.Clusters {
			if cl.Boilerplate && !cl.Incomplete {
				whole++
			}
		}
		t.Logf("%s: %d clusters kept by index align; %d clusters, %d of boilerplate whole", c.name, res.Clusters, len(chk.Clusters), whole)
		if !c.serve {
			continue
		}
		if whole == 0 {
			t.Errorf("%s: no kept cluster of boilerplate served: the test checks nothing", c.name)
		}
		// Every document listed has its text, for the reports: the
		// archived ones the last round did not read from the index.
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res2, texts, err := CheckTexts(ctx, ix, []string{n}, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, cl := range res2.Clusters {
			for _, m := range cl.Members {
				text, err := texts.Text(m.Doc)
				if err != nil || m.End > len(text) {
					t.Errorf("%s: member %+v: text of %d bytes, %v", c.name, m, len(text), err)
				}
			}
		}
		texts.Close()
		ix.Close()
		// The kept clusters damaged: none served, a notice, the same
		// pairs.
		damageKeptClusters(t, idx)
		var notices []error
		o.Warn = func(err error) { notices = append(notices, err) }
		ix, err = archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		damaged, err := Check(ctx, ix, []string{n}, o)
		ix.Close()
		if err != nil {
			t.Fatalf("%s: check with damaged kept clusters: %v", c.name, err)
		}
		if !slices.ContainsFunc(notices, func(err error) bool { return errors.Is(err, ErrAlignmentsUnused) && errors.Is(err, assemble.ErrKept) }) {
			t.Errorf("%s: damaged kept clusters: notices %v, want one naming them", c.name, notices)
		}
		if slices.ContainsFunc(damaged.Clusters, func(cl result.Cluster) bool { return cl.Boilerplate && !cl.Incomplete }) || !reflect.DeepEqual(damaged.Pairs, chk.Pairs) {
			t.Errorf("%s: damaged kept clusters: a cluster of boilerplate served, or other pairs", c.name)
		}
	}
}

// TestCheckKeptMovedNotServed: a new document whose key comes before
// every archived one's holds its families' occurrences of least key,
// which every member is widened against: the round does not serve their
// kept clusters, and marks them; the result holds no cluster that is
// not the scan's.
func TestCheckKeptMovedNotServed(t *testing.T) {
	least := uint64(math.MaxUint64)
	for i := range 60 {
		least = min(least, cluster.DocKey(fmt.Sprintf("%03d.txt", i)))
	}
	name := ""
	for k := 0; name == ""; k++ {
		if c := fmt.Sprintf("m%04d.txt", k); cluster.DocKey(c) < least {
			name = c
		}
	}
	a, n := boilerplateCorpusNamed(t, 60, 1, func(int) string { return name })
	chk, _, _ := checkAligned(t, name, a, n, Options{MaxDF: 3, MinWords: 12})
	marked := 0
	for _, c := range chk.Clusters {
		if c.Boilerplate && c.Incomplete {
			marked++
		}
		if c.Boilerplate && !c.Incomplete {
			t.Errorf("cluster %d (%q) served, though %s, whose key comes first, moves its references", c.ID, c.Text, name)
		}
	}
	if marked == 0 {
		t.Errorf("no cluster of boilerplate marked: the test checks nothing")
	}
}

// checkAligned checks newDir against an index of archiveDir aligned
// with opt, its rounds limited to a quarter of the archive, compares the
// result with a scan of both (compareCheck, not strict), and returns it,
// the scan's, and the new documents' ids.
func checkAligned(t *testing.T, name, archiveDir, newDir string, opt Options) (chk, full *result.Result, isNew map[string]bool) {
	t.Helper()
	full = scanCorpus(t, opt, archiveDir, newDir)
	isNew = idSet(scanCorpus(t, opt, newDir))
	idx, _ := alignedIndex(t, archiveDir, opt)
	chk, _ = checkQuarter(t, idx, newDir, opt)
	listsItsDocuments(t, name, chk)
	compareCheck(t, name, full, chk, isNew, false)
	return chk, full, isNew
}

// checkQuarter checks newDir against the index idx with opt, its
// rounds limited to a quarter of the archive (notices dropped), and
// returns the result and the options it checked with.
func checkQuarter(t *testing.T, idx, newDir string, opt Options) (*result.Result, Options) {
	t.Helper()
	return checkPart(t, idx, newDir, opt, 4)
}

// checkPart is checkQuarter, the rounds limited to 1/part of the
// archive.
func checkPart(t *testing.T, idx, newDir string, opt Options, part int) (*result.Result, Options) {
	t.Helper()
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	opt.FollowLimit, opt.Warn = ix.Len()/part, func(error) {}
	chk, err := Check(context.Background(), ix, []string{newDir}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return chk, opt
}

// alignedIndex indexes archiveDir and aligns the index with opt
// (AlignIndex), and returns its folder and what AlignIndex did.
func alignedIndex(t *testing.T, archiveDir string, opt Options) (string, AlignResult) {
	t.Helper()
	idx := filepath.Join(t.TempDir(), "idx")
	if _, err := CreateIndex(context.Background(), idx, []string{archiveDir}, IndexOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := AlignIndex(context.Background(), idx, opt)
	if err != nil {
		t.Fatal(err)
	}
	return idx, res
}

// damageKeptClusters flips a byte of every member of the kept clusters
// of the alignments beside the index in dir.
func damageKeptClusters(t *testing.T, dir string) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "a*.aln"))
	if len(paths) != 1 {
		t.Fatalf("alignments %v, want one file", paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitN(data, []byte("\n"), 4)
	var h struct{ Joins, Clusters int }
	if err := json.Unmarshal(lines[1], &h); err != nil {
		t.Fatal(err)
	}
	at := len(data) - len(lines[3]) + h.Joins
	count := int(binary.LittleEndian.Uint32(data[at:]))
	for i := at + 4 + 52*count; i < at+h.Clusters; i += 25 {
		data[i] ^= 0x55
	}
	if err := os.WriteFile(paths[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAddGrowsJoins: an addition brings the boilerplate's joins kept by
// AlignIndex up to date (growJoins): over one addition or several, whose
// segments are merged, they join the fingerprints into the families a
// fresh AlignIndex of every document records, with its holders of least
// key; and a check after them joins its rounds by them, and cuts its
// new documents' boilerplate where a check against the freshly aligned
// index does. Removals (RemoveFromIndex) bring them up to date too, and
// a compaction (CompactIndex) carries them over.
// Damaged, they are not grown, and the change says why.
func TestAddGrowsJoins(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opt := Options{MaxDF: 3, MinWords: 12}
	a, n := split(t, gen, func(_ string, i int) bool { return i%9 == 4 })
	first, later := split(t, a, func(_ string, i int) bool { return i%10 == 3 })
	later1, rest := split(t, later, func(_ string, i int) bool { return i%3 == 0 })
	later2, later3 := split(t, rest, func(_ string, i int) bool { return i%2 == 0 })
	indexOpt := IndexOptions{Options: Options{MaxDF: opt.MaxDF, MinWords: opt.MinWords}}
	made := func(alignFirst bool, adds ...[]string) (string, []JoinsGrown) {
		idx := filepath.Join(t.TempDir(), "idx")
		if _, err := CreateIndex(ctx, idx, []string{first}, indexOpt); err != nil {
			t.Fatal(err)
		}
		if alignFirst {
			if _, err := AlignIndex(ctx, idx, opt); err != nil {
				t.Fatal(err)
			}
		}
		var grown []JoinsGrown
		for _, in := range adds {
			res, err := AddToIndex(ctx, idx, in, indexOpt)
			if err != nil {
				t.Fatal(err)
			}
			grown = append(grown, res.Joins)
		}
		if !alignFirst {
			if _, err := AlignIndex(ctx, idx, opt); err != nil {
				t.Fatal(err)
			}
		}
		return idx, grown
	}
	joinsOf := func(idx string) (*archive.Index, *cluster.Joins) {
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		kept, err := ix.Joins(opt.joinsSettings())
		if err != nil || len(kept.Added)+len(kept.Removed) > 0 {
			t.Fatalf("joins of %s: %d added, %d removed since, %v", idx, len(kept.Added), len(kept.Removed), err)
		}
		j, err := cluster.DecodeJoins(kept.Joins)
		if err != nil {
			t.Fatal(err)
		}
		return ix, j
	}
	// family returns the fingerprints joined to h, and the ids of their
	// holders of least key.
	family := func(ix *archive.Index, j *cluster.Joins, h uint64) ([]uint64, []string) {
		f, ok := j.FamilyOf(h)
		if !ok {
			return nil, nil
		}
		var ids []string
		for _, r := range j.Holders([]int32{f})[f] {
			ids = append(ids, ix.ID(archive.Ref(r)))
		}
		slices.Sort(ids)
		return j.Hashes([]int32{f}), ids
	}
	// sameAsFresh compares joins j of index ix with those of a fresh
	// AlignIndex, fresh of freshIx, fingerprint by fingerprint, and
	// returns how many it compared.
	sameAsFresh := func(what string, ix *archive.Index, j *cluster.Joins, freshIx *archive.Index, fresh *cluster.Joins) int {
		t.Helper()
		if j.Len() != fresh.Len() {
			t.Errorf("%s: %d fingerprints in the joins grown, %d in a fresh AlignIndex's", what, j.Len(), fresh.Len())
		}
		compared := 0
		for f := range int32(fresh.Len()) {
			for _, h := range fresh.Hashes([]int32{f}) {
				gotFam, gotHolders := family(ix, j, h)
				wantFam, wantHolders := family(freshIx, fresh, h)
				if !slices.Equal(gotFam, wantFam) || !slices.Equal(gotHolders, wantHolders) {
					t.Fatalf("%s: fingerprint %016x joined to %x, holders %v; a fresh AlignIndex joins it to %x, holders %v", what, h, gotFam, gotHolders, wantFam, wantHolders)
				}
				compared++
			}
		}
		return compared
	}
	freshIdx, _ := made(false, []string{later1}, []string{later2}, []string{later3})
	freshIx, fresh := joinsOf(freshIdx)
	isNew := idSet(scanCorpus(t, opt, n))
	o := opt
	o.FollowLimit, o.Warn = 40, func(error) {}
	want, err := Check(ctx, freshIx, []string{n}, o)
	if err != nil {
		t.Fatal(err)
	}
	// Three additions: the index's four segments are merged, which
	// carries the joins over (archive.Writer.SetJoinsRenumber).
	for _, adds := range [][][]string{{{later1, later2, later3}}, {{later1, later2}, {later3}}, {{later1}, {later2}, {later3}}} {
		idx, grown := made(true, adds...)
		for i, g := range grown {
			if !g.Grown || g.Why != "" {
				t.Fatalf("%d additions: addition %d left the joins %+v; want them grown", len(adds), i, g)
			}
		}
		ix, j := joinsOf(idx)
		if len(adds) == 3 && len(ix.Segments()) != 1 {
			t.Errorf("three additions: %d segments, want them merged", len(ix.Segments()))
		}
		compared := sameAsFresh(fmt.Sprintf("%d additions", len(adds)), ix, j, freshIx, fresh)
		var found []cluster.JoinsFound
		recordJoined(t, &found)
		var notices []error
		o.Warn = func(err error) { notices = append(notices, err) }
		got, err := Check(ctx, ix, []string{n}, o)
		o.Warn = func(error) {}
		checkJoinedHook = nil
		// Its clusters marked, it says why the kept ones did not serve:
		// made before the additions, or gone with their segment, merged.
		hint := "reuse index align kept, which checks list whole, predate the "
		if len(adds) == 3 {
			hint = "reuse index align would keep the archive's own clusters of boilerplate"
		}
		if !slices.ContainsFunc(notices, func(err error) bool {
			return errors.Is(err, ErrFollowLimit) && strings.Contains(err.Error(), hint)
		}) {
			t.Errorf("%d additions: notices %v; want the clusters marked, and the kept ones said to predate the additions", len(adds), notices)
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(found) == 0 || slices.ContainsFunc(found, func(f cluster.JoinsFound) bool { return !f.Kept }) {
			t.Errorf("%d additions: rounds %+v; want every round joined by the joins grown", len(adds), found)
		}
		if g, w := newMemberSpans(got, isNew), newMemberSpans(want, isNew); !slices.Equal(g, w) {
			t.Errorf("%d additions: the new documents' members %v, against the freshly aligned index %v", len(adds), g, w)
		}
		t.Logf("%d additions: %d fingerprints of boilerplate compared, %d rounds joined by the joins grown", len(adds), compared, len(found))
		if len(adds) == 2 {
			// Replacing documents by themselves (a removal and an
			// addition at once) leaves the joins as they were.
			res, err := AddToIndex(ctx, idx, []string{later1}, IndexOptions{Options: indexOpt.Options, Replace: true})
			if err != nil || res.Replaced == 0 || !res.Joins.Grown {
				t.Fatalf("replacing documents: %+v, %v; want some replaced, the joins grown", res, err)
			}
			ix, j := joinsOf(idx)
			sameAsFresh("after replacing documents", ix, j, freshIx, fresh)
		}
		if compared == 0 {
			t.Errorf("%d additions: no fingerprint of boilerplate: the test checks nothing", len(adds))
		}
	}
	// Removals, archived documents and added ones, bring them up to
	// date as well: as a fresh AlignIndex of the documents left.
	var gone []string
	for i, f := range slices.Concat(walkFiles(t, first), walkFiles(t, later1)) {
		if i%6 == 1 {
			gone = append(gone, f)
		}
	}
	removeIDs := func(idx string) JoinsGrown {
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		ix.Each(func(r archive.Ref) error {
			var d index.Doc
			if err := ix.Meta(r, &d); err == nil && slices.Contains(gone, d.Path) {
				ids = append(ids, d.ID)
			}
			return nil
		})
		ix.Close()
		if len(ids) != len(gone) {
			t.Fatalf("%d of the %d documents to remove found", len(ids), len(gone))
		}
		missing, joins, err := RemoveFromIndex(ctx, idx, ids)
		if err != nil || len(missing) > 0 {
			t.Fatalf("RemoveFromIndex: %v, %v", missing, err)
		}
		return joins
	}
	grownIdx, _ := made(true, []string{later1})
	if g := removeIDs(grownIdx); !g.Grown || g.Why != "" {
		t.Fatalf("a removal left the joins %+v; want them grown", g)
	}
	freshIdx, _ = made(false, []string{later1})
	// The fresh index: the same removals, then aligned afresh.
	removeIDs(freshIdx)
	if _, err := AlignIndex(ctx, freshIdx, opt); err != nil {
		t.Fatal(err)
	}
	ix, j := joinsOf(grownIdx)
	freshIx, fresh = joinsOf(freshIdx)
	compared := sameAsFresh("after removals", ix, j, freshIx, fresh)
	if compared == 0 {
		t.Error("after removals: no fingerprint of boilerplate compared")
	}
	t.Logf("after %d removals: %d fingerprints of boilerplate compared", len(gone), compared)
	// A compaction carries them over, the alignments left stale.
	if err := CompactIndex(ctx, grownIdx); err != nil {
		t.Fatal(err)
	}
	ix, j = joinsOf(grownIdx)
	if len(ix.Segments()) != 1 {
		t.Errorf("after CompactIndex: %d segments", len(ix.Segments()))
	}
	sameAsFresh("after a compaction", ix, j, freshIx, fresh)

	// Damaged grown joins are not grown again: the change says why.
	paths, _ := filepath.Glob(filepath.Join(grownIdx, "*.jns"))
	if len(paths) != 1 {
		t.Fatalf("grown joins %v, want one file", paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 1
	if err := os.WriteFile(paths[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := AddToIndex(ctx, grownIdx, []string{later2}, indexOpt)
	if err != nil || res.Joins.Grown || !strings.Contains(res.Joins.Why, "damaged") {
		t.Errorf("an addition with damaged grown joins: %+v, %v; want them not grown, and why", res.Joins, err)
	}
}

// walkFiles returns the paths of the files under dir, in walk order.
func walkFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCheckServesProjectedMembers: a new document whose edited copy is
// archived projects its boilerplate onto the copy (where the edits leave
// no fingerprint of it, so the copy holds it only by projection): the
// scan's cluster has the projected member, which the archive's own
// cluster lacks. The check serves the cluster with it, as the scan has
// it (compareCheck), rather than marking it.
func TestCheckServesProjectedMembers(t *testing.T) {
	opt := Options{MaxDF: 3, MinWords: 12}
	a, n := boilerplateCorpus(t, 60, 4)
	// The copy: the first new document, every fifth word of its last
	// two paragraphs (its footers) replaced: no run of five words, so no
	// fingerprint, of its boilerplate is left, while runs of four seed
	// its alignment.
	news := walkFiles(t, n)
	copyID := "copy.txt"
	editedCopy(t, news[0], filepath.Join(a, copyID), func(p, n int) bool { return p >= n-2 })
	var isNew map[string]bool
	projected := func(res *result.Result) bool {
		for _, c := range res.Clusters {
			if c.Boilerplate && !c.Incomplete && slices.ContainsFunc(c.Members, func(m result.Member) bool { return m.Doc == copyID }) &&
				slices.ContainsFunc(c.Members, func(m result.Member) bool { return isNew[m.Doc] }) {
				return true
			}
		}
		return false
	}
	chk, full, isNew := checkAligned(t, "projected", a, n, opt)
	if !projected(full) {
		t.Fatal("the scan projects no boilerplate of a new document onto its copy: the test checks nothing")
	}
	if !projected(chk) {
		t.Error("the cluster holding the projected member is not served")
	}
}

// TestCheckListsServedDocuments: a served cluster may show a member the
// archive's scan projected into a document that the check read (as the
// partner of a document it followed) without aligning its pairs, so that
// no family of the round holds it: that document is listed among the
// result's documents too, as every document a cluster names is
// (listsItsDocuments). Such a document is found in the generated news
// of 3,378 documents (the generated 10 MB), every 100th file new, the
// check's rounds limited to half the archive; before the fix, two
// documents of a served cluster were not listed there.
func TestCheckListsServedDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and indexes 10 MB")
	}
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 1, Docs: 3378}); err != nil {
		t.Fatal(err)
	}
	a, n := split(t, filepath.Join(dir, "corpus"), func(_ string, i int) bool { return i%100 == 1 })
	opt := Options{}
	full := scanCorpus(t, opt, a, n)
	isNew := idSet(scanCorpus(t, opt, n))
	idx, _ := alignedIndex(t, a, opt)
	chk, _ := checkPart(t, idx, n, opt, 2)
	listsItsDocuments(t, "10 MB", chk)
	compareCheck(t, "10 MB", full, chk, isNew, false)
	served := 0
	for _, c := range chk.Clusters {
		if c.Boilerplate && !c.Incomplete {
			served++
		}
	}
	if served == 0 {
		t.Error("no cluster of boilerplate served whole: the test checks nothing")
	}
}

// TestCheckServesBesideFarBoilerplate: boilerplate that changes with the
// new documents changes a kept cluster's member only near it (widening
// reaches the gaps between occurrences; kept.go's Apart), so a check
// marks the clusters with a member near such boilerplate and serves
// those whose members are all far from it, even in the same documents:
//
//   - a phrase that the new documents make boilerplate (crossing
//     --max-df; checking.crossedAt), in an archived document just before
//     its footer, or at its start;
//   - a footer whose references a new document moves (its key comes
//     first), in an archived document just before another footer (whose
//     cluster is not Apart, another footer preceding it elsewhere), or
//     at its start (serveKept's meetsMoved).
//
// Every cluster not marked is the scan's (compareCheck).
func TestCheckServesBesideFarBoilerplate(t *testing.T) {
	// The new documents' names: the four of greatest key (cluster.DocKey)
	// of 2,000, which move no footer's references; where a footer's
	// must move, the second is the one of least key.
	ids := make([]string, 2000)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%04d.txt", i)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(cluster.DocKey(a), cluster.DocKey(b)) })
	least, last := ids[0], ids[len(ids)-4:]
	phrase := "Wolakema dirusote panikalu rostefa minaluko; tesparo kilomuda fenuradi lopasemi vatirunko gadeponi."
	for _, c := range []struct {
		name  string
		moved bool // a footer's references moved, not a phrase crossing --max-df
		near  bool // the changed boilerplate just before a footer: its cluster marked
	}{
		{"crossing near", false, true},
		{"crossing far", false, false},
		{"moved near", true, true},
		{"moved far", true, false},
		// Just after the footer: a member is widened into the gap before
		// it, not after it.
		{"moved after", true, false},
	} {
		opt := Options{MaxDF: 3, MinWords: 12}
		names, footers := slices.Clone(last), 2
		if c.moved {
			names[1], opt.MaxDF, footers = least, 4, 4
		}
		a, n := boilerplateFooters(t, 60, 4, func(i int) string { return names[i] }, footers)
		paragraphs := func(id string) []string {
			return strings.Split(strings.TrimRight(readText(t, filepath.Join(a, id)), "\n"), "\n\n")
		}
		// insert puts text in archived document id just before its last
		// paragraph (its footer), or at its start.
		insert := func(id, text string, beforeFooter bool) {
			ps := paragraphs(id)
			if beforeFooter {
				ps = append(ps[:len(ps)-1], text, ps[len(ps)-1])
			} else {
				ps = append([]string{text}, ps...)
			}
			writeText(t, filepath.Join(a, id), strings.Join(ps, "\n\n")+"\n")
		}
		var holder string // the archived document the changed boilerplate is near a member in, or far
		if c.moved {
			// Document i holds footer i%4 alone; the second new
			// document holds footer 1 and moves its references.
			f1, f2 := paragraphs("001.txt"), paragraphs("002.txt")
			insert("008.txt", f2[len(f2)-1], true) // footer 0 not Apart
			holder = "012.txt"
			if c.name == "moved after" {
				writeText(t, filepath.Join(a, holder), readText(t, filepath.Join(a, holder))+"\n"+f1[len(f1)-1]+"\n")
			} else {
				insert(holder, f1[len(f1)-1], c.near)
			}
		} else {
			// The phrase in three archived documents of one footer
			// (footer 1: i odd, not a multiple of 3) and in the second
			// new one: boilerplate only with it, which moves none of
			// its references, as the archived ones come before it.
			news := walkFiles(t, n)
			var docs []string
			for i := 1; i < 60 && len(docs) < 3; i += 2 {
				if id := fmt.Sprintf("%03d.txt", i); i%3 != 0 && cluster.DocKey(id) < cluster.DocKey(filepath.Base(news[1])) {
					docs = append(docs, id)
				}
			}
			if len(docs) < 3 {
				t.Fatalf("%s: %d archived documents of keys before %s", c.name, len(docs), news[1])
			}
			holder = docs[0]
			insert(holder, phrase, c.near)
			for _, id := range docs[1:] {
				insert(id, phrase, false)
			}
			writeText(t, news[1], phrase+"\n\n"+readText(t, news[1]))
		}
		chk, _, _ := checkAligned(t, c.name, a, n, opt)
		// The cluster of the footer of holder, by its member there: a
		// marked one may lack it (the round need not read holder).
		text := readText(t, filepath.Join(a, holder))
		footerAt := strings.LastIndex(text, "\n\n") + 2
		if c.name == "moved after" { // the footer is the paragraph before the last
			footerAt = strings.LastIndex(text[:footerAt-2], "\n\n") + 2
		}
		served, marked := false, 0
		for _, cl := range chk.Clusters {
			if cl.Incomplete {
				marked++
			}
			served = served || cl.Boilerplate && !cl.Incomplete && slices.ContainsFunc(cl.Members, func(m result.Member) bool {
				return m.Doc == holder && m.Start < len(text) && m.End > footerAt
			})
		}
		if served == c.near {
			t.Errorf("%s: the cluster of the footer of %s served %v, want %v", c.name, holder, served, !c.near)
		}
		if marked == 0 {
			t.Errorf("%s: nothing marked: the changed boilerplate's own cluster is not kept, and the test checks nothing", c.name)
		}
	}
}

// TestCheckServesClustersWithPassages: a cluster of boilerplate that
// passages are joined to (two archived documents share the footer with a
// sentence of their own before it: their passage covers the footer's
// region) is kept by AlignIndex, with the passage's sides as Joined
// members, and served whole by a check of a new document holding that
// footer. The check marks nothing, and its result is that of the same
// check reading the whole archive (--follow-limit -1), archived
// documents included: their reused words are the footer's occurrences
// (KeptCluster.Found), not the passage's sides, which the new document
// does not share. Every cluster is the scan's (compareCheck).
func TestCheckServesClustersWithPassages(t *testing.T) {
	for _, inRound := range []bool{false, true} {
		name := fmt.Sprintf("passage aligned by the check %v", inRound)
		opt := Options{MaxDF: 3, MinWords: 12}
		a, n := boilerplateCorpus(t, 60, 4)
		sentence := "Mirodeka sulapo ganiruto feleboka tosimare punadi kelosu warimba doneka."
		for _, id := range []string{"002.txt", "010.txt"} { // footer 0 alone
			path := filepath.Join(a, id)
			ps := strings.Split(strings.TrimRight(readText(t, path), "\n"), "\n\n")
			ps[len(ps)-1] = sentence + " " + ps[len(ps)-1]
			writeText(t, path, strings.Join(ps, "\n\n")+"\n")
		}
		if inRound {
			// A new document prints 002.txt's first paragraph: the check
			// follows 002.txt and aligns its pair with 010.txt, whose
			// passage its round joins to the footer's family too.
			first := strings.SplitN(readText(t, filepath.Join(a, "002.txt")), "\n\n", 2)[0]
			news := walkFiles(t, n)
			writeText(t, news[1], readText(t, news[1])+"\n"+first+"\n")
		}
		full := scanCorpus(t, opt, a, n)
		joinedIn := func(res *result.Result) *result.Cluster {
			for i, c := range res.Clusters {
				if c.Boilerplate && slices.ContainsFunc(c.Members, func(m result.Member) bool { return m.Doc == "010.txt" }) {
					return &res.Clusters[i]
				}
			}
			return nil
		}
		if c := joinedIn(full); c == nil || !slices.ContainsFunc(full.Pairs, func(p result.Pair) bool { return p.A == "002.txt" && p.B == "010.txt" }) {
			t.Fatalf("%s: the scan has no passage of 002.txt~010.txt under the footer's cluster: the test checks nothing", name)
		}
		isNew := idSet(scanCorpus(t, opt, n))
		idx, res := alignedIndex(t, a, opt)
		chk, _ := checkPart(t, idx, n, opt, 4)
		listsItsDocuments(t, name, chk)
		compareCheck(t, name, full, chk, isNew, true)
		if c := joinedIn(chk); c == nil || c.Incomplete {
			t.Fatalf("%s: the footer's cluster, with the passage joined, not served whole (%d clusters kept): %+v", name, res.Clusters, c)
		}
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		opt.FollowLimit = -1
		all, err := Check(context.Background(), ix, []string{n}, opt)
		ix.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(chk.Documents, all.Documents) || chk.Stats != all.Stats {
			for i := range min(len(chk.Documents), len(all.Documents)) {
				if chk.Documents[i] != all.Documents[i] {
					t.Errorf("%s: document %d: %+v, reading the whole archive %+v", name, i, chk.Documents[i], all.Documents[i])
					break
				}
			}
			t.Errorf("%s: %d documents, stats %+v; reading the whole archive %d, %+v", name, len(chk.Documents), chk.Stats, len(all.Documents), all.Stats)
		}
	}
}

// TestCheckServesClustersOfSeveralFamilies: a cluster of several
// families of boilerplate (which passages join), kept by AlignIndex, is
// served whole by a check whose rounds read part of the archive and whose
// new document holds one of its families: they follow the documents of
// the passages, and their cluster then holds every family, as the kept
// one does. A generated corpus of 600 documents holds two such clusters
// at --max-df 3; the new document is a member of each in turn (one whose
// occurrences move neither family's references, nor make text near them
// boilerplate). The result is the scan's, and that of a check reading
// the whole archive.
func TestCheckServesClustersOfSeveralFamilies(t *testing.T) {
	if testing.Short() {
		t.Skip("a generated corpus of 600 documents, indexed and aligned twice")
	}
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 1, Docs: 600}); err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join(dir, "corpus")
	opt := Options{MaxDF: 3, MinWords: 12}
	for _, id := range []string{"src/00231.txt", "sus/00091.txt"} {
		a, n := split(t, corpus, func(rel string, _ int) bool { return rel == id })
		full := scanCorpus(t, opt, a, n)
		isNew := idSet(scanCorpus(t, opt, n))
		idx, res := alignedIndex(t, a, opt)
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		kept, err := ix.Joins(opt.joinsSettings())
		if err != nil {
			t.Fatal(err)
		}
		cs, err := assemble.DecodeKept(kept.Clusters)
		if err != nil {
			t.Fatal(err)
		}
		several := map[int32][]string{} // the documents of each cluster of several, by least family
		for i := range cs.Len() {
			if fs := cs.Head(i).Families; len(fs) > 0 && several[fs[0]] == nil {
				c, err := cs.Cluster(i)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range c.Members {
					several[fs[0]] = append(several[fs[0]], ix.ID(archive.Ref(m.Doc)))
				}
			}
		}
		if cs.Clusters() != res.Clusters || len(several) != 2 {
			t.Fatalf("%s: %d clusters kept (%d records), %d of several families; want %d, 2", id, cs.Clusters(), cs.Len(), len(several), res.Clusters)
		}
		chk, o := checkPart(t, idx, n, opt, 4)
		listsItsDocuments(t, id, chk)
		compareCheck(t, id, full, chk, isNew, true)
		// A cluster of several families served whole: unmarked, with
		// the kept one's documents.
		served := 0
		for _, docs := range several {
			if slices.ContainsFunc(chk.Clusters, func(c result.Cluster) bool {
				return c.Boilerplate && !c.Incomplete && slices.Contains(c.Documents, id) &&
					!slices.ContainsFunc(docs, func(d string) bool { return !slices.Contains(c.Documents, d) })
			}) {
				served++
			}
		}
		o.FollowLimit = -1
		all, err := Check(context.Background(), ix, []string{n}, o)
		ix.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(chk.Documents, all.Documents) || chk.Stats != all.Stats || served != 1 {
			t.Errorf("%s: %d documents, stats %+v, %d clusters of several families served; reading the whole archive %d, %+v; want the same, one served", id, len(chk.Documents), chk.Stats, served, len(all.Documents), all.Stats)
		}
	}
}

// readText returns the text of the file at path.
func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// writeText writes text to the file at path.
func writeText(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// editedCopy writes to dst a copy of the text of src with every fifth
// word of the paragraphs edit names (of n) replaced (fifthEdited).
func editedCopy(t *testing.T, src, dst string, edit func(p, n int) bool) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	ps := strings.Split(string(data), "\n\n")
	word := 0
	for p := range ps {
		if edit(p, len(ps)) {
			ps[p] = fifthEdited(ps[p], &word)
		}
	}
	if err := os.WriteFile(dst, []byte(strings.Join(ps, "\n\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fifthEdited returns text with every fifth word replaced, counting on
// from *word: no run of five words, so no fingerprint, of it is left,
// while runs of four seed its alignment.
func fifthEdited(text string, word *int) string {
	ws := strings.Fields(text)
	for i := range ws {
		if *word++; *word%5 == 0 {
			ws[i] = "zo" + ws[i]
		}
	}
	return strings.Join(ws, " ")
}

// TestCheckServesClustersAfterAdd: documents added after AlignIndex
// leave the kept clusters of boilerplate they hold no text of as they
// were (growJoins: touchedClusters), and a check after the addition
// serves those whole, aligning the added documents' pairs with their
// members (checking.servable); those they touch are marked. Every
// cluster not marked is the scan's of everything (compareCheck).
func TestCheckServesClustersAfterAdd(t *testing.T) {
	ctx := context.Background()
	opt := Options{MaxDF: 4, MinWords: 12}
	a, n := boilerplateFooters(t, 60, 4, func(i int) string { return fmt.Sprintf("n%02d.txt", i) }, 4)
	for _, c := range []struct {
		name  string
		added func(i int) bool // of the archive's documents, by number
		serve bool             // some cluster of boilerplate must be served
		touch bool             // and some touched, and marked
	}{
		// Document i holds footer i%4; 20 shares a paragraph with 21.
		{"one", func(i int) bool { return i == 20 }, true, true},
		{"two of one footer", func(i int) bool { return i == 20 || i == 24 }, true, true},
		{"every footer", func(i int) bool { return i >= 20 && i < 24 }, false, true},
		// A copy of 21, every fifth word of its footer edited, with the
		// rest in another archived document: the copy holds none of the
		// footer's fingerprints, nor any 21 held alone (which would have
		// the check follow 21), nor any it makes boilerplate (at MaxDF
		// 4), and the footer of 21 is projected onto it through their
		// passage, which only aligning the added document's pairs finds.
		{"an edited copy", nil, true, false},
		// Four documents of the paragraph before the footer of 21: the
		// paragraph becomes boilerplate beside a member (a neighbour of
		// its run), which touches that footer's cluster alone.
		{"a paragraph made boilerplate", nil, true, true},
	} {
		first, later := split(t, a, func(_ string, i int) bool { return c.added != nil && c.added(i) })
		if c.name == "a paragraph made boilerplate" {
			data, err := os.ReadFile(filepath.Join(first, "021.txt"))
			if err != nil {
				t.Fatal(err)
			}
			ps := strings.Split(string(data), "\n\n")
			for i := range 4 {
				text := fmt.Sprintf("Copy %d.\n\n%s\n", i, ps[len(ps)-2])
				if err := os.WriteFile(filepath.Join(later, fmt.Sprintf("para%d.txt", i)), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		} else if c.added == nil {
			data, err := os.ReadFile(filepath.Join(first, "021.txt"))
			if err != nil {
				t.Fatal(err)
			}
			ps := strings.Split(string(data), "\n\n") // its last is its footer
			word := 4                                 // the footer's first word edited: no run across its start is left either
			other := strings.Join(ps[:len(ps)-1], "\n\n")
			copied := other + "\n\n" + fifthEdited(ps[len(ps)-1], &word)
			if err := os.WriteFile(filepath.Join(first, "other.txt"), []byte(other+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(later, "copy.txt"), []byte(copied+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		full := scanCorpus(t, opt, first, later, n)
		isNew := idSet(scanCorpus(t, opt, n))
		idx, res := alignedIndex(t, first, opt)
		added, err := AddToIndex(ctx, idx, []string{later}, IndexOptions{})
		if err != nil {
			t.Fatal(err)
		}
		g := added.Joins
		if !g.Grown || g.Clusters != res.Clusters || (g.Touched > 0) != c.touch || c.serve && g.Touched == g.Clusters {
			t.Errorf("%s: the addition grew the joins %+v; want them grown, some of the %d kept clusters touched: %v", c.name, g, res.Clusters, c.touch)
		}
		chk, _ := checkQuarter(t, idx, n, opt)
		compareCheck(t, c.name, full, chk, isNew, false)
		whole, marked := 0, 0
		for _, cl := range chk.Clusters {
			switch {
			case cl.Boilerplate && cl.Incomplete:
				marked++
			case cl.Boilerplate:
				whole++
			}
		}
		t.Logf("%s: %d of %d kept clusters touched by the addition; %d clusters of boilerplate whole, %d marked", c.name, g.Touched, g.Clusters, whole, marked)
		if c.serve && whole == 0 {
			t.Errorf("%s: no kept cluster served after the addition: the test checks nothing", c.name)
		}
		projected := func(res *result.Result) bool {
			return slices.ContainsFunc(res.Clusters, func(cl result.Cluster) bool {
				return cl.Boilerplate && !cl.Incomplete && slices.ContainsFunc(cl.Members, func(m result.Member) bool { return m.Doc == "copy.txt" })
			})
		}
		if c.name == "an edited copy" && !projected(full) {
			for _, p := range full.Pairs {
				if p.A == "copy.txt" || p.B == "copy.txt" || p.A == "other.txt" || p.B == "other.txt" || p.A == "021.txt" || p.B == "021.txt" {
					t.Logf("%+v", p)
				}
			}
			t.Errorf("%s: the scan projects no boilerplate onto the copy: the test checks nothing", c.name)
		}
		if c.name == "an edited copy" && !projected(chk) {
			t.Errorf("%s: no cluster served with the member projected onto the copy", c.name)
		}
		if (marked > 0) != c.touch {
			t.Errorf("%s: %d clusters marked, the addition touched %d", c.name, marked, g.Touched)
		}
	}
}
