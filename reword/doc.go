// Package reword finds reworded reuse: passages copied with words
// replaced, added, dropped or shuffled, translated there and back, or
// summarized, where exact alignment (package cluster) sees only scraps.
// It works on sentences as sets of stemmed content words, after the best
// system of the PAN 2014 text-alignment task (Sanchez-Perez, Sidorov and
// Gelbukh, "A Winning Approach to Text Alignment for Text Reuse
// Detection at PAN 2014"), with an inverted index in place of their loop
// over all sentence pairs, and combines its passages with the exact ones.
//
// # Analysis (once per document)
//
// Analyzer.Analyze turns a text and its shingle.Tokens into a Doc: a term
// id per token (a 32-bit hash of the Snowball English stem of the
// lower-cased word; NoTerm for stop words; words that are not ASCII once
// normalized are not stemmed) and the token index where each sentence
// starts. Sentences end at '.', '!' or '?' followed by white space and a
// word that is not lower case (not after "Mr", "Dr", an initial...), and
// at blank lines; sentences of fewer than 3 content words join the next;
// long sentences are cut at a comma or line break after 25 tokens, at 80
// at the latest. A Doc costs 4 bytes a token and 4 a sentence: about 4.2
// bytes a token on prose.
// Analyze allocates nothing once warm: the stemmer runs once per distinct
// word and its result is cached by token hash. About 11 ns a token. The
// stemmer is github.com/kljensen/snowball's English (Porter2) one: a
// maintained implementation of a published algorithm, with its own tests,
// rather than a hand-written Porter stemmer to maintain here.
//
// # Alignment (per candidate pair)
//
// Aligner.SetA indexes one document; Aligner.Align finds the reworded
// passages another shares with it:
//
//  1. Seeds. Two sentences seed when the tf-idf cosine (tf in the
//     sentence, idf over the sentences of both documents) and the Dice
//     coefficient of their term sets both reach 0.33. Only sentence pairs
//     that share two terms held by at most MaxPostings (100) sentences of
//     A are compared, at most MaxCompare (32) per sentence of B: the work
//     is linear in the pair, never sentences(A) × sentences(B). A seed
//     below 0.7 times the best cosine of one of its sentences is an echo
//     (a sentence on the same subject) and is dropped.
//  2. Extension. Seeds are clustered: sorted by A, split where more than
//     MaxGap (4) sentences without a seed lie between two, then by B, and
//     so on until nothing splits. A cluster is a passage when the cosine
//     of its two sides taken as wholes reaches 0.34 and they share 10
//     distinct terms; otherwise it is split again with a gap one smaller.
//     A passage of one sentence pair needs a cosine of 0.6.
//  3. Summaries. A second pass bridges up to SummaryGap (24) sentences on
//     one side when that side is at least 3 times longer than the other:
//     a short text standing for a long one. A summary needs 3 seeded
//     sentences on its short side, one of them beyond what the first
//     pass explains, and no first-pass passage holding 70% of its seeds'
//     weight; its long side is widened by the mean distance between its
//     seeds there (seeds sample the summarized passage).
//  4. Overlaps. Candidates are taken by their seeds' total cosine; one
//     that overlaps a taken passage on either side is dropped.
//
// Passages start and end on sentence boundaries. Combiner.Combine merges
// them with the exact aligner's spans of the same pair (exact runs keep
// their boundaries; a reworded passage adds whole sentences around them
// only where the copy goes on on both sides), and PairAligner runs both
// aligners and the combination for a scan's per-pair stage.
//
// Cost: SetA O(len A); Align O(len A + len B) with the bounds above, no
// allocation once warm. The work per token grows with the share of terms
// held by up to MaxPostings sentences of A, then stays flat: measured on
// generated news (BenchmarkAlign, loaded 2-core machine), 8, 32 and 91 ns
// a token of the pair for 1k, 10k and 100k tokens a side; one sentence
// repeated 10,000 times 2.4 ns a token; a 1,000-row table, the worst case
// found (every row shares numbers with 100 others), 450 ns a token.
// Against a scan (TestScanCost, thread CPU time): on 3,000 generated news
// documents (14 MB, 1.4 M tokens) that a one-worker scan covers in 0.29 s
// of user CPU (0.37 s with system time), analysis adds 35 ms; on the
// scan's 4,599 pairs with passages the exact aligner alone takes 44 ms and
// PairAligner (exact, reworded unless exact passages cover 90% of a
// document, combined) 100 ms (the reworded aligner alone 15 µs a pair):
// about 90 ms more, 1.25-1.3 times the scan, before the spool's extra 4.2
// bytes a token and any candidate pairs without passages. LSH keys would
// add 120-135 ms more.
//
// # Retrieval (full scans)
//
// Keyer.Keys turns a Doc into LSH band keys: the MinHash (shingle.Signer)
// of the pairs of nearby content terms of windows of 3 sentences, cut
// into 32 bands of 2 rows (cluster.Bands at Jaccard 0.3). Documents that
// share a key are candidates. See Keyer for the measured recall and
// candidate load on PAN-13.
//
// # Quality (PAN-13 training corpus, scored as PAN does, listed pairs)
//
// The harnesses are tests run on demand: REWORD_PAN=1 go test ./reword/
// -run TestPANEval -v (PAN-13 from ../shared/pan13-train; REWORD_PAN=exact
// for the exact aligner alone), REWORD_GEN=300 -run TestGenEval (a
// generated corpus: per-class scores of its case pairs and the passages
// of hard non-pairs), REWORD_LSH=1 -run TestPANRetrieval (the keys),
// REWORD_COST=corpus,result.json -run TestScanCost (the cost against a
// scan). REWORD_OPT="Field=value,..." overrides Options in all of them.
//
// Exact and reworded passages combined, default options, tuned on the odd
// pairs of each sub-corpus and held out on the even ones (TestPANEval):
//
//	                          odd (tuned)   even (held out)   exact alone (even)
//	02 no obfuscation         0.974         0.974             0.984
//	03 random obfuscation     0.880         0.864             0.475
//	04 translation            0.909         0.895             0.505
//	05 summary                0.648         0.543             0.081
//	02-05                     0.909         0.892             0.640
//	01 pairs with a passage   0 of 500      3 of 500          3 of 500
//
// On generated news (eval.Generate, 300 documents, seeds 1-3, TestGenEval)
// heavy-edit recall goes from 0.78, 0.78, 0.73 (exact alone) to 0.87, 0.83,
// 0.83; of about 775 hard non-pairs (documents sharing the most
// vocabulary but no case) as many have a passage as with the exact
// aligner alone (6, 8 and 6: stock phrases of 9-10 words).
//
// All types are NOT safe for concurrent use: give each worker its own.
// Every function is deterministic: the same input gives the same output,
// whatever was aligned or analysed before.
package reword
