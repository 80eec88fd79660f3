// Package atomicfile writes a file whole or not at all: the new contents go
// to a temporary file in the same folder, which is renamed over the target
// only once it is complete and synced. An interrupted or failed run never
// leaves a partial file behind, and readers see the old file or the new one,
// never a mixture.
//
// Cost: one temporary file, one fsync of it and a best-effort fsync of the
// folder per call. Write is safe for concurrent use on distinct paths.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"
)

// Write creates or replaces the file at path with what write writes, so
// that the file is replaced whole or not at all.
//
// write receives a *bufio.Writer over a temporary file in the same
// directory (named ".<base>.tmp<random>"); Write flushes it, sets the mode
// to 0644, fsyncs the file, renames it over path and then, best effort,
// fsyncs the directory. On any error, or if write panics, the temporary
// file is removed and an existing file at path is left untouched. Writers
// that wrap their io.Writer in bufio.NewWriter (result.WriteJSON and the
// writers of package report) reuse it and do not buffer twice.
//
// Errors name path (callers need not wrap them again) and wrap the
// underlying error, including write's, for errors.Is. If path is a symbolic
// link, the link itself is replaced by a regular file.
func Write(path string, write func(io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+tempBase(base, 200)+".tmp")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close() // may be a second Close; its error is moot
			os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	done = true
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the platform allows it. Its
// errors are ignored: the new file is already in place, and some systems
// (Windows, some network file systems) cannot sync a directory.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// tempBase returns at most the first n bytes of s, cut on a rune boundary,
// so that a temporary name stays within file-name length limits.
func tempBase(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
