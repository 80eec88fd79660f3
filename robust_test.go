package reuse

// Robustness: bad inputs (each warned about by name, the scan going on)
// and adversarial corpora (boilerplate in thousands of documents,
// self-repetition, one document quoting hundreds), whose structure is
// checked here and whose time is logged (go test -v -run Adversarial).

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"

	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/eval/gen"
	"github.com/reuse-tool/reuse/internal/testfs"
	"github.com/reuse-tool/reuse/result"
)

// scanned is the outcome of robustScan.
type scanned struct {
	res      *result.Result
	text     map[string][]byte // by document ID, as the offsets count
	warnings []error
	took     time.Duration
}

// robustScan scans inputs, collecting warnings and every document's text,
// and checks the invariants of the Result (checkResult).
func robustScan(t *testing.T, opt Options, inputs ...string) *scanned {
	t.Helper()
	s := &scanned{text: make(map[string][]byte)}
	var mu sync.Mutex
	opt.Warn = func(err error) {
		mu.Lock()
		defer mu.Unlock()
		s.warnings = append(s.warnings, err)
	}
	start := time.Now()
	res, texts, err := ScanTexts(context.Background(), inputs, opt)
	s.took = time.Since(start)
	if err != nil {
		t.Fatalf("Scan(%q) = %v", inputs, err)
	}
	defer texts.Close()
	s.res = res
	for _, d := range res.Documents {
		text, err := texts.Text(d.ID)
		if err != nil {
			t.Fatalf("Text(%q) = %v", d.ID, err)
		}
		s.text[d.ID] = text
	}
	checkResult(t, s)
	return s
}

// checkResult checks what every Result must hold: offsets inside the
// texts, on character boundaries; passages of a pair ordered by AStart and
// not overlapping on either side; the counts of Stats.
func checkResult(t *testing.T, s *scanned) {
	t.Helper()
	r := s.res
	inside := func(what, id string, start, end int) {
		text := s.text[id]
		if start < 0 || end > len(text) || start > end {
			t.Errorf("%s [%d, %d) outside %q (%d bytes)", what, start, end, id, len(text))
			return
		}
		if start < len(text) && !utf8.RuneStart(text[start]) || end < len(text) && !utf8.RuneStart(text[end]) {
			t.Errorf("%s [%d, %d) of %q cuts a character", what, start, end, id)
		}
	}
	for _, d := range r.Documents {
		if d.Bytes != len(s.text[d.ID]) {
			t.Errorf("document %q: %d bytes, its text has %d", d.ID, d.Bytes, len(s.text[d.ID]))
		}
		if d.ReusedWords > d.Words || d.ReusedPct < 0 || d.ReusedPct > 100 {
			t.Errorf("document %q: %d of %d words reused (%v%%)", d.ID, d.ReusedWords, d.Words, d.ReusedPct)
		}
	}
	for _, p := range r.Pairs {
		if p.A >= p.B {
			t.Errorf("pair %q~%q out of order", p.A, p.B)
		}
		if len(p.Passages) == 0 {
			t.Errorf("pair %q~%q has no passage", p.A, p.B)
		}
		for i, x := range p.Passages {
			if x.AStart >= x.AEnd || x.BStart >= x.BEnd {
				t.Errorf("pair %q~%q: empty passage %+v", p.A, p.B, x)
			}
			inside("passage", p.A, x.AStart, x.AEnd)
			inside("passage", p.B, x.BStart, x.BEnd)
			if i > 0 {
				y := p.Passages[i-1]
				if y.AStart > x.AStart || y.AEnd > x.AStart {
					t.Errorf("pair %q~%q: passages %+v and %+v out of order or overlapping in A", p.A, p.B, y, x)
				}
			}
			for _, y := range p.Passages[:i] {
				if y.BStart < x.BEnd && x.BStart < y.BEnd {
					t.Errorf("pair %q~%q: passages %+v and %+v overlap in B", p.A, p.B, y, x)
				}
			}
		}
	}
	for _, c := range r.Clusters {
		for _, m := range c.Members {
			inside(fmt.Sprintf("cluster %d member", c.ID), m.Doc, m.Start, m.End)
		}
		if !utf8.ValidString(c.Text) {
			t.Errorf("cluster %d: excerpt %q is not UTF-8", c.ID, c.Text)
		}
	}
	if r.Stats.Documents != len(r.Documents) || r.Stats.Pairs != len(r.Pairs) ||
		r.Stats.Clusters != len(r.Clusters) || r.Stats.Groups != len(r.Groups) {
		t.Errorf("stats %+v do not count the result", r.Stats)
	}
}

// warned reports whether a warning is a *corpus.Error naming path (and
// line, when not 0) that wraps target (when not nil).
func (s *scanned) warned(path string, line int, target error) bool {
	for _, w := range s.warnings {
		var ce *corpus.Error
		if errors.As(w, &ce) && ce.Path == path && (line == 0 || ce.Line == line) &&
			(target == nil || errors.Is(w, target)) && strings.Contains(w.Error(), path) {
			return true
		}
	}
	return false
}

func (s *scanned) doc(id string) *result.Document {
	for i := range s.res.Documents {
		if s.res.Documents[i].ID == id {
			return &s.res.Documents[i]
		}
	}
	return nil
}

func (s *scanned) pair(a, b string) *result.Pair {
	if a > b {
		a, b = b, a
	}
	for i := range s.res.Pairs {
		if p := &s.res.Pairs[i]; p.A == a && p.B == b {
			return p
		}
	}
	return nil
}

// passageIn returns the text of a pair's only passage in document id.
func (s *scanned) passageIn(t *testing.T, p *result.Pair, id string) string {
	t.Helper()
	a, b := s.passageText(t, p)
	if id == p.A {
		return a
	}
	return b
}

// passageText returns the text of a pair's only passage on both sides.
func (s *scanned) passageText(t *testing.T, p *result.Pair) (string, string) {
	t.Helper()
	if len(p.Passages) != 1 {
		t.Fatalf("pair %q~%q: %d passages, want 1: %+v", p.A, p.B, len(p.Passages), p.Passages)
	}
	x := p.Passages[0]
	return string(s.text[p.A][x.AStart:x.AEnd]), string(s.text[p.B][x.BStart:x.BEnd])
}

// Text written for these tests.
const (
	rbShared = "Seven carpenters rebuilt the wooden footbridge over the mill stream in a single weekend, " +
		"using oak beams salvaged from a barn that collapsed during the spring floods"
	rbOther = "The choir from the northern parish travelled by train to sing at the harvest festival, " +
		"and the conductor thanked the station staff for holding the last departure."
)

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func zstded(b []byte) []byte {
	zw, _ := zstd.NewWriter(nil)
	defer zw.Close()
	return zw.EncodeAll(b, nil)
}

// encodeUTF16 encodes s as UTF-16 with a byte order mark.
func encodeUTF16(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	put := func(u uint16) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			put(uint16(0xD800 + r>>10))
			put(uint16(0xDC00 + r&0x3FF))
			continue
		}
		put(uint16(r))
	}
	return out
}

// TestBadInputs: each input below is read as documented, or warned about
// by name and skipped, and the scan goes on: the two good documents still
// share their passage.
func TestBadInputs(t *testing.T) {
	good := map[string][]byte{
		"good/a.txt": []byte("Opening words of the first report. " + rbShared + ". Closing words of the first report."),
		"good/b.txt": []byte(rbOther + " " + rbShared + "."),
	}
	tests := []struct {
		name  string
		files map[string][]byte
		// warn lists the files warned about (relative); nil: none.
		warn   []string
		target error // what the warnings wrap
		check  func(t *testing.T, s *scanned, dir string)
	}{
		{
			name:  "empty file",
			files: map[string][]byte{"empty.txt": nil},
			check: func(t *testing.T, s *scanned, dir string) {
				// An empty file is a document without words, not an error.
				if d := s.doc("empty.txt"); d == nil || d.Words != 0 || d.Bytes != 0 {
					t.Errorf("empty.txt: %+v, want a document of 0 words", d)
				}
			},
		},
		{
			name: "whitespace and punctuation only",
			files: map[string][]byte{
				"blank.txt": []byte(" \n\t\r\n   \n\u00a0\u3000\n"),
				"punct.txt": []byte("... !!! ??? --- *** ((( ))) ;;; ''' \"\"\" «» — – ¡¿ 。、\n"),
			},
			check: func(t *testing.T, s *scanned, dir string) {
				for _, id := range []string{"blank.txt", "punct.txt"} {
					if d := s.doc(id); d == nil || d.Words != 0 {
						t.Errorf("%s: %+v, want a document of 0 words", id, d)
					}
				}
			},
		},
		{
			name:   "NUL bytes",
			files:  map[string][]byte{"nul.txt": []byte("A few words" + strings.Repeat("\x00", 32) + " and NUL bytes among them, " + rbShared)},
			warn:   []string{"nul.txt"},
			target: corpus.ErrBinary,
		},
		{
			name: "a stray NUL in UTF-8 text",
			// Text with a NUL left by a broken conversion (as in PAN-13):
			// read, the NUL a separator.
			files: map[string][]byte{"stray-nul.txt": []byte("A few words\x00 and a stray NUL among them, " + rbShared)},
			check: func(t *testing.T, s *scanned, dir string) {
				if p := s.pair("good/b.txt", "stray-nul.txt"); p == nil {
					t.Errorf("stray-nul.txt: no pair with good/b.txt")
				}
			},
		},
		{
			name: "NUL byte after the first 8 KiB",
			// Not sniffed as binary: read as text, the NUL a separator.
			files: map[string][]byte{"late-nul.txt": []byte(strings.Repeat("filler text line\n", 600) + "\x00" + rbShared)},
			check: func(t *testing.T, s *scanned, dir string) {
				if p := s.pair("good/b.txt", "late-nul.txt"); p == nil {
					t.Errorf("late-nul.txt: no pair with good/b.txt")
				}
			},
		},
		{
			name: "invalid UTF-8",
			files: map[string][]byte{"latin1.txt": []byte("Caf\xe9 cr\xe8me \xff\xfe\xc3 " +
				strings.Replace(rbShared, " wooden ", " \xe9wooden\xe9 ", 1) + " \xe2\x82 na\xefve \xc3")},
			check: func(t *testing.T, s *scanned, dir string) {
				p := s.pair("good/b.txt", "latin1.txt")
				if p == nil {
					t.Fatalf("latin1.txt: no pair with good/b.txt")
				}
				if len(p.Passages) != 1 || p.Passages[0].Words < 20 {
					t.Errorf("latin1.txt: passages %+v, want the shared sentence", p.Passages)
				}
			},
		},
		{
			name: "UTF-16 with BOM",
			files: map[string][]byte{
				"le.txt": encodeUTF16("Première ligne, en français. "+rbShared+" — fin 𝄞.", false),
				"be.txt": encodeUTF16("Second file, big endian. "+rbShared+".", true),
			},
			check: func(t *testing.T, s *scanned, dir string) {
				// be.txt ends the sentence as good/a.txt does: the passage
				// holds its full stop on both sides (pairs.PassageEnds).
				for id, want := range map[string]string{"le.txt": rbShared, "be.txt": rbShared + "."} {
					p := s.pair("good/a.txt", id)
					if p == nil {
						t.Errorf("%s: no pair with good/a.txt", id)
						continue
					}
					if a, b := s.passageText(t, p); a != want || b != want {
						t.Errorf("%s: passage %q / %q, want %q", id, a, b, want)
					}
					if !utf8.Valid(s.text[id]) || !bytes.Contains(s.text[id], []byte(rbShared)) {
						t.Errorf("%s: text %q, want it decoded to UTF-8", id, s.text[id])
					}
				}
			},
		},
		{
			name: "CRLF",
			files: map[string][]byte{"crlf.txt": []byte("Title line\r\n\r\n" +
				strings.ReplaceAll(rbShared, " salvaged ", "\r\nsalvaged ") + ".\r\n")},
			check: func(t *testing.T, s *scanned, dir string) {
				p := s.pair("good/a.txt", "crlf.txt")
				if p == nil {
					t.Fatal("crlf.txt: no pair with good/a.txt")
				}
				if b := s.passageIn(t, p, "crlf.txt"); b != strings.ReplaceAll(rbShared, " salvaged ", "\r\nsalvaged ")+"." {
					t.Errorf("crlf.txt: passage %q, want the shared sentence with its CRLF", b)
				}
			},
		},
		{
			name: "mixed scripts",
			files: map[string][]byte{
				"zh1.txt": []byte("今天上午，市政府宣布将在河边修建一座新的图书馆，预计明年秋天开放。Mayor Lin said: " + rbShared + "."),
				"zh2.txt": []byte("据报道，市政府宣布将在河边修建一座新的图书馆，预计明年秋天开放。居民表示欢迎。"),
				"ar1.txt": []byte("قال رئيس البلدية إن المكتبة الجديدة ستفتح أبوابها في الخريف المقبل بعد ترميم المبنى القديم بالكامل. Other news follows."),
				"ar2.txt": []byte("In Arabic: قال رئيس البلدية إن المكتبة الجديدة ستفتح أبوابها في الخريف المقبل بعد ترميم المبنى القديم بالكامل."),
			},
			check: func(t *testing.T, s *scanned, dir string) {
				if p := s.pair("zh1.txt", "zh2.txt"); p == nil {
					t.Error("zh1.txt~zh2.txt: the shared Chinese sentence is not found")
				} else if a, _ := s.passageText(t, p); !strings.HasPrefix(a, "市政府宣布") || !strings.HasSuffix(a, "开放") {
					t.Errorf("zh1.txt~zh2.txt: passage %q", a)
				}
				if p := s.pair("ar1.txt", "ar2.txt"); p == nil {
					t.Error("ar1.txt~ar2.txt: the shared Arabic sentence is not found")
				} else if a, _ := s.passageText(t, p); !strings.HasPrefix(a, "قال") || !strings.HasSuffix(a, "بالكامل.") {
					t.Errorf("ar1.txt~ar2.txt: passage %q", a)
				}
				if s.pair("good/a.txt", "zh1.txt") == nil {
					t.Error("zh1.txt: its English sentence is not paired with good/a.txt")
				}
			},
		},
		{
			name: "corrupt compressed files",
			files: map[string][]byte{
				"cut.txt.gz":   gzipped([]byte(rbShared))[:20],
				"bad.txt.gz":   append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, "this is not deflate data at all"...),
				"plain.txt.gz": []byte(rbShared),
				"cut.txt.zst":  zstded([]byte(strings.Repeat(rbShared, 20)))[:30],
				"bad.md.zst":   append([]byte{0x28, 0xb5, 0x2f, 0xfd}, "garbage after the magic number"...),
			},
			warn:   []string{"cut.txt.gz", "bad.txt.gz", "plain.txt.gz", "cut.txt.zst", "bad.md.zst"},
			target: corpus.ErrCorrupt,
		},
		{
			name: "decompression bombs",
			files: map[string][]byte{
				"bomb.txt.gz":  gzipped(bytes.Repeat([]byte("all work and no play "), 1<<16)),
				"bomb.txt.zst": zstded(bytes.Repeat([]byte("all work and no play "), 1<<16)),
				// JSONL is streamed, each line capped: a bomb is a line.
				"bomb.jsonl.gz": gzipped([]byte(`{"text": "` + strings.Repeat("all work and no play ", 1<<16) + `"}` + "\n")),
			},
			// MaxBytes is 64 KiB below; each expands to 1.3 MB.
			warn:   []string{"bomb.txt.gz", "bomb.txt.zst", "bomb.jsonl.gz"},
			target: corpus.ErrTooLarge,
			check: func(t *testing.T, s *scanned, dir string) {
				for _, w := range s.warnings {
					if errors.Is(w, corpus.ErrTooLarge) && !strings.Contains(w.Error(), "exceeds") {
						t.Errorf("warning %q does not say what was exceeded", w)
					}
				}
			},
		},
		{
			name: "malformed JSONL lines",
			files: map[string][]byte{"news.jsonl": []byte(`{"id": "n1", "text": "` + rbShared + `"}` + "\n" +
				`{"id": "n2", "text": "unterminated` + "\n" +
				`not json at all` + "\n" +
				"\n" +
				`{"id": "n4", "body": "no text field"}` + "\n" +
				`{"id": "n5", "text": 42}` + "\n" +
				`{"id": "n6", "text": ""}` + "\n" +
				`[1, 2, 3]` + "\n" +
				`{"id": {"nested": 1}, "text": "an id that is an object"}` + "\n" +
				`{"id": "n9", "text": "` + rbOther + `"}` + "\r\n")},
			check: func(t *testing.T, s *scanned, dir string) {
				path := filepath.Join(dir, "news.jsonl")
				for _, line := range []int{2, 3, 5, 6, 7, 8, 9} {
					if !s.warned(path, line, corpus.ErrBadRecord) {
						t.Errorf("no warning for %s:%d: %v", path, line, s.warnings)
					}
				}
				if len(s.warnings) != 7 || s.res.Stats.Skipped != 7 {
					t.Errorf("%d warnings, %d skipped: %v; want 7", len(s.warnings), s.res.Stats.Skipped, s.warnings)
				}
				if s.doc("n1") == nil || s.doc("n9") == nil || s.pair("good/a.txt", "n1") == nil || s.pair("good/b.txt", "n9") == nil {
					t.Errorf("good records n1 and n9 not kept and paired: %v", s.res.Documents)
				}
			},
		},
		{
			name: "duplicate ids",
			files: map[string][]byte{
				"dup.jsonl": []byte(`{"id": "good/a.txt", "text": "` + rbShared + ` again."}` + "\n" +
					`{"id": "x", "text": "` + rbOther + `"}` + "\n" +
					`{"id": "x", "text": "` + rbShared + ` once more."}` + "\n" +
					`{"id": "x#2", "text": "A record whose own id looks like a renamed one."}` + "\n"),
			},
			check: func(t *testing.T, s *scanned, dir string) {
				var ids []string
				for _, d := range s.res.Documents {
					ids = append(ids, d.ID)
				}
				seen := map[string]bool{}
				for _, id := range ids {
					if seen[id] {
						t.Errorf("id %q twice in %q", id, ids)
					}
					seen[id] = true
				}
				for _, id := range []string{"good/a.txt", "good/a.txt#2", "x", "x#2", "x#3"} {
					if !seen[id] {
						t.Errorf("no document %q in %q", id, ids)
					}
				}
				// A renamed document was read: a notice, not a skipped input.
				if n := len(s.warnings); n != 2 || s.res.Stats.Skipped != 0 {
					t.Errorf("warnings %v (%d skipped), want one per renamed id, none skipped", s.warnings, s.res.Stats.Skipped)
				}
				for _, w := range s.warnings {
					if !strings.Contains(w.Error(), "duplicate id") || !strings.Contains(w.Error(), "renamed") || !corpus.IsNotice(w) {
						t.Errorf("warning %q does not say which id was renamed to what, as a notice", w)
					}
				}
				// The first record of an id keeps it; the later one is
				// renamed, and its notice names its line and the first's.
				if got := string(s.text["x"]); got != rbOther {
					t.Errorf("document x = %q, want the record of line 2 (%q)", got, rbOther)
				}
				if !slices.ContainsFunc(s.warnings, func(w error) bool {
					return strings.Contains(w.Error(), "dup.jsonl:3: duplicate id \"x\" (first at line 2), renamed \"x#3\"")
				}) {
					t.Errorf("warnings %v: none names line 3 renamed x#3 after line 2", s.warnings)
				}
			},
		},
		{
			name: "broken HTML",
			files: map[string][]byte{"page.html": []byte(`<html><head><title>Broken &amp; odd</title>
<script>var s = "` + rbShared + `"; if (a < b && c > d) { document.write("<p>") }</script>
<style>p { content: "</p>" }</style></head>
<body><div><p>Caf&eacute; &bogus; &#x2019; &#99999999; &amp
<b><i>unclosed <p>` + strings.Replace(rbShared, "footbridge", "foot&shy;bridge", 1) + `
<table><tr><td>cell<td>cell</table></div></span></p>
<!-- a comment ` + rbOther + ` -->
<script>never closed ` + rbOther)},
			check: func(t *testing.T, s *scanned, dir string) {
				text := string(s.text["page.html"])
				if strings.Contains(text, "var s") || strings.Contains(text, "choir") || strings.Contains(text, "content:") {
					t.Errorf("page.html: script, style or comment in the text: %q", text)
				}
				if !strings.Contains(text, "Café") || !strings.Contains(text, "\u2019") {
					t.Errorf("page.html: entities not decoded: %q", text)
				}
				p := s.pair("good/a.txt", "page.html")
				if p == nil || len(p.Passages) != 1 {
					t.Fatalf("page.html: pair with good/a.txt %+v, want one passage", p)
				}
				if s.pair("good/b.txt", "page.html") == nil {
					t.Errorf("page.html: no pair with good/b.txt")
				}
				for _, q := range s.res.Pairs {
					if q.A == "page.html" || q.B == "page.html" {
						for _, x := range q.Passages {
							a, b := s.text[q.A][x.AStart:x.AEnd], s.text[q.B][x.BStart:x.BEnd]
							if bytes.Contains(a, []byte("choir")) || bytes.Contains(b, []byte("choir")) {
								t.Errorf("page.html: a passage holds commented or script text: %q / %q", a, b)
							}
						}
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			testfs.Write(t, dir, good)
			testfs.Write(t, dir, tt.files)
			s := robustScan(t, Options{Corpus: corpus.Options{MaxBytes: 64 << 10}}, dir)
			if p := s.pair("good/a.txt", "good/b.txt"); p == nil {
				t.Errorf("good/a.txt~good/b.txt not found: the scan did not go on")
			}
			if tt.warn != nil || tt.check == nil {
				if len(s.warnings) != len(tt.warn) || s.res.Stats.Skipped != len(tt.warn) {
					t.Errorf("warnings %v (%d skipped), want one for each of %q", s.warnings, s.res.Stats.Skipped, tt.warn)
				}
				for _, name := range tt.warn {
					if !s.warned(filepath.Join(dir, filepath.FromSlash(name)), 0, tt.target) {
						t.Errorf("no warning naming %s wraps %v: %v", name, tt.target, s.warnings)
					}
					if s.doc(name) != nil {
						t.Errorf("%s was skipped with a warning but is a document too", name)
					}
				}
			}
			if tt.check != nil {
				tt.check(t, s, dir)
			}
		})
	}
}

// TestBadPaths: a symlink loop, a FIFO and a path that does not exist are
// warned about by name; the scan goes on and does not hang.
func TestBadPaths(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string][]byte{
		"docs/a.txt": []byte(rbShared + "."),
		"docs/b.txt": []byte(rbOther + " " + rbShared + "."),
	})
	// A link back into the folder walked is not followed (its files are
	// read under their own paths): no loop, no copies.
	loop := filepath.Join(dir, "docs", "loop")
	if err := os.Symlink(".", loop); err != nil {
		t.Skipf("no symlinks: %v", err)
	}
	self := filepath.Join(dir, "docs", "self.txt")
	if err := os.Symlink("self.txt", self); err != nil {
		t.Fatal(err)
	}
	var fifo string
	if mkfifo, err := exec.LookPath("mkfifo"); err == nil {
		fifo = filepath.Join(dir, "docs", "fifo.txt")
		if out, err := exec.Command(mkfifo, fifo).CombinedOutput(); err != nil {
			t.Fatalf("mkfifo: %v %s", err, out)
		}
	}
	missing := filepath.Join(dir, "no-such-file.txt")

	// Opening a FIFO would block until a writer comes: the test's
	// timeout catches that.
	s := robustScan(t, Options{}, filepath.Join(dir, "docs"), missing)
	if p := s.pair("a.txt", "b.txt"); p == nil {
		t.Error("a.txt~b.txt not found: the scan did not go on")
	}
	want := map[string]error{self: nil, missing: os.ErrNotExist}
	if fifo != "" {
		want[fifo] = corpus.ErrNotRegular
	}
	for path, target := range want {
		if !s.warned(path, 0, target) {
			t.Errorf("no warning names %s (wrapping %v): %v", path, target, s.warnings)
		}
	}
	if len(s.warnings) != len(want) || s.res.Stats.Skipped != len(want) {
		t.Errorf("%d warnings, %d skipped, want %d: %v", len(s.warnings), s.res.Stats.Skipped, len(want), s.warnings)
	}
	if len(s.res.Documents) != 2 {
		t.Errorf("documents %v, want a.txt and b.txt once each", s.res.Documents)
	}
}

// rbText writes n words of nonsense text (syllable words, sentences of
// 8-16 words) from r: two texts of a few thousand words share no 5-word
// shingle by chance.
func rbText(r *rand.Rand, n int) string {
	const syllables = "ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ka ke ki ko ku la le li lo lu " +
		"ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu " +
		"va ve vi vo za ze zi zo"
	syl := strings.Fields(syllables)
	var b strings.Builder
	left := 0
	for i := range n {
		if left == 0 {
			if i > 0 {
				b.WriteString(". ")
			}
			left = 8 + r.IntN(9)
		} else {
			b.WriteByte(' ')
		}
		left--
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
	}
	b.WriteByte('.')
	return b.String()
}

// adversarialSize is the number of documents of the large adversarial
// corpora: 10,000, or 2,000 with -short.
func adversarialSize() int {
	if testing.Short() {
		return 2000
	}
	return 10000
}

// TestAdversarialIdentical: thousands of identical short documents are one
// boilerplate cluster and one group, found in about linear time, not
// n²/2 pairs.
func TestAdversarialIdentical(t *testing.T) {
	n := adversarialSize()
	dir := t.TempDir()
	text := []byte("Notice to readers. " + rbShared + ". " + rbOther)
	for i := range n {
		testfs.Write(t, dir, map[string][]byte{fmt.Sprintf("%05d.txt", i): text})
	}
	s := robustScan(t, Options{}, dir)
	t.Logf("%d identical documents: %v, %d pairs, %d clusters, %d groups", n, s.took, len(s.res.Pairs), len(s.res.Clusters), len(s.res.Groups))
	if len(s.res.Pairs) != 0 {
		t.Errorf("%d pairs, want none: the text is boilerplate", len(s.res.Pairs))
	}
	if len(s.res.Clusters) != 1 || len(s.res.Clusters[0].Documents) != n || !s.res.Clusters[0].Boilerplate {
		t.Fatalf("clusters %+v, want one boilerplate cluster of %d documents", clusterSummary(s.res), n)
	}
	if len(s.res.Groups) != 1 || len(s.res.Groups[0].Documents) != n {
		t.Errorf("groups %v, want one group of all %d documents", groupSizes(s.res), n)
	}
	for _, d := range s.res.Documents {
		if d.ReusedPct < 90 {
			t.Errorf("document %s: %v%% reused, want nearly all", d.ID, d.ReusedPct)
			break
		}
	}
}

// rbFooter is the footer of TestAdversarialFooter.
const rbFooter = "\n\n-- \nThis bulletin is published by the Valley Rowing Association. " + rbOther +
	" To stop receiving it, write to the secretary at the boathouse on River Lane before the end of the month.\n"

// TestAdversarialFooter: thousands of documents with distinct bodies and
// one long footer are one boilerplate cluster; no bodies are paired.
func TestAdversarialFooter(t *testing.T) {
	n := adversarialSize()
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		// Each body ends with a word of its own: see
		// TestBoilerplateNeighbourPairs for bodies that end alike.
		body := fmt.Sprintf("%s Signed, member %05d.", rbText(r, 60+r.IntN(80)), i)
		testfs.Write(t, dir, map[string][]byte{fmt.Sprintf("%05d.txt", i): []byte(body + rbFooter)})
	}
	s := robustScan(t, Options{}, dir)
	t.Logf("%d documents with one footer: %v, %d pairs, %d clusters, %d groups", n, s.took, len(s.res.Pairs), len(s.res.Clusters), len(s.res.Groups))
	if len(s.res.Pairs) != 0 {
		t.Errorf("%d pairs, want none: %+v", len(s.res.Pairs), s.res.Pairs[0])
	}
	if len(s.res.Groups) != 0 {
		t.Errorf("groups %v, want none", groupSizes(s.res))
	}
	if len(s.res.Clusters) != 1 || len(s.res.Clusters[0].Documents) != n || !s.res.Clusters[0].Boilerplate {
		t.Fatalf("clusters %+v, want one boilerplate cluster of %d documents", clusterSummary(s.res), n)
	}
	for _, m := range s.res.Clusters[0].Members {
		// The whole footer, to its full stop: the occurrences as found
		// fall up to window-1 words inside it (cluster.Boilerplate), and
		// are widened to it (cluster.Widen).
		text := s.text[m.Doc]
		footerStart := bytes.Index(text, []byte("This bulletin"))
		if m.Start != footerStart || m.End != len(text)-1 {
			t.Errorf("member %+v: want the footer, bytes %d to %d", m, footerStart, len(text)-1)
			break
		}
	}
}

// TestBoilerplateText: a boilerplate cluster shows the text most of its
// documents print, the whole footer, not the fragment a few variants
// share with it (assemble.Representative).
func TestBoilerplateText(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 8))
	const fragment = "To stop receiving it, write to the secretary at the boathouse on River Lane"
	for i := range 240 {
		tail := rbFooter
		if i%12 == 0 { // a variant footer: only its last sentence is the same
			tail = "\n\nPrinted by the parish. " + fragment + " before the end of the month.\n"
		}
		testfs.Write(t, dir, map[string][]byte{fmt.Sprintf("%03d.txt", i): []byte(rbText(r, 80) + tail)})
	}
	s := robustScan(t, Options{}, dir)
	var boiler []result.Cluster
	for _, c := range s.res.Clusters {
		if c.Boilerplate {
			boiler = append(boiler, c)
		}
	}
	if len(boiler) != 1 || len(boiler[0].Documents) != 240 {
		t.Fatalf("clusters %v, want one boilerplate cluster of the 240 documents", clusterSummary(s.res))
	}
	if text := boiler[0].Text; !strings.Contains(text, "Valley Rowing Association") || !strings.Contains(text, "River Lane") {
		t.Errorf("boilerplate cluster shows %q, want the footer", text)
	}
}

// TestBoilerplateNeighbourPairs: two documents whose only shared text
// besides boilerplate is a word next to it are not a pair. This holds for
// this footer, whose first fingerprint lies within 2 tokens of its start,
// not for every footer: the evidence filter knows boilerplate's edges only
// to within window-1 tokens, and a fingerprint of the pair that reaches
// past them keeps the pair (docs/benchmarks.md, "Fingerprints of content
// words, again": seven other footers pair 14 to 83 of the 100 pairs).
func TestBoilerplateNeighbourPairs(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	footer := "\n\nThis bulletin is published by the Valley Rowing Association. " + rbOther + "\n"
	for i := range 200 {
		// Documents 2k and 2k+1 end with the same word before the footer.
		body := fmt.Sprintf("%s Signed w%dx.", rbText(r, 80), i/2)
		testfs.Write(t, dir, map[string][]byte{fmt.Sprintf("%03d.txt", i): []byte(body + footer)})
	}
	s := robustScan(t, Options{MaxDF: 10}, dir)
	for i, p := range s.res.Pairs {
		if i < 3 {
			t.Errorf("%s~%s paired on %q", p.A, p.B, s.text[p.A][p.Passages[0].AStart:p.Passages[0].AEnd])
		}
	}
	if len(s.res.Pairs) != 0 {
		t.Errorf("%d pairs, want none", len(s.res.Pairs))
	}
}

// rbEcho is a paragraph that TestAdversarialSelfRepetition repeats.
const rbEcho = rbShared + ". " + rbOther + "\n\n"

// TestAdversarialSelfRepetition: a document that repeats one paragraph
// hundreds of times pairs with nothing on its own, quickly: repeating
// oneself is not reuse.
func TestAdversarialSelfRepetition(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(3, 4))
	testfs.Write(t, dir, map[string][]byte{
		"echo.txt":  []byte(strings.Repeat(rbEcho, 500)),
		"other.txt": []byte(rbText(r, 300)),
	})
	s := robustScan(t, Options{}, dir)
	t.Logf("500 repeats alone: %v, %d pairs, %d clusters", s.took, len(s.res.Pairs), len(s.res.Clusters))
	if len(s.res.Pairs) != 0 || len(s.res.Clusters) != 0 || len(s.res.Groups) != 0 {
		t.Errorf("a document repeating itself: %d pairs, %d clusters, %d groups, want none",
			len(s.res.Pairs), len(s.res.Clusters), len(s.res.Groups))
	}
	if d := s.doc("echo.txt"); d.ReusedWords != 0 {
		t.Errorf("echo.txt: %d words reused, want 0", d.ReusedWords)
	}

	// A document with the paragraph twice, and one with it once: one
	// passage, and the second copy is not reuse of the first.
	dir = t.TempDir()
	testfs.Write(t, dir, map[string][]byte{
		"once.txt":  []byte(rbText(r, 50) + "\n\n" + rbEcho + rbText(r, 50)),
		"twice.txt": []byte(rbEcho + rbText(r, 50) + "\n\n" + rbEcho),
	})
	s = robustScan(t, Options{}, dir)
	words := len(strings.Fields(rbEcho))
	p := s.pair("once.txt", "twice.txt")
	if p == nil || len(p.Passages) != 1 || p.SharedWords != words {
		t.Fatalf("once.txt~twice.txt: %+v, want one passage of %d words", p, words)
	}
	if d := s.doc("twice.txt"); d.ReusedWords != words {
		t.Errorf("twice.txt: %d words reused, want %d (one copy)", d.ReusedWords, words)
	}
}

// TestAdversarialSelfRepetitionPartners: a document repeating a paragraph
// 500 times shares it with one that quotes it once, and all of itself with
// an exact copy, whatever their names.
func TestAdversarialSelfRepetitionPartners(t *testing.T) {
	for _, echo := range []string{"echo.txt", "zecho.txt"} {
		dir := t.TempDir()
		r := rand.New(rand.NewPCG(3, 4))
		testfs.Write(t, dir, map[string][]byte{
			echo:        []byte(strings.Repeat(rbEcho, 500)),
			"quote.txt": []byte(rbText(r, 100) + "\n\n" + rbEcho + rbText(r, 100)),
			"twin.txt":  []byte(strings.Repeat(rbEcho, 500)),
		})
		s := robustScan(t, Options{}, dir)
		t.Logf("500 repeats with partners: %v, %d pairs", s.took, len(s.res.Pairs))
		words := len(strings.Fields(rbEcho))
		// The quote is one passage (matching any one of the repeats).
		if q := s.pair(echo, "quote.txt"); q == nil {
			t.Errorf("%s~quote.txt: the quoted paragraph is not found", echo)
		} else if len(q.Passages) != 1 || q.SharedWords < words-2 || q.SharedWords > words {
			t.Errorf("%s~quote.txt: %d passages, %d shared words; want one passage of the paragraph's %d words",
				echo, len(q.Passages), q.SharedWords, words)
		}
		if w := s.pair(echo, "twin.txt"); w == nil {
			t.Errorf("%s~twin.txt: the exact copy is not found", echo)
		} else if w.APct < 95 || w.BPct < 95 || len(w.Passages) > 5 {
			t.Errorf("%s~twin.txt: %v%% / %v%% in %d passages, want all of both in a few", echo, w.APct, w.BPct, len(w.Passages))
		}
		if len(s.res.Groups) != 1 || len(s.res.Groups[0].Documents) != 2 {
			t.Errorf("groups %+v, want %s and twin.txt", s.res.Groups, echo)
		}
	}
}

// TestAdversarialRepeatedTable: a table whose lines repeat thousands of
// times (adversarial shape "repeated-table") shares with each file quoting
// 12 of its lines those lines at the place they were taken from, around
// the one line the table does not repeat; opening windows at only some
// places of a repeated line (align.Options.MaxPlaces) must not lose it.
func TestAdversarialRepeatedTable(t *testing.T) {
	dir := t.TempDir()
	if err := writeRepeatedTable(dir, 20_000); err != nil {
		t.Fatal(err)
	}
	s := robustScan(t, Options{}, dir)
	t.Logf("a table of 20,000 lines and 50 quotes of it: %v, %d pairs", s.took, len(s.res.Pairs))
	table, err := os.ReadFile(filepath.Join(dir, "table.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		name := fmt.Sprintf("quotes/%04d.txt", i)
		text, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(text), "\n")
		if len(lines) != 14 {
			t.Fatalf("%s: %d lines, want 14", name, len(lines))
		}
		quote := strings.Join(lines[1:13], "\n")
		at := strings.Index(string(table), "\n"+lines[7]+"\n") + 1 // the unrepeated line
		p := s.pair(name, "table.txt")
		if p == nil || at == 0 {
			t.Errorf("%s~table.txt: not paired (its line at %d)", name, at-1)
			continue
		}
		found := false
		for _, q := range p.Passages {
			quoted := string(text[q.AStart:q.AEnd])
			if q.BStart <= at && at < q.BEnd && string(table[q.BStart:q.BEnd]) == quoted && len(quoted) >= len(quote)-30 {
				found = true
			}
		}
		if !found {
			t.Errorf("%s~table.txt: passages %+v, want the 12 quoted lines at byte %d of the table", name, p.Passages, at)
		}
	}
}

// TestAdversarialQuotes: a document quoting one sentence from each of 500
// others pairs with each of them, each pair holding that sentence.
func TestAdversarialQuotes(t *testing.T) {
	const n = 500
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(5, 6))
	var digest strings.Builder
	sentences := make([]string, n)
	for i := range n {
		sentences[i] = rbText(r, 14)
		sentences[i] = sentences[i][:len(sentences[i])-1] // without its period
		before, after := rbText(r, 40+r.IntN(40)), rbText(r, 40+r.IntN(40))
		testfs.Write(t, dir, map[string][]byte{fmt.Sprintf("src/%03d.txt", i): []byte(before + " " + sentences[i] + ". " + after)})
		fmt.Fprintf(&digest, "%s As one report put it, %s. ", rbText(r, 10), sentences[i])
	}
	testfs.Write(t, dir, map[string][]byte{"digest.txt": []byte(digest.String())})
	s := robustScan(t, Options{}, dir)
	t.Logf("one document quoting %d: %v, %d pairs", n, s.took, len(s.res.Pairs))
	if len(s.res.Pairs) != n {
		t.Errorf("%d pairs, want %d", len(s.res.Pairs), n)
	}
	missing := 0
	for i, want := range sentences {
		p := s.pair("digest.txt", fmt.Sprintf("src/%03d.txt", i))
		if p == nil {
			missing++
			continue
		}
		// The quote ends a sentence on both sides: with its full stop.
		a, b := s.passageText(t, p)
		if want += "."; a != want || b != want {
			t.Errorf("digest.txt~src/%03d.txt: passage %q / %q, want %q", i, a, b, want)
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d quoted sentences not found", missing, n)
	}
}

func clusterSummary(r *result.Result) []string {
	var out []string
	for i, c := range r.Clusters {
		if i == 10 {
			out = append(out, fmt.Sprintf("... %d more", len(r.Clusters)-10))
			break
		}
		out = append(out, fmt.Sprintf("#%d: %d docs, boilerplate %v, %q", c.ID, len(c.Documents), c.Boilerplate, c.Text))
	}
	return out
}

func groupSizes(r *result.Result) []int {
	var out []int
	for _, g := range r.Groups {
		out = append(out, len(g.Documents))
	}
	return out
}

// TestDeterministicWorkers: the example corpus and a generated one give
// byte-identical JSON with 1 and 8 workers (run it with -race too).
func TestDeterministicWorkers(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 7, Docs: 200}); err != nil {
		t.Fatal(err)
	}
	inputs := []string{exampleCorpus, filepath.Join(dir, "corpus")}
	want := jsonOf(t, robustScan(t, Options{Workers: 1}, inputs...).res)
	for _, w := range []int{8, 3} {
		got := jsonOf(t, robustScan(t, Options{Workers: w}, inputs...).res)
		if !bytes.Equal(got, want) {
			t.Errorf("Workers=%d gives other JSON than Workers=1 (%d and %d bytes)", w, len(got), len(want))
		}
	}
}
