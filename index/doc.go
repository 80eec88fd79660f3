// Package index is stage 1 of a scan: it reads every document of the
// inputs (package corpus), analyzes it (shingle.Analyzer) and keeps what
// the later stages need of it, so that no text stays in memory:
//
//   - a record of each document: id, path, date, sizes, about 100 bytes and
//     its id, all in memory. Documents are sorted by id and numbered
//     0..Len()-1 in that order; duplicate ids are renamed "<id>#2", ...;
//   - its fingerprints, as postings (hash, document, position) in hash
//     partitions, for the shuffle (EachPostingLoad);
//   - its MinHash signature (Signature) and its LSH band keys (Buckets),
//     for near-duplicate groups;
//   - its seeds and token offsets, for alignment (SeedReader);
//   - its text, when it cannot be read again from its file: extracted from
//     HTML or JSONL, decompressed, decoded, read from an archive or
//     standard input (Text reads a plain file again and checks it).
//
// All but the records wait in temporary files (package internal/spool,
// where their formats are documented): memory grows with the number of
// documents, not with the text. Close removes the files.
//
// Build runs Options.Workers goroutines of readers and as many analyzers.
// The Index it returns does not depend on their number or timing: the same
// inputs give the same documents, numbers and postings.
//
// An Index is safe for concurrent use, except EachPostingLoad and Buckets,
// which consume their spools and are called once, and Close. A SeedReader
// is NOT safe for concurrent use: give each worker its own.
package index
