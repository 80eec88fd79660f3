package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// page returns an HTML page of about n bytes: a head, then paragraphs with
// inline markup, lists and a script.
func page(n int) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><title>A page</title><meta name="date" content="2020-05-23">` +
		`<style>p { margin: 0 }</style><script>var x = 1;</script></head><body><article>`)
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d says <b>something</b> about the &ldquo;news&rdquo; of the day, "+
			"with a <a href=\"/link/%d\">link</a> and more words after it.</p>\n", i, i)
		if i%10 == 0 {
			b.WriteString("<ul><li>one item</li><li>another item</li></ul><div class=\"ad\"><script>ad()</script></div>\n")
		}
	}
	b.WriteString("</article></body></html>")
	return []byte(b.String())
}

func BenchmarkExtractHTML(b *testing.B) {
	for _, n := range []int{4 << 10, 64 << 10, 1 << 20} {
		p := page(n)
		b.Run(fmt.Sprintf("%dKiB", n>>10), func(b *testing.B) {
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			for b.Loop() {
				ExtractHTML(p)
			}
		})
	}
}

func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	line := `{"id": "doc-%d", "text": "A short news item number %d, about the same length as a wire story's lead paragraph, give or take.", "date": "2020-05-23"}` + "\n"
	var jsonl strings.Builder
	for i := 0; jsonl.Len() < 1<<20; i++ {
		fmt.Fprintf(&jsonl, line, i, i)
	}
	text := strings.Repeat("All work and no play makes Jack a dull boy.\n", 1<<20/44)
	files := map[string]string{
		"a.txt":    text,
		"a.txt.gz": gz(b, text),
		"a.jsonl":  jsonl.String(),
		"a.html":   string(page(1 << 20)),
	}
	for _, name := range []string{"a.txt", "a.txt.gz", "a.jsonl", "a.html"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			b.Fatal(err)
		}
		format, comp := formatOf(name)
		src := Source{Path: p, ID: name, Format: format, Compression: comp}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(files[strings.TrimSuffix(name, ".gz")])))
			b.ReportAllocs()
			for b.Loop() {
				Read(context.Background(), src, nil, func(Doc) error { return nil }, nil)
			}
		})
	}
}

// BenchmarkControls counts the control bytes of 8 KiB of prose (the part
// of a file isBinary looks at), eight bytes at a time and with the test's
// reference.
func BenchmarkControls(b *testing.B) {
	line := []byte("The spokesman of the Harbour Board said that the port would reopen on Monday, \u201cwhen the weather allows.\u201d\n")
	var text []byte
	for len(text) < binarySniff {
		text = append(text, line...)
	}
	text = text[:binarySniff]
	for _, f := range []struct {
		name string
		fn   func([]byte) (int, int)
	}{{"words", controls}, {"reference", controlsSlow}} {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				f.fn(text)
			}
		})
	}
}
