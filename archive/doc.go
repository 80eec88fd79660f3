// Package archive keeps an index of an archive on disk: what stage 1 of
// a scan keeps of every document (package index: seeds and token
// offsets, fingerprints, MinHash signature, the analysis of prose for
// reworded reuse, and the text when it is not a plain file), with sorted
// postings of fingerprints and LSH band keys, so that new documents can be
// checked against the archive without reading or analyzing it again
// (reuse.Check). An index made for reworded reuse (Params.Reworded) holds
// every document's analysis and the postings of the keys of reworded
// sentences too, about 5% more (docs/benchmarks.md, "An index for
// reworded reuse"). Partners finds the archived documents a check needs:
// the partners of its new documents (Find), then of the archived ones its
// clusters and groups reach (Expand).
//
// The index is a folder of immutable segments and a small manifest
// (format.go documents every byte). A Writer adds documents as a new
// segment, removes documents by id (a removal file per segment), and
// compacts segments into one; each change is published by replacing the
// manifest by rename, so that a process killed at any moment leaves the
// index as it was before the change or after it, never damaged. One
// process changes an index at a time (a lock file; the second gets
// ErrLocked), while any number read it without taking a lock.
//
// An Index (Open) maps the segments a manifest names and looks keys up:
// a binary search of a block index and the decoding of one block of about
// 4 KiB per key and segment. Every part read is checked against a
// checksum, and damaged or truncated files are reported by name
// (ErrCorrupt); Verify checks everything.
//
// Cost: an index takes about 17 bytes a word of text on disk (3 of them
// the analysis of prose for reworded reuse), about the temporary space of
// a scan of the same archive (docs/benchmarks.md, "archive index" and
// "Reworded reuse at default settings"); opening one reads and checks its
// tables (a few milliseconds at 1 GB).
package archive
