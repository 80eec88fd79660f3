// Package reusebeam is a reuse scan as an Apache Beam pipeline (Go SDK):
// Build adds to a pipeline the transforms that read the inputs and write
// the result of `reuse scan` (reuse.scan/v1 JSON, or JSONL), byte for
// byte, on any Beam runner: Prism in process, Flink, Spark, Dataflow:
// exact passages and the reworded text of pairs that show rewording
// (package reword), exact passages only (Settings.Exact), documents
// paired by their reworded keys too (Settings.Reworded), or listed pairs
// only, each aligned whole (Settings.Pairs: PAN mode).
//
// The pipeline runs the scan's three stages with the stage packages' own
// functions, never a copy of their rules: index (numbering, the analysis
// of a document, the LSH cut), candidate (the document-frequency caps,
// the pairing rules), pairs (the aligner, the evidence filter, byte
// offsets, near-duplicates), cluster (boilerplate, families, groups) and
// assemble (percentages, excerpts, clusters' summaries, pairs' results).
// The root package gives only the options, their defaults and checks
// (reuse.Options.WithDefaults, Params).
//
// Keys and shuffles: postings and LSH band keys are grouped by partition
// of their hashes (Config.Partitions), everything keyed by document by
// block of consecutive documents (Config.BlockDocs), in batches of records
// encoded by hand (records.go): a runner's cost is per element and per key
// as much as per byte. The one shuffle that grows with the candidates
// brings each pair's second document, its seeds (4 bytes a word) and the
// places of the fingerprints it holds twice, to the block of its first;
// README.md measures it and the rest.
//
// One worker each holds: the documents' ids while they are numbered (about
// 100 bytes a document), and the result while it is written (for JSONL in
// shards, Config.Shards, only the families' keys while clusters are
// numbered; shards.go). Connected components (of boilerplate
// fingerprints, of families' pairs, and of near-duplicates) are iterated
// stages, not one worker holding a graph.
//
// The DoFns keep per-worker scratch memory; a runner gives each worker its
// own copy of a DoFn, as Beam does.
package reusebeam
