//go:build unix

package corpus

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestPrefetch: Prefetch returns at once for every kind of input, a FIFO
// with no writer included (a hint must never wait for one), and leaves
// the file as it was.
func TestPrefetch(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "some text"})
	fifo := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
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
