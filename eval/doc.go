// Package eval measures detection quality: it generates corpora of
// English-like text with planted reuse of known classes, writes their
// ground truth, and scores a scan's result against it with the PAN
// text-alignment measures.
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
// Planted classes (Class* constants), with their number of cases at the
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
// Generation streams at about 10 MB/s (file creation dominates): memory holds
// the truth, that window of sources and the sources of unfinished groups,
// never the corpus. On error or cancellation the folder holds a partial
// corpus and no truth.json.
//
// # Truth file
//
// dir/truth.json (schema "reuse.truth/v1"), one document, case or group per
// line:
//
//	{"schema":"reuse.truth/v1","seed":1,
//	"documents":[
//	{"id":"src/00001.txt","bytes":2874,"date":"2015-01-01"},
//	...],
//	"cases":[
//	{"class":"light","source":"src/00001.txt","source_start":100,"source_end":400,
//	 "target":"sus/00007.txt","target_start":50,"target_end":360},
//	...],
//	"groups":[
//	["src/00003.txt","syn/00011.txt","syn/00012.txt"],
//	...]}
//
// Offsets are byte offsets into the files as written, end exclusive; ids are
// slash-separated paths relative to dir/corpus. Documents are sorted by id,
// cases by (target, target_start, source, source_start), groups (each
// sorted) by their first id. A verbatim, remix or quote case's two ranges
// hold identical bytes; a quote's range is its words without the quote marks.
//
// # Measures
//
// Score follows Potthast et al. 2010, "An Evaluation Framework for
// Plagiarism Detection" (COLING), with bytes for characters. A case s is the
// set of bytes of its source range ∪ those of its target range; a detection
// r is one passage of one pair of the result, likewise. The result's pairs
// are unordered: r can detect s when r's two documents are s's source and
// target in either orientation, and r detects s when their ranges overlap in
// both documents. With s ⊓ r = s ∩ r if r detects s and ∅ otherwise:
//
//	precision   = mean over r in R of |∪_s (s ⊓ r)| / |r|
//	recall      = mean over s in S of |∪_r (s ⊓ r)| / |s|
//	granularity = mean over detected cases of the number of detections detecting it
//	plagdet     = F1(precision, recall) / log2(1 + granularity)
//
// Empty sets follow PAN's reference implementation: precision and recall
// are 1 when there are neither cases nor detections and 0 when only one of
// the two sets is empty; granularity is 1 when no case is detected; plagdet
// is 0 when precision and recall are 0. A passage empty on both sides is no
// detection.
//
// Per class: recall and granularity over the class's cases; precision over
// the detections that detect at least one case of the class (each with its
// precision against all cases, so a detection scores the same in every
// class it counts for); detections that detect nothing count only in the
// totals. Document pairs: the unordered pairs of the truth's cases against
// the result's pairs. Groups: the unordered document pairs inside the
// truth's groups against those inside the result's groups. Both report
// precision, recall and F1 with the same empty-set conventions.
//
// Score indexes cases and detections by document pair and merges byte
// ranges as intervals; it handles 100,000s of cases in well under a second.
// All functions are safe for concurrent use; Generate writes only below dir.
package eval
