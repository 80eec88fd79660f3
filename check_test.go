package reuse

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/eval/gen"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
)

// generatedDir is the folder generated made, removed by TestMain.
var generatedDir string

// TestMain removes what the package's tests made outside their
// t.TempDir folders.
func TestMain(m *testing.M) {
	code := m.Run()
	if generatedDir != "" {
		os.RemoveAll(generatedDir)
	}
	os.Exit(code)
}

// generated returns the corpus folder of a generated corpus of 300
// documents with every class of reuse, made once per test run.
var generated = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "reuse-check-gen-*")
	if err != nil {
		return "", err
	}
	generatedDir = dir
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 1, Docs: 300}); err != nil {
		return "", err
	}
	return filepath.Join(dir, "corpus"), nil
})

// split copies the files of src into dst/archive and dst/new, keeping
// their paths relative to src; isNew chooses, given a file's path
// relative to src and its number in walk order.
func split(t *testing.T, src string, isNew func(rel string, i int) bool) (archiveDir, newDir string) {
	t.Helper()
	dst := t.TempDir()
	archiveDir, newDir = filepath.Join(dst, "archive"), filepath.Join(dst, "new")
	i := 0
	err := filepath.WalkDir(src, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := archiveDir
		if isNew(filepath.ToSlash(rel), i) {
			to = newDir
		}
		i++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(newDir, 0o755)
	os.MkdirAll(archiveDir, 0o755)
	return archiveDir, newDir
}

func hashOf(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// idSet returns the ids of the documents of res.
func idSet(res *result.Result) map[string]bool {
	out := map[string]bool{}
	for _, d := range res.Documents {
		out[d.ID] = true
	}
	return out
}

// compareCheck compares a check's result with the full scan of the
// archive and the new documents: pairs with a new document, with every
// figure and passage; new documents; and clusters, through the mapping
// of cluster numbers the passages give.
//
// With strict, clusters must be the scan's in every field but their
// number; otherwise differences in their members in archived documents
// are counted and logged (families of boilerplate can differ: see
// Check).
func compareCheck(t *testing.T, name string, full, chk *result.Result, isNew map[string]bool, strict bool) {
	t.Helper()
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 10 {
			t.Errorf("%s: "+format, append([]any{name}, args...)...)
		}
	}
	// Pairs.
	var want []result.Pair
	for _, p := range full.Pairs {
		if isNew[p.A] || isNew[p.B] {
			want = append(want, p)
		}
	}
	if len(want) != len(chk.Pairs) {
		fail("%d pairs, the scan has %d with a new document", len(chk.Pairs), len(want))
	}
	// A cluster or group that does not say it is incomplete must be the
	// scan's, strict or not.
	incomplete := map[int]bool{}
	for _, c := range chk.Clusters {
		incomplete[c.ID] = c.Incomplete
	}
	clusterOf := map[int]int{} // check's cluster → scan's
	fullOf := map[int]int{}
	differ, differBoiler := 0, 0
	mapCluster := func(c, f int) {
		if g, ok := clusterOf[c]; ok && g != f {
			differ++
			if strict || !incomplete[c] {
				fail("check cluster %d is scan cluster %d and %d", c, g, f)
			}
		}
		if g, ok := fullOf[f]; ok && g != c {
			differ++
			if strict || !incomplete[c] && !incomplete[g] {
				fail("scan cluster %d is check cluster %d and %d", f, g, c)
			}
		}
		clusterOf[c], fullOf[f] = f, c
	}
	for i := range min(len(want), len(chk.Pairs)) {
		w, g := want[i], chk.Pairs[i]
		if w.A != g.A || w.B != g.B || w.APct != g.APct || w.BPct != g.BPct || w.SharedWords != g.SharedWords ||
			w.Jaccard != g.Jaccard || len(w.Passages) != len(g.Passages) {
			fail("pair %d = %+v\nwant %+v", i, short(g), short(w))
			continue
		}
		for j := range w.Passages {
			wp, gp := w.Passages[j], g.Passages[j]
			c := gp.Cluster
			wp.Cluster, gp.Cluster = 0, 0
			if wp != gp {
				fail("pair %s~%s passage %d = %+v, want %+v", w.A, w.B, j, gp, wp)
			}
			mapCluster(c, w.Passages[j].Cluster)
		}
	}
	// New documents.
	fullDocs := map[string]result.Document{}
	for _, d := range full.Documents {
		fullDocs[d.ID] = d
	}
	seen := 0
	for _, d := range chk.Documents {
		f, ok := fullDocs[d.ID]
		switch {
		case !ok:
			fail("document %q not in the scan", d.ID)
		case isNew[d.ID]:
			seen++
			if f != d {
				fail("document %+v\nwant %+v", d, f)
			}
		case f.Path != d.Path || f.Bytes != d.Bytes || f.Words != d.Words || f.Date != d.Date:
			fail("archived document %+v\nwant %+v", d, f)
		}
	}
	if seen != len(isNew) {
		fail("%d new documents listed, want %d", seen, len(isNew))
	}
	// Clusters: those of the passages, mapped; boilerplate ones by their
	// members in new documents.
	fullClusters := map[int]result.Cluster{}
	for _, c := range full.Clusters {
		fullClusters[c.ID] = c
	}
	newMembers := func(c result.Cluster) []result.Member {
		var out []result.Member
		for _, m := range c.Members {
			if isNew[m.Doc] {
				out = append(out, m)
			}
		}
		return out
	}
	open := 0
	for _, c := range chk.Clusters {
		f, ok := fullClusters[clusterOf[c.ID]]
		if !ok {
			// The scan's cluster with the same members in new documents:
			// the one equal to it where several are (two families of
			// boilerplate may have one occurrence in a new document).
			for _, fc := range full.Clusters {
				if nm := newMembers(c); len(nm) > 0 && slices.Equal(nm, newMembers(fc)) {
					a, b := c, fc
					a.ID, b.ID, a.Incomplete = 0, 0, false
					if !ok || sameCluster(a, b) {
						f, ok = fc, true
					}
				}
			}
			if ok {
				mapCluster(c.ID, f.ID)
			}
		}
		if c.Incomplete {
			open++
		}
		if !ok {
			differ++
			if c.Boilerplate {
				differBoiler++
			}
			if strict || !c.Incomplete {
				fail("cluster %d (%q, incomplete %v) not in the scan", c.ID, c.Text, c.Incomplete)
			}
			continue
		}
		wasOpen := c.Incomplete
		c.ID, f.ID = 0, 0
		c.Incomplete = false
		if !slices.EqualFunc([]result.Cluster{c}, []result.Cluster{f}, sameCluster) {
			differ++
			if c.Boilerplate {
				differBoiler++
			}
			if strict || !wasOpen {
				fail("cluster %+v\nwant %+v", c, f)
			}
		}
	}
	if !strict {
		t.Logf("%s: %d clusters, %d of them marked incomplete; %d differences from the scan's (%d of them boilerplate)", name, len(chk.Clusters), open, differ, differBoiler)
		want, got := newMemberSpans(full, isNew), newMemberSpans(chk, isNew)
		var missing, extra int
		for _, m := range want {
			if _, ok := slices.BinarySearch(got, m); !ok {
				missing++
			}
		}
		for _, m := range got {
			if _, ok := slices.BinarySearch(want, m); !ok {
				extra++
			}
		}
		t.Logf("%s: %d members in new documents, the scan %d: %d of the scan's missing, %d not the scan's", name, len(got), len(want), missing, extra)
	}
	// Groups: those of the scan that hold a new document.
	var wantGroups []result.Group
	for _, g := range full.Groups {
		if slices.ContainsFunc(g.Documents, func(id string) bool { return isNew[id] }) {
			g.ID = len(wantGroups) + 1
			wantGroups = append(wantGroups, g)
		}
	}
	// A group not marked incomplete is the scan's group holding its new
	// documents.
	openGroups := 0
	for _, g := range chk.Groups {
		if g.Incomplete {
			openGroups++
			continue
		}
		i := slices.IndexFunc(wantGroups, func(w result.Group) bool {
			return slices.ContainsFunc(g.Documents, func(id string) bool { return isNew[id] && slices.Contains(w.Documents, id) })
		})
		if i < 0 || wantGroups[i].MinPct != g.MinPct || !slices.Equal(wantGroups[i].Documents, g.Documents) {
			fail("group %v, not marked incomplete, is not the scan's (%v)", g, wantGroups[max(i, 0):min(max(i, 0)+1, len(wantGroups))])
		}
	}
	if !strict {
		t.Logf("%s: %d groups, %d of them marked incomplete", name, len(chk.Groups), openGroups)
	}
	if !slices.EqualFunc(chk.Groups, wantGroups, func(a, b result.Group) bool {
		return a.ID == b.ID && a.MinPct == b.MinPct && slices.Equal(a.Documents, b.Documents) && !a.Incomplete
	}) {
		if strict {
			fail("groups %v, want %v", chk.Groups, wantGroups)
		} else {
			t.Logf("%s: %d groups, %d in the scan, differ", name, len(chk.Groups), len(wantGroups))
			for i := range max(len(chk.Groups), len(wantGroups)) {
				var a, b result.Group
				if i < len(chk.Groups) {
					a = chk.Groups[i]
				}
				if i < len(wantGroups) {
					b = wantGroups[i]
				}
				if a.MinPct != b.MinPct || !slices.Equal(a.Documents, b.Documents) {
					t.Logf("%s: first difference: group %v, the scan's %v", name, a, b)
					break
				}
			}
		}
	}
	// Every scan cluster with a new member is in the check.
	for _, f := range full.Clusters {
		if len(newMembers(f)) > 0 && strict {
			if _, ok := fullOf[f.ID]; !ok {
				fail("scan cluster %d (%q) with new members %v missing", f.ID, f.Text, newMembers(f))
			}
		}
	}
}

// listsItsDocuments fails t unless res lists every document its pairs,
// clusters and groups name, once, and its Stats count what it lists:
// the contract the reports rely on, whether or not clusters are marked.
func listsItsDocuments(t *testing.T, name string, res *result.Result) {
	t.Helper()
	listed := map[string]bool{}
	for _, d := range res.Documents {
		if listed[d.ID] {
			t.Errorf("%s: document %s listed twice", name, d.ID)
		}
		listed[d.ID] = true
	}
	words, reused, passages := 0, 0, 0
	for _, d := range res.Documents {
		words, reused = words+d.Words, reused+d.ReusedWords
	}
	for _, p := range res.Pairs {
		passages += len(p.Passages)
	}
	got := result.Stats{Documents: len(res.Documents), Words: words, ReusedWords: reused, Pairs: len(res.Pairs), Passages: passages, Clusters: len(res.Clusters), Groups: len(res.Groups)}
	want := res.Stats
	want.Skipped, want.ClustersIncomplete = 0, false
	if got != want {
		t.Errorf("%s: Stats %+v, want those of what it lists, %+v", name, res.Stats, got)
	}
	missing := map[string]string{}
	need := func(id, where string) {
		if !listed[id] {
			missing[id] = where
		}
	}
	for _, p := range res.Pairs {
		need(p.A, "a pair")
		need(p.B, "a pair")
	}
	for _, c := range res.Clusters {
		for _, m := range c.Members {
			need(m.Doc, fmt.Sprintf("cluster %d (boilerplate %v, incomplete %v)", c.ID, c.Boilerplate, c.Incomplete))
		}
	}
	for _, g := range res.Groups {
		for _, id := range g.Documents {
			need(id, fmt.Sprintf("group %d", g.ID))
		}
	}
	for id, where := range missing {
		t.Errorf("%s: %s holds document %s, which the result does not list (%d such)", name, where, id, len(missing))
		break
	}
}

func sameCluster(a, b result.Cluster) bool {
	return a.ID == b.ID && slices.Equal(a.Documents, b.Documents) && a.Earliest == b.Earliest &&
		a.Boilerplate == b.Boilerplate && a.Text == b.Text && slices.Equal(a.Members, b.Members)
}

func short(p result.Pair) string {
	return fmt.Sprintf("%s~%s %.1f/%.1f shared %d jaccard %v, %d passages", p.A, p.B, p.APct, p.BPct, p.SharedWords, p.Jaccard, len(p.Passages))
}

// checkSplit indexes archiveDir, checks newDir against it, and compares
// with a scan of both. With pieces, the index is made of archiveDir's
// folders one at a time (a segment each), with the new documents added
// and removed again: document frequencies must count neither them nor
// the removed copies. The result must be the scan's, with nothing
// marked incomplete, where strict or under the default limit.
func checkSplit(t *testing.T, name, archiveDir, newDir string, opt Options, strict, pieces bool) *result.Result {
	t.Helper()
	strict = strict || opt.FollowLimit == 0
	ctx := context.Background()
	var full *result.Result
	if addAfterAlign != "" {
		full = scanCorpus(t, opt, archiveDir, addAfterAlign, newDir)
	} else {
		full = scanCorpus(t, opt, archiveDir, newDir)
	}
	idx := filepath.Join(t.TempDir(), "idx")
	alone := scanCorpus(t, opt, newDir)
	indexOpt := opt
	indexOpt.Exact = false // an index holds what any check needs
	if !pieces {
		if _, err := CreateIndex(ctx, idx, []string{archiveDir}, IndexOptions{Options: indexOpt}); err != nil {
			t.Fatal(err)
		}
	} else {
		ents, err := os.ReadDir(archiveDir)
		if err != nil || len(ents) < 2 {
			t.Fatalf("%s: %d folders in the archive, want 2 or more (%v)", name, len(ents), err)
		}
		first := filepath.Join(archiveDir, ents[0].Name())
		if _, err := CreateIndex(ctx, idx, []string{first}, IndexOptions{Options: indexOpt, Root: archiveDir}); err != nil {
			t.Fatal(err)
		}
		for _, e := range ents[1 : len(ents)-1] {
			if _, err := AddToIndex(ctx, idx, []string{filepath.Join(archiveDir, e.Name())}, IndexOptions{Options: indexOpt}); err != nil {
				t.Fatal(err)
			}
		}
		// The last folder with the new documents, in one segment.
		last := filepath.Join(archiveDir, ents[len(ents)-1].Name())
		if res, err := AddToIndex(ctx, idx, []string{last, newDir}, IndexOptions{Options: indexOpt}); err != nil || res.Added <= len(alone.Documents) {
			t.Fatalf("%s: adding the new documents: %+v, %v", name, res, err)
		}
		w, err := archive.OpenWriter(idx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range alone.Documents {
			ids = append(ids, d.ID)
		}
		if missing, err := w.Remove(ids); err != nil || len(missing) > 0 {
			t.Fatalf("%s: Remove = %v, %v", name, missing, err)
		}
		if st := w.Index().Stats(); st.Removed != len(ids) {
			t.Fatalf("%s: %d removed documents, want %d", name, st.Removed, len(ids))
		} else {
			t.Logf("%s: %d segments", name, st.Segments)
		}
		w.Close()
	}
	if alignBeforeCheck {
		if _, err := AlignIndex(ctx, idx, Options{MinWords: opt.MinWords, MaxDF: opt.MaxDF, Exact: opt.Exact, Reworded: opt.Reworded}); err != nil {
			t.Fatal(err)
		}
	}
	if addAfterAlign != "" {
		res, err := AddToIndex(ctx, idx, []string{addAfterAlign}, IndexOptions{Options: indexOpt})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d documents added after the alignments: %+v", name, res.Added, res.Joins)
	}
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	limited := false
	chk, err := Check(ctx, ix, []string{newDir}, Options{MinWords: opt.MinWords, MaxDF: opt.MaxDF, Exact: opt.Exact, Reworded: opt.Reworded,
		FollowLimit: opt.FollowLimit,
		Warn: func(err error) {
			if errors.Is(err, ErrFollowLimit) {
				limited = true
				t.Logf("%s: %v", name, err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if limited != chk.Stats.ClustersIncomplete || strict && chk.Stats.ClustersIncomplete {
		t.Errorf("%s: follow limit notice %v, Stats.ClustersIncomplete %v; want it incomplete exactly after the notice, and complete where the clusters must be the scan's", name, limited, chk.Stats.ClustersIncomplete)
	}
	listsItsDocuments(t, name, chk)
	// A result that says it is complete must be the scan's.
	compareCheck(t, name, full, chk, idSet(alone), strict || !chk.Stats.ClustersIncomplete)
	t.Logf("%s: %d new documents, %d pairs, %d clusters, %d groups", name, len(alone.Documents), len(chk.Pairs), len(chk.Clusters), len(chk.Groups))
	return chk
}

// TestCheckEqualsScan: checking new documents against an index of an
// archive reports what a scan of the archive and the new documents
// reports for the new documents, on the example corpus and on a
// generated one with every class of reuse, split into archive and new
// in several ways.
func TestCheckEqualsScan(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	splits := []struct {
		name  string
		isNew func(rel string, i int) bool
	}{
		{"every fifth", func(_ string, i int) bool { return i%5 == 2 }},
		{"half by hash", func(rel string, _ int) bool { return hashOf(rel)%2 == 0 }},
		{"one document", func(_ string, i int) bool { return i == 7 }},
		{"all but a few", func(_ string, i int) bool { return i%9 != 0 }},
	}
	for _, c := range []struct {
		name, dir string
		folder    string // a split by folder: this one is new
		opt       Options
		strict    bool
	}{
		{"example", exampleCorpus, "courier", Options{}, true},
		{"generated", gen, "sus", Options{}, true},
		{"generated, exact", gen, "sus", Options{Exact: true}, true},
		// An index made for reworded reuse: its keys pair documents
		// that share no exact passage.
		{"example, reworded", exampleCorpus, "courier", Options{Reworded: true}, true},
		{"generated, reworded", gen, "sus", Options{Reworded: true}, true},
		// Boilerplate everywhere: the check reads the whole archive
		// (within the default limit), and its boilerplate is the scan's.
		{"generated, max-df 3", gen, "syn", Options{MaxDF: 3, MinWords: 12}, true},
	} {
		for i, sp := range splits {
			a, n := split(t, c.dir, sp.isNew)
			checkSplit(t, c.name+", "+sp.name, a, n, c.opt, c.strict, false)
			if i == 0 {
				checkSplit(t, c.name+", "+sp.name+", in pieces", a, n, c.opt, c.strict, true)
			}
		}
		a, n := split(t, c.dir, func(rel string, _ int) bool { return strings.HasPrefix(rel, c.folder+"/") })
		checkSplit(t, c.name+", folder "+c.folder, a, n, c.opt, c.strict, false)
	}
}

// TestCheckWithoutArchive: a check reads nothing of the archive but the
// index: with the archive's folder gone it finds the same pairs, and
// only the clusters' excerpts of archived documents are missing, each
// with a warning. With the folder moved and the index told so
// (archive.Options.Root), the excerpts are back.
func TestCheckWithoutArchive(t *testing.T) {
	ctx := context.Background()
	a, n := split(t, exampleCorpus, func(_ string, i int) bool { return i%4 == 1 })
	idx := filepath.Join(t.TempDir(), "idx")
	if _, err := CreateIndex(ctx, idx, []string{a}, IndexOptions{}); err != nil {
		t.Fatal(err)
	}
	check := func(root string) (*result.Result, []error) {
		ix, err := archive.Open(idx, archive.Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		var warns []error
		res, err := Check(ctx, ix, []string{n}, Options{Warn: func(err error) { warns = append(warns, err) }})
		if err != nil {
			t.Fatal(err)
		}
		return res, warns
	}
	before, warns := check("")
	if len(warns) > 0 || len(before.Pairs) == 0 {
		t.Fatalf("check: %d pairs, warnings %v", len(before.Pairs), warns)
	}
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(a, moved); err != nil {
		t.Fatal(err)
	}
	gone, warns := check("")
	if !slices.EqualFunc(gone.Pairs, before.Pairs, func(x, y result.Pair) bool { return short(x) == short(y) && slices.Equal(x.Passages, y.Passages) }) {
		t.Errorf("pairs without the archive's files differ")
	}
	if len(warns) == 0 || !strings.Contains(warns[0].Error(), a) {
		t.Errorf("warnings without the archive's files: %v, want some naming %s", warns, a)
	}
	back, warns := check(moved)
	if len(warns) > 0 {
		t.Errorf("warnings with the moved archive: %v", warns)
	}
	for i := range back.Clusters {
		if back.Clusters[i].Text != before.Clusters[i].Text {
			t.Errorf("cluster %d text %q, want %q", i+1, back.Clusters[i].Text, before.Clusters[i].Text)
		}
	}
}

// TestCheckTaken: a new document whose id the index holds is renamed,
// with a notice; settings other than the index's are refused, and so are
// the reworded keys (Options.Reworded) of an index made without them,
// and an index of exact passages only (Options.Exact).
func TestCheckTaken(t *testing.T) {
	ctx := context.Background()
	root, _ := filepath.Abs(exampleCorpus)
	idx := filepath.Join(t.TempDir(), "idx")
	if _, err := CreateIndex(ctx, idx, []string{root}, IndexOptions{}); err != nil {
		t.Fatal(err)
	}
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	t.Chdir(root)
	var warns []error
	res, err := Check(ctx, ix, []string{"gazette/2024-03-06-school-roof.txt"}, Options{Warn: func(err error) { warns = append(warns, err) }})
	if err != nil {
		t.Fatal(err)
	}
	const renamed = "gazette/2024-03-06-school-roof.txt#2"
	if len(warns) != 1 || !corpus.IsNotice(warns[0]) || !strings.Contains(warns[0].Error(), renamed) {
		t.Errorf("warnings %v, want a notice of the renaming", warns)
	}
	found := false
	for _, p := range res.Pairs {
		if p.A == "gazette/2024-03-06-school-roof.txt" && p.B == renamed && p.APct == 100 && p.BPct == 100 {
			found = true
		}
	}
	if !found {
		t.Errorf("no pair of the document and its copy in the index: %v", res.Pairs)
	}
	if _, err := Check(ctx, ix, []string{"gazette"}, Options{Shingle: 7}); !errors.Is(err, ErrOptions) {
		t.Errorf("Check with another shingle = %v, want ErrOptions", err)
	}
	// An index made without Reworded holds no keys of reworded
	// sentences: neither a check nor an addition may ask for them.
	if _, err := Check(ctx, ix, []string{"gazette"}, Options{Weighted: true}); !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), "weighted") {
		t.Errorf("Check with Weighted = %v, want ErrOptions naming it", err)
	}
	if _, err := AddToIndex(ctx, idx, []string{"gazette"}, IndexOptions{Options: Options{Weighted: true}}); !errors.Is(err, ErrOptions) {
		t.Errorf("AddToIndex with Weighted = %v, want ErrOptions", err)
	}
	if _, err := Check(ctx, ix, []string{"gazette"}, Options{Reworded: true}); !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), "index create --reworded") {
		t.Errorf("Check with Reworded = %v, want ErrOptions saying what to do", err)
	}
	if _, err := AddToIndex(ctx, idx, []string{"gazette"}, IndexOptions{Options: Options{Reworded: true}}); !errors.Is(err, ErrOptions) {
		t.Errorf("AddToIndex with Reworded = %v, want ErrOptions", err)
	}
	// An index always holds the analyses.
	if _, err := AddToIndex(ctx, idx, []string{"gazette"}, IndexOptions{Options: Options{Exact: true}}); !errors.Is(err, ErrOptions) {
		t.Errorf("AddToIndex with Exact = %v, want ErrOptions", err)
	}
	other := filepath.Join(t.TempDir(), "other")
	if _, err := CreateIndex(ctx, other, []string{"gazette"}, IndexOptions{Options: Options{Exact: true}}); !errors.Is(err, ErrOptions) {
		t.Errorf("CreateIndex with Exact = %v, want ErrOptions", err)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("CreateIndex with Exact left %s: %v", other, err)
	}
}

// TestCheckEqualsScanLarge is TestCheckEqualsScan on a corpus of your
// choosing, when REUSE_CHECK_CORPUS names its folder: every 90th file is
// new (REUSE_CHECK_EVERY for another share), the rest the archive; with
// REUSE_CHECK_REWORDED set, the index is made for reworded reuse, and
// REUSE_CHECK_FOLLOW sets Options.FollowLimit; with REUSE_CHECK_ALIGN
// set, the archive's alignments are kept beside the index before the
// check (AlignIndex), and with REUSE_CHECK_ADD=M every Mth archived file
// is added after them (AddToIndex), as a daily addition.
// Pairs, passages and new documents must be the scan's; differences of
// clusters are counted and logged:
//
//	REUSE_CHECK_CORPUS=/tmp/rb/gen-1-100MB/corpus go test -run CheckEqualsScanLarge -v -timeout 30m
func TestCheckEqualsScanLarge(t *testing.T) {
	dir := os.Getenv("REUSE_CHECK_CORPUS")
	if dir == "" {
		t.Skip("set REUSE_CHECK_CORPUS to a corpus folder")
	}
	every := 90
	if s := os.Getenv("REUSE_CHECK_EVERY"); s != "" {
		fmt.Sscan(s, &every)
	}
	opt := Options{Reworded: os.Getenv("REUSE_CHECK_REWORDED") != ""}
	if s := os.Getenv("REUSE_CHECK_FOLLOW"); s != "" {
		fmt.Sscan(s, &opt.FollowLimit)
	}
	if os.Getenv("REUSE_CHECK_ALIGN") != "" {
		alignBeforeCheck = true
		checkStoredHook = func(n int64) { t.Logf("%d alignments taken from those kept", n) }
		checkJoinedHook = func(f cluster.JoinsFound) {
			t.Logf("a round that read part of the archive: joined by the joins kept %v %s", f.Kept, f.Doubt)
		}
		defer func() { alignBeforeCheck, checkStoredHook, checkJoinedHook = false, nil, nil }()
	}
	a, n := split(t, dir, func(_ string, i int) bool { return i%every == every/2 })
	if s := os.Getenv("REUSE_CHECK_ADD"); s != "" {
		// Every addEvery-th archived document added after the
		// alignments (REUSE_CHECK_ALIGN), as a daily addition.
		addEvery := 0
		fmt.Sscan(s, &addEvery)
		a0, a1 := split(t, a, func(_ string, i int) bool { return addEvery > 0 && i%addEvery == addEvery/3 })
		a, addAfterAlign = a0, a1
		defer func() { addAfterAlign = "" }()
	}
	checkSplit(t, filepath.Base(dir), a, n, opt, false, false)
}

// TestCheckRepeats: documents holding a passage twice, archived or new,
// as A or as B of their pairs: a check finds every place of it, as a scan
// does. An archived B holding it twice, paired with an A holding it twice
// too, needs the places of its repeated fingerprints (index.Doc.Repeats,
// which an archive derives from the fingerprints): without them only the
// first place is anchored, and the second passage is lost.
func TestCheckRepeats(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	words := func(n int) string { return randomWords(r, n) + ".\n\n" }
	dir := t.TempDir()
	archiveDir, newDir := filepath.Join(dir, "archive"), filepath.Join(dir, "new")
	write := func(folder, name, text string) {
		if err := os.MkdirAll(folder, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(folder, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		p := words(80)
		twice := words(100) + p + words(150) + p + words(60)
		once := words(120) + p + words(90)
		// Ids sort "a…" before "n…" before "z…": the archived document
		// holding it twice is A of its pair for i even, B for i odd;
		// likewise the new one.
		switch i {
		case 0:
			write(archiveDir, "a-twice-0.txt", twice)
			write(newDir, "n-once-0.txt", once)
		case 1:
			write(archiveDir, "z-twice-1.txt", twice)
			write(newDir, "n-once-1.txt", once)
		case 2:
			write(newDir, "a-twice-2.txt", twice)
			write(archiveDir, "n-once-2.txt", once)
		case 3:
			write(newDir, "z-twice-3.txt", twice)
			write(archiveDir, "n-once-3.txt", once)
		}
	}
	// Both hold it twice, at other distances; the archived one is B.
	for i := range 2 {
		p := words(70)
		write(archiveDir, fmt.Sprintf("d-both-%d.txt", i), words(50)+p+words(200)+p+words(40))
		write(newDir, fmt.Sprintf("c-both-%d.txt", i), words(130)+p+words(30)+p+words(90))
	}
	write(archiveDir, "m-other.txt", words(300))
	checkSplit(t, "repeats", archiveDir, newDir, Options{}, true, false)
}

// TestCheckRewordedFrequencies: against an index made for reworded reuse,
// a check counts the keys of reworded sentences over the whole index, as
// a scan counts them over the whole corpus. A new document holds two
// blocks of an archived one's sentences, each reworded (its words in
// reverse order: the same word pairs, no shared fingerprint), far apart.
// The first block's keys pair the two documents; the second's are held
// by 56 archived documents, more than reword.KeyRules' 50, and say
// nothing. A check that counted them among the documents it reads (the
// two) would align around them and find a passage the scan does not.
func TestCheckRewordedFrequencies(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 44))
	sentence := func() []string {
		s := make([]string, 12)
		for i := range s {
			var b strings.Builder
			for range 5 + r.IntN(5) {
				b.WriteByte(byte('a' + r.IntN(26)))
			}
			s[i] = b.String()
		}
		return s
	}
	sentences := func(n int) [][]string {
		out := make([][]string, n)
		for i := range out {
			out[i] = sentence()
		}
		return out
	}
	reversed := func(ss [][]string) [][]string {
		out := make([][]string, len(ss))
		for i, s := range ss {
			out[i] = slices.Clone(s)
			slices.Reverse(out[i])
		}
		return out
	}
	text := func(blocks ...[][]string) string {
		var b strings.Builder
		for _, ss := range blocks {
			for _, s := range ss {
				b.WriteString(strings.ToUpper(s[0][:1]) + s[0][1:] + " " + strings.Join(s[1:], " ") + ". ")
			}
		}
		return b.String()
	}
	dir := t.TempDir()
	archiveDir, newDir := filepath.Join(dir, "archive"), filepath.Join(dir, "new")
	for _, d := range []string{archiveDir, newDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(folder, name, s string) {
		if err := os.WriteFile(filepath.Join(folder, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first, second := sentences(4), sentences(4)
	// More than reword.Options.Near (24) sentences apart.
	write(archiveDir, "a.txt", text(first, sentences(30), second))
	write(newDir, "n.txt", text(reversed(first), sentences(30), reversed(second)))
	for i := range 55 {
		write(archiveDir, fmt.Sprintf("copy-%02d.txt", i), text(sentences(2), second, sentences(2)))
	}
	full := scanCorpus(t, Options{Reworded: true}, archiveDir, newDir)
	var found *result.Pair
	for i, p := range full.Pairs {
		if p.A == "a.txt" && p.B == "n.txt" {
			found = &full.Pairs[i]
		}
	}
	// The scan finds the first block only: the test's premise.
	if found == nil || len(found.Passages) != 1 || found.Passages[0].AStart != 0 {
		t.Fatalf("scan: pair a.txt~n.txt %+v, want one passage, at the start", found)
	}
	checkSplit(t, "frequencies", archiveDir, newDir, Options{Reworded: true}, true, false)
}

// TestCheckQuotations: a fingerprint inside a quotation pairs documents
// at any frequency below boilerplate, in a check as in a scan, whether
// the quoting document is new or archived (the index keeps the flag of
// its postings). With the quoting document archived, the check reads it
// and one other: the scan's cluster of the quotation also holds the 29
// documents it pairs with, which the check does not read (see Check), so
// only pairs and passages are compared there.
func TestCheckQuotations(t *testing.T) {
	dir := writeQuotations(t, t.TempDir(), "the old harbour will stay closed until the storm passes", 30)
	for _, tc := range []struct {
		name   string
		new    string
		strict bool
	}{
		{"the quoting document new", "quote.txt", true},
		{"the quoting document archived", "bare05.txt", false},
	} {
		a, n := split(t, dir, func(name string, _ int) bool { return filepath.Base(name) == tc.new })
		checkSplit(t, tc.name, a, n, Options{}, tc.strict, false)
	}
}

// TestCheckFollowsChains: a family of passages and a group that reach,
// document by document, archived documents sharing no text with the new
// one. The new document holds paragraphs 0..9 of a text, archived
// document i paragraphs i..i+9: each shares nine tenths with the next,
// so that a scan makes one group of them all and one family of the
// paragraphs they pass on, while the new document shares nothing with
// the last ones. A check must follow the chain through the archive to
// report them as the scan does.
func TestCheckFollowsChains(t *testing.T) {
	r := rand.New(rand.NewPCG(45, 46))
	paras := make([]string, 24)
	for i := range paras {
		paras[i] = randomWords(r, 40) + ".\n\n"
	}
	dir := t.TempDir()
	archiveDir, newDir := filepath.Join(dir, "archive"), filepath.Join(dir, "new")
	for _, d := range []string{archiveDir, newDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path string, from int) {
		if err := os.WriteFile(path, []byte(strings.Join(paras[from:from+10], "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(newDir, "new.txt"), 0)
	for i := 1; i <= 14; i++ {
		write(filepath.Join(archiveDir, fmt.Sprintf("a%02d.txt", i)), i)
	}
	// The chain reaches beyond the new document's partners in the scan,
	// or the test would check nothing the partners do not give.
	full := scanCorpus(t, Options{}, archiveDir, newDir)
	partners := map[string]bool{"new.txt": true}
	for _, p := range full.Pairs {
		if p.A == "new.txt" || p.B == "new.txt" {
			partners[p.A], partners[p.B] = true, true
		}
	}
	beyond := func(ids []string) int {
		n := 0
		for _, id := range ids {
			if !partners[id] {
				n++
			}
		}
		return n
	}
	if len(full.Groups) != 1 || beyond(full.Groups[0].Documents) == 0 {
		t.Fatalf("scan groups %v: want one, reaching beyond the partners %v", full.Groups, partners)
	}
	reached := false
	for _, c := range full.Clusters {
		var ids []string
		hasNew := false
		for _, m := range c.Members {
			ids = append(ids, m.Doc)
			hasNew = hasNew || m.Doc == "new.txt"
		}
		reached = reached || hasNew && beyond(ids) > 0
	}
	if !reached {
		t.Fatalf("no cluster of the new document reaches beyond its partners %v", partners)
	}
	// Followed in rounds where the archive is large beside what the
	// chain reaches (here, with documents of other texts), and read whole
	// where following would cost more than that.
	filled := filepath.Join(dir, "filled")
	if err := os.MkdirAll(filled, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 14; i++ {
		write(filepath.Join(filled, fmt.Sprintf("a%02d.txt", i)), i)
	}
	for i := range 80 {
		if err := os.WriteFile(filepath.Join(filled, fmt.Sprintf("other%02d.txt", i)), []byte(randomWords(r, 300)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name    string
		archive string
		whole   bool
	}{
		{"chains, followed", filled, false},
		{"chains, read whole", archiveDir, true},
	} {
		rounds, whole := 0, 0
		checkRoundHook = func(_ int, w bool) {
			rounds++
			if w {
				whole++
			}
		}
		checkSplit(t, c.name, c.archive, newDir, Options{}, true, false)
		checkRoundHook = nil
		if c.whole && whole != 1 || !c.whole && (whole != 0 || rounds < 3) {
			t.Errorf("%s: %d rounds, %d of them over the whole archive; want it read whole %v", c.name, rounds, whole, c.whole)
		}
	}

	// Within a limit too low to follow the chain, what the check could
	// follow is the scan's, and the rest says it may not be: the group,
	// and some of the clusters.
	// A paragraph the new document shares with one archived document
	// only, besides the chain: its cluster can be followed.
	solo := randomWords(r, 40) + ".\n\n"
	soloNew := filepath.Join(dir, "solo-new")
	if err := os.MkdirAll(soloNew, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(soloNew, "new.txt"), []byte(strings.Join(paras[:10], "")+solo), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filled, "solo.txt"), []byte(randomWords(r, 200)+".\n\n"+solo+randomWords(r, 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	limited := checkSplit(t, "chains, limited", filled, soloNew, Options{FollowLimit: 2*len(partners) + 2}, false, false)
	open := 0
	for _, c := range limited.Clusters {
		if c.Incomplete {
			open++
		}
	}
	if open == 0 || open == len(limited.Clusters) || len(limited.Groups) != 1 || !limited.Groups[0].Incomplete || !limited.Stats.ClustersIncomplete {
		t.Errorf("limited: %d of %d clusters marked incomplete, groups %v, stats %+v; want some and not all, the group incomplete", open, len(limited.Clusters), limited.Groups, limited.Stats)
	}

	// Within a limit too low to follow the chain, the check stops with a
	// notice, skips nothing, and groups what it read: the new document's
	// partners.
	ix := indexOf(t, archiveDir)
	var notices []error
	chk, err := Check(context.Background(), ix, []string{newDir}, Options{FollowLimit: len(partners) + 1, Warn: func(err error) { notices = append(notices, err) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || !errors.Is(notices[0], ErrFollowLimit) || chk.Stats.Skipped != 0 || !chk.Stats.ClustersIncomplete {
		t.Errorf("within a limit: notices %v, %d skipped, clusters incomplete %v; want one ErrFollowLimit, none skipped, incomplete", notices, chk.Stats.Skipped, chk.Stats.ClustersIncomplete)
	}
	if len(chk.Groups) != 1 || beyond(chk.Groups[0].Documents) != 0 {
		t.Errorf("within a limit: groups %v, want one of the partners %v", chk.Groups, partners)
	}
}

// TestPartnersExpand: the partners Expand finds for an archived document
// hold every document a scan of the archive pairs it with, as Find's
// hold those of a new one.
func TestPartnersExpand(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, reworded := range []bool{false, true} {
		opt := Options{Reworded: reworded}
		full := scanCorpus(t, opt, gen)
		idx := filepath.Join(t.TempDir(), "idx")
		if _, err := CreateIndex(ctx, idx, []string{gen}, IndexOptions{Options: opt}); err != nil {
			t.Fatal(err)
		}
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, ck, err := checkIndex(ctx, ix, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{}
		for _, p := range full.Pairs {
			want[p.A] = append(want[p.A], p.B)
			want[p.B] = append(want[p.B], p.A)
		}
		checked := 0
		// Every seventh document's, expanded together and one by one:
		// the same, document by document.
		var refs []archive.Ref
		var docs []result.Document
		for i, d := range full.Documents {
			if i%7 != 0 {
				continue
			}
			r, ok := ix.Find(d.ID)
			if !ok {
				t.Fatalf("reworded %v: %s not in the index", reworded, d.ID)
			}
			refs, docs = append(refs, r), append(docs, d)
		}
		together, togetherBuckets, err := ck.partners.Expand(ctx, refs)
		if err != nil || len(together) != len(refs) || len(togetherBuckets) != len(refs) {
			t.Fatalf("reworded %v: Expand of %d = %d, %d lists, %v", reworded, len(refs), len(together), len(togetherBuckets), err)
		}
		for i, d := range docs {
			r := refs[i]
			alone, aloneBuckets, err := ck.partners.Expand(ctx, []archive.Ref{r})
			if err != nil {
				t.Fatal(err)
			}
			got, bucketed := alone[0], aloneBuckets[0]
			if !slices.Equal(got, together[i]) || !slices.Equal(bucketed, togetherBuckets[i]) {
				t.Fatalf("reworded %v: Expand(%s) = %v, %v alone, %v, %v with others", reworded, d.ID, got, bucketed, together[i], togetherBuckets[i])
			}
			if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Fatalf("reworded %v: Expand(%s) = %v, not sorted and distinct", reworded, d.ID, got)
			}
			if _, ok := slices.BinarySearch(bucketed, r); !ok {
				t.Fatalf("reworded %v: Expand(%s) buckets %v, lacking itself", reworded, d.ID, bucketed)
			}
			for _, b := range bucketed {
				if _, ok := slices.BinarySearch(got, b); !ok {
					t.Fatalf("reworded %v: Expand(%s) = %v, lacking %v of its buckets %v", reworded, d.ID, got, b, bucketed)
				}
			}
			for _, id := range want[d.ID] {
				p, _ := ix.Find(id)
				if _, ok := slices.BinarySearch(got, p); !ok {
					t.Errorf("reworded %v: Expand(%s) lacks %s, which a scan pairs with it", reworded, d.ID, id)
				}
			}
			checked += len(want[d.ID])
		}
		if checked == 0 {
			t.Fatalf("reworded %v: no pair checked", reworded)
		}
		ix.Close()
	}
}

// recordRounds has every round of the checks of the running test append
// to rounds whether it read the whole archive.
func recordRounds(t *testing.T, rounds *[]bool) {
	checkRoundHook = func(_ int, whole bool) { *rounds = append(*rounds, whole) }
	t.Cleanup(func() { checkRoundHook = nil })
}

// writeArchive writes files into the folder archive of a temporary
// folder, and returns both.
func writeArchive(t *testing.T, files map[string]string) (dir, archiveDir string) {
	t.Helper()
	dir = t.TempDir()
	archiveDir = filepath.Join(dir, "archive")
	if err := writeFiles(archiveDir, files); err != nil {
		t.Fatal(err)
	}
	return dir, archiveDir
}

// TestCheckBoilerplateFirstRound: a new document holding boilerplate (a
// fingerprint held by more than MaxDF documents) has the check read the
// whole archive in its first round, where the limit allows it, and its
// result is the scan's; without boilerplate the first round reads the
// partners; and within a limit below the archive's size no round reads
// it whole, and the result says its clusters are incomplete.
func TestCheckBoilerplateFirstRound(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	a, n := split(t, gen, func(rel string, _ int) bool { return strings.HasPrefix(rel, "syn/") })
	var rounds []bool
	recordRounds(t, &rounds)
	for _, c := range []struct {
		name       string
		opt        Options
		firstWhole bool
	}{
		{"boilerplate", Options{MaxDF: 3, MinWords: 12}, true},
		{"none", Options{}, false},
	} {
		rounds = rounds[:0]
		checkSplit(t, c.name, a, n, c.opt, true, false)
		if len(rounds) == 0 || rounds[0] != c.firstWhole || c.firstWhole && len(rounds) != 1 {
			t.Errorf("%s: rounds over the whole archive %v; want the first %v (and only it, when whole)", c.name, rounds, c.firstWhole)
		}
	}

	ix := indexOf(t, a)
	rounds = rounds[:0]
	chk, err := Check(context.Background(), ix, []string{n}, Options{MaxDF: 3, MinWords: 12, FollowLimit: ix.Len() - 1, Warn: func(error) {}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(rounds, true) || !chk.Stats.ClustersIncomplete {
		t.Errorf("limit %d below the archive's %d documents: rounds over the whole archive %v, clusters incomplete %v; want none, incomplete",
			ix.Len()-1, ix.Len(), rounds, chk.Stats.ClustersIncomplete)
	}
}

// indexOf makes an index of dir at default settings and opens it, closed
// when the test ends.
func indexOf(t *testing.T, dir string) *archive.Index {
	t.Helper()
	idx := filepath.Join(t.TempDir(), "idx")
	if _, err := CreateIndex(context.Background(), idx, []string{dir}, IndexOptions{}); err != nil {
		t.Fatal(err)
	}
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestCheckDefaultLimitWords: the default limit counts words, not
// documents. A new document whose one partner holds most of the
// archive's words, and boilerplate, has the check read the archive whole
// in its first round (twice the partner's words cover it), and its
// result is the scan's; one whose partner is short does not, but it does
// not mark the boilerplate it holds incomplete either: once following
// would, the check reads the whole archive, and its result is the
// scan's. So does a batch of three new documents, one of them with that
// short partner, from its first round: the limit grows by followPerNew
// documents' worth for each new document, and three of them cover the
// archive. A limit given in documents marks that boilerplate instead.
func TestCheckDefaultLimitWords(t *testing.T) {
	defer func(n, p int) { minFollowDocs, followPerNew = n, p }(minFollowDocs, followPerNew)
	minFollowDocs, followPerNew = 2, 10
	r := rand.New(rand.NewPCG(7, 8))
	boiler := randomWords(r, 15) + ".\n\n"
	long, short := randomWords(r, 40)+".\n\n", randomWords(r, 40)+".\n\n"
	files := map[string]string{"long.txt": randomWords(r, 1500) + ".\n\n" + long + randomWords(r, 1500) + ".\n\n" + boiler}
	for i := range 30 {
		text := randomWords(r, 60) + ".\n\n" + boiler
		if i == 0 {
			text += short
		}
		files[fmt.Sprintf("s%02d.txt", i)] = text
	}
	dir, archiveDir := writeArchive(t, files)
	var rounds []bool
	recordRounds(t, &rounds)
	for _, c := range []struct {
		name, shared      string
		news, limit       int
		firstWhole, whole bool // the first round, and the last, read the whole archive
	}{
		{"long partner", long, 1, 0, true, true},
		{"short partner", short, 1, 0, false, true},
		{"short partner of a batch", short, 3, 0, true, true},
		{"short partner, limit given", short, 1, 10, false, false},
	} {
		newDir := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-"))
		news := map[string]string{}
		for i := range c.news {
			text := randomWords(r, 100) + ".\n\n" + boiler
			if i == 0 {
				text += c.shared
			}
			news[fmt.Sprintf("new%d.txt", i)] = text
		}
		if err := writeFiles(newDir, news); err != nil {
			t.Fatal(err)
		}
		rounds = rounds[:0]
		chk := checkSplit(t, c.name, archiveDir, newDir, Options{MaxDF: 3, FollowLimit: c.limit}, c.whole, false)
		marked := slices.ContainsFunc(chk.Clusters, func(c result.Cluster) bool { return c.Boilerplate && c.Incomplete })
		if len(rounds) == 0 || rounds[0] != c.firstWhole || rounds[len(rounds)-1] != c.whole || marked == c.whole {
			t.Errorf("%s: rounds over the whole archive %v, boilerplate marked incomplete %v; want the first round whole %v, the last %v, marked %v", c.name, rounds, marked, c.firstWhole, c.whole, !c.whole)
		}
	}
}

// TestCheckFirstRoundMostWords: a new document whose partners hold more
// than half of the archive's words has the check read the archive whole
// in its first and only round, by the rule of later rounds; one whose
// partners hold less reads them first. Both results are the scan's.
func TestCheckFirstRoundMostWords(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	files := map[string]string{}
	var quotes []string
	for i := range 12 {
		q := randomWords(r, 30) + ".\n\n"
		quotes = append(quotes, q)
		files[fmt.Sprintf("a%02d.txt", i)] = randomWords(r, 200) + ".\n\n" + q + randomWords(r, 200) + ".\n\n"
	}
	dir, archiveDir := writeArchive(t, files)
	var rounds []bool
	recordRounds(t, &rounds)
	for _, c := range []struct {
		name   string
		quotes []string
		whole  bool
	}{
		{"most", quotes[:8], true},
		{"few", quotes[:3], false},
	} {
		newDir := filepath.Join(dir, c.name)
		if err := writeFiles(newDir, map[string]string{"new.txt": randomWords(r, 50) + ".\n\n" + strings.Join(c.quotes, "")}); err != nil {
			t.Fatal(err)
		}
		rounds = rounds[:0]
		checkSplit(t, c.name, archiveDir, newDir, Options{}, true, false)
		if len(rounds) == 0 || rounds[0] != c.whole || c.whole && len(rounds) != 1 {
			t.Errorf("%s: rounds over the whole archive %v; want the first %v (and only it, when whole)", c.name, rounds, c.whole)
		}
	}
}

func TestFollowLimitString(t *testing.T) {
	for _, tt := range []struct {
		l    followLimit
		want string
	}{
		{followLimit{docs: -1, words: 2863236}, "2,863,236 words"},
		{followLimit{docs: 2000, words: -1}, "2,000 documents"},
		{followLimit{docs: 7, words: -1}, "7 documents"},
	} {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.l, got, tt.want)
		}
	}
}

// alignBeforeCheck has checkSplit keep the archive's alignments beside
// the index (AlignIndex) before it checks; addAfterAlign, if not empty,
// is a folder of archived documents it adds to the index after that
// (and scans with the rest).
var (
	alignBeforeCheck bool
	addAfterAlign    string
)

// TestCheckStoredAlignments: a check that takes archived pairs'
// alignments from those kept beside the index (AlignIndex) reports what a
// scan reports, as one that aligns them does, with boilerplate
// everywhere too (where the new documents push many keys over MaxDF, and
// the pairs of the documents holding them are aligned again), and takes
// some where it reads the whole archive, most of them without pairing
// them (the pairs no shift reaches: known).
// TestShiftedCoversChangedAlignments checks the pairs it must align
// again.
func TestCheckStoredAlignments(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	alignBeforeCheck = true
	var hits, known int64
	checkStoredHook = func(n int64) { hits = n }
	checkKnownHook = func(n int64) { known = n }
	defer func() { alignBeforeCheck, checkStoredHook, checkKnownHook = false, nil, nil }()
	for _, c := range []struct {
		name   string
		opt    Options
		isNew  func(rel string, i int) bool
		reused bool // some alignments are taken
	}{
		{"every fifth", Options{FollowLimit: -1}, func(_ string, i int) bool { return i%5 == 2 }, true},
		{"syn, max-df 3", Options{MaxDF: 3, MinWords: 12}, func(rel string, _ int) bool { return strings.HasPrefix(rel, "syn/") }, true},
		// A fifth new shares keys of reworded sentences with nearly every
		// archived document: all are shifted.
		{"every fifth, reworded", Options{Reworded: true, FollowLimit: -1}, func(_ string, i int) bool { return i%5 == 2 }, false},
		{"every fifth, exact", Options{Exact: true, FollowLimit: -1}, func(_ string, i int) bool { return i%5 == 2 }, true},
		{"syn, reworded, max-df 3", Options{Reworded: true, MaxDF: 3, MinWords: 12}, func(rel string, _ int) bool { return strings.HasPrefix(rel, "syn/") }, true},
		{"every ninth, reworded", Options{Reworded: true, FollowLimit: -1}, func(_ string, i int) bool { return i%9 == 2 }, true},
		// Following: the documents followed share text with the new one,
		// whose copies make that text less rare, so they are shifted.
		{"one document", Options{}, func(_ string, i int) bool { return i == 7 }, false},
	} {
		hits, known = -1, -1
		a, n := split(t, gen, c.isNew)
		checkSplit(t, c.name, a, n, c.opt, true, false)
		if hits < 0 || c.reused != (hits > 0) {
			t.Errorf("%s: %d alignments taken from those kept, want some %v", c.name, hits, c.reused)
		}
		// A whole round takes the pairs no shift reaches without pairing
		// them (known), and its result is still the scan's.
		if c.opt.FollowLimit < 0 && c.reused && (known <= 0 || known > hits) {
			t.Errorf("%s: %d pairs taken without pairing them, of %d taken from those kept; want some", c.name, known, hits)
		}
		t.Logf("%s: %d alignments taken from those kept, %d without pairing them", c.name, hits, known)
	}
}

func TestDFClass(t *testing.T) {
	class := dfClass(candidate.Rules{MaxDF: 100, SoloDF: 4, RareDF: 9}, candidate.Rules{MaxDF: 10, RareDF: 3})
	for _, tt := range []struct{ df, want int }{
		{0, 0}, {1, 1}, {4, 4}, {9, 9}, {10, 10}, {11, 11}, {100, 11}, {101, 12}, {5000, 12},
	} {
		if got := class(tt.df); got != tt.want {
			t.Errorf("class(%d) = %d, want %d", tt.df, got, tt.want)
		}
	}
}

// TestShiftedCoversChangedAlignments: every archived pair whose
// alignment the new documents change (its passages in a scan of the
// archive and in a scan of the archive with them differ, or it has
// passages in one only), and whose alignment `reuse index align` kept, is
// reached by the shifts Partners.Shifted finds (shifts.reach): the pairs
// whose kept alignments a check must not take. In the example built here
// X and Y share a paragraph P with Z, and the new document prints P too,
// which makes it boilerplate at max-df 3: X~Y loses the passage.
func TestShiftedCoversChangedAlignments(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	words := func(n int) string { return randomWords(r, n) + ".\n\n" }
	p, q := words(40), words(40)
	dir := t.TempDir()
	built, builtNew := filepath.Join(dir, "archive"), filepath.Join(dir, "new")
	if err := writeFiles(built, map[string]string{
		"x.txt": words(100) + q + words(30) + p + words(100),
		"y.txt": words(80) + q + words(20) + p + words(90),
		"z.txt": words(120) + p + words(60),
	}); err != nil {
		t.Fatal(err)
	}
	if err := writeFiles(builtNew, map[string]string{"new.txt": words(60) + p + words(60)}); err != nil {
		t.Fatal(err)
	}
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	every5 := func(_ string, i int) bool { return i%5 == 2 }
	syn := func(rel string, _ int) bool { return strings.HasPrefix(rel, "syn/") }
	for _, c := range []struct {
		name            string
		archive, newDir string
		opt             Options
		wantChanged     bool
	}{
		{"built", built, builtNew, Options{MaxDF: 3}, true},
		{"every fifth", "", "", Options{}, false},
		{"syn, max-df 3", "", "", Options{MaxDF: 3, MinWords: 12}, false},
		{"every fifth, reworded", "", "", Options{Reworded: true}, false},
	} {
		a, n := c.archive, c.newDir
		if a == "" {
			isNew := every5
			if strings.HasPrefix(c.name, "syn") {
				isNew = syn
			}
			a, n = split(t, gen, isNew)
		}
		before, after := scanCorpus(t, c.opt, a), scanCorpus(t, c.opt, a, n)
		isNew := idSet(scanCorpus(t, c.opt, n))
		passages := func(res *result.Result) map[[2]string]string {
			out := map[[2]string]string{}
			for _, p := range res.Pairs {
				if !isNew[p.A] && !isNew[p.B] {
					// The alignment, without the cluster numbers.
					var b strings.Builder
					for _, g := range p.Passages {
						fmt.Fprintf(&b, "[%d %d %d %d %d %s %v]", g.AStart, g.AEnd, g.BStart, g.BEnd, g.Words, g.Kind, g.Similarity)
					}
					out[[2]string{p.A, p.B}] = b.String()
				}
			}
			return out
		}
		pb, pa := passages(before), passages(after)
		var changed [][2]string
		for k, v := range pb {
			if pa[k] != v {
				changed = append(changed, k)
			}
		}
		for k := range pa {
			if _, ok := pb[k]; !ok {
				changed = append(changed, k)
			}
		}
		if c.wantChanged && len(changed) == 0 {
			t.Errorf("%s: no archived pair changed; the example does not test what it should", c.name)
		}

		ctx := context.Background()
		idx := filepath.Join(t.TempDir(), "idx")
		if _, err := CreateIndex(ctx, idx, []string{a}, IndexOptions{Options: c.opt}); err != nil {
			t.Fatal(err)
		}
		if _, err := AlignIndex(ctx, idx, c.opt); err != nil {
			t.Fatal(err)
		}
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s, ck, err := checkIndex(ctx, ix, []string{n}, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		kept, err := ix.Alignments(s.opt.alignSettings())
		if err != nil {
			t.Fatal(err)
		}
		st, err := pairs.OpenStored(kept.Data)
		if err != nil {
			t.Fatal(err)
		}
		whole, fps, err := ck.partners.Shifted(ctx, dfClass(s.opt.rules()), dfClass(reword.KeyRules(), reword.KeyOnlyRules()))
		if err != nil {
			t.Fatal(err)
		}
		sh := newShifts(s.opt.Shingle, s.opt.Window)
		sh.addWhole(whole)
		sh.add(fps)
		// The kept alignment of archived documents x and y, under their
		// keys in a check's memo (the first document of a round first).
		keptOf := func(x, y string) (ra, rb archive.Ref, spans []align.Span, ok bool) {
			ra, _ = ix.Find(x)
			rb, _ = ix.Find(y)
			if spans, ok = st.Passages(uint64(ra), uint64(rb)); ok {
				return ra, rb, spans, true
			}
			spans, ok = st.Passages(uint64(rb), uint64(ra))
			return rb, ra, spans, ok
		}
		for _, k := range changed {
			ra, rb, spans, ok := keptOf(k[0], k[1])
			if ok && !sh.reach(ra, rb, spans) {
				t.Errorf("%s: archived pair %s~%s changed (%s, then %s), and no shift reaches it", c.name, k[0], k[1], pb[k], pa[k])
			}
		}
		// How many kept alignments the shifts leave, against a rule that
		// counts every pair of a document holding a shifted key.
		shiftedDoc := map[archive.Ref]bool{}
		for _, r := range whole {
			shiftedDoc[r] = true
		}
		for _, f := range fps {
			shiftedDoc[f.Doc] = true
		}
		reached, ofShifted := 0, 0
		for k := range pb {
			ra, rb, spans, ok := keptOf(k[0], k[1])
			if !ok {
				t.Errorf("%s: archived pair %s~%s has no kept alignment", c.name, k[0], k[1])
				continue
			}
			if sh.reach(ra, rb, spans) {
				reached++
			}
			if shiftedDoc[ra] || shiftedDoc[rb] {
				ofShifted++
			}
		}
		t.Logf("%s: %d of %d archived pairs with passages changed; %d reached by a shift, %d of a document holding one", c.name, len(changed), len(pb), reached, ofShifted)
		ix.Close()
	}
}

// TestAlignedBeforeAdditions: alignments kept before documents were
// added still serve: AlignIndex after the addition takes them and writes
// the file a fresh AlignIndex writes, byte for byte; and a check after
// the addition, without aligning again, reports what a scan reports and
// takes some of them, unless the documents added hold more than
// maxAddedShare of the archive's words. At max-df 3 the additions push
// many fingerprints over it.
func TestAlignedBeforeAdditions(t *testing.T) {
	gen, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var hits int64
	checkStoredHook = func(n int64) { hits = n }
	defer func() { checkStoredHook = nil }()
	for _, opt := range []Options{{}, {MaxDF: 3, MinWords: 12}, {Exact: true}} {
		name := opt.alignSettings()
		a, n := split(t, gen, func(_ string, i int) bool { return i%7 == 3 })
		first, later := split(t, a, func(_ string, i int) bool { return i%20 == 1 })
		aligned := func(alignFirst bool) (string, []string) {
			idx := filepath.Join(t.TempDir(), "idx")
			if _, err := CreateIndex(ctx, idx, []string{first}, IndexOptions{Options: Options{MinWords: opt.MinWords, MaxDF: opt.MaxDF}, Root: a}); err != nil {
				t.Fatal(err)
			}
			if alignFirst {
				if _, err := AlignIndex(ctx, idx, opt); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := AddToIndex(ctx, idx, []string{later}, IndexOptions{Options: Options{MinWords: opt.MinWords, MaxDF: opt.MaxDF}}); err != nil {
				t.Fatal(err)
			}
			// Every 25th document removed, archived or added.
			w, err := archive.OpenWriter(idx)
			if err != nil {
				t.Fatal(err)
			}
			var ids, paths []string
			i := 0
			var d index.Doc
			w.Index().Each(func(r archive.Ref) error {
				if i++; i%25 == 7 {
					ids = append(ids, w.Index().ID(r))
					if err := w.Index().Doc(r, &d); err != nil {
						return err
					}
					paths = append(paths, d.Path)
				}
				return nil
			})
			if _, err := w.Remove(ids); err != nil {
				t.Fatal(err)
			}
			w.Close()
			return idx, paths
		}
		// A check after the addition and removals, with the alignments of
		// before; the removed documents' files go, for the scan.
		idx, removed := aligned(true)
		fresh, _ := aligned(false)
		for _, p := range removed {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
		ix, err := archive.Open(idx, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if st, ok, err := ix.KeptAlignments(); !ok || err != nil || st.Added == 0 || st.Removed == 0 {
			t.Fatalf("%s: kept alignments after the addition and removals: %+v, %v, %v", name, st, ok, err)
		}
		var unused []error
		checkOpt := Options{MinWords: opt.MinWords, MaxDF: opt.MaxDF, Exact: opt.Exact, FollowLimit: -1, Warn: func(err error) {
			if errors.Is(err, ErrAlignmentsUnused) {
				unused = append(unused, err)
			}
		}}
		hits = -1
		if _, err := Check(ctx, ix, []string{n}, checkOpt); err != nil || hits != 0 {
			t.Errorf("%s: additions of about 5%% of the words: a check took %d kept alignments (%v), want none", name, hits, err)
		}
		if len(unused) != 1 || !strings.Contains(unused[0].Error(), "% of the archive's words, more than 1%") {
			t.Errorf("%s: additions of about 5%% of the words: notices %v, want one that the alignments were not used, and why", name, unused)
		}
		unused = nil
		share := maxAddedShare
		maxAddedShare = 1
		hits = -1
		chk, err := Check(ctx, ix, []string{n}, checkOpt)
		maxAddedShare = share
		ix.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(unused) != 0 {
			t.Errorf("%s: the alignments taken, and notices %v", name, unused)
		}
		full := scanCorpus(t, opt, first, later, n) // as indexed: paths under first and later
		compareCheck(t, name, full, chk, idSet(scanCorpus(t, opt, n)), true)
		checked := hits

		// AlignIndex after the addition, against a fresh one.
		hits = -1
		if _, err := AlignIndex(ctx, idx, opt); err != nil {
			t.Fatal(err)
		}
		if checked <= 0 || hits <= 0 {
			t.Errorf("%s: after the addition a check took %d kept alignments, AlignIndex %d; want some", name, checked, hits)
		}
		if _, err := AlignIndex(ctx, fresh, opt); err != nil {
			t.Fatal(err)
		}
		files := func(dir string) []byte {
			m, _ := filepath.Glob(filepath.Join(dir, "*.aln"))
			if len(m) != 1 {
				t.Fatalf("%s: alignments in %s: %v, want one file", name, dir, m)
			}
			b, err := os.ReadFile(m[0])
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		if !bytes.Equal(files(idx), files(fresh)) {
			t.Errorf("%s: AlignIndex after an addition and removals, from the alignments of before, differs from a fresh one", name)
		}
	}
}

// TestKeptPairsCheapestFirst: the kept clusters' needs are taken
// cheapest first, each whole or not at all, so that more clusters fit
// within the limit: a large document's need, listed first, that would
// fill the limit alone waits behind two small ones that fit together.
func TestKeptPairsCheapestFirst(t *testing.T) {
	ix := indexOf(t, exampleCorpus)
	var refs []archive.Ref
	ix.Each(func(r archive.Ref) error {
		refs = append(refs, r)
		return nil
	})
	slices.SortFunc(refs, func(a, b archive.Ref) int { return cmp.Compare(ix.Words(a), ix.Words(b)) })
	small1, small2, large := refs[0], refs[1], refs[len(refs)-1]
	if ix.Words(small1)+ix.Words(small2) > ix.Words(large) {
		t.Fatalf("the example corpus's two smallest documents hold %d and %d words, its largest %d: the test needs them smaller", ix.Words(small1), ix.Words(small2), ix.Words(large))
	}
	ck := &checking{ix: ix, limit: followLimit{docs: -1, words: int64(ix.Words(large))}, keptNeeds: []keptNeed{
		{take: []archive.Ref{large}, active: []archive.Ref{large}},
		{take: []archive.Ref{small1}, active: []archive.Ref{small1}},
		{take: []archive.Ref{small2}, active: []archive.Ref{small2}},
	}}
	if !ck.keptPairs(0, 0) {
		t.Fatal("keptPairs added nothing")
	}
	if got := [3]bool{ck.keptTaken[large], ck.keptTaken[small1], ck.keptTaken[small2]}; got != [3]bool{false, true, true} {
		t.Errorf("keptPairs took (large, small, small) = %v, want the two small ones", got)
	}
}
