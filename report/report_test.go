package report

import (
	"bytes"
	"flag"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// formatWriters lists every format of this package with its golden file
// extension.
var formatWriters = []struct {
	name  string
	ext   string
	write func(io.Writer, *result.Result) error
}{
	{"WriteJSONL", "jsonl", WriteJSONL},
	{"WriteCSV", "csv", WriteCSV},
	{"WriteText", "txt", func(w io.Writer, r *result.Result) error { return WriteText(w, r, TextOptions{}) }},
}

// TestGolden compares each format's output for each fixture with
// testdata/golden/<fixture>.<ext>.
func TestGolden(t *testing.T) {
	for _, fx := range resulttest.Fixtures() {
		for _, w := range formatWriters {
			t.Run(fx.Name+"."+w.ext, func(t *testing.T) {
				var buf bytes.Buffer
				if err := w.write(&buf, fx.New()); err != nil {
					t.Fatalf("%s: %v", w.name, err)
				}
				resulttest.Golden(t, filepath.Join("testdata", "golden", fx.Name+"."+w.ext), buf.Bytes(), *update)
			})
		}
	}
}

// TestWritersPromises checks that every writer is deterministic, leaves its
// Result alone and reports a failing writer's error.
func TestWritersPromises(t *testing.T) {
	for _, w := range formatWriters {
		resulttest.TestWriter(t, w.name, w.write)
	}
}

func TestWriteJSONLNaN(t *testing.T) {
	r := resulttest.Scan()
	r.Pairs[1].Jaccard = math.NaN()
	var buf bytes.Buffer
	err := WriteJSONL(&buf, r)
	if err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("WriteJSONL with a NaN = %v, want an unsupported value error", err)
	}
}

func BenchmarkWrite(b *testing.B) {
	for _, w := range formatWriters {
		b.Run(w.name, func(b *testing.B) { resulttest.BenchmarkWriter(b, w.write) })
	}
}
