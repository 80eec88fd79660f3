package report

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
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

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")

	// A failing write leaves nothing behind.
	err := WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("WriteFileAtomic with a failing write = %v, want %v", err, errBoom)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Fatalf("after a failed write the directory holds %q, want nothing", names)
	}

	// Success creates the file, mode 0644.
	if err := WriteFileAtomic(path, writeString("old")); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "old")
	if fi, err := os.Stat(path); err != nil {
		t.Fatal(err)
	} else if runtime.GOOS != "windows" && fi.Mode().Perm()&^0o022 != 0o644&^0o022 {
		t.Errorf("mode = %v, want 0644", fi.Mode().Perm())
	}

	// A failing write, or a panic, leaves the old file as it was.
	if err := WriteFileAtomic(path, func(w io.Writer) error { return errBoom }); !errors.Is(err, errBoom) {
		t.Fatalf("WriteFileAtomic = %v, want %v", err, errBoom)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic in write did not reach the caller")
			}
		}()
		WriteFileAtomic(path, func(w io.Writer) error {
			io.WriteString(w, "new but broken")
			panic("oops")
		})
	}()
	checkFile(t, path, "old")
	if names := dirNames(t, dir); len(names) != 1 || names[0] != "out.json" {
		t.Errorf("directory holds %q, want only out.json", names)
	}

	// Success replaces it.
	if err := WriteFileAtomic(path, func(w io.Writer) error { return WriteCSV(w, scanFixture()) }); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	WriteCSV(&want, scanFixture())
	checkFile(t, path, want.String())
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only out.json", names)
	}
}

func TestWriteFileAtomicRelative(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := WriteFileAtomic("rel.txt", writeString("x")); err != nil {
		t.Fatal(err)
	}
	checkFile(t, filepath.Join(dir, "rel.txt"), "x")
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only rel.txt", names)
	}
}

func TestWriteFileAtomicErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "out.json")
	err := WriteFileAtomic(missing, writeString("x"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("WriteFileAtomic(%q) = %v, want an error wrapping os.ErrNotExist", missing, err)
	}
	// Renaming over a directory fails; the temporary file must go.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(sub, writeString("x")); err == nil {
		t.Errorf("WriteFileAtomic over a non-empty directory succeeded")
	}
	if names := dirNames(t, dir); len(names) != 1 || names[0] != "sub" {
		t.Errorf("directory holds %q, want only sub", names)
	}
}

func checkFile(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
}
