// Package result is the contract of a scan: the Result a scan returns, and
// its JSON form, which tests, the reports and evaluations read.
//
// # Schema
//
// Every JSON result names its version in "schema": Schema, now
// "reuse.scan/v1". Changing the meaning of a field, or removing one, is a
// deliberate act that bumps the version (and ReadJSON then refuses the
// old one); adding a field does not. The fields, their units and their
// order are documented on the types: offsets are byte offsets, end
// exclusive, into a document's text as read (after decompression and
// extraction); percentages are 0 to 100; every slice is sorted, so the
// same scan gives byte-identical output whatever the number of workers.
//
// # Format
//
// WriteJSON writes what encoding/json's MarshalIndent(r, "", "  ") would,
// with HTML characters left as they are and nil slices as []:
//
//	{
//	  "schema": "reuse.scan/v1",
//	  "params": {"shingle": 5, "window": 5, "min_words": 9, ...},
//	  "stats": {"documents": 21, "words": 6249, ...},
//	  "documents": [{"id": "a/001.txt", "path": "corpus/a/001.txt", "bytes": 2082, ...}, ...],
//	  "pairs": [{"a": "a/001.txt", "b": "b/002.txt", ..., "passages": [...]}, ...],
//	  "clusters": [{"id": 1, "documents": 4, "earliest": "b/002.txt", "text": "...", "members": [...]}, ...],
//	  "groups": [{"id": 1, "documents": ["x.txt", "y.txt"], "min_pct": 91}, ...]
//	}
//
// (compacted here: every value is indented by two spaces a level, as
// ExampleWriteJSON shows). ReadJSON and ReadFile read it back.
//
// # Excerpts
//
// Excerpt is the one way text is shortened for display: white space
// (unicode.IsSpace) collapsed, cut after a word near a byte budget, never
// inside a character, the cut marked with "…". The reports use it; the
// scan cuts Cluster.Text by the same rule (Excerpt says where it differs).
//
// # Cost and concurrency
//
// WriteJSON streams: memory beyond the Result stays bounded by its largest
// element. ReadJSON holds the whole Result. No function modifies a Result it
// is given, and all are safe for concurrent use.
package result
