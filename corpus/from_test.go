package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readAllDocs reads src with Read, dropping Plain (ReadFrom never sets it).
func readAllDocs(t *testing.T, src Source) []Doc {
	t.Helper()
	var docs []Doc
	err := Read(context.Background(), src, nil, func(d Doc) error {
		d.Plain = false
		docs = append(docs, d)
		return nil
	}, nil)
	if err != nil {
		t.Fatalf("Read(%s): %v", src.Path, err)
	}
	return docs
}

func TestReadFromMatchesRead(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("{\"id\": \"a\", \"text\": \"one two\"}\n{\"text\": \"three\"}\n"))
	zw.Close()
	files := map[string][]byte{
		"a.txt":      []byte("date: 2020-05-23\nThe minister said on Saturday."),
		"b.html":     []byte(`<title>T</title><p>The <b>minister</b> said.</p>`),
		"c.jsonl":    []byte("{\"id\": 7, \"text\": \"x y\"}\nnot json\n{\"text\": \"z\", \"date\": \"2021-01-02\"}\n"),
		"d.jsonl.gz": gz.Bytes(),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		format, comp := formatOf(name)
		src := Source{Path: p, ID: name, Format: format, Compression: comp}
		want := readAllDocs(t, src)
		var got []Doc
		err := ReadFrom(context.Background(), src, bytes.NewReader(data), int64(len(data)), nil, func(d Doc) error {
			got = append(got, d)
			return nil
		}, nil)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ReadFrom(%s) = %+v, %v, want %+v", name, got, err, want)
		}
	}
}

// Every cut of a JSONL file at line starts gives the records of Read.
func TestReadJSONLParts(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 12; i++ {
		switch {
		case i%5 == 0:
			b.WriteString("\n") // blank
		case i%4 == 0:
			fmt.Fprintf(&b, "{\"text\": \"no id %d\"}\r\n", i)
		default:
			fmt.Fprintf(&b, "{\"id\": \"r%d\", \"text\": \"record %d\"}\n", i, i)
		}
	}
	data := []byte(b.String())
	p := filepath.Join(t.TempDir(), "x.jsonl")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	src := Source{Path: p, ID: "x.jsonl", Format: FormatJSONL}
	want := readAllDocs(t, src)
	if !Splittable(data) {
		t.Fatal("Splittable(jsonl) = false, want true")
	}
	var starts []int // byte offset of each line
	for i := 0; i < len(data); i++ {
		if i == 0 || data[i-1] == '\n' {
			starts = append(starts, i)
		}
	}
	for cut := 1; cut < len(starts); cut++ {
		var got []Doc
		visit := func(d Doc) error { got = append(got, d); return nil }
		ctx := context.Background()
		if err := ReadJSONL(ctx, src, bytes.NewReader(data[:starts[cut]]), 1, nil, visit, nil); err != nil {
			t.Fatal(err)
		}
		if err := ReadJSONL(ctx, src, bytes.NewReader(data[starts[cut]:]), cut+1, nil, visit, nil); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("cut at line %d: got %+v, want %+v", cut+1, got, want)
		}
	}
}

func TestSplittable(t *testing.T) {
	for _, tc := range []struct {
		head string
		want bool
	}{
		{"{\"text\": \"a\"}\n", true},
		{"\xff\xfe{\x00", false},
		{"\x00\x01\x02", false},
		{"", true},
	} {
		if got := Splittable([]byte(tc.head)); got != tc.want {
			t.Errorf("Splittable(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

func TestFormatOfAndMatch(t *testing.T) {
	if f, c := FormatOf("gs://b/x/News.JSONL.gz"); f != FormatJSONL || c != "gzip" {
		t.Errorf("FormatOf = %v, %q, want JSONL, gzip", f, c)
	}
	if !Match([]string{"*.csv"}, "a.csv", "x/a.csv") || Match([]string{"x/*.md"}, "a.md", "y/a.md") {
		t.Error("Match disagrees with the patterns")
	}
}
