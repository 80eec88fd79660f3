package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/internal/testfs"
)

// TestScanLeavesOutOwnOutputs: the result files and HTML report of earlier
// runs, written inside the scanned folder, are not documents of the next
// scan, which says so in one line; named as arguments, they are read.
func TestScanLeavesOutOwnOutputs(t *testing.T) {
	in := smallCorpus(t)
	for _, args := range [][]string{
		{"scan", in, "-o", filepath.Join(in, "out.json"), "--format", "json"},
		{"scan", in, "-o", filepath.Join(in, "out.jsonl"), "--format", "jsonl"},
		{"scan", in, "-o", filepath.Join(in, "passages.csv"), "--format", "csv"},
		{"scan", in, "--html", filepath.Join(in, "rep")},
	} {
		if code, _, stderr := cli(t, args...); code != ExitOK {
			t.Fatalf("reuse %q: exit %d, %s", args, code, stderr)
		}
	}
	code, stdout, stderr := cli(t, "scan", "--format", "json", in)
	if code != ExitOK {
		t.Fatalf("reuse scan: exit %d, %s", code, stderr)
	}
	r := parseResult(t, []byte(stdout))
	if ids := docIDs(r); !slices.Equal(ids, []string{"a.txt", "b.txt", "c.txt"}) {
		t.Errorf("scan of a folder holding earlier outputs read %q, want only the 3 documents", ids)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "reuse: left out 4 earlier outputs of reuse: ") ||
		!strings.Contains(lines[0], "out.json") || !strings.Contains(lines[0], "rep"+string(filepath.Separator)) {
		t.Errorf("stderr %q, want one line naming the 4 outputs left out", stderr)
	}
	if _, _, stderr := cli(t, "scan", "-q", in); stderr != "" {
		t.Errorf("reuse scan -q: stderr %q, want nothing", stderr)
	}
	// Named as an argument, an output is read.
	code, stdout, _ = cli(t, "scan", "--format", "json", filepath.Join(in, "out.json"), filepath.Join(in, "a.txt"))
	if r := parseResult(t, []byte(stdout)); code != ExitOK || len(r.Documents) != 2 {
		t.Errorf("reuse scan out.json a.txt: exit %d, documents %q; want both read", code, docIDs(r))
	}
}

// TestScanIncludeExclude: --exclude and --include filter what a folder
// holds, by name or relative path; bad patterns are refused.
func TestScanIncludeExclude(t *testing.T) {
	in := smallCorpus(t)
	testfs.Write(t, in, map[string]string{"drafts/d.txt": ownA, "notes.md": ownB})
	tests := []struct {
		flags []string
		want  []string
	}{
		{nil, []string{"a.txt", "b.txt", "c.txt", "drafts/d.txt", "notes.md"}},
		{[]string{"--exclude", "drafts"}, []string{"a.txt", "b.txt", "c.txt", "notes.md"}},
		{[]string{"--exclude", "drafts", "--exclude", "*.md"}, []string{"a.txt", "b.txt", "c.txt"}},
		{[]string{"--exclude", "drafts,a.txt"}, []string{"b.txt", "c.txt", "notes.md"}},
		{[]string{"--include", "*.md"}, []string{"notes.md"}},
		{[]string{"--include", "drafts/*.txt"}, []string{"drafts/d.txt"}},
	}
	for _, tt := range tests {
		args := append([]string{"scan", "--format", "json", in}, tt.flags...)
		code, stdout, stderr := cli(t, args...)
		if code != ExitOK {
			t.Errorf("reuse %q: exit %d, %s", args, code, stderr)
			continue
		}
		if ids := docIDs(parseResult(t, []byte(stdout))); !slices.Equal(ids, tt.want) {
			t.Errorf("reuse scan %q read %q, want %q", tt.flags, ids, tt.want)
		}
	}
	checkRun(t, []string{"scan", in, "--exclude", "[a"}, ExitUsage, "", `bad pattern "[a"`)
}

// TestScanLatin1: a sentence in a Latin-1 file matches the same sentence
// in UTF-8; the guess is a warning naming the file, not a skipped input;
// --encoding names the encoding and silences it.
func TestScanLatin1(t *testing.T) {
	const sentence = "Le conseil municipal a voté jeudi soir la rénovation complète de la bibliothèque du quartier, fermée depuis l'été dernier à cause d'une fuite."
	latin1 := strings.NewReplacer("é", "\xe9", "è", "\xe8", "ç", "\xe7").Replace(sentence)
	dir := filepath.Join(t.TempDir(), "fr")
	testfs.Write(t, dir, map[string]string{
		"utf8.txt":   "Un autre article commence ici.\n\n" + sentence + "\n",
		"latin1.txt": "Nouvelles du quartier.\n\n" + latin1 + "\n",
	})
	code, stdout, stderr := cli(t, "scan", "--format", "json", dir)
	if code != ExitOK {
		t.Fatalf("reuse scan: exit %d, want %d (a guessed encoding skips nothing); stderr %q", code, ExitOK, stderr)
	}
	r := parseResult(t, []byte(stdout))
	if len(r.Pairs) != 1 || r.Pairs[0].SharedWords < 20 {
		t.Errorf("pairs %+v, want the sentence found in both files", r.Pairs)
	}
	want := "reuse: warning: " + filepath.Join(dir, "latin1.txt") + ": not UTF-8; read as windows-1252"
	if !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one warning starting %q", stderr, want)
	}
	code, stdout, stderr = cli(t, "scan", "--format", "json", "--encoding", "latin1", dir)
	if code != ExitOK || stderr != "" || len(parseResult(t, []byte(stdout)).Pairs) != 1 {
		t.Errorf("reuse scan --encoding latin1: exit %d, stderr %q; want the pair and no warning", code, stderr)
	}
	checkRun(t, []string{"scan", dir, "--encoding", "klingon"}, ExitUsage, "", `--encoding: unknown encoding "klingon"`)
}

// TestDuplicateIDs: a document whose id is taken is renamed and reported,
// with its line, as a warning that skips nothing: the exit status is 0.
func TestDuplicateIDs(t *testing.T) {
	in := smallCorpus(t)
	a := filepath.Join(in, "a.txt")
	code, stdout, stderr := cli(t, "compare", a, a)
	if code != ExitOK || strings.Contains(stdout, "skipped") || strings.Contains(stderr, "skipped") {
		t.Errorf("reuse compare f f: exit %d, stdout %q, stderr %q; want 0 and nothing skipped", code, stdout, stderr)
	}
	if !strings.Contains(stderr, `duplicate id "`) || !strings.Contains(stderr, `#2"`) {
		t.Errorf("reuse compare f f: stderr %q, want the renaming said", stderr)
	}
	recs := filepath.Join(t.TempDir(), "recs.jsonl")
	os.WriteFile(recs, []byte(
		`{"id": "x", "text": "`+ownA+`"}`+"\n"+
			`{"id": "y", "text": "`+ownB+`"}`+"\n"+
			`{"id": "x", "text": "`+ownC+`"}`+"\n"), 0o644)
	code, stdout, stderr = cli(t, "scan", "--format", "json", recs)
	if code != ExitOK {
		t.Fatalf("reuse scan recs.jsonl: exit %d, %s", code, stderr)
	}
	var r struct {
		Documents []struct {
			ID    string
			Words int
		}
	}
	json.Unmarshal([]byte(stdout), &r)
	if len(r.Documents) != 3 || r.Documents[0].ID != "x" || r.Documents[1].ID != "x#2" || r.Documents[0].Words != len(strings.Fields(ownA)) {
		t.Errorf("documents %+v, want x (the first record, %d words) and x#2", r.Documents, len(strings.Fields(ownA)))
	}
	if want := recs + `:3: duplicate id "x" (first at line 1), renamed "x#2"`; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}

// TestBinaryInputMessages: a PDF or a Word document is skipped with a
// warning that says what it is and how to get its text; no message shows
// the name of an internal package.
func TestBinaryInputMessages(t *testing.T) {
	in := smallCorpus(t)
	testfs.Write(t, in, map[string]string{
		"paper.pdf":   "%PDF-1.7\n\x00\x01binary",
		"letter.docx": "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00",
		"cut.txt.gz":  "\x1f\x8b\x08\x00",
	})
	code, _, stderr := cli(t, "scan", in)
	if code != ExitSkipped {
		t.Errorf("exit %d, want %d", code, ExitSkipped)
	}
	for _, want := range []string{
		filepath.Join(in, "paper.pdf") + ": binary file, skipped: a PDF document; extract its text first, e.g. pdftotext",
		filepath.Join(in, "letter.docx") + ": binary file, skipped: a Word document (.docx); convert it to text first",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	if pkgPrefix.MatchString(strings.ReplaceAll(stderr, "reuse: ", "")) {
		t.Errorf("stderr names an internal package:\n%s", stderr)
	}
	// An existing folder that is not a report, as --html: the message
	// names the folder, not the package.
	code, _, stderr = cli(t, "scan", in, "--html", t.TempDir()+"/../"+filepath.Base(filepath.Dir(in)))
	if code == ExitOK || strings.Contains(stderr, "html: ") {
		t.Errorf("--html onto a folder of documents: exit %d, stderr %q; want a refusal without a package name", code, stderr)
	}
}

func TestUserMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"corpus: binary file, skipped", "binary file, skipped"},
		{"a.txt: corpus: bad record: x", "a.txt: bad record: x"},
		{"/tmp/rep: html: target exists", "/tmp/rep: target exists"},
		{"r.json: result: not a result of reuse", "r.json: not a result of reuse"},
		{"warning: the corpus: a title", "warning: the corpus: a title"}, // a word, not a prefix
		{"reuse: check: clusters not followed: x", "check: clusters not followed: x"},
		{"a.txt: reuse: listed pairs: x", "a.txt: listed pairs: x"},
		{"reuse-beam: corrupt record", "reuse-beam: corrupt record"},
	}
	for _, tt := range tests {
		if got := userMessage(errString(tt.in)); got != tt.want {
			t.Errorf("userMessage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
