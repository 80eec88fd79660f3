package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/result"
)

// copyCorpus copies the example corpus into dir/archive, less the files
// moved into dir/new (paths relative to the corpus).
func copyCorpus(t *testing.T, dir string, moved ...string) (archiveDir, newDir string) {
	t.Helper()
	archiveDir, newDir = filepath.Join(dir, "archive"), filepath.Join(dir, "new")
	err := filepath.WalkDir(corpusDir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, p)
		to := filepath.Join(archiveDir, rel)
		for _, m := range moved {
			if filepath.ToSlash(rel) == m {
				to = filepath.Join(newDir, filepath.Base(rel))
			}
		}
		data, err := os.ReadFile(p)
		if err == nil {
			err = os.MkdirAll(filepath.Dir(to), 0o755)
		}
		if err == nil {
			err = os.WriteFile(to, data, 0o644)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return archiveDir, newDir
}

// TestIndexCommands runs an index's life from the command line: create,
// stats, check, add, remove, compact, verify, and a damaged segment.
func TestIndexCommands(t *testing.T) {
	dir := t.TempDir()
	a, n := copyCorpus(t, dir, "courier/2024-03-14-council-budget.txt", "gazette/2024-03-06-school-roof.txt")
	idx := filepath.Join(dir, "news.idx")
	checkRun(t, []string{"index", "create", idx, a, "-q"}, ExitOK, "indexed 19 documents", "")
	checkRun(t, []string{"index", "create", idx, a, "-q"}, ExitFailure, "", "already holds an index")
	// An index made without --reworded holds no keys of reworded
	// sentences; one made with them does, and says so.
	for _, args := range [][]string{
		{"index", "add", idx, n, "--reworded"},
		{"check", idx, n, "--reworded"},
	} {
		checkRun(t, args, ExitUsage, "", "the index was made without --reworded: it holds no keys of reworded sentences (make it again with reuse index create --reworded)")
	}
	rw := filepath.Join(dir, "reworded.idx")
	checkRun(t, []string{"index", "create", rw, a, "--reworded", "-q"}, ExitOK, "indexed 19 documents", "")
	checkRun(t, []string{"index", "stats", rw}, ExitOK, "; reworded reuse (every document analyzed, keys of reworded sentences kept)", "")
	checkRun(t, []string{"check", rw, n, "--reworded"}, ExitOK, "checked 2 new documents", "")
	checkRun(t, []string{"index", "add", rw, n, "-q"}, ExitOK, "added 2 documents", "")
	checkRun(t, []string{"index", "verify", rw}, ExitOK, "no problems: 2 segments, 21 documents", "")
	checkRun(t, []string{"index", "add", idx, n, "--exact"}, ExitUsage, "", "exact: an archive index holds what a default check needs")
	checkRun(t, []string{"check", idx, n, "--exact"}, ExitOK, "checked 2 new documents", "")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "documents  19,", "")
	code, out, _ := cli(t, "index", "stats", idx, "--format", "json")
	var st indexStatsJSON
	if err := json.Unmarshal([]byte(out), &st); code != ExitOK || err != nil || st.Documents != 19 || st.Root != a || len(st.Segments) != 1 {
		t.Errorf("stats --format json: exit %d, %v, %+v", code, err, st)
	}

	// check: text, and JSON equal to the library's.
	checkRun(t, []string{"check", idx, n, "--top", "3"}, ExitOK, "checked 2 new documents against "+idx+" (19 documents)", "")
	code, out, stderr := cli(t, "check", idx, n, "--format", "json")
	if code != ExitOK {
		t.Fatalf("check --format json: exit %d, %s", code, stderr)
	}
	res, err := result.ReadJSON(strings.NewReader(out))
	if err != nil || len(res.Pairs) == 0 {
		t.Fatalf("check JSON: %v, %d pairs", err, len(res.Pairs))
	}
	archived := 0
	for _, d := range res.Documents {
		if d.Archived {
			archived++
			if !strings.HasPrefix(d.Path, a) {
				t.Errorf("archived document %s at %s, want it under %s", d.ID, d.Path, a)
			}
		}
	}
	if archived == 0 || archived == len(res.Documents) {
		t.Errorf("%d of %d documents archived", archived, len(res.Documents))
	}

	// add: new ids, then taken ones (exit 1), then --replace.
	checkRun(t, []string{"index", "add", idx, n, "-q"}, ExitOK, "added 2 documents", "")
	checkRun(t, []string{"index", "add", idx, n}, ExitSkipped, "added 0 documents", "already in the index")
	checkRun(t, []string{"index", "add", idx, n, "--replace", "-q"}, ExitOK, "replacing 2", "")
	// remove: one id unknown (exit 1).
	checkRun(t, []string{"index", "remove", idx, "2024-03-14-council-budget.txt", "no/such.txt"}, ExitSkipped, "removed 1 document; 20 remain", `no document "no/such.txt"`)
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "1 removed", "")
	checkRun(t, []string{"index", "compact", idx}, ExitOK, "the space of 1 removed document reclaimed", "")
	checkRun(t, []string{"index", "verify", idx}, ExitOK, "no problems: 1 segment, 20 documents", "")

	// align: the archive's pairs kept beside the index, which a check
	// with the same settings takes (and finds what it found without
	// them), until the index changes.
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "alignments none kept for this generation (reuse index align)", "")
	checkArgs := []string{"check", idx, n, "--max-df", "2", "--follow-limit", "-1", "--format", "json", "--timings"}
	_, before, stderr := cli(t, checkArgs...)
	if strings.Contains(stderr, "kept beside the index") {
		t.Errorf("check before index align: %s", stderr)
	}
	if _, out, _ := cli(t, "index", "align", idx, "--max-df", "2"); !regexp.MustCompile(`pairs of archived documents aligned, kept in .* with the joins of [0-9,]+ boilerplate fingerprints? and [0-9,]+ clusters? of boilerplate\n`).MatchString(out) {
		t.Errorf("index align: %q", out)
	}
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "alignments kept for checks with min-words 9, max-df 2 (", "")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "with the clusters of the boilerplate, and its joins for checks with max-df 2)", "")
	code, after, stderr := cli(t, checkArgs...)
	if code != ExitOK || after != before || !strings.Contains(stderr, "of them taken from the alignments kept beside the index") {
		t.Errorf("check with the alignments kept: exit %d, same JSON %v, stderr %s", code, after == before, stderr)
	}
	if _, _, stderr := cli(t, "check", idx, n, "--timings"); strings.Contains(stderr, "kept beside the index") {
		t.Errorf("check with other settings (max-df 100) took alignments kept for max-df 2: %s", stderr)
	}
	// A check whose rounds read part of the archive joins its
	// boilerplate by the joins kept.
	if _, _, stderr := cli(t, "check", idx, n, "--max-df", "2", "--follow-limit", "3", "--timings"); !strings.Contains(stderr, "; boilerplate joined by the joins kept beside the index") {
		t.Errorf("check reading part of the archive: %s", stderr)
	}
	checkRun(t, []string{"index", "verify", idx}, ExitOK, "no problems", "")
	// Damaged, they are named and not used: the check aligns the pairs
	// itself, and finds the same.
	aln, _ := filepath.Glob(filepath.Join(idx, "*.aln"))
	if len(aln) != 1 {
		t.Fatalf("alignments kept: %v, want one file", aln)
	}
	good, _ := os.ReadFile(aln[0])
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 1
	os.WriteFile(aln[0], bad, 0o644)
	code, damaged, stderr := cli(t, checkArgs...)
	if code != ExitOK || damaged != before || !strings.Contains(stderr, "the alignments kept beside the index not used") || !strings.Contains(stderr, filepath.Base(aln[0])) {
		t.Errorf("check with damaged alignments: exit %d, same JSON %v, stderr %s", code, damaged == before, stderr)
	}
	checkRun(t, []string{"index", "verify", idx}, ExitSkipped, "problem", filepath.Base(aln[0]))
	// index align says so too, and replaces them.
	checkRun(t, []string{"index", "align", idx, "--max-df", "2"}, ExitOK, "aligned", "the alignments kept beside the index not used")
	checkRun(t, []string{"index", "verify", idx}, ExitOK, "no problems", "")
	checkRun(t, []string{"index", "remove", idx, "2024-03-06-school-roof.txt"}, ExitOK, "removed 1 document",
		"the alignments kept for checks with min-words 9, max-df 2 predate the removal of 1 document, which may change the pairs of documents sharing their text: checks align those again, and their clusters of the boilerplate no longer serve; the boilerplate's joins were brought up to date, and checks join by them; reuse index align brings the rest up to date, reusing them")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "alignments kept for checks with min-words 9, max-df 2", "")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "they predate the removal of 1 document, and the clusters of the boilerplate no longer serve; the joins, brought up to date at generation", "")
	checkRun(t, []string{"index", "align", idx}, ExitOK, "aligned", "")
	checkRun(t, []string{"index", "add", idx, filepath.Join(n, "2024-03-06-school-roof.txt")}, ExitOK, "added 1 document",
		"the alignments kept for checks with min-words 9, max-df 100 lack the 1 document added since they were made, whose pairs checks align, and their clusters of the boilerplate no longer serve; the boilerplate's joins were brought up to date, and checks join by them; reuse index align brings the rest up to date, reusing them")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "they lack the 1 document added since, and the clusters of the boilerplate no longer serve; the joins, brought up to date at generation", "")
	// A removal brings them up to date too.
	archivedFiles, err := filepath.Glob(filepath.Join(a, "*", "*.txt"))
	if err != nil || len(archivedFiles) == 0 {
		t.Fatalf("archive folder: %v %v", archivedFiles, err)
	}
	first, _ := filepath.Rel(a, archivedFiles[0])
	checkRun(t, []string{"index", "remove", idx, filepath.Join(n, "2024-03-06-school-roof.txt"), filepath.ToSlash(first)}, ExitOK, "removed 2 documents",
		"predate the removal of 1 document, which may change the pairs of documents sharing their text: checks align those again, and their clusters of the boilerplate no longer serve; the boilerplate's joins were brought up to date, and checks join by them")
	checkRun(t, []string{"index", "add", idx, filepath.Join(n, "2024-03-06-school-roof.txt")}, ExitOK, "added 1 document",
		"the boilerplate's joins were brought up to date, and checks join by them")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "and the clusters of the boilerplate no longer serve; the joins, brought up to date at generation", "")
	checkRun(t, []string{"index", "compact", idx}, ExitOK, "merged into 1",
		"the alignments kept for checks with min-words 9, max-df 100 no longer hold (the boilerplate's joins for checks with max-df 100 still hold, and checks join by them); run reuse index align again to keep them")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "alignments none kept for this generation (reuse index align); the boilerplate's joins for checks with max-df 100 kept", "")

	// A damaged segment is named by verify (exit 1) and by check (exit 3).
	m, _ := filepath.Glob(filepath.Join(idx, "*.seg"))
	if len(m) != 1 {
		t.Fatalf("segments %v, want one", m)
	}
	data, _ := os.ReadFile(m[0])
	data[len(data)/2] ^= 1
	os.WriteFile(m[0], data, 0o644)
	name := filepath.Base(m[0])
	checkRun(t, []string{"index", "verify", idx}, ExitSkipped, "problem", name)
	data[len(data)/2] ^= 1
	data[len(data)-20] ^= 1 // in the trailer, which every reader checks
	os.WriteFile(m[0], data, 0o644)
	checkRun(t, []string{"check", idx, n}, ExitFailure, "", name+": trailer checksum mismatch")
}

// TestIndexRefusals: a second writer, an index of another version, an
// index among the inputs and mistakes of the command line are refused
// with messages saying why.
// TestIndexEarlierAlignments: alignments kept by an earlier reuse, of a
// format this one does not read, are named by index stats and by a
// check's notice, which goes without them (exit 0: nothing skipped).
// TestIndexCreateAligns: reuse index create aligns the archive's pairs
// for default checks, which take the alignments; --no-align does not.
// reuse index add aligns them again with --align only.
func TestIndexCreateAligns(t *testing.T) {
	dir := t.TempDir()
	a, n := copyCorpus(t, dir, "courier/2024-03-14-council-budget.txt", "gazette/2024-03-06-school-roof.txt")
	idx, bare := filepath.Join(dir, "news.idx"), filepath.Join(dir, "bare.idx")
	checkRun(t, []string{"index", "create", idx, a, "-q"}, ExitOK, "pairs of archived documents aligned, kept in ", "")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, fmt.Sprintf("alignments kept for checks with min-words %d, max-df %d (", reuse.DefaultMinWords, reuse.DefaultMaxDF), "")
	checkRun(t, []string{"check", idx, n, "--follow-limit", "-1", "--timings"}, ExitOK, "checked 2 new documents", "of them taken from the alignments kept beside the index")
	code, out, _ := cli(t, "index", "create", bare, a, "-q", "--no-align")
	if code != ExitOK || strings.Contains(out, "aligned") {
		t.Errorf("index create --no-align: exit %d, %q", code, out)
	}
	checkRun(t, []string{"index", "stats", bare}, ExitOK, "alignments none kept for this generation (reuse index align)", "")
	// add --align: the alignments hold for the documents added.
	checkRun(t, []string{"index", "add", bare, n, "-q", "--align"}, ExitOK, "pairs of archived documents aligned, kept in ", "")
	checkRun(t, []string{"index", "stats", bare}, ExitOK, fmt.Sprintf("alignments kept for checks with min-words %d, max-df %d (", reuse.DefaultMinWords, reuse.DefaultMaxDF), "")
	if code, out, _ := cli(t, "index", "add", idx, n, "-q"); code != ExitOK || strings.Contains(out, "aligned") {
		t.Errorf("index add without --align: exit %d, %q; want no alignment", code, out)
	}
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "lack the 2 documents added since", "")
}

func TestIndexEarlierAlignments(t *testing.T) {
	dir := t.TempDir()
	a, n := copyCorpus(t, dir, "courier/2024-03-14-council-budget.txt", "gazette/2024-03-06-school-roof.txt")
	idx := filepath.Join(dir, "news.idx")
	checkRun(t, []string{"index", "create", idx, a, "-q"}, ExitOK, "indexed 19 documents", "")
	checkRun(t, []string{"index", "align", idx, "--max-df", "2"}, ExitOK, "pairs of archived documents aligned", "")
	kept, err := filepath.Glob(filepath.Join(idx, "a*.aln"))
	if err != nil || len(kept) != 1 {
		t.Fatalf("alignments kept: %v, %v; want one file", kept, err)
	}
	data, err := os.ReadFile(kept[0])
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := bytes.Cut(data, []byte("\n"))
	if err := os.WriteFile(kept[0], append([]byte("reuse-alignments 3\n"), rest...), 0o644); err != nil {
		t.Fatal(err)
	}
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "alignments kept by an earlier reuse, which this one does not read: checks go without them (reuse index align makes them again)", "")
	checkRun(t, []string{"check", idx, n, "--max-df", "2"}, ExitOK, "checked 2 new documents", "the alignments kept beside the index not used: alignments made by an earlier reuse: "+kept[0]+" (reuse index align makes them again)")
	checkRun(t, []string{"index", "align", idx, "--max-df", "2"}, ExitOK, "pairs of archived documents aligned", "")
	checkRun(t, []string{"index", "stats", idx}, ExitOK, "alignments kept for checks with min-words 9, max-df 2", "")
}

func TestIndexRefusals(t *testing.T) {
	dir := t.TempDir()
	a, n := copyCorpus(t, dir, "courier/2024-03-14-council-budget.txt")
	idx := filepath.Join(dir, "news.idx")
	checkRun(t, []string{"index", "create", idx, a, "-q"}, ExitOK, "", "")
	w, err := archive.OpenWriter(idx)
	if err != nil {
		t.Fatal(err)
	}
	checkRun(t, []string{"index", "add", idx, n}, ExitFailure, "", "being changed by another process")
	checkRun(t, []string{"index", "compact", idx}, ExitFailure, "", "try again when it is done")
	checkRun(t, []string{"check", idx, n}, ExitOK, "checked 1 new document", "") // readers never block
	w.Close()

	manifest := filepath.Join(idx, "MANIFEST")
	data, _ := os.ReadFile(manifest)
	os.WriteFile(manifest, bytes.Replace(data, fmt.Appendf(nil, "reuse-index %d\n", archive.FormatVersion), []byte("reuse-index 9\n"), 1), 0o644)
	checkRun(t, []string{"check", idx, n}, ExitFailure, "", "format version 9")
	checkRun(t, []string{"index", "stats", idx}, ExitFailure, "", "reuse index create")
	os.WriteFile(manifest, data, 0o644)

	checkRun(t, []string{"check", filepath.Join(dir, "nothing"), n}, ExitFailure, "", "no such file")
	checkRun(t, []string{"check", a, n}, ExitFailure, "", "not an index")
	for _, args := range [][]string{
		{"index"}, {"index", "frob"}, {"index", "create", idx}, {"index", "add", idx}, {"index", "remove", idx},
		{"index", "stats"}, {"index", "stats", idx, "x"}, {"index", "compact"}, {"index", "verify"},
		{"index", "stats", idx, "--format", "xml"}, {"check", idx}, {"check", idx, n, "--shingle", "4"},
		{"index", "create", filepath.Join(dir, "x.idx"), a, "--window", "0"},
		{"index", "add", idx, idx},
	} {
		if code, stdout, stderr := cli(t, args...); code != ExitUsage || stdout != "" || stderr == "" {
			t.Errorf("reuse %q: exit %d, stdout %q, stderr %q; want %d with a message", args, code, stdout, stderr, ExitUsage)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.idx")); err == nil {
		t.Error("a refused create left a folder")
	}
}

// TestIndexHelp: every index command and check have help with examples,
// their exit codes and every flag.
func TestIndexHelp(t *testing.T) {
	for _, args := range [][]string{{"index", "--help"}, {"help", "index"}, {"help", "check"}} {
		checkRun(t, args, ExitOK, "Examples:", "")
	}
	for _, c := range indexCommands {
		_, stdout, _ := cli(t, "index", c[0], "--help")
		if !strings.Contains(stdout, "usage: reuse index "+c[0]) || !strings.Contains(stdout, "EXIT STATUS") || !strings.Contains(stdout, "Example") {
			t.Errorf("reuse index %s --help:\n%s", c[0], stdout)
		}
		visitVisible(commandFlags("index "+c[0]), func(f *pflag.Flag) {
			if !strings.Contains(stdout, "--"+f.Name) {
				t.Errorf("reuse index %s --help does not list --%s", c[0], f.Name)
			}
		})
	}
	_, stdout, _ := cli(t, "check", "--help")
	_, stdout, _ = strings.Cut(stdout, "Flags:")
	visitVisible(commandFlags("check"), func(f *pflag.Flag) {
		if !strings.Contains(stdout, "--"+f.Name) {
			t.Errorf("reuse check --help does not list --%s", f.Name)
		}
	})
	for _, flag := range []string{"--shingle", "--window", "--threshold"} {
		if strings.Contains(stdout, flag) {
			t.Errorf("reuse check --help lists %s, which the index fixes", flag)
		}
	}
}

// TestCheckFollowLimit: a check whose clusters chain through the archive
// beyond --follow-limit warns once, in plain words, and its JSON says the
// clusters are incomplete; without a limit it follows them to the end.
func TestCheckFollowLimit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("harbour ledger council budget river bridge school roof market quarry mill ferry lantern orchard granary " +
		"tannery foundry chapel meadow turnpike almanac beacon causeway dairy estuary forge garrison hamlet inlet jetty")
	paras := make([]string, 18)
	for i := range paras {
		var b strings.Builder
		for range 40 {
			b.WriteString(words[r.IntN(len(words))] + " ")
		}
		paras[i] = b.String() + ".\n\n"
	}
	dir := t.TempDir()
	archiveDir, newDir := filepath.Join(dir, "archive"), filepath.Join(dir, "new")
	write := func(path string, from int) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.Join(paras[from:from+10], "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(newDir, "new.txt"), 0)
	for i := 1; i <= 8; i++ {
		write(filepath.Join(archiveDir, fmt.Sprintf("a%d.txt", i)), i) // each 9/10 of the next
	}
	idx := filepath.Join(dir, "chain.idx")
	checkRun(t, []string{"index", "create", idx, archiveDir, "-q"}, ExitOK, "indexed 8 documents", "")
	run := func(args ...string) (stderr string, st result.Stats) {
		out := filepath.Join(t.TempDir(), "out.json")
		code, _, stderr := cli(t, append([]string{"check", idx, newDir, "--format", "json", "-o", out}, args...)...)
		res, err := result.ReadFile(out)
		if code != ExitOK || err != nil {
			t.Fatalf("reuse check %v: exit %d, %v, stderr %q", args, code, err, stderr)
		}
		return stderr, res.Stats
	}
	stderr, st := run("--follow-limit", "2")
	const warning = "reuse: warning: check: clusters not followed through the archive: "
	if strings.Count(stderr, warning) != 1 || strings.Count(stderr, "reuse: ") != 1 || !st.ClustersIncomplete || st.Skipped != 0 {
		t.Errorf("--follow-limit 2: stderr %q, stats %+v; want one warning %q, clusters incomplete, nothing skipped", stderr, st, warning)
	}
	if stderr, st := run(); stderr != "" || st.ClustersIncomplete || st.Groups != 1 || st.Documents != 9 {
		t.Errorf("without a limit reached: stderr %q, stats %+v; want no warning, complete clusters, one group of all 9 documents", stderr, st)
	}
}

// TestClustersServing: what index add and index stats say of the
// clusters of boilerplate kept with alignments after an addition.
func TestClustersServing(t *testing.T) {
	for _, c := range []struct {
		st   archive.AlignmentsStats
		want string
	}{
		{archive.AlignmentsStats{}, "their clusters of the boilerplate no longer serve"},
		{archive.AlignmentsStats{ClustersKept: 4, ClustersTouched: 4}, "their clusters of the boilerplate no longer serve"},
		{archive.AlignmentsStats{ClustersKept: 4, ClustersTouched: 1, Removed: 1}, "their clusters of the boilerplate no longer serve"},
		{archive.AlignmentsStats{ClustersKept: 7141, ClustersTouched: 1032}, "1,032 of their 7,141 clusters of the boilerplate, which those documents touch, no longer serve (the others do)"},
		{archive.AlignmentsStats{ClustersKept: 4}, "their 4 clusters of the boilerplate, which those documents do not touch, still serve"},
		{archive.AlignmentsStats{Added: 65}, "their clusters of the boilerplate no longer serve (they serve through 64 documents added)"},
	} {
		if got := clustersServing(c.st, "their"); got != c.want {
			t.Errorf("clustersServing(%+v) = %q, want %q", c.st, got, c.want)
		}
	}
}
