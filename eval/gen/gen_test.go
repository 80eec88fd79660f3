package gen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/result"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt")

// The default corpus (200 documents, seed 1), generated once for the tests
// that only read it.
var (
	corpusOnce  sync.Once
	corpusDir   string
	corpusTruth *eval.Truth
	corpusErr   error
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if corpusDir != "" {
		os.RemoveAll(corpusDir)
	}
	os.Exit(code)
}

func defaultCorpus(t *testing.T) (string, *eval.Truth) {
	t.Helper()
	corpusOnce.Do(func() {
		corpusDir, corpusErr = os.MkdirTemp("", "eval-corpus-")
		if corpusErr == nil {
			corpusTruth, corpusErr = Generate(context.Background(), corpusDir, Config{Seed: 1})
		}
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusDir, corpusTruth
}

func readDoc(t *testing.T, dir, id string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "corpus", filepath.FromSlash(id)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readAll returns every file below dir by slash path.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerateDeterministic(t *testing.T) {
	gen := func(seed uint64) map[string][]byte {
		dir := t.TempDir()
		if _, err := Generate(context.Background(), dir, Config{Seed: seed, Docs: 60}); err != nil {
			t.Fatal(err)
		}
		return readAll(t, dir)
	}
	a, b, c := gen(5), gen(5), gen(6)
	if len(a) != 61 || len(a) != len(b) {
		t.Fatalf("Generate wrote %d and %d files, want 61", len(a), len(b))
	}
	for name, x := range a {
		if !bytes.Equal(x, b[name]) {
			t.Errorf("seed 5 twice: %s differs", name)
		}
	}
	if bytes.Equal(a["truth.json"], c["truth.json"]) {
		t.Errorf("seeds 5 and 6 gave the same truth.json")
	}
}

// TestGenerateGolden pins the bytes of a small corpus, so that a change of
// the model, or a machine that generates different text, is noticed. After
// a deliberate change of the model, run go test ./eval -run Golden -update.
func TestGenerateGolden(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(context.Background(), dir, Config{Seed: 1, Docs: 30}); err != nil {
		t.Fatal(err)
	}
	files := readAll(t, dir)
	var names []string
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var sb strings.Builder
	for _, name := range names {
		fmt.Fprintf(&sb, "%x  %s\n", sha256.Sum256(files[name]), name)
	}
	golden := filepath.Join("testdata", "golden.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if sb.String() != string(want) {
		t.Errorf("corpus of seed 1, 30 documents differs from %s (run with -update after a deliberate change):\n%s", golden, sb.String())
	}
}

var stampRE = regexp.MustCompile(`^ date (\d{4}-\d\d-\d\d) \n[^\n]+\n\n`)

func TestGenerateDocuments(t *testing.T) {
	dir, tr := defaultCorpus(t)
	if len(tr.Documents) != DefaultDocs {
		t.Fatalf("len(Documents) = %d, want %d", len(tr.Documents), DefaultDocs)
	}
	files := readAll(t, filepath.Join(dir, "corpus"))
	if len(files) != len(tr.Documents) {
		t.Errorf("corpus holds %d files, truth lists %d", len(files), len(tr.Documents))
	}
	folders := map[string]int{}
	for _, d := range tr.Documents {
		b, ok := files[d.ID]
		if !ok {
			t.Errorf("%s: listed but not written", d.ID)
			continue
		}
		folders[strings.Split(d.ID, "/")[0]]++
		if len(b) != d.Bytes {
			t.Errorf("%s: %d bytes, truth says %d", d.ID, len(b), d.Bytes)
		}
		m := stampRE.FindSubmatch(b)
		if m == nil || string(m[1]) != d.Date {
			t.Errorf("%s: no date stamp and title for %s: %q", d.ID, d.Date, b[:min(len(b), 60)])
		}
		if !utf8.Valid(b) || !bytes.HasSuffix(b, []byte("\n")) || bytes.Contains(b, []byte("\n\n\n")) {
			t.Errorf("%s: not valid UTF-8 with single blank lines and a final newline", d.ID)
		}
	}
	for _, f := range []string{"src", "sus", "syn"} {
		if folders[f] < 20 {
			t.Errorf("%s/ holds %d documents, want >= 20", f, folders[f])
		}
	}
}

func TestGenerateCases(t *testing.T) {
	dir, tr := defaultCorpus(t)
	docs := map[string]eval.TruthDoc{}
	for _, d := range tr.Documents {
		docs[d.ID] = d
	}
	perClass := map[string]int{}
	perPair := map[[2]string]int{}
	perTarget := map[string]map[string]bool{}
	inCase := map[string]bool{}
	for _, c := range tr.Cases {
		perClass[c.Class]++
		src, tgt := docs[c.Source], docs[c.Target]
		if src.ID == "" || tgt.ID == "" {
			t.Errorf("case %+v: unknown document", c)
			continue
		}
		if c.SourceStart < 0 || c.SourceStart >= c.SourceEnd || c.SourceEnd > src.Bytes ||
			c.TargetStart < 0 || c.TargetStart >= c.TargetEnd || c.TargetEnd > tgt.Bytes {
			t.Errorf("case %+v: ranges outside the files (%d, %d bytes)", c, src.Bytes, tgt.Bytes)
			continue
		}
		if src.Date >= tgt.Date {
			t.Errorf("case %+v: source dated %s, target %s", c, src.Date, tgt.Date)
		}
		key := [2]string{min(c.Source, c.Target), max(c.Source, c.Target)}
		perPair[key]++
		if perTarget[c.Target] == nil {
			perTarget[c.Target] = map[string]bool{}
		}
		perTarget[c.Target][c.Source] = true
		inCase[c.Source], inCase[c.Target] = true, true

		s := readDoc(t, dir, c.Source)[c.SourceStart:c.SourceEnd]
		d := readDoc(t, dir, c.Target)[c.TargetStart:c.TargetEnd]
		sw, dw := normWords(s), normWords(d)
		dist := wordDistance(sw, dw)
		switch c.Class {
		case eval.ClassVerbatim, eval.ClassRemix, eval.ClassQuote:
			if !bytes.Equal(s, d) {
				t.Errorf("%s case %+v: source %q and target %q differ", c.Class, c, s, d)
			}
			if n := len(bytes.Fields(d)); c.Class == eval.ClassQuote && (n < 9 || n > 14) {
				t.Errorf("quote case %+v: %d words, want 9 to 14: %q", c, n, d)
			}
			if c.Class == eval.ClassRemix && len(sw) > 35 {
				t.Errorf("remix case %+v: %d words, want one sentence", c, len(sw))
			}
		case eval.ClassReformatted:
			if bytes.Equal(s, d) || dist != 0 {
				t.Errorf("reformatted case %+v: want the same words, differently written:\n%s\n%s", c, s, d)
			}
			for _, line := range strings.Split(string(d), "\n") {
				if n := utf8.RuneCountInString(line); n > 75 && strings.Contains(line, " ") {
					t.Errorf("reformatted case %+v: line of %d columns: %q", c, n, line)
				}
			}
		case eval.ClassLight, eval.ClassHeavy:
			lo, hi := 0.03, 0.13
			if c.Class == eval.ClassHeavy {
				lo, hi = 0.15, 0.32
			}
			if r := float64(dist) / float64(len(sw)); dist == 0 || r < lo && dist > 1 || r > hi && dist > 1 {
				t.Errorf("%s case %+v: %d of %d words edited (%.2f), want %.2f to %.2f", c.Class, c, dist, len(sw), r, lo, hi)
			}
		case eval.ClassSyndicated:
			if dist < 1 || dist > 12 || len(sw) < 100 {
				t.Errorf("syndicated case %+v: %d of %d words edited, want 1 to 12", c, dist, len(sw))
			}
		default:
			t.Errorf("case %+v: unknown class", c)
		}
	}
	for _, class := range eval.Classes() {
		if perClass[class] < 30 {
			t.Errorf("%d %s cases, want >= 30", perClass[class], class)
		}
	}
	for pair, n := range perPair {
		if n > 1 {
			t.Errorf("documents %v share %d cases, want 1", pair, n)
		}
	}
	several := 0
	for _, srcs := range perTarget {
		if len(srcs) >= 3 {
			several++
		}
	}
	if several < 10 {
		t.Errorf("%d targets have cases from 3 or more sources, want >= 10", several)
	}
	clean := 0
	for _, d := range tr.Documents {
		if !inCase[d.ID] {
			clean++
		}
	}
	if clean < 30 {
		t.Errorf("%d documents without reuse, want >= 30", clean)
	}
	t.Logf("cases per class: %v; %d documents without reuse", perClass, clean)
}

func TestGenerateGroups(t *testing.T) {
	_, tr := defaultCorpus(t)
	syn := map[[2]string]bool{}
	nSyn := 0
	for _, c := range tr.Cases {
		if c.Class == eval.ClassSyndicated {
			syn[[2]string{c.Source, c.Target}] = true
			nSyn++
		}
	}
	want := 0
	seen := map[string]bool{}
	for _, g := range tr.Groups {
		if len(g) < 2 || !strings.HasPrefix(g[0], "src/") {
			t.Errorf("group %v: want a src/ document and its copies", g)
		}
		for i, a := range g {
			if seen[a] {
				t.Errorf("%s is in two groups", a)
			}
			seen[a] = true
			if i > 0 && !strings.HasPrefix(a, "syn/") {
				t.Errorf("group %v: %s is not a copy", g, a)
			}
			for _, b := range g[i+1:] {
				want++
				if !syn[[2]string{a, b}] {
					t.Errorf("group %v: no syndicated case %s -> %s", g, a, b)
				}
			}
		}
	}
	if nSyn != want {
		t.Errorf("%d syndicated cases, want %d (one per pair inside groups)", nSyn, want)
	}
}

// TestGenerateComplete checks that the truth is complete: two documents
// share no run of 10 words (after folding case, quotes and punctuation)
// that is not inside a case between them, give or take a few words at the
// case's edges.
func TestGenerateComplete(t *testing.T) {
	const k, slack = 10, 60
	dir, tr := defaultCorpus(t)
	type occ struct{ doc, off int }
	grams := map[uint64][]occ{}
	ids := make([]string, len(tr.Documents))
	for di, d := range tr.Documents {
		ids[di] = d.ID
		b := readDoc(t, dir, d.ID)
		var words []string
		var offs []int
		for _, loc := range regexp.MustCompile(`\S+`).FindAllIndex(b, -1) {
			words = append(words, normWord(string(b[loc[0]:loc[1]])))
			offs = append(offs, loc[0])
		}
		for i := 0; i+k <= len(words); i++ {
			h := fnv.New64a()
			for _, w := range words[i : i+k] {
				h.Write([]byte(w))
				h.Write([]byte{0})
			}
			grams[h.Sum64()] = append(grams[h.Sum64()], occ{di, offs[i]})
		}
	}
	type span2 struct{ s, t span }
	cases := map[[2]string][]span2{}
	for _, c := range tr.Cases {
		cases[[2]string{c.Source, c.Target}] = append(cases[[2]string{c.Source, c.Target}],
			span2{span{c.SourceStart, c.SourceEnd}, span{c.TargetStart, c.TargetEnd}})
	}
	covered := func(a, b occ) bool {
		for _, o := range [][2]occ{{a, b}, {b, a}} {
			for _, c := range cases[[2]string{ids[o[0].doc], ids[o[1].doc]}] {
				if o[0].off >= c.s.start-slack && o[0].off < c.s.end &&
					o[1].off >= c.t.start-slack && o[1].off < c.t.end {
					return true
				}
			}
		}
		return false
	}
	bad := map[[2]int]bool{}
	for _, occs := range grams {
		ok := map[[2]int]bool{}
		for i, a := range occs {
			for _, b := range occs[i+1:] {
				if a.doc == b.doc {
					continue
				}
				key := [2]int{min(a.doc, b.doc), max(a.doc, b.doc)}
				ok[key] = ok[key] || covered(a, b)
			}
		}
		for key, v := range ok {
			if !v {
				bad[key] = true
			}
		}
	}
	for key := range bad {
		t.Errorf("%s and %s share %d words outside any case", ids[key[0]], ids[key[1]], k)
	}
}

func TestScorePerfectResult(t *testing.T) {
	_, tr := defaultCorpus(t)
	r := &result.Result{}
	pairs := map[[2]string]*result.Pair{}
	for _, c := range tr.Cases {
		a, b := c.Source, c.Target
		q := result.Passage{AStart: c.SourceStart, AEnd: c.SourceEnd, BStart: c.TargetStart, BEnd: c.TargetEnd}
		if a > b {
			a, b = b, a
			q = result.Passage{AStart: c.TargetStart, AEnd: c.TargetEnd, BStart: c.SourceStart, BEnd: c.SourceEnd}
		}
		p := pairs[[2]string{a, b}]
		if p == nil {
			p = &result.Pair{A: a, B: b}
			pairs[[2]string{a, b}] = p
		}
		p.Passages = append(p.Passages, q)
	}
	for _, p := range pairs {
		r.Pairs = append(r.Pairs, *p)
	}
	for i, g := range tr.Groups {
		r.Groups = append(r.Groups, result.Group{ID: i + 1, Documents: g})
	}
	s := eval.Score(tr, r)
	if s.Precision != 1 || s.Recall != 1 || s.Granularity != 1 || s.Plagdet != 1 ||
		s.DocPairs.F1 != 1 || s.Groups.F1 != 1 || s.Detected != len(tr.Cases) {
		var b strings.Builder
		s.WriteText(&b)
		t.Errorf("Score(truth, truth as result):\n%s", b.String())
	}
}

func TestGenerateSmall(t *testing.T) {
	for n := 1; n <= 14; n++ {
		dir := t.TempDir()
		tr, err := Generate(context.Background(), dir, Config{Seed: uint64(n), Docs: n})
		if err != nil {
			t.Fatalf("Generate(Docs: %d): %v", n, err)
		}
		if len(tr.Documents) != n {
			t.Errorf("Generate(Docs: %d) wrote %d documents", n, len(tr.Documents))
		}
		back, err := eval.ReadTruth(filepath.Join(dir, "truth.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(back.Cases) != len(tr.Cases) || len(back.Groups) != len(tr.Groups) {
			t.Errorf("Docs %d: truth.json has %d cases, %d groups; Generate returned %d, %d",
				n, len(back.Cases), len(back.Groups), len(tr.Cases), len(tr.Groups))
		}
	}
}

func TestGenerateSize(t *testing.T) {
	const size = 400_000
	tr, err := Generate(context.Background(), t.TempDir(), Config{Seed: 3, Size: size})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range tr.Documents {
		total += d.Bytes
	}
	if total < size*85/100 || total > size*115/100 {
		t.Errorf("Generate(Size: %d) wrote %d bytes, want within 15%%", size, total)
	}
}

func TestGenerateErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(context.Background(), dir, Config{Docs: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), dir, Config{Docs: 3}); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("Generate into a used folder: %v, want ErrNotEmpty", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, t.TempDir(), Config{Docs: 10}); !errors.Is(err, context.Canceled) {
		t.Errorf("Generate with a cancelled context: %v, want context.Canceled", err)
	}
}

// normWord folds case, typographic quotes and surrounding punctuation.
func normWord(w string) string {
	w = strings.ReplaceAll(strings.ToLower(w), "’", "'")
	return strings.Trim(w, `.,:;"“”`)
}

func normWords(b []byte) []string {
	var out []string
	for _, w := range strings.Fields(string(b)) {
		out = append(out, normWord(w))
	}
	return out
}

// wordDistance is the Levenshtein distance between word sequences.
func wordDistance(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
