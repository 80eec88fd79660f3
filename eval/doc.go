// Package eval measures detection quality: it reads ground truth (the
// truth files of generated corpora, PAN XML), reads a peer's output
// (sim_text) as a result, and scores a result against the truth with the
// PAN text-alignment measures. Package eval/gen generates the corpora and
// their truth files; eval does not depend on it.
//
// # Truth file
//
// A generated corpus's dir/truth.json (schema TruthSchema,
// "reuse.truth/v1", written by gen.Generate with WriteTruth), one
// document, case or group per line:
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
// ranges as intervals: its cost is O(n log n) in cases and detections
// (BenchmarkScore measures it at 100,000 cases). All functions are safe for
// concurrent use.
package eval
