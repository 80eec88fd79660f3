// Package corpus finds and reads the documents of a scan: folders walked
// recursively, single files, stdin, archives (.zip, .tar), each file as plain
// text, HTML (visible text) or JSONL (one document per line), optionally
// compressed with gzip or zstd.
//
// Walk enumerates inputs cheaply and in a deterministic order; Read turns one
// input into documents. Problems with one input are reported through an
// ErrorFunc as *Error values naming the file (and line) and never stop the
// rest. Both are safe for concurrent use; Read holds one input's text at a
// time.
package corpus
