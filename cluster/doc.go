// Package cluster turns fingerprints into evidence of reuse: candidate
// pairs of documents, the passages they share, reuse families and
// near-duplicate groups. It reads no files and formats nothing.
//
// # Candidates (the shuffle)
//
// Candidates radix-sorts postings (fingerprint hash, document, position;
// 16 bytes, no pointers) by hash, in place and on all cores, and pairs the
// documents that share one fingerprint held by at most SoloDF documents,
// three near each other, or two near each other when one of their shared
// fingerprints is rare (see Candidates). Fingerprints held by more than
// MaxDF documents are boilerplate: Boilerplate turns them into families in
// linear time (union-find over fingerprints), never pairs. Pair keys are
// written straight to their place among those of their first document, in
// ranges of first documents of at most 16 M keys (256 MiB), in the space
// the postings no longer need when it suffices. Cost: O(postings + pair
// occurrences); memory: the postings, and keys only where they do not fit
// behind them.
//
// # Alignment
//
// An Aligner indexes one document's 3-token seeds (SetA) and aligns others
// against it (Align): seed matches merge into diagonal runs; runs chain
// across edits (gaps up to MaxGap tokens, drift up to MaxDrift); chains are
// resolved densest first into passages that never overlap on either side.
// A passage needs an unbroken run of MinWords tokens or 2·MinWords matched
// ones. Cost: O(len A) to index, O(len B + matches + runs·open chains) per
// alignment, no allocation once its scratch has grown. An Aligner is NOT
// safe for concurrent use; give each worker its own.
//
// # Families and groups
//
// Families builds a graph of passage occurrences (edges: the two sides of
// a passage, occurrences covering the same region of one document) and
// takes its connected components with a union-find (tests check it
// against gonum's topo.ConnectedComponents); a quote inside a longer
// copied passage is projected into that passage's source, and a family
// contained in another is merged into it. Groups joins near-duplicate
// documents (connected components of their edges); Bands and Buckets give
// the MinHash LSH that finds them when no pair was formed.
//
// All functions are deterministic: the same input gives the same output,
// in the documented order.
package cluster
