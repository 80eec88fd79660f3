package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTruthRoundTrip(t *testing.T) {
	tr := &Truth{Schema: TruthSchema, Seed: 1<<64 - 1,
		Documents: []TruthDoc{{ID: "src/00001.txt", Bytes: 1234, Date: "2015-01-01"}, {ID: "sus/00002.txt", Bytes: 99}},
		Cases: []Case{
			cs(ClassLight, "src/00001.txt", 100, 400, "sus/00002.txt", 50, 60),
			cs(ClassQuote, "src/00001.txt", 7, 70, "sus/00002.txt", 0, 20),
		},
		Groups: [][]string{{"src/00001.txt", "sus/00002.txt"}},
	}
	var buf bytes.Buffer
	if err := tr.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("Encode wrote invalid JSON:\n%s", buf.Bytes())
	}
	if lines := strings.Count(buf.String(), "\n"); lines != 12 {
		t.Errorf("Encode wrote %d lines, want one per document, case and group (12):\n%s", lines, buf.Bytes())
	}
	path := filepath.Join(t.TempDir(), "truth.json")
	if err := WriteTruth(path, tr); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTruth(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, tr) {
		t.Errorf("ReadTruth(WriteTruth(t)) = %+v, want %+v", back, tr)
	}
}

func TestTruthEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := (&Truth{Schema: TruthSchema}).Encode(&buf); err != nil {
		t.Fatal(err)
	}
	want := "{\"schema\":\"reuse.truth/v1\",\"seed\":0,\n\"documents\":[],\n\"cases\":[],\n\"groups\":[]}\n"
	if buf.String() != want {
		t.Errorf("Encode(empty) = %q, want %q", buf.String(), want)
	}
}

func TestDecodeTruthErrors(t *testing.T) {
	tests := []struct {
		in     string
		schema bool
	}{
		{`{"schema":"reuse.truth/v2","cases":[]}`, true},
		{`{"cases":[]}`, true},
		{`{"schema":"reuse.truth/v1","cases":[{"source_start":"x"}]}`, false},
		{`{`, false},
	}
	for _, tt := range tests {
		_, err := DecodeTruth(strings.NewReader(tt.in))
		if err == nil || errors.Is(err, ErrSchema) != tt.schema {
			t.Errorf("DecodeTruth(%q) = %v, want an error (schema: %v)", tt.in, err, tt.schema)
		}
	}
	if _, err := ReadTruth(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Errorf("ReadTruth(missing file) succeeded")
	}
}
