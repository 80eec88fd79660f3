package result_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

// TestReadJSON reads back what WriteJSON wrote: the Result, normalized.
func TestReadJSON(t *testing.T) {
	for _, r := range []*result.Result{resulttest.Scan(), resulttest.NoReuse(), {}, resulttest.NilSlices()} {
		var buf bytes.Buffer
		if err := result.WriteJSON(&buf, r); err != nil {
			t.Fatal(err)
		}
		got, err := result.ReadJSON(&buf)
		if err != nil {
			t.Fatalf("ReadJSON(WriteJSON(r)): %v", err)
		}
		if want := resulttest.Normalize(r); !reflect.DeepEqual(got, want) {
			t.Errorf("ReadJSON(WriteJSON(r)) = %+v, want %+v", got, want)
		}
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
		msg  string
	}{
		{``, result.ErrFormat, "EOF"},
		{`not json`, result.ErrFormat, "invalid character"},
		{`{"schema": 1}`, result.ErrFormat, "cannot unmarshal"},
		{`{"schema":"other/v1"}`, result.ErrSchema, `"other/v1", want "reuse.scan/v1"`},
		{`{"documents": []}`, result.ErrSchema, `""`},
		{`{"type":"scan","schema":"reuse.scan/v1"}`, nil, ""}, // a JSONL scan line holds no more than its fields
	}
	for _, tt := range tests {
		_, err := result.ReadJSON(strings.NewReader(tt.in))
		if !errors.Is(err, tt.want) || (err != nil && !strings.Contains(err.Error(), tt.msg)) {
			t.Errorf("ReadJSON(%q) = %v, want %v with %q", tt.in, err, tt.want, tt.msg)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "r.json")
	var buf bytes.Buffer
	if err := result.WriteJSON(&buf, resulttest.Scan()); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(good, buf.Bytes(), 0o644)
	if got, err := result.ReadFile(good); err != nil || !reflect.DeepEqual(got, resulttest.Normalize(resulttest.Scan())) {
		t.Errorf("ReadFile(%s) = %+v, %v", good, got, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema":"other/v1"}`), 0o644)
	if _, err := result.ReadFile(bad); !errors.Is(err, result.ErrSchema) || !strings.HasPrefix(err.Error(), bad+": ") {
		t.Errorf("ReadFile(%s) = %v, want ErrSchema naming the file", bad, err)
	}
	missing := filepath.Join(dir, "missing.json")
	if _, err := result.ReadFile(missing); !errors.Is(err, fs.ErrNotExist) || strings.Count(err.Error(), missing) != 1 {
		t.Errorf("ReadFile(%s) = %v, want fs.ErrNotExist naming the file once", missing, err)
	}
}
