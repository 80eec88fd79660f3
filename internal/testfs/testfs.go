// Package testfs writes trees of files for tests: one helper instead of a
// copy in every package whose tests scan folders.
package testfs

import (
	"os"
	"path/filepath"
	"testing"
)

// Write creates files under dir, given by slash-separated path relative
// to dir, with their folders, and stops the test at the first error.
func Write[T string | []byte](tb testing.TB, dir string, files map[string]T) {
	tb.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
