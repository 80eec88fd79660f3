// Package gen generates corpora of English-like text with planted reuse of
// known classes, and their ground truth (an eval.Truth), for measuring
// detection quality with package eval and for benchmarks.
//
// # Corpora
//
// Generate writes dir/corpus/ and dir/truth.json:
//
//	corpus/src/00001.txt   documents that may be copied from (and some that never are)
//	corpus/sus/00042.txt   targets: own text plus planted passages (an eighth get none)
//	corpus/syn/00057.txt   syndicated copies of a src/ document
//
// The number is the document's position on the corpus's timeline (1-based,
// at least 5 digits), so every folder's files sort by date. Every document
// starts with a date stamp line and a title line:
//
//	␠date 2015-03-02␠
//	Council Approves Brantel Plans in Velmora
//
//	First paragraph, one line of 2 to 6 sentences. Second sentence.
//
//	Second paragraph ...
//
// Text comes from a phrase grammar over a vocabulary written for this
// package (about 700 hand-listed English words and 4,500 generated from
// syllables, see words.go), with Zipf word frequencies and 16
// topics: documents on one topic share names, places and common phrases but
// not passages. Sentences have 8 to 35 words; a quarter of the documents use
// typographic quotes. The same Seed gives the same bytes on every machine:
// all randomness is a PCG stream and integer arithmetic.
//
// Planted classes (eval.Class* constants), with their number of cases at the
// default 200 documents, seed 1:
//
//	verbatim     36  1-6 consecutive sentences copied exactly, between the
//	                 target's sentences or as paragraphs of their own
//	reformatted  34  the same, re-wrapped at 60-75 columns, quotes and
//	                 apostrophes turned curly or straight, often a phrase in
//	                 Title Case or CAPS, often double spaces
//	light        35  5-10% of the words substituted, deleted or inserted
//	heavy        35  20-30% of the words edited, neighbouring words swapped too
//	remix        43  a paragraph of single sentences from 2-3 sources (a case each)
//	quote        35  9-14 consecutive words quoted inside a new sentence of the target
//	syndicated   72  a whole document copied with 2-6 words changed, a new title
//	                 and an outlet's footer; one case from the source and one
//	                 from every earlier copy of the group, body to body (title
//	                 and footer excluded): 14 groups, 35 copies
//
// That corpus has 93 src/, 72 sus/ (64 with cases, 1 to 7 sources each) and
// 35 syn/ documents, 0.57 MB; 42 documents share nothing. Classes are drawn
// from a shuffled deck (two of each single-case class, one remix), so their
// counts stay balanced at any size.
//
// Every source sentence is copied at most once, sources are never targets,
// a target takes at most one case from a source, and syndicated sources are
// not copied otherwise, so the truth is complete: two documents that share
// more than common phrases and footers (at most 6 words) have a case.
// Common phrases reach 8 to 10 words where names recur within a topic ("a
// member of the Tenfield Library Bureau said that the"), as in real news; a
// test checks that seed 1 has no shared run of 10 words outside its cases.
// Dates run from 2015-01-01, two days per document (at most ten years in
// all); a source is dated strictly before its targets. Targets draw on the
// 64 most recent src/ documents, 70% of the time of their own topic.
//
// Generation streams, and its time goes mostly to creating files
// (BenchmarkGenerate measures it): memory holds the truth, that window of
// sources and the sources of unfinished groups, never the corpus. On error
// or cancellation the folder holds a partial corpus and no truth.json.
//
// The truth file's format and the classes (eval.Class*) are package eval's.
// Generate writes only below dir, and is safe for concurrent use on
// distinct folders.
package gen
