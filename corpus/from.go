package corpus

import (
	"context"
	"io"
)

// ReadFrom is Read for a Source whose bytes come from rd instead of the
// file system: a file of another file system (an object store), opened
// by the caller. size is its length in bytes, -1 when unknown. The
// documents are never Plain; src.Path names the input in errors.
func ReadFrom(ctx context.Context, src Source, rd io.Reader, size int64, opts *Options, visit func(Doc) error, warn ErrorFunc) error {
	r, err := newReader(ctx, src, opts, visit, warn)
	if err != nil {
		return err
	}
	it := item{id: src.ID, path: src.Path, errPath: src.Path, format: src.Format, comp: src.Compression, size: size}
	switch src.Format {
	case FormatZip:
		return r.done(r.zip(it, rd))
	case FormatTar:
		return r.done(r.tar(it, rd))
	}
	return r.done(r.docs(it, rd))
}

// ReadJSONL reads the records of one part of an uncompressed JSONL
// source, so that workers can share a large file: rd holds whole lines of
// src, the first of them line first (1-based). The records are those Read
// gives for the same lines, with the same line numbers and ids. At line
// 1 the head is checked as Read checks it; a part starting further on is
// read as UTF-8 (see Splittable). src.Compression must be "".
func ReadJSONL(ctx context.Context, src Source, rd io.Reader, first int, opts *Options, visit func(Doc) error, warn ErrorFunc) error {
	r, err := newReader(ctx, src, opts, visit, warn)
	if err != nil {
		return err
	}
	it := item{id: src.ID, path: src.Path, errPath: src.Path, format: FormatJSONL, size: -1}
	return r.done(r.jsonlFrom(it, rd, max(first, 1)))
}

// Splittable reports whether a JSONL source whose uncompressed bytes
// begin with head (its first 8 KiB, or all of it) can be read in parts
// by ReadJSONL: it is neither UTF-16 nor binary.
func Splittable(head []byte) bool {
	if len(head) > binarySniff {
		head = head[:binarySniff]
	}
	return !utf16BOM(head) && !isBinary(head)
}

// FormatOf tells an input's format and compression from its name, as
// Walk does: for inputs listed by other means (an object store).
func FormatOf(name string) (Format, string) { return formatOf(name) }

// Match reports whether one of patterns (Options.Exclude, Include)
// matches an entry of a scanned folder, as Walk matches them: by its
// name when the pattern has no slash, else by rel, its slash-separated
// path relative to the folder.
func Match(patterns []string, name, rel string) bool { return matchAny(patterns, name, rel) }
