package html

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	stdhtml "html"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
	"github.com/reuse-tool/reuse/shingle"
)

// The golden files of the HTML report are in testdata; go test -update
// rewrites them.
var update = flag.Bool("update", false, "rewrite golden files")

// writeFixture writes the fixture's report into a new folder.
func writeFixture(t *testing.T, f *fixture, opt Options) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "report")
	if err := Write(context.Background(), dir, f.r, f.text, opt); err != nil {
		t.Fatal(err)
	}
	return dir
}

// listFiles returns the files under dir, slash-separated, sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	resulttest.Golden(t, filepath.Join("testdata", filepath.FromSlash(name)), got, *update)
}

// TestGolden compares every page of the fixture's report, and the
// single pair page, with the golden files.
func TestGolden(t *testing.T) {
	f := newFixture()
	dir := writeFixture(t, f, Options{Title: "Harbor stories"})
	files := listFiles(t, dir)
	want := []string{"c/00001.html", "c/00002.html", "c/00003.html", "c/00004.html", "c/00005.html",
		"d/00001.html", "d/00002.html", "d/00004.html", "d/00005.html", "d/00006.html", "index.html",
		"p/00001.html", "p/00002.html", "p/00003.html", "p/00004.html", "p/00005.html", "p/00006.html", "p/00007.html",
		"report.css", "report.js"}
	if strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("report files:\n%v\nwant\n%v", files, want)
	}
	for _, name := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "site/"+name, got)
	}
	var buf bytes.Buffer
	if err := WritePair(&buf, f.r, &f.r.Pairs[3], f.text, Options{}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "pair.html", buf.Bytes())
}

// TestDeterministic writes the report twice and compares the bytes.
func TestDeterministic(t *testing.T) {
	f := newFixture()
	a, b := writeFixture(t, f, Options{}), writeFixture(t, f, Options{})
	for _, name := range listFiles(t, a) {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs (%v)", name, err)
		}
	}
}

var pageRE = regexp.MustCompile(`^(index\.html|report\.(css|js)|[dpc]/[0-9]{5,}\.html)$`)

// TestSafety checks that hostile document IDs and text cannot name
// files or inject markup: every file is a generated name inside the folder,
// and no page holds the hostile markup unescaped.
func TestSafety(t *testing.T) {
	f := newFixture()
	root := t.TempDir()
	dir := filepath.Join(root, "a", "report")
	if err := Write(context.Background(), dir, f.r, f.text, Options{Title: `<script>alert(1)</script>`}); err != nil {
		t.Fatal(err)
	}
	for _, name := range listFiles(t, root) {
		rel := strings.TrimPrefix(name, "a/report/")
		if rel == name || !pageRE.MatchString(rel) {
			t.Errorf("unexpected file %s", name)
		}
	}
	bad := []string{"<script>window", "<script>alert", "<img src=x", "onerror=\"window", "<b>bold", "</textarea>"}
	for _, name := range listFiles(t, dir) {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		for _, s := range bad {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains %q unescaped", name, s)
			}
		}
		if strings.HasSuffix(name, ".html") && !bytes.Contains(b, []byte("Content-Security-Policy")) {
			t.Errorf("%s has no Content-Security-Policy", name)
		}
	}
	// Pages refer to the hostile ID only as text.
	idx, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if bytes.Contains(idx, []byte(`href="../../x.html"`)) || bytes.Contains(idx, []byte(`href="d/../../x.html"`)) {
		t.Errorf("index.html links to a file named by an ID")
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{`<script>x</script>`, "&lt;script&gt;x&lt;/script&gt;"},
		{`"><img src=x onerror='y'>`, "&#34;&gt;&lt;img src=x onerror=&#39;y&#39;&gt;"},
		{"a & b", "a &amp; b"},
		{"tab\tnew\nline\r", "tab\tnew\nline\r"},
		{"nul\x00bell\x07del\x7f", "nul\uFFFDbell\uFFFDdel\uFFFD"},
		{"caf\xe9 \xff", "caf\uFFFD \uFFFD"},
		{"ok é ✓ 𝄞", "ok é ✓ 𝄞"},
		{"\u0085c1", "\uFFFDc1"},
		{"\xe2\x82", "\uFFFD\uFFFD"}, // a cut rune
	}
	for _, tt := range tests {
		var sb strings.Builder
		escape(&sb, []byte(tt.in))
		if got := sb.String(); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSplitWords checks the words the diff compares: where they start and
// end, and which of them are the same word.
func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want string // the words joined by |, then their offsets
	}{
		{"", ""},
		{"Hello, World!", "Hello|World 0-5 7-12"},
		{"don't  “stop” l’été", "don't|stop|l’été 0-5 10-14 18-27"},
		{"a-b 42x", "a|b|42x 0-1 2-3 4-7"},
		{"caf\xe9 ok", "caf|ok 0-3 5-7"},
		{"'quoted' it's'", "quoted|it's 1-7 9-13"},
		{"the boys' rock ‘n’ roll", "the|boys|rock|n|roll 0-3 4-8 10-14 18-19 23-27"},
		{"80's ＇s", "80's|s 0-4 8-9"},
		{"recon-\nstruction co-\nOp", "recon-\nstruction|co|Op 0-16 17-19 21-23"},
		{"soft\u00adhyphen", "soft\u00adhyphen 0-12"},
		{"市长表示 ok", "市|长|表|示|ok 0-3 3-6 6-9 9-12 13-15"},
		{"ที่นี่", "ที่|นี่ 0-9 9-18"},
		{"\u0301e\u0301", "e\u0301 2-5"},
	}
	sp := newSplitter()
	for _, tt := range tests {
		var texts, offs []string
		for _, w := range sp.words([]byte(tt.in), 0) {
			texts = append(texts, tt.in[w.start:w.end])
			offs = append(offs, fmt.Sprintf("%d-%d", w.start, w.end))
		}
		got := strings.Join(texts, "|")
		if len(offs) > 0 {
			got += " " + strings.Join(offs, " ")
		}
		if got != tt.want {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Words are the same as detection sees them: case, apostrophes and
	// compatibility forms do not count.
	same := [][]string{
		{"Don’t", "don't", "DONT", "donʼt"},
		{"ﬁne", "fine", "FINE"},
		{"Straße", "STRASSE", "strasse"},
		{"e\u0301té", "\u00e9té"},
	}
	for _, group := range same {
		first := sp.words([]byte(group[0]), 0)
		for _, w := range group[1:] {
			other := sp.words([]byte(w), 0)
			if len(first) != 1 || len(other) != 1 || first[0].key != other[0].key {
				t.Errorf("%q and %q are not one and the same word", group[0], w)
			}
		}
	}
	if a, b := sp.words([]byte("form"), 0), sp.words([]byte("from"), 0); a[0].key == b[0].key {
		t.Errorf("form and from are the same word")
	}
}

// TestSplitWordsAsDetection fails if the diff's words ever stop being
// detection's tokens: on tricky text (apostrophes, hyphens at line ends,
// soft hyphens, marks, scripts without spaces, invalid bytes), in random
// mixtures, the words must be shingle.Tokenizer's tokens, offsets and
// hashes alike.
func TestSplitWordsAsDetection(t *testing.T) {
	pieces := []string{"word", "Don’t", "boys'", "'", "’", "‘n’", "ʼ", "＇", "80's", "-", "co-\n", "recon-\n  struction",
		"\u00ad", "soft\u00ad\nhyphen", "\u0301", "e\u0301", "市长", "ﬁ", "ที่", "か\u3099", "ｶﾞ", "\xff", " ", "\n", "\u00a0", ",", "42", "Ǆ"}
	rng := rand.New(rand.NewPCG(7, 9))
	tok := shingle.NewTokenizer()
	sp := newSplitter()
	for range 5000 {
		var sb strings.Builder
		for k := rng.IntN(12); k >= 0; k-- {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := []byte(sb.String())
		base := rng.IntN(100)
		got := sp.words(text, base)
		want := tok.Tokenize(nil, text)
		if len(got) != len(want) {
			t.Fatalf("words(%q): %d words, detection has %d tokens", text, len(got), len(want))
		}
		for i, w := range want {
			if g := got[i]; g.start != base+int(w.Start) || g.end != base+int(w.End) || g.key != w.Hash {
				t.Fatalf("words(%q)[%d] = %+v, detection's token is %+v (offsets from %d)", text, i, g, w, base)
			}
		}
	}
}

// lcs is the obvious dynamic program for the length of a longest
// common subsequence.
func lcs(a, b []word) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i].key == b[j].key {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func wordsOf(s string) []word {
	ws := make([]word, len(s))
	for i := range s {
		ws[i] = word{start: i, end: i + 1, key: uint64(s[i])}
	}
	return ws
}

// TestDiffExhaustive checks the Myers diff against the obvious LCS on
// every pair of strings over {a, b} up to 6 letters: the script must be
// valid (it walks both sides in order, equal ops on equal words) and
// minimal (its matches are an LCS).
func TestDiffExhaustive(t *testing.T) {
	var strs []string
	for n := 0; n <= 6; n++ {
		for bits := 0; bits < 1<<n; bits++ {
			var sb strings.Builder
			for i := 0; i < n; i++ {
				sb.WriteByte("ab"[bits>>i&1])
			}
			strs = append(strs, sb.String())
		}
	}
	for _, x := range strs {
		for _, y := range strs {
			a, b := wordsOf(x), wordsOf(y)
			ops, ok := diffWords(a, b, 100)
			if !ok {
				t.Fatalf("diff(%q, %q) gave up", x, y)
			}
			i, j, same := 0, 0, 0
			for _, op := range ops {
				switch op.kind {
				case opEqual:
					if op.a != i || op.b != j || a[i].key != b[j].key {
						t.Fatalf("diff(%q, %q): bad equal op %+v at %d,%d", x, y, op, i, j)
					}
					i, j, same = i+1, j+1, same+1
				case opDelete:
					if op.a != i {
						t.Fatalf("diff(%q, %q): bad delete %+v at %d", x, y, op, i)
					}
					i++
				case opInsert:
					if op.b != j {
						t.Fatalf("diff(%q, %q): bad insert %+v at %d", x, y, op, j)
					}
					j++
				}
			}
			if i != len(a) || j != len(b) {
				t.Fatalf("diff(%q, %q) ends at %d,%d", x, y, i, j)
			}
			if want := lcs(a, b); same != want {
				t.Fatalf("diff(%q, %q) matches %d words, LCS is %d", x, y, same, want)
			}
		}
	}
}

func TestDiffCap(t *testing.T) {
	a, b := wordsOf(strings.Repeat("a", 50)), wordsOf(strings.Repeat("b", 50))
	if _, ok := diffWords(a, b, 99); ok {
		t.Errorf("diff of 100 edits with a cap of 99 succeeded")
	}
	if ops, ok := diffWords(a, b, 100); !ok || len(ops) != 100 {
		t.Errorf("diff of 100 edits with a cap of 100: %d ops, %v", len(ops), ok)
	}
	// Long near copies are cheap: the common prefix and suffix are cut.
	long := wordsOf(strings.Repeat("ab", 20000))
	long2 := append(append([]word{}, long...), word{key: 'c'})
	if _, ok := diffWords(long, long2, 1); !ok {
		t.Errorf("diff of a long text with one insertion failed")
	}
}

func TestWordMarks(t *testing.T) {
	tests := []struct{ a, b, wantA, wantB string }{
		{"the quick brown fox", "the quick brown fox", "", ""},
		{"the quick brown fox", "the slow brown fox jumps", "sub[quick] gap@4[jumps]", "sub[slow] ins[jumps]"},
		{"a very old fish market", "a fish market", "del[very old]", "gap@1[very old]"},
		{"close the market", "shut down the market", "sub[close]", "sub[shut down]"},
		{"one two", "zero one two", "gap@0[zero]", "ins[zero]"},
	}
	show := func(text, other string, ms []mark) string {
		var parts []string
		for _, m := range ms {
			switch m.kind {
			case markDel:
				parts = append(parts, "del["+text[m.start:m.end]+"]")
			case markIns:
				parts = append(parts, "ins["+text[m.start:m.end]+"]")
			case markSub:
				parts = append(parts, "sub["+text[m.start:m.end]+"]")
			case markGap:
				parts = append(parts, fmt.Sprintf("gap@%d[%s]", len(newSplitter().words([]byte(text[:m.start]), 0)), other[m.other[0]:m.other[1]]))
			}
		}
		return strings.Join(parts, " ")
	}
	for _, tt := range tests {
		am, bm, ok := newSplitter().passageDiff([]byte(tt.a), []byte(tt.b), 0, len(tt.a), 0, len(tt.b))
		if !ok {
			t.Fatalf("diff(%q, %q) failed", tt.a, tt.b)
		}
		if ga, gb := show(tt.a, tt.b, am), show(tt.b, tt.a, bm); ga != tt.wantA || gb != tt.wantB {
			t.Errorf("marks(%q, %q) = %q, %q; want %q, %q", tt.a, tt.b, ga, gb, tt.wantA, tt.wantB)
		}
	}
}

// TestHighlight checks overlapping highlights: the lowest index wins,
// a highlight in several stretches has its id and marker once, and a
// highlight hidden entirely keeps an anchor.
func TestHighlight(t *testing.T) {
	text := []byte("0123456789abcdefghij")
	tests := []struct {
		hls  []span
		want string
	}{
		{nil, "0123456789abcdefghij"},
		{[]span{{start: 2, end: 5, id: "x", label: "1"}},
			`01<mark class="hl first" id="x"><span class="n">1</span>234</mark>56789abcdefghij`},
		// 0 over 1 where they overlap; 1 shown before and after.
		{[]span{{start: 4, end: 8, id: "a"}, {start: 2, end: 12, id: "b"}},
			`01<mark class="hl first" id="b">23</mark><mark class="hl first" id="a">4567</mark><mark class="hl cont">89ab</mark>cdefghij`},
		// 1 is inside 0: an anchor keeps links to it working.
		{[]span{{start: 2, end: 12, id: "a"}, {start: 4, end: 6, id: "b"}},
			`01<mark class="hl first" id="a"><span class="anchor" id="b"></span>23456789ab</mark>cdefghij`},
		// Out of range and empty highlights are dropped or clamped.
		{[]span{{start: -5, end: 2}, {start: 18, end: 99}, {start: 7, end: 7}, {start: 9, end: 3}},
			`<mark class="hl first">01</mark>23456789abcdefgh<mark class="hl first">ij</mark>`},
		// Adjacent highlights stay separate.
		{[]span{{start: 0, end: 2, href: "#b1", label: "1", class: "c0"}, {start: 2, end: 4, title: `"<t>"`}},
			`<mark class="hl c0 first"><a class="n" href="#b1">1</a>01</mark><mark class="hl first" title="&#34;&lt;t&gt;&#34;">23</mark>456789abcdefghij`},
	}
	for _, tt := range tests {
		if got := string(highlight(text, tt.hls)); got != tt.want {
			t.Errorf("highlight(%+v) =\n%s\nwant\n%s", tt.hls, got, tt.want)
		}
	}
	// Inner marks, cut at the stretches of their highlight.
	hls := []span{{start: 5, end: 8}, {start: 0, end: 12, marks: []mark{{start: 3, end: 7, kind: markIns}, {start: 10, end: 10, kind: markGap, other: [2]int{0, 1}}}, other: []byte("X")}}
	want := `<mark class="hl first">012<span class="d-ins">34</span></mark><mark class="hl first">567</mark><mark class="hl cont">89<del class="d-gap" title="missing here">X</del>ab</mark>cdefghij`
	if got := string(highlight(text, hls)); got != want {
		t.Errorf("inner marks:\n%s\nwant\n%s", got, want)
	}
}

func TestPageName(t *testing.T) {
	tests := []struct {
		dir  string
		n    int
		want string
	}{{"d", 0, "d/00001.html"}, {"p", 41, "p/00042.html"}, {"c", 99998, "c/99999.html"}, {"d", 123455, "d/123456.html"}}
	for _, tt := range tests {
		if got := pageName(tt.dir, tt.n); got != tt.want {
			t.Errorf("pageName(%q, %d) = %q, want %q", tt.dir, tt.n, got, tt.want)
		}
	}
}

// TestReplace checks the folder's atomic replacement: an earlier report
// is replaced, a folder that is not a report is refused, and a failure
// part-way leaves the earlier report untouched and no temporary folder.
func TestReplace(t *testing.T) {
	f := newFixture()
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	if err := Write(context.Background(), dir, f.r, f.text, Options{Title: "first"}); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "d", "99999.html")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), dir, f.r, f.text, Options{Title: "second"}); err != nil {
		t.Fatal(err)
	}
	idx, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !bytes.Contains(idx, []byte("<title>second</title>")) {
		t.Errorf("the report was not replaced")
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file of the old report survived: %v", err)
	}

	// A failure part-way: the text function breaks the folder being written.
	broken := func(id string) ([]byte, error) {
		tmps, _ := filepath.Glob(filepath.Join(root, ".out.tmp-*", "p"))
		for _, p := range tmps {
			os.RemoveAll(p)
			os.WriteFile(p, nil, 0o644) // creating p/NNNNN.html now fails
		}
		return f.text(id)
	}
	if err := Write(context.Background(), dir, f.r, broken, Options{Title: "third"}); err == nil {
		t.Errorf("Write into a broken folder succeeded")
	}
	idx, _ = os.ReadFile(filepath.Join(dir, "index.html"))
	if !bytes.Contains(idx, []byte("<title>second</title>")) {
		t.Errorf("a failed write changed the report")
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("left behind: %v", names)
	}

	// Not a report: refused.
	other := filepath.Join(root, "mine")
	os.Mkdir(other, 0o755)
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("precious"), 0o644)
	if err := Write(context.Background(), other, f.r, f.text, Options{}); !errors.Is(err, ErrTarget) {
		t.Errorf("Write over a folder of notes: %v, want ErrTarget", err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(b) != "precious" {
		t.Errorf("the notes were touched")
	}
	file := filepath.Join(root, "file.html")
	os.WriteFile(file, []byte("x"), 0o644)
	if err := Write(context.Background(), file, f.r, f.text, Options{}); !errors.Is(err, ErrTarget) {
		t.Errorf("Write over a file: %v, want ErrTarget", err)
	}
	// An empty folder is fine, and a missing parent is made.
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	if err := Write(context.Background(), empty, f.r, f.text, Options{}); err != nil {
		t.Errorf("Write into an empty folder: %v", err)
	}
	if err := Write(context.Background(), filepath.Join(root, "x", "y", "z"), f.r, f.text, Options{}); err != nil {
		t.Errorf("Write under missing folders: %v", err)
	}
}

// TestTextErrors checks that a document whose text cannot be read is
// reported once and its pages say so, and that a text that changed length
// since the scan is flagged.
func TestTextErrors(t *testing.T) {
	f := newFixture()
	calls := map[string]int{}
	text := func(id string) ([]byte, error) {
		if id == hfHarbor {
			return nil, errors.New("gone <b>away</b>")
		}
		if id == hfBlog {
			return append([]byte("New first line.\n"), f.texts[id]...), nil
		}
		return f.text(id)
	}
	dir := filepath.Join(t.TempDir(), "r")
	err := Write(context.Background(), dir, f.r, text, Options{TextError: func(id string, err error) { calls[id]++ }})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 1 || calls[hfHarbor] != 1 {
		t.Errorf("TextError calls: %v, want one for %s", calls, hfHarbor)
	}
	hi := -1
	for i, d := range f.r.Documents {
		if d.ID == hfHarbor {
			hi = i
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, pageName("d", hi)))
	if !bytes.Contains(page, []byte("could not be read: gone &lt;b&gt;away&lt;/b&gt;")) {
		t.Errorf("the harbor page does not say its text is missing")
	}
	pair, _ := os.ReadFile(filepath.Join(dir, "p", "00004.html"))
	if !bytes.Contains(pair, []byte("could not be read")) || !bytes.Contains(pair, []byte("changed since the scan")) {
		t.Errorf("pair page 4 does not flag the missing and the changed text")
	}
}

// TestTop checks the limits: what is left out is said, and no page is
// written for it.
func TestTop(t *testing.T) {
	f := newFixture()
	dir := writeFixture(t, f, Options{Top: 2, MaxDocs: 3, MaxGraph: 2})
	files := strings.Join(listFiles(t, dir), " ")
	if n := strings.Count(files, "p/"); n != 2 {
		t.Errorf("%d pair pages with Top 2", n)
	}
	if n := strings.Count(files, "c/"); n != 2 {
		t.Errorf("%d cluster pages with Top 2", n)
	}
	if n := strings.Count(files, "d/"); n != 3 {
		t.Errorf("%d document pages with MaxDocs 3", n)
	}
	idx, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for _, s := range []string{"5 more are left out", "3 more are left out", "3 more documents, with lower reused shares", "The one family of three or more documents is drawn, in part (the documents of its pairs sharing the most words)", "3 more documents with reuse are not drawn"} {
		if !bytes.Contains(idx, []byte(s)) {
			t.Errorf("index.html does not say %q", s)
		}
	}
	// Links go only to pages that exist.
	for _, name := range listFiles(t, dir) {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		for _, m := range regexp.MustCompile(`href="([^"#]+)`).FindAllSubmatch(b, -1) {
			target := filepath.Join(dir, filepath.Dir(name), string(m[1]))
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s links to %s, which does not exist", name, m[1])
			}
		}
	}
}

// TestWritePair checks the single page: CSS and script inline, the
// script allowed by its hash, no links to other pages.
func TestWritePair(t *testing.T) {
	f := newFixture()
	var buf bytes.Buffer
	if err := WritePair(&buf, nil, &f.r.Pairs[3], f.text, Options{Title: "Blog vs harbor"}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	m := regexp.MustCompile(`(?s)<script>(.*)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no inline script")
	}
	sum := sha256.Sum256([]byte(m[1]))
	csp := regexp.MustCompile(`http-equiv="Content-Security-Policy" content="([^"]*)"`).FindStringSubmatch(page)
	if h := "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; csp == nil || !strings.Contains(stdhtml.UnescapeString(csp[1]), h) {
		t.Errorf("the CSP %q does not allow the inline script (%s)", csp, h)
	}
	for _, s := range []string{"<style>", "<title>Blog vs harbor</title>", `id="a3"`, `id="b3"`} {
		if !strings.Contains(page, s) {
			t.Errorf("single pair page lacks %q", s)
		}
	}
	for _, s := range []string{`href="../`, `href="index.html`, "report.css", `src="report.js`} {
		if strings.Contains(page, s) {
			t.Errorf("single pair page refers to another file: %q", s)
		}
	}

	// A reworded passage says so, in the table and in its tooltip.
	p := f.r.Pairs[3]
	p.Passages = slices.Clone(p.Passages)
	p.Passages[0].Kind = result.KindReworded
	buf.Reset()
	if err := WritePair(&buf, nil, &p, f.text, Options{}); err != nil {
		t.Fatal(err)
	}
	if page := buf.String(); !strings.Contains(page, `<span class="muted">reworded</span>`) || !strings.Contains(page, "words, reworded, similarity") {
		t.Errorf("the pair page of a reworded passage does not say so")
	}
	if strings.Contains(stdhtml.UnescapeString(page), "reworded") {
		t.Errorf("the pair page of exact passages names a kind")
	}
}

// TestLarge writes the report of 10,000 documents (500 with reuse)
// and 20,000 pairs and checks that the index stays bounded: all documents
// listed (paginated by the script), the top pairs only.
func TestLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large report")
	}
	r, text := bigResult(10000, 20000)
	dir := filepath.Join(t.TempDir(), "big")
	start := time.Now()
	if err := Write(context.Background(), dir, r, text, Options{Top: 300}); err != nil {
		t.Fatal(err)
	}
	t.Logf("10,000 documents, 20,000 pairs: %v", time.Since(start))
	fi, err := os.Stat(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 8<<20 {
		t.Errorf("index.html is %d bytes", fi.Size())
	}
	idx, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !bytes.Contains(idx, []byte("19,700 more are left out")) {
		t.Errorf("index.html does not say that 19,700 pairs are left out")
	}
	if n := len(listFiles(t, filepath.Join(dir, "p"))); n != 300 {
		t.Errorf("%d pair pages, want 300", n)
	}
	if n := len(listFiles(t, filepath.Join(dir, "d"))); n != 500 {
		t.Errorf("%d document pages, want 500", n)
	}
	if n := bytes.Count(idx, []byte(`<td class="date">`)); n != 10000 {
		t.Errorf("index.html lists %d documents, want 10000", n)
	}
}

// bigResult makes a Result of n documents of about 30 words, with
// pairs sharing one passage each among the first 500, for size and speed
// tests.
func bigResult(n, pairs int) (*result.Result, TextFunc) {
	const sentence = "The quick brown fox jumps over the lazy dog while the river runs past the old mill. "
	texts := make([]string, n)
	r := &result.Result{Schema: result.Schema}
	split := newSplitter()
	for i := range texts {
		texts[i] = fmt.Sprintf("Document %d opens here. ", i) + sentence + sentence + fmt.Sprintf("It ends with number %d.\n", i*7)
		w := len(split.words([]byte(texts[i]), 0))
		r.Documents = append(r.Documents, result.Document{ID: fmt.Sprintf("doc/%05d.txt", i), Bytes: len(texts[i]), Words: w})
	}
	m := min(n, 500) // documents with reuse
	for k := 0; k < pairs; k++ {
		a, b := k%m, (k*7+1+k/m)%m
		if a == b {
			b = (b + 1) % m
		}
		a, b = min(a, b), max(a, b)
		as := len(fmt.Sprintf("Document %d opens here. ", a))
		bs := len(fmt.Sprintf("Document %d opens here. ", b))
		r.Pairs = append(r.Pairs, result.Pair{A: r.Documents[a].ID, B: r.Documents[b].ID, APct: 50, BPct: 50, SharedWords: 16 + k%17,
			Passages: []result.Passage{{AStart: as, AEnd: as + len(sentence) - 1, BStart: bs, BEnd: bs + len(sentence) - 1, Words: 17, Similarity: 1}}})
	}
	for i := range r.Documents[:m] {
		r.Documents[i].ReusedWords = 17
		r.Documents[i].ReusedPct = float64(i%1000)/10 + 0.1
	}
	r.Stats = result.Stats{Documents: n, Pairs: pairs, Passages: pairs}
	text := func(id string) ([]byte, error) {
		var i int
		if _, err := fmt.Sscanf(id, "doc/%05d.txt", &i); err != nil {
			return nil, err
		}
		return []byte(texts[i]), nil
	}
	return r, text
}

// TestEmpty writes the report of an empty scan and of a Result with
// references to documents it does not list.
func TestEmpty(t *testing.T) {
	none := func(id string) ([]byte, error) { return nil, errors.New("no text") }
	dir := filepath.Join(t.TempDir(), "r")
	if err := Write(context.Background(), dir, &result.Result{}, none, Options{}); err != nil {
		t.Fatal(err)
	}
	idx, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !bytes.Contains(idx, []byte("No two documents share a passage.")) {
		t.Errorf("the empty report does not say that nothing is shared")
	}
	r := &result.Result{
		Pairs:    []result.Pair{{A: "ghost", B: "ghost2", Passages: []result.Passage{{AStart: 5, AEnd: 2, BStart: -1, BEnd: math.MaxInt, Cluster: 9}}}},
		Clusters: []result.Cluster{{ID: 7, Members: []result.Member{{Doc: "ghost", Start: 0, End: 3}, {Doc: "nobody", Start: 9, End: 99}}}},
		Groups:   []result.Group{{ID: 1, Documents: []string{"ghost", "ghost2"}}},
	}
	text := func(id string) ([]byte, error) { return []byte("short"), nil }
	if err := Write(context.Background(), dir, r, text, Options{}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePair(&buf, nil, &r.Pairs[0], text, Options{}); err != nil {
		t.Fatal(err)
	}
}

var (
	markerRE = regexp.MustCompile(`<(span|a) class="n( [^"]*)?"[^>]*>[^<]*</(span|a)>`)
	tagRE    = regexp.MustCompile(`<[^>]*>`)
)

// FuzzHighlight checks that highlighting never loses, adds or lets
// through a character of the text: with the tags taken out and entities
// decoded, the page shows exactly the text, invalid bytes and control
// characters as U+FFFD.
func FuzzHighlight(f *testing.F) {
	f.Add([]byte(hfHostile), []byte(hfP1e), 3, 40, 10, 90)
	f.Add([]byte("caf\xe9 <b>x</b> \x00 l’été"), []byte("cafe x"), 0, 5, 2, 9)
	f.Add([]byte{}, []byte{}, 0, 0, 0, 0)
	f.Add([]byte("000’"), []byte("0"), 0, 5, 2, 9) // a boundary inside ’
	f.Fuzz(func(t *testing.T, text, other []byte, s1, e1, s2, e2 int) {
		am, _, ok := newSplitter().passageDiff(text, other, 0, len(text), 0, len(other))
		if !ok {
			am = nil
		}
		hls := []span{
			{start: s1, end: e1, id: "a1", label: "1", title: string(other), name: "x"},
			{start: s2, end: e2, label: "2", marks: dropGaps(am), other: other, name: "<y>"},
		}
		got := string(highlight(text, hls))
		// Markers are the only text the page adds.
		shown := markerRE.ReplaceAllString(got, "")
		shown = stdhtml.UnescapeString(tagRE.ReplaceAllString(shown, ""))
		var want strings.Builder
		for _, r := range strings.ToValidUTF8(string(text), "\uFFFD") {
			if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r < 0xa0) {
				r = '\uFFFD'
			}
			want.WriteRune(r)
		}
		// Invalid bytes become one U+FFFD each here, one per run in
		// ToValidUTF8: compare with runs of U+FFFD collapsed.
		collapse := regexp.MustCompile("\uFFFD+")
		if w := want.String(); collapse.ReplaceAllString(shown, "\uFFFD") != collapse.ReplaceAllString(w, "\uFFFD") {
			t.Fatalf("text %q shown as %q (page %q)", text, shown, got)
		}
	})
}
