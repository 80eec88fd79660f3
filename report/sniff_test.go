package report

import (
	"bytes"
	"io"
	"testing"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

func TestSniff(t *testing.T) {
	// Every writer's output, for every fixture, sniffs as its format.
	writers := []struct {
		format string
		write  func(io.Writer, *result.Result) error
	}{
		{"json", result.WriteJSON},
		{"jsonl", WriteJSONL},
		{"csv", WriteCSV},
		{"text", func(w io.Writer, r *result.Result) error { return WriteText(w, r, TextOptions{}) }},
	}
	for _, fx := range resulttest.Fixtures() {
		for _, w := range writers {
			var buf bytes.Buffer
			if err := w.write(&buf, fx.New()); err != nil {
				t.Fatal(err)
			}
			if got := Sniff(buf.Bytes()[:min(256, buf.Len())]); got != w.format {
				t.Errorf("Sniff(%s output of %s) = %q, want %q", w.format, fx.Name, got, w.format)
			}
		}
	}
	tests := []struct{ in, want string }{
		{"", ""},
		{"Dear editor,\n", ""},
		{`{"id": "x", "text": "a JSONL document"}`, ""},
		{"a,b,c\n1,2,3\n", ""},
		{"12 documents were read\n", ""},
		{`{ "schema" : "reuse.scan/v9"`, "json"},
		{`{"type":"scan","schema":"reuse.scan/v1"`, "jsonl"},
		{"1,234 documents, 1 word, 0.0% reused\n", "text"},
		{"no reuse found: 3 documents, 1,512 words\n", "text"},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.in)); got != tt.want {
			t.Errorf("Sniff(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
