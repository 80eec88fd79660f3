//go:build unix

package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteFIFO: a path that is not a regular file (here a FIFO; /dev/null
// is the case met in practice) is written in place, never replaced by a
// regular file.
func TestWriteFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(path)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "through the pipe\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe\n" {
		t.Errorf("read %q from the FIFO", s)
	}
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("after Write, %s is %v (%v), want the FIFO still", path, fi.Mode(), err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("Write left %d entries next to the FIFO", len(ents)-1)
	}
}

// TestWriteErrorOfTheFile: an error the file gives write (/dev/full: no
// room), which write returns wrapped, names the path; write's own error
// does not (TestWrite).
func TestWriteErrorOfTheFile(t *testing.T) {
	const path = "/dev/full"
	if _, err := os.Stat(path); err != nil {
		t.Skip(err)
	}
	err := Write(path, func(w io.Writer) error {
		if _, err := w.Write(make([]byte, 1<<16)); err != nil {
			return fmt.Errorf("result: %w", err)
		}
		return nil
	})
	if !errors.Is(err, syscall.ENOSPC) || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("Write(%s) = %v, want an error naming %s and wrapping ENOSPC", path, err, path)
	}
}
