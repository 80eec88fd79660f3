// Package align finds the passages two documents share, as token ranges
// on both sides, and decides which of them are evidence of reuse.
//
// An Aligner indexes one document's k-token seeds (SetA, SetASeeds) and
// aligns others against it (Align, AlignSeeds), so that a document paired
// with many others is indexed once:
//
//  1. seed matches merge into runs along diagonals; of a seed repeated in
//     A, the occurrences near the expected diagonal are taken, and a seed
//     that continues a run is followed along its diagonal without a
//     lookup when that is all the lookup could find; a seed held more
//     than 4 times in A (a line of code, a table's phrase) starts a run
//     only where MinWords tokens match, places looked up by those tokens
//     once B has probed A often enough (the ahead table);
//  2. runs chain across edits: gaps of up to MaxGap tokens on either side,
//     drift (one side's gap less the other's) of up to MaxDrift;
//  3. chains are resolved densest first into passages that never overlap
//     on either side; a long exact run reserves its tokens against chance
//     matches of other chains. A passage needs an unbroken run of MinWords
//     tokens, or 2·MinWords matched tokens.
//
// Cost: O(len A) to index (a counting sort of A's seeds by hash, about 20
// bytes a seed, and as much again for the common seeds' ahead table when
// it is built; O(len A log len A) when one seed fills A); O(len B +
// matches + runs) per alignment (claims and reservations are bits and
// counters per token, open chains are listed by diagonal, 8 bytes a
// token of both documents), no allocation once the scratch memory has
// grown. The diagonals of a pair of more than a million tokens are
// mapped from the system outside the Go heap (internal/mmap.Anonymous,
// counted by AnonymousBytes), so that only the pages of the diagonals
// used cost memory; Release unmaps them.
// BenchmarkAlignAdversarial measures near-identical texts, generated
// tables and one word repeated at doubling sizes. A long alignment checks
// its context every 65,536 steps. An Aligner is NOT safe for concurrent
// use; give each worker its own.
//
// Evidence filters passages by what the rest of the corpus says: text
// that is boilerplate in one of the documents, and short passages whose
// every fingerprint is common (stock phrases), are not evidence.
package align
