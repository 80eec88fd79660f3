package corpus

import (
	"os"
	"path/filepath"
	"strings"
)

// CommonFolder returns the folder holding every input: a folder input
// itself, a file's folder, the working directory for standard input.
func CommonFolder(inputs []string) string {
	var common string
	for _, in := range inputs {
		p := in
		if in == "-" {
			p = "."
		} else if fi, err := os.Stat(in); err != nil || !fi.IsDir() {
			p = filepath.Dir(in)
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if common == "" {
			common = abs
			continue
		}
		for !Within(common, abs) {
			parent := filepath.Dir(common)
			if parent == common {
				break
			}
			common = parent
		}
	}
	if common == "" {
		common, _ = filepath.Abs(".")
	}
	return common
}

// Within reports whether path lies in the folder dir (or is it).
func Within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
