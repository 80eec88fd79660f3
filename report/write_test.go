package report

import (
	"bytes"
	"errors"
	"testing"
)

var errBoom = errors.New("boom")

// errWriter accepts n bytes, then fails every write with errBoom.
type errWriter struct{ n int }

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) <= w.n {
		w.n -= len(p)
		return len(p), nil
	}
	n := w.n
	w.n = 0
	return n, errBoom
}

// TestWritersFail checks that every writer reports a failing writer's error,
// whether it fails at once, in the middle or at the last byte.
func TestWritersFail(t *testing.T) {
	for _, w := range formatWriters {
		var full bytes.Buffer
		if err := w.write(&full, scanFixture()); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, 100, full.Len() / 2, full.Len() - 1} {
			err := w.write(&errWriter{n: n}, scanFixture())
			if !errors.Is(err, errBoom) {
				t.Errorf("%s to a writer failing after %d bytes = %v, want %v", w.name, n, err, errBoom)
			}
		}
		if err := w.write(&errWriter{n: full.Len()}, scanFixture()); err != nil {
			t.Errorf("%s to a writer failing after all %d bytes = %v, want nil", w.name, full.Len(), err)
		}
	}
}
