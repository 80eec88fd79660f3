// Package pairs is stage 3 of a scan: every candidate pair of the shuffle
// (package candidate) aligned (package align) on the seeds stage 1 spooled
// (package index), and the passages that are evidence kept, with their
// byte offsets on both sides.
//
// Align works a range of first documents at a time, as the shuffle hands
// them out, and within a range a run of candidates with the same first
// document at a time, on Options.Workers goroutines: each worker indexes
// that document once and aligns the others against it (an Aligner). The
// aligned pairs wait in a temporary stream (a Store), in (A, B) order,
// until the result is written; memory keeps only what families and
// groups need of them.
//
// Cost: per pair, what align.Aligner costs (a pair's cost follows what it
// shares, not the size of its documents, when the shuffle gives anchors).
// Output is deterministic: the same candidates give the same Store
// whatever the number of workers. Align returns ctx.Err() soon after ctx
// is cancelled: between work units, and inside long alignments.
package pairs
