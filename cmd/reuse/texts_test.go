package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPassageText: JSON holds the passages' text only when asked
// (--passage-text), JSONL and CSV always; each text is the bytes its
// offsets delimit, in the document's text as read (an HTML page's
// extracted text here).
func TestPassageText(t *testing.T) {
	corpus := corpusDir
	texts := filepath.Join(t.TempDir(), "texts")
	code, out, stderr := cli(t, "scan", corpus, "--format", "json", "-q", "--passage-text", "--save-text", texts)
	if code != 0 {
		t.Fatalf("scan --passage-text: exit %d, %s", code, stderr)
	}
	r := parseResult(t, []byte(out))
	checked := 0
	for _, p := range r.Pairs {
		for _, x := range p.Passages {
			a, b := docText(t, corpus, texts, p.A), docText(t, corpus, texts, p.B)
			if x.AText != a[x.AStart:x.AEnd] || x.BText != b[x.BStart:x.BEnd] {
				t.Fatalf("%s~%s passage %d-%d: text %q / %q, want %q / %q", p.A, p.B, x.AStart, x.AEnd,
					x.AText, x.BText, a[x.AStart:x.AEnd], b[x.BStart:x.BEnd])
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no passage checked")
	}
	// Without the flag, JSON has no text.
	_, out, _ = cli(t, "scan", corpus, "--format", "json", "-q")
	if strings.Contains(out, `"a_text"`) {
		t.Errorf("JSON without --passage-text holds passage texts")
	}
	// JSONL and CSV always do.
	_, out, _ = cli(t, "scan", corpus, "--format", "jsonl", "-q")
	if !strings.Contains(out, `"a_text":"`) || !strings.Contains(out, `"b_text":"`) {
		t.Errorf("JSONL holds no passage texts")
	}
	_, out, _ = cli(t, "scan", corpus, "--format", "csv", "-q")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	if h := rows[0]; h[len(h)-3] != "a_text" || h[len(h)-2] != "b_text" || rows[1][len(h)-3] == "" || rows[1][len(h)-2] == "" {
		t.Errorf("CSV header %v, first row %v: want a_text, b_text filled", h, rows[1])
	}
}

// docText is a document's text as the offsets count it: the file, or what
// --save-text wrote for a document that is not a plain file.
func docText(t *testing.T, corpus, saved, id string) string {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(saved, textFileName(id))); err == nil {
		return string(b)
	}
	b, err := os.ReadFile(filepath.Join(corpus, id))
	if err != nil {
		t.Fatalf("text of %s: %v", id, err)
	}
	return string(b)
}

// TestSaveText: --save-text writes the extracted text of HTML and JSONL
// documents, and nothing for plain files.
func TestSaveText(t *testing.T) {
	corpus := corpusDir
	dir := filepath.Join(t.TempDir(), "texts")
	if code, _, stderr := cli(t, "scan", corpus, "-q", "--save-text", dir); code != 0 {
		t.Fatalf("scan --save-text: exit %d, %s", code, stderr)
	}
	html, err := os.ReadFile(filepath.Join(dir, "courier", "2024-03-12-kessing-bridge-closed.html.txt"))
	if err != nil || strings.Contains(string(html), "<") || !strings.Contains(string(html), "Kessing") {
		t.Errorf("the HTML page's text: %q, %v; want its visible text", html[:min(len(html), 80)], err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gazette", "2024-03-06-school-roof.txt.txt")); err == nil {
		t.Errorf("a plain text file was written too")
	}
	var n int
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n++
		}
		return nil
	})
	if n < 2 {
		t.Errorf("%d texts written, want the HTML page's and the JSONL records'", n)
	}
}

func TestTextFileName(t *testing.T) {
	for _, tt := range []struct{ id, want string }{
		{"a.html", "a.html.txt"},
		{"news/a.html", filepath.Join("news", "a.html.txt")},
		{"../../etc/passwd", filepath.Join("_", "_", "etc", "passwd.txt")},
		{"/abs/x", filepath.Join("abs", "x.txt")},
		{"", "_.txt"},
		{"wire/briefs.jsonl/r1", filepath.Join("wire", "briefs.jsonl", "r1.txt")},
	} {
		if got := textFileName(tt.id); got != tt.want {
			t.Errorf("textFileName(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}
