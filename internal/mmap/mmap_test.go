package mmap

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMap(t *testing.T) {
	for _, content := range []string{"", "hello, mapped world"} {
		p := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		data, unmap, err := Map(f)
		f.Close() // a mapping outlives its file
		if err != nil || string(data) != content {
			t.Fatalf("Map = %q, %v; want %q", data, err, content)
		}
		if err := unmap(); err != nil {
			t.Errorf("unmap: %v", err)
		}
	}
}

// TestWillNeed: advice on any range of a mapping, inside it or not, is
// harmless and leaves the bytes as they are.
func TestWillNeed(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	content := make([]byte, 3*os.Getpagesize()+100)
	for i := range content {
		content[i] = byte(i)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, unmap, err := Map(f)
	if err != nil {
		t.Fatal(err)
	}
	defer unmap()
	n := len(data)
	for _, r := range [][2]int{{0, n}, {1, 2}, {n - 1, n}, {4097, 9000}, {-1, 5}, {5, n + 1}, {7, 7}, {9, 3}} {
		WillNeed(data, r[0], r[1])
	}
	if string(data) != string(content) {
		t.Error("the mapping changed")
	}
}

// TestAnonymous: an anonymous mapping is zeroed and writable where the
// system maps memory, counted by AnonymousBytes until its unmap (called
// twice, it counts once); where it does not, ok is false.
func TestAnonymous(t *testing.T) {
	base := AnonymousBytes()
	n := 3*os.Getpagesize() + 5
	data, unmap, ok := Anonymous(n)
	if !ok {
		if maps {
			t.Fatal("Anonymous failed on a system that maps memory")
		}
		return
	}
	if len(data) != n {
		t.Fatalf("Anonymous(%d) = %d bytes", n, len(data))
	}
	for i, c := range data {
		if c != 0 {
			t.Fatalf("Anonymous: byte %d is %d, not zero", i, c)
		}
		data[i] = byte(i)
	}
	if got := AnonymousBytes() - base; got != int64(n) {
		t.Errorf("AnonymousBytes with the mapping = %d more, want %d", got, n)
	}
	unmap()
	unmap()
	if got := AnonymousBytes(); got != base {
		t.Errorf("AnonymousBytes after unmap twice = %d, want %d", got, base)
	}
	if _, _, ok := Anonymous(0); ok {
		t.Error("Anonymous(0) mapped something")
	}
}
