package testfs

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	Write(t, dir, map[string]string{"a.txt": "a", "sub/deeper/b.txt": "b"})
	Write(t, dir, map[string][]byte{"bin/c": {0, 1, 2}})
	for name, want := range map[string]string{"a.txt": "a", "sub/deeper/b.txt": "b", "bin/c": "\x00\x01\x02"} {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
}
