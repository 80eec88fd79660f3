package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWithin: a path lies within a folder when it is the folder or below
// it, not when it only starts with the folder's name.
func TestWithin(t *testing.T) {
	for _, tt := range []struct {
		dir, path string
		want      bool
	}{
		{"/a", "/a", true},
		{"/a", "/a/b/c.txt", true},
		{"/a", "/a/..b", true},
		{"/a", "/ab", false},
		{"/a", "/", false},
		{"/a/b", "/a", false},
		{"/a/b", "/a/c/d", false},
	} {
		if got := Within(filepath.FromSlash(tt.dir), filepath.FromSlash(tt.path)); got != tt.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tt.dir, tt.path, got, tt.want)
		}
	}
}

// TestCommonFolder: the folder holding every input, where a file counts
// by its folder and standard input by the working directory.
func TestCommonFolder(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"news/2024/a.txt", "news/2025/b.txt", "wire/c.txt"} {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	at := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		inputs []string
		want   string
	}{
		{[]string{at("news")}, at("news")},
		{[]string{at("news/2024/a.txt")}, at("news/2024")},
		{[]string{at("news/2024"), at("news/2025/b.txt")}, at("news")},
		{[]string{at("news/2024/a.txt"), at("wire/c.txt")}, root},
		{[]string{"-"}, wd},
		{nil, wd},
	} {
		if got := CommonFolder(tt.inputs); got != tt.want {
			t.Errorf("CommonFolder(%q) = %q, want %q", tt.inputs, got, tt.want)
		}
	}
}
