package result_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

// FuzzReadJSON: any input is read as a Result or refused with ErrFormat
// or ErrSchema, never a panic. A Result read has Schema (a v1 one is
// returned as v2), WriteJSON writes it without error the bytes its doc
// promises (encoding/json's, indented, HTML left alone, nil slices as
// []), and those bytes read back as the same Result.
func FuzzReadJSON(f *testing.F) {
	for _, r := range []*result.Result{resulttest.Scan(), resulttest.NoReuse(), {}, resulttest.NilSlices()} {
		var buf bytes.Buffer
		if err := result.WriteJSON(&buf, r); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	golden, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil || len(golden) == 0 {
		f.Fatalf("no golden results: %v", err)
	}
	for _, p := range golden {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{"schema": "reuse.scan/v1", "stats": {"clusters": 1},
			"clusters": [{"id": 1, "documents": 2, "text": "Der Rat tagte am Montag.",
				"members": [{"doc": "b.txt", "start": 0, "end": 24}, {"doc": "a.txt", "start": 3, "end": 27}]}]}`,
		`{"type":"scan","schema":"reuse.scan/v1"}`,
		`{"schema":"reuse.scan/v2","pairs":[{"a":"a.txt","b":"b.txt","a_pct":1e-7,"jaccard":-0,
			"passages":[{"a_start":0,"a_end":9,"kind":"reworded","similarity":0.5,"a_text":"<p>&amp;\u2028","b_text":"\ud800"}]}],
			"documents":null,"unknown":{"x":[1,2]}}`,
		`{"schema":"reuse.scan/v2","documents":[{"id":"x","archived":true,"reused_pct":1e21}]} trailing`,
		`{"schema":"reuse.scan/v3"}`,
		`{"schema": 1}`,
		`{"schema":"reuse.scan/v2","stats":{"words":1e400}}`,
		`[{"schema":"reuse.scan/v2"}]`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := result.ReadJSON(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, result.ErrFormat) && !errors.Is(err, result.ErrSchema) {
				t.Fatalf("ReadJSON(%q) = %v, want ErrFormat or ErrSchema", data, err)
			}
			return
		}
		if got.Schema != result.Schema {
			t.Fatalf("ReadJSON(%q): schema %q, want %q", data, got.Schema, result.Schema)
		}
		var buf bytes.Buffer
		if err := result.WriteJSON(&buf, got); err != nil {
			t.Fatalf("WriteJSON(ReadJSON(%q)): %v", data, err)
		}
		norm := resulttest.Normalize(got)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(norm); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want.Bytes()) {
			t.Errorf("WriteJSON(ReadJSON(%q)) =\n%s\nencoding/json writes\n%s", data, buf.Bytes(), want.Bytes())
		}
		back, err := result.ReadJSON(&buf)
		if err != nil || !reflect.DeepEqual(back, norm) {
			t.Errorf("ReadJSON(%q) = %+v; written and read back: %+v, %v", data, norm, back, err)
		}
	})
}
