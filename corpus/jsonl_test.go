package corpus

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadJSONL(t *testing.T) {
	long := strings.Repeat("long line ", 20000) // past bufio's buffer
	input := "\ufeff{\"id\": \"first\", \"text\": \"one\", \"date\": \"2020-05-23T10:00:00Z\"}\r\n" +
		"\n" +
		"   \t\n" +
		"{\"id\": 42, \"text\": \"numeric id\"}\n" +
		"{\"text\": \"no id\"}\n" +
		"{\"id\": null, \"text\": \"null id\", \"date\": \"not a date\"}\n" +
		"{\"id\": \"\", \"text\": \"empty id\", \"date\": 20200523}\n" +
		"{\"id\": \"x\", \"body\": \"no text\"}\n" +
		"{\"id\": \"y\", \"text\": \"\"}\n" +
		"{\"id\": \"z\", \"text\": null}\n" +
		"{\"text\": [\"not\", \"a string\"]}\n" +
		"{\"id\": {\"a\": 1}, \"text\": \"object id\"}\n" +
		"[\"an array\"]\n" +
		"{\"text\": \"cut\n" +
		"{\"text\": \"" + long + "\"}\n" +
		"{\"text\": \"escapes \\u00e9\\n\\\"q\\\"\", \"id\": -7}\n" +
		"{\"text\": \"last line, no newline\"}"
	docs, warns, err := readFile(t, "data.jsonl", input, nil)
	if err != nil {
		t.Fatalf("Read(data.jsonl) = %v", err)
	}
	want := []Doc{
		{ID: "first", Text: []byte("one"), Date: "2020-05-23"},
		{ID: "42", Text: []byte("numeric id")},
		{ID: "data.jsonl#5", Text: []byte("no id")},
		{ID: "data.jsonl#6", Text: []byte("null id")},
		{ID: "data.jsonl#7", Text: []byte("empty id")},
		{ID: "data.jsonl#15", Text: []byte(long)},
		{ID: "-7", Text: []byte("escapes é\n\"q\"")},
		{ID: "data.jsonl#17", Text: []byte("last line, no newline")},
	}
	if len(docs) != len(want) {
		t.Fatalf("Read(data.jsonl) = %d docs, want %d", len(docs), len(want))
	}
	for i, d := range docs {
		want[i].Path = d.Path
		if !docEqual(d, want[i]) || !strings.HasSuffix(d.Path, "data.jsonl") {
			t.Errorf("Read(data.jsonl) doc %d = %s, want %s", i, docString(d), docString(want[i]))
		}
	}
	wantWarns := []string{
		`data.jsonl:8: bad record: missing "text" field`,
		`data.jsonl:9: bad record: empty "text" field`,
		`data.jsonl:10: bad record: missing "text" field`,
		`data.jsonl:11: bad record: "text" field is not a string`,
		`data.jsonl:12: bad record: "id" field is not a string or a number`,
		`data.jsonl:13: bad record: not a JSON object`,
		`data.jsonl:14: bad record: unexpected end of JSON input (at byte 13)`,
	}
	checkLineWarns(t, "data.jsonl", warns, wantWarns)
}

// checkLineWarns checks that warns are *Error with a Line, and their
// messages from name on.
func checkLineWarns(t *testing.T, name string, warns []error, want []string) {
	t.Helper()
	var msgs []string
	for _, w := range warns {
		var e *Error
		if !errors.As(w, &e) || e.Line == 0 || !strings.HasSuffix(e.Path, name) {
			t.Errorf("warning %v is not an *Error with Path and Line", w)
		}
		msgs = append(msgs, w.Error()[strings.LastIndex(w.Error(), name):])
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("Read(%s) warnings =\n%q\nwant\n%q", name, msgs, want)
	}
}

func TestReadJSONLOptions(t *testing.T) {
	input := "{\"doc_id\": \"a\", \"content\": \"custom\", \"published\": \"May 23, 2020\", \"text\": \"ignored\"}\n" +
		"{\"id\": \"b\", \"text\": \"no content field\"}\n" +
		"{\"content\": \"" + strings.Repeat("x", 50) + "\"}\n" +
		"{\"content\": \"after the long line\"}\n"
	docs, warns, err := readFile(t, "d.ndjson.gz", gz(t, input), &Options{IDField: "doc_id", TextField: "content", DateField: "published", MaxBytes: 1000})
	if err != nil || len(docs) != 3 || docs[0].ID != "a" || string(docs[0].Text) != "custom" || docs[0].Date != "2020-05-23" {
		t.Errorf("Read(d.ndjson.gz) with fields doc_id, content, published = %s, %v", docsString(docs), err)
	}
	checkLineWarns(t, "d.ndjson.gz", warns, []string{`d.ndjson.gz:2: bad record: missing "content" field`})

	// A line longer than MaxBytes is left out; reading goes on.
	docs, warns, err = readFile(t, "d.jsonl", input, &Options{TextField: "content", MaxBytes: 60})
	if err != nil || len(docs) != 1 || string(docs[0].Text) != "after the long line" || docs[0].ID != "d.jsonl#4" {
		t.Errorf("Read(d.jsonl, MaxBytes 60) = %s, %v", docsString(docs), err)
	}
	checkLineWarns(t, "d.jsonl", warns, []string{
		`d.jsonl:1: line exceeds 60 bytes (raise --max-bytes)`,
		`d.jsonl:2: bad record: missing "content" field`,
		`d.jsonl:3: line exceeds 60 bytes (raise --max-bytes)`,
	})
}

func TestReadJSONLUTF16(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("\xff\xfe")
	for _, r := range "{\"text\": \"h\u00e9\"}\n{\"text\": \"two\"}\n" {
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	docs, warns, err := readFile(t, "u16.jsonl", b.String(), nil)
	if err != nil || len(warns) > 0 || len(docs) != 2 || string(docs[0].Text) != "hé" || string(docs[1].Text) != "two" {
		t.Errorf("Read(UTF-16 JSONL) = %s, %v, %v; want hé, two", docsString(docs), warns, err)
	}
}

func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		"{\"id\": \"a\", \"text\": \"one\", \"date\": \"2020-05-23\"}\n{\"id\": 2, \"text\": \"two\"}\n",
		"{\"text\": \"no id\"}\r\n\r\n{\"text\": \"\"}\n",
		"\ufeff{\"text\": \"bom\"}",
		"[1, 2]\n\"str\"\nnull\n{\"text\": \"cut",
		"{\"id\": 1e999, \"text\": \"big number\", \"date\": \"23 May 2020\"}\n{\"id\": true, \"text\": \"x\"}",
		"{\"text\": \"\\ud800 lone surrogate \\u0000 nul\"}\n",
		"\xff\xfe{\x00}\x00",
		"{\"text\": \"a\"} trailing\n{\"text\": \"a\", \"text\": \"dup\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &reader{ctx: context.Background(), opts: Options{MaxBytes: 1 << 20}}
		r.visit = func(d Doc) error {
			if d.ID == "" || len(d.Text) == 0 || d.Path != "f.jsonl" {
				t.Errorf("doc %s: want an ID, a Text and Path f.jsonl", docString(d))
			}
			if utf8.Valid(data) && !utf8.Valid(d.Text) {
				t.Errorf("doc %q: Text not UTF-8", d.ID)
			}
			if d.Date != "" && !isYMD(d.Date) {
				t.Errorf("doc %q: Date %q", d.ID, d.Date)
			}
			return nil
		}
		r.warn = func(err error) {
			var e *Error
			if !errors.As(err, &e) || e.Line < 1 || e.Path != "f.jsonl" {
				t.Errorf("warning %v: want *Error with Path and Line", err)
			}
		}
		it := item{id: "f.jsonl", path: "f.jsonl", errPath: "f.jsonl", format: FormatJSONL, size: -1}
		if err := r.jsonl(it, bytes.NewReader(data)); err != nil && !errors.Is(err, ErrBinary) {
			t.Errorf("jsonl = %v, want nil or ErrBinary", err)
		}
	})
}
