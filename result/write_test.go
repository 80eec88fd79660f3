package result_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden compares WriteJSON's output for each fixture with
// testdata/golden/<fixture>.json.
func TestGolden(t *testing.T) {
	for _, fx := range resulttest.Fixtures() {
		t.Run(fx.Name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := result.WriteJSON(&buf, fx.New()); err != nil {
				t.Fatalf("WriteJSON: %v", err)
			}
			resulttest.Golden(t, filepath.Join("testdata", "golden", fx.Name+".json"), buf.Bytes(), *update)
		})
	}
}

// TestWriteJSONPromises checks that WriteJSON is deterministic, leaves its
// Result alone and reports a failing writer's error.
func TestWriteJSONPromises(t *testing.T) {
	resulttest.TestWriter(t, "WriteJSON", result.WriteJSON)
}

func TestWriteJSONRoundTrip(t *testing.T) {
	rs := []*result.Result{resulttest.Scan(), resulttest.NoReuse(), {}, resulttest.NilSlices()}
	for i, r := range rs {
		var buf bytes.Buffer
		if err := result.WriteJSON(&buf, r); err != nil {
			t.Fatalf("WriteJSON(#%d): %v", i, err)
		}
		if bytes.Contains(buf.Bytes(), []byte("null")) {
			t.Errorf("WriteJSON(#%d) wrote null:\n%s", i, buf.Bytes())
		}
		var got result.Result
		dec := json.NewDecoder(&buf)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("decoding WriteJSON(#%d): %v", i, err)
		}
		if want := resulttest.Normalize(r); !reflect.DeepEqual(&got, want) {
			t.Errorf("WriteJSON(#%d) decodes to\n%+v\nwant\n%+v", i, got, *want)
		}
	}
}

// TestWriteJSONMatchesMarshal checks the streaming writer against the slow,
// obvious one: encoding/json on the whole normalized Result.
func TestWriteJSONMatchesMarshal(t *testing.T) {
	rs := []*result.Result{resulttest.Scan(), resulttest.NoReuse(), {}, resulttest.NilSlices()}
	for i, r := range rs {
		var got, want bytes.Buffer
		if err := result.WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(resulttest.Normalize(r)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("WriteJSON(#%d) =\n%s\nwant (encoding/json)\n%s", i, got.String(), want.String())
		}
	}
}

// TestResultFields fails when Result gains or renames a field: WriteJSON,
// and the scan line of report.WriteJSONL, name Result's fields one by one
// and must be taught about it.
func TestResultFields(t *testing.T) {
	var got []string
	rt := reflect.TypeFor[result.Result]()
	for i := range rt.NumField() {
		got = append(got, rt.Field(i).Tag.Get("json"))
	}
	want := []string{"schema", "params", "stats", "documents", "pairs", "clusters", "groups"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Result's JSON fields are %q, WriteJSON and report.WriteJSONL know %q", got, want)
	}
}

func TestWriteJSONNaN(t *testing.T) {
	r := resulttest.Scan()
	r.Pairs[1].Jaccard = math.NaN()
	var buf bytes.Buffer
	err := result.WriteJSON(&buf, r)
	if err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("WriteJSON with a NaN = %v, want an unsupported value error", err)
	}
}

func BenchmarkWriteJSON(b *testing.B) {
	resulttest.BenchmarkWriter(b, result.WriteJSON)
}
