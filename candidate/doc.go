// Package candidate holds the pairing rules of a scan: which pairs of
// documents are worth aligning, given the fingerprints they share, and the
// shuffle that finds them.
//
// The shuffle has two steps, the cut lines where a distributed engine
// groups by key:
//
//  1. Postings (fingerprint hash, document, position, the digest of the
//     words around) grouped by hash: Shuffle.Add sorts a load of postings
//     and writes a Key for every pair of documents holding a fingerprint
//     held by 2..MaxDF documents, with the run of words the two may share
//     through it (Key.Run). Postings of fingerprints held by more
//     documents are boilerplate: spooled aside, never paired.
//  2. Keys grouped by pair: Shuffle.Pairs gathers the keys of a range of
//     first documents and keeps the pairs the Rules accept, with the rare
//     fingerprints each shares (the evidence short passages need).
//     Shuffle.Parts cuts a range into parts whose keys fit the budget,
//     for PairsIn, when a few documents hold most of them.
//
// Keys are spooled by slice of a range of first documents (package
// internal/spool), as uvarints of their fields (about 11 bytes a key
// instead of 20): in memory up to the budget given to NewShuffle, on disk
// beyond it, so that a scan's memory does not grow with the number of
// keys. A range paired in parts reads each of its slices once. Most keys
// name a pair the rules drop, one sharing a single common fingerprint:
// a first pass over the postings (Shuffle.SketchPairs, Sketch) counts the
// pairs in a small table, and Add then spools few of them.
//
// Cost: O(n) for the radix sort of n postings, plus O(k log k) for k keys,
// at most MaxDF²/2 a fingerprint. Output is deterministic: the same
// postings give the same Set whatever the loads, workers and budget.
package candidate
