package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

var errBoom = errors.New("boom")

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

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")

	// A failing write leaves nothing behind.
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return errBoom
	})
	if err != errBoom { // write's own error, as it is: not one of path
		t.Fatalf("Write with a failing write = %v, want %v", err, errBoom)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Fatalf("after a failed write the directory holds %q, want nothing", names)
	}

	// Success creates the file, mode 0644.
	if err := Write(path, writeString("old")); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "old")
	if fi, err := os.Stat(path); err != nil {
		t.Fatal(err)
	} else if runtime.GOOS != "windows" && fi.Mode().Perm()&^0o022 != 0o644&^0o022 {
		t.Errorf("mode = %v, want 0644", fi.Mode().Perm())
	}

	// A failing write, or a panic, leaves the old file as it was.
	if err := Write(path, func(w io.Writer) error { return errBoom }); !errors.Is(err, errBoom) {
		t.Fatalf("Write = %v, want %v", err, errBoom)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic in write did not reach the caller")
			}
		}()
		Write(path, func(w io.Writer) error {
			io.WriteString(w, "new but broken")
			panic("oops")
		})
	}()
	checkFile(t, path, "old")
	if names := dirNames(t, dir); len(names) != 1 || names[0] != "out.json" {
		t.Errorf("directory holds %q, want only out.json", names)
	}

	// Success replaces it.
	if err := Write(path, writeString("new, and longer than the old")); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "new, and longer than the old")
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only out.json", names)
	}
}

func TestWriteRelative(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := Write("rel.txt", writeString("x")); err != nil {
		t.Fatal(err)
	}
	checkFile(t, filepath.Join(dir, "rel.txt"), "x")
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only rel.txt", names)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "out.json")
	err := Write(missing, writeString("x"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Write(%q) = %v, want an error wrapping os.ErrNotExist", missing, err)
	}
	// Renaming over a directory fails; the temporary file must go.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(sub, writeString("x")); err == nil {
		t.Errorf("Write over a non-empty directory succeeded")
	}
	if names := dirNames(t, dir); len(names) != 1 || names[0] != "sub" {
		t.Errorf("directory holds %q, want only sub", names)
	}
}

func TestTempBase(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short.json", 200, "short.json"},
		{"abcdef", 3, "abc"},
		{"aé", 2, "a"}, // é is two bytes: not cut inside it
		{"ééé", 4, "éé"},
	}
	for _, tt := range tests {
		if got := tempBase(tt.in, tt.n); got != tt.want {
			t.Errorf("tempBase(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
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
