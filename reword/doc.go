// Package reword finds reworded reuse: passages copied with words
// replaced, added, dropped or shuffled, translated there and back, or
// summarized, where exact alignment (package align) sees only scraps.
// It works on sentences as sets of stemmed content words, after the best
// system of the PAN 2014 text-alignment task (Sanchez-Perez, Sidorov and
// Gelbukh, "A Winning Approach to Text Alignment for Text Reuse
// Detection at PAN 2014"), with an inverted index in place of their loop
// over all sentence pairs, and combines its passages with the exact ones.
//
// # In a scan
//
// A default scan (and a check against an archive index) runs it where
// exact passages show rewording: documents that read as prose (Prose) are
// analyzed, and PairAligner compares all the sentences of a pair with an
// exact passage that was edited or found in pieces, and the sentences
// around the traces of a pair with none (phrases no other document holds,
// amid matches too short for a passage: Pair.Traces). reuse.Options.Reworded (reuse scan
// --reworded) analyzes every document and adds keys, which pair
// documents sharing no exact passage at all, at about three times the
// cost on technical prose (docs/benchmarks.md, "Reworded reuse" and
// "Reworded reuse at default settings"); reuse.Options.Exact runs none
// of it.
//
// Stage 1, per document (each worker its own Analyzer and Keyer):
//
//	if reword.Prose(text, len(analysis.Tokens)) { // a default scan; --reworded analyzes all
//		doc := an.Analyze(doc, text, analysis.Tokens) // tokens after the header, as shingle.Analyzer gives them
//		keys = keyer.Keys(keys[:0], doc)              // --reworded only: postings (hash, document, position)
//		rec = reword.AppendDoc(rec[:0], doc)          // spooled beside the seed record
//	}
//
// Stage 2, with keys: they go through a shuffle of their own (they are
// not fingerprints) with KeyRules; a pair they accept is a candidate,
// with the places of the keys it shares. A candidate of the fingerprints
// keeps its anchors, and gets its shared keys too when the key shuffle
// paired it.
//
// Stage 3, per first document, then per candidate (each worker its own
// PairAligner):
//
//	docA, _ = reword.ReadDoc(docA, recA)
//	pa.SetASeeds(seedsA, docA)
//	for each candidate B:
//		docB, _ = reword.ReadDoc(docB, recB)
//		out, err = pa.AlignPair(ctx, out[:0], reword.Pair{Seeds: seedsB, Doc: docB,
//			Anchors: fingerprintAnchors, Keys: keyAnchors, // nil when none
//			Keep: func(s []align.Span) []align.Span { return ev.Keep(a, b, s, fingerprintAnchors) }})
//
// Passages are token ranges, as align.Span's, with a Kind (exact,
// reworded, summary) and a similarity. For a candidate of the keys alone
// pass its key places as Anchors too: the exact aligner then looks only
// around them.
//
// # Analysis (once per document)
//
// Analyzer.Analyze turns a text and its shingle.Tokens into a Doc: per
// token the number of its term in the document's Vocab (a 32-bit hash of
// the Snowball English stem of the lower-cased word; 0 for stop words;
// words with digits and words that are not ASCII once normalized are not
// stemmed), and the token index where each sentence starts. Sentences end
// at '.', '!' or '?' followed by white space and a word that is not lower
// case (not after "Mr", "Dr", an initial...), and at blank lines;
// sentences of fewer than 3 content words join the next; long sentences
// are cut at a comma or line break after 25 tokens, at 80 at the latest.
// The stemmer runs once per distinct word and Analyzer caches its term;
// no allocation once warm. 14 ns a token on a warm cache
// (BenchmarkAnalyze); one pass over a corpus with a fresh Analyzer 20 ns
// on generated news, 34 on the Linux Documentation (many distinct words).
// A Doc's record (AppendDoc, ReadDoc) takes 2.9 bytes a token on news
// (a term costs 4 bytes once per document), 2.2 on the Documentation.
//
// # Alignment (per candidate pair)
//
// Aligner.SetA indexes one document; Aligner.Align finds the reworded
// passages another shares with it:
//
//  1. Seeds. Two sentences seed when the tf-idf cosine (tf in the
//     sentence, idf over the sentences of both documents) and the Dice
//     coefficient of their term sets both reach 0.33. Only sentence pairs
//     that share two terms held by at most MaxPostings (8) sentences of
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
// AlignNear does the same within Near (24) sentences of given places
// (exact passages, shared keys) only, on both sides: sentences elsewhere
// take no part, so that a long pair sharing a few passages costs what
// their neighbourhoods cost.
//
// Passages start and end on sentence boundaries. Combiner.Combine merges
// them with the exact aligner's spans of the same pair: exact runs keep
// their boundaries, and reworded text adds whole sentences around them
// only where the copy goes on on both sides and the text outside the
// exact runs validates as a passage on its own (see Combiner: without
// that, a copy found exactly grew by a neighbouring sentence on the same
// subject, "sales grew by 5 percent to $3 million"). PairAligner runs
// both aligners and the combination; AlignPair adds what a scan knows of
// the pair (see PairAligner.AlignPair: the evidence filter, and when and
// where the reworded aligner runs).
//
// # Retrieval
//
// Keyer.Keys samples a document's pairs of nearby content words, a few
// per sentence, about 0.2 a token; KeyRules pair two documents sharing
// two or three of them near each other. See Keyer for the recall and
// candidate load measured on PAN-13 and generated news.
//
// # Quality
//
// The harnesses are tests run on demand: REWORD_PAN=1 go test ./reword/
// -run TestPANEval -v (PAN-13 from ../shared/pan13-train; REWORD_PAN=exact
// for the exact aligner alone; REWORD_HALF=odd or even), REWORD_GEN=300
// -run TestGenEval (a generated corpus, REWORD_GEN_SEED 1-3: per-class
// scores of its case pairs and the passages of hard non-pairs),
// REWORD_LSH=1 -run TestPANRetrieval and REWORD_LSH_GEN=folder -run
// TestGenRetrieval (the keys; REWORD_LSH_SCAN=scan.json adds a scan's
// pairs), REWORD_LSH_DIR=folder -run TestCorpusLoad (the keys' load on any
// folder), REWORD_COST=folder -run TestScanCost (the cost against a
// scan). REWORD_OPT="Field=value,..." overrides Options in all of them,
// REWORD_KEYS="...;..." KeyOptions, REWORD_LSH_RULES="solo,rare,near" the
// rules. With REWORD_NEAR=n the PAN and generated harnesses align as a
// scan's third stage does: anchored at the shared fingerprints, the
// reworded aligner near the exact passages and the keys, run only on
// pairs with an exact passage or n shared keys.
//
// PAN-13 training corpus, scored as PAN does, listed pairs, default
// options, tuned on the odd pairs of each sub-corpus and held out on the
// even ones; "as a scan" is REWORD_NEAR=1. Measured with MaxPostings 8
// and a key per 3 content words (2 December; in brackets with 100 and 7,
// the defaults the rest was tuned with):
//
//	                          pairs given                    as a scan                      exact alone
//	                          odd           even             odd           even             even
//	02 no obfuscation         0.979 (0.977) 0.978 (0.977)    0.981 (0.981) 0.980 (0.977)    0.984
//	03 random obfuscation     0.858 (0.865) 0.839 (0.851)    0.858 (0.844) 0.834 (0.830)    0.475
//	04 translation            0.888 (0.902) 0.886 (0.890)    0.884 (0.883) 0.884 (0.869)    0.505
//	05 summary                0.585 (0.636) 0.517 (0.538)    0.587 (0.627) 0.507 (0.507)    0.081
//	02-05                     0.893 (0.903) 0.881 (0.887)    0.892 (0.892) 0.879 (0.874)    0.640
//	01 pairs with a passage   0 of 500      3 of 500         0 of 500      3 of 500         3 of 500
//
// With all of both documents aligned ("pairs given"), the cap of 8
// loses a little on summaries, whose long side repeats its subject's
// words; the PAN mode (reuse scan --pairs, which aligns all of each
// listed pair too, over the whole training corpus) measured 02-05 0.888
// either way, 05 0.550 against 0.554.
//
// As a scan, pairs sharing neither an exact passage nor a key lose their
// reworded passages (03 -0.021, 05 -0.031 on the held-out half), and
// reworded text beyond Near sentences of both is lost too.
//
// REWORD_NEAR=1 pairs documents by one shared key; a real scan pairs them
// by KeyRules (two or three keys near each other) and KeyOnlyRules, and
// aligns only around PairAligner's places. Measured as one (reuse scan
// --reworded src susp, all pairs; the "all" row of reuse eval): 02
// 0.983, 03 0.822, 04 0.860, 05 0.522, 02-05 0.870, with a key per 3
// content words and KeyOnlyRules' keys held by up to 10 documents
// (0.985, 0.744, 0.775, 0.440, 0.820 with one per 7 and 3 documents);
// 9% of the 03 cases are still in pairs never made, nearly all of a
// few sentences (docs/benchmarks.md, "Reworded reuse, session 11").
//
// Generated news (gen.Generate, 300 documents, seeds 1, 2, 3; TestGenEval),
// precision/recall of each class's cases, exact and reworded combined
// against the exact aligner alone:
//
//	             combined                                  exact alone
//	verbatim     .998/.995  .995/.995  .998/.994           the same
//	reformatted  .998/.996  .996/.993  .991/.995           the same
//	light        .999/.944  .999/.880  .997/.927           the same
//	heavy        .998/.861  .996/.832  .989/.829           .998/.780  .996/.776  .988/.729
//	remix        .996/.976  .995/.990  .996/.976           the same
//	quote        .997/1.00  .999/1.00  .976/1.00           the same
//	syndicated   1.00/.999  .999/.999  .999/.999           the same
//
// Of about 775 hard non-pairs (documents sharing the most vocabulary but
// no case) as many have a passage as with the exact aligner alone (6, 9
// and 6: stock phrases of 9-10 words): document-pair precision 0.986,
// 0.980, 0.986.
//
// # Cost
//
// Measured against a one-worker scan (TestScanCost: process CPU of the
// scan, thread CPU of the rest, on a loaded 2-core machine; ranges of
// repeated runs):
//
//	                                   generated news, 10 MB     Linux Documentation .rst, 32 MB
//	scan                               276-320 ns/token          237-294 ns/token
//	analysis, fresh Analyzer           20-24 ns/token            36-42 ns/token
//	keys                               13-16 ns/token            17 ns/token
//	Doc record, written and read       5-7 ns/token              6-10 ns/token
//	the scan's pairs with passages:
//	  exact aligner alone (anchored)   5.4-6.1 ns/token of pair  5.6-6.5 ns/token of pair
//	  PairAligner                      18-19 (3.1-3.3 times)     34-35 (5.4-6.0 times)
//	pairs the keys add                 1,180 at 24 µs            10,522 at 174 µs (5,149 with passages)
//	all but the shuffle of the keys    +0.33-0.35 of the scan    +2.5-3.0 of the scan
//
// The reworded aligner is most of it: SetA and the build of B's sentence
// sets, then the postings of B's terms in A (findSeeds). On the
// Documentation, documents written to one template share word pairs and
// sentences all through, so the keys pair many of them and the windows
// of AlignNear cover most of their sentences. With MaxPostings 16, Near 8
// and KeyRules' Near at 100 tokens the additions are +0.29 and +1.5 of
// the scan, at 03 0.823 and 05 0.436 (held out, as a scan).
//
// All types are NOT safe for concurrent use: give each worker its own.
// Every function is deterministic: the same input gives the same output,
// whatever was aligned or analysed before.
package reword
