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
