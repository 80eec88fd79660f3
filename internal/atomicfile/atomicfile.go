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
	"errors"
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
// Errors of the file name path (callers need not wrap them again) and wrap
// the underlying error for errors.Is. An error of write's own is returned
// as it is, unless it is one the file gave write: a scan that streams its
// result through write and runs out of room for its temporary files says
// so, and is not reported as an error of path. If path is a symbolic link,
// the link itself is replaced by a regular file.
//
// A path that exists and is neither a regular file nor a folder (a device
// such as /dev/null or /dev/stdout, a FIFO) cannot be replaced, and is not:
// it is opened and written directly, through a buffer. (Renaming over
// /dev/null made it a regular file, and broke every program that uses it.)
func Write(path string, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return writeDirect(path, write)
	}
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

	rec := &recorder{w: f}
	bw := bufio.NewWriter(rec)
	if err := write(bw); err != nil {
		return rec.name(path, err)
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

// writeDirect writes to path, a device or FIFO, in place.
func writeDirect(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	rec := &recorder{w: f}
	bw := bufio.NewWriter(rec)
	if err := write(bw); err != nil {
		f.Close()
		return rec.name(path, err)
	}
	err = bw.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// recorder passes writes on to w and keeps the first error w gave.
type recorder struct {
	w   io.Writer
	err error
}

func (r *recorder) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	if err != nil && r.err == nil {
		r.err = err
	}
	return n, err
}

// name returns err, an error of write, naming path when it is (or wraps)
// the error the file gave, as it is otherwise.
func (r *recorder) name(path string, err error) error {
	if r.err != nil && errors.Is(err, r.err) {
		return fmt.Errorf("%s: %w", path, err)
	}
	return err
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
