//go:build unix

package corpus

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/reuse-tool/reuse/internal/testfs"
)

// fifoIn makes a named pipe, pipe.txt, in dir, and returns its path; it
// skips the test where pipes cannot be made.
func fifoIn(t *testing.T, dir string) string {
	t.Helper()
	fifo := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return fifo
}

func TestWalkNotRegular(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{"a.txt": "a"})
	fifo := fifoIn(t, dir)
	srcs, warns := walk(t, []string{dir}, nil)
	if got, want := ids(srcs), []string{"a.txt"}; !slices.Equal(got, want) {
		t.Errorf("Walk ids = %q, want %q", got, want)
	}
	checkWarn(t, warns, fifo, "not a regular file")

	srcs, warns = walk(t, []string{fifo}, nil)
	if len(srcs) > 0 {
		t.Errorf("Walk(fifo) = %v, want nothing", srcs)
	}
	checkWarn(t, warns, fifo, "not a regular file")

	// Read refuses it too, rather than block on it.
	err := Read(context.Background(), Source{Path: fifo, ID: "pipe.txt"}, nil, func(Doc) error { return nil }, nil)
	if !errors.Is(err, ErrNotRegular) {
		t.Errorf("Read(fifo) = %v, want ErrNotRegular", err)
	}
	// And so does ReadFile, which reads texts again.
	if _, err := ReadFile(fifo, nil); !errors.Is(err, ErrNotRegular) {
		t.Errorf("ReadFile(fifo) = %v, want ErrNotRegular", err)
	}
}

// TestReadFile: a file's bytes, whatever their size, in buf when it has
// room; a missing file is an error.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 511, 512, 70000} {
		p := filepath.Join(dir, "f.txt")
		want := make([]byte, n)
		for i := range want {
			want[i] = byte('a' + i%26)
		}
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 0, 100000)
		got, err := ReadFile(p, buf)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("ReadFile of %d bytes = %d bytes, %v", n, len(got), err)
		}
		if n > 0 && &got[0] != &buf[:1][0] {
			t.Errorf("ReadFile of %d bytes did not use buf, which had room", n)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.txt"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile(missing) = %v, want os.ErrNotExist", err)
	}
}

func TestWalkPermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads anything")
	}
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{"a.txt": "a", "locked/b.txt": "b", "z.txt": "z"})
	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	srcs, warns := walk(t, []string{dir}, nil)
	if got, want := ids(srcs), []string{"a.txt", "z.txt"}; !slices.Equal(got, want) {
		t.Errorf("Walk ids = %q, want %q", got, want)
	}
	checkWarn(t, warns, locked, "permission denied")

	// An unreadable file is listed; reading it fails, naming it.
	if err := os.Chmod(filepath.Join(dir, "z.txt"), 0); err != nil {
		t.Fatal(err)
	}
	_, _, err := read(srcs[1], nil)
	var e *Error
	if !errors.As(err, &e) || e.Path != srcs[1].Path || !errors.Is(err, os.ErrPermission) {
		t.Errorf("Read(unreadable) = %v, want *Error naming it, os.ErrPermission", err)
	}
}

// TestPrefetch: Prefetch returns at once for every kind of input, a FIFO
// with no writer included (a hint must never wait for one), and leaves
// the file as it was.
func TestPrefetch(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{"a.txt": "some text"})
	fifo := fifoIn(t, dir)
	done := make(chan bool)
	go func() {
		for _, p := range []string{filepath.Join(dir, "a.txt"), fifo, filepath.Join(dir, "missing.txt"), dir, "-", ""} {
			Prefetch(Source{Path: p})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Prefetch blocked")
	}
	docs := readAllDocs(t, Source{Path: filepath.Join(dir, "a.txt"), ID: "a.txt"})
	if len(docs) != 1 || string(docs[0].Text) != "some text" {
		t.Errorf("after Prefetch, Read = %+v", docs)
	}
}

// TestPrefetchOpen: a Source from PrefetchOpen reads as the Source given
// would, for every kind of input (a FIFO with no writer is refused as not
// a regular file, without blocking; a missing file is named), and its
// file is the one read: the file removed after PrefetchOpen still reads.
func TestPrefetchOpen(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{"a.txt": "some text", "b.txt": "other text"})
	fifo := fifoIn(t, dir)
	done := make(chan bool)
	go func() {
		defer close(done)
		for _, p := range []string{filepath.Join(dir, "a.txt"), fifo, filepath.Join(dir, "missing.txt"), dir, ""} {
			want, _, wantErr := read(Source{Path: p, ID: "x"}, nil)
			got, _, gotErr := read(PrefetchOpen(Source{Path: p, ID: "x"}), nil)
			if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("%q: Read after PrefetchOpen = %v, %v; want %v, %v", p, got, gotErr, want, wantErr)
			}
		}
		b := filepath.Join(dir, "b.txt")
		src := PrefetchOpen(Source{Path: b, ID: "b.txt"})
		if err := os.Remove(b); err != nil {
			t.Error(err)
			return
		}
		if runtime.GOOS == "linux" {
			got, _, err := read(src, nil)
			if err != nil || len(got) != 1 || string(got[0].Text) != "other text" {
				t.Errorf("Read of a prefetched file removed since = %+v, %v; want its text", got, err)
			}
		} else {
			src.Release()
		}
		PrefetchOpen(Source{Path: filepath.Join(dir, "a.txt")}).Release()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("PrefetchOpen or Read blocked")
	}
}
