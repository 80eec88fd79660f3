package result

// Schema names the version of the JSON result. Changing the meaning of a field,
// or removing one, is a deliberate act that bumps it; adding a field does not.
//
// v2 (this one): clusters[].documents lists the member documents' IDs, as
// groups[].documents does (in v1 it counted them), and passages may carry
// their text (a_text, b_text). ReadJSON reads v1 too.
const Schema = "reuse.scan/v2"

// SchemaV1 is the first schema, which ReadJSON still reads.
const SchemaV1 = "reuse.scan/v1"

// Result is the outcome of a scan: the JSON contract read by tests, the HTML
// report and evaluations. Every slice is sorted as documented on its field, so
// that the same input gives byte-identical output whatever the number of workers.
type Result struct {
	Schema string `json:"schema"`
	// Params records the settings the scan ran with.
	Params Params `json:"params"`
	// Stats summarises the corpus and what was found.
	Stats Stats `json:"stats"`
	// Documents sorted by ID.
	Documents []Document `json:"documents"`
	// Pairs sorted by (A, B); A sorts before B (as strings).
	Pairs []Pair `json:"pairs"`
	// Clusters sorted by ID; IDs are 1..n in order of first appearance when
	// pairs and their passages are read in order.
	Clusters []Cluster `json:"clusters"`
	// Groups sorted by ID; IDs are 1..n in order of each group's first
	// document ID.
	Groups []Group `json:"groups"`
}

// Params are the detection settings a scan ran with.
type Params struct {
	Shingle   int     `json:"shingle"`
	Window    int     `json:"window"`
	MinWords  int     `json:"min_words"`
	Threshold float64 `json:"threshold"`
	MaxDF     int     `json:"max_df"`
}

// Stats are corpus-wide totals.
type Stats struct {
	Documents   int `json:"documents"`
	Words       int `json:"words"`
	ReusedWords int `json:"reused_words"`
	Pairs       int `json:"pairs"`
	Passages    int `json:"passages"`
	Clusters    int `json:"clusters"`
	Groups      int `json:"groups"`
	// Skipped counts the problems reported as warnings naming the file:
	// inputs that could not be read, malformed records, renamed duplicate
	// ids.
	Skipped int `json:"skipped"`
	// ClustersIncomplete, in the result of a check, reports that it
	// stopped following its clusters and groups through the archive (its
	// follow limit), or that boilerplate holds a new document and the
	// check did not read the whole archive: clusters and groups reaching
	// beyond the archived documents it read may lack members a scan
	// lists. Omitted when false.
	ClustersIncomplete bool `json:"clusters_incomplete,omitempty"`
}

// Document is one scanned document.
type Document struct {
	// ID is the path relative to the scanned folder, the file as given, or a
	// JSONL record's id.
	ID string `json:"id"`
	// Path is how the file was reached.
	Path string `json:"path"`
	// Bytes is the length of the text that offsets refer to (after
	// decompression and extraction).
	Bytes int `json:"bytes"`
	Words int `json:"words"`
	// Date is YYYY-MM-DD, omitted when unknown.
	Date string `json:"date,omitempty"`
	// ReusedWords counts the document's words inside any passage it shares
	// with another document (pairs and boilerplate clusters alike).
	ReusedWords int     `json:"reused_words"`
	ReusedPct   float64 `json:"reused_pct"`
	// Archived marks, in the result of reuse check, a document of the
	// archive's index rather than one of the new documents checked; its
	// ReusedWords count only the words it shares with new documents.
	Archived bool `json:"archived,omitempty"`
}

// Pair is two documents that share at least one passage. Pairs whose only
// shared text is boilerplate (text found in more than Params.MaxDF
// documents) are not listed: that text is reported once, as a cluster.
type Pair struct {
	A string `json:"a"`
	B string `json:"b"`
	// APct is the share (0-100) of A's words inside passages shared with B;
	// BPct likewise for B.
	APct        float64 `json:"a_pct"`
	BPct        float64 `json:"b_pct"`
	SharedWords int     `json:"shared_words"`
	// Jaccard is the Jaccard similarity of the two documents' sets of
	// winnowing fingerprints (a consistent sample of their shingles), not
	// counting boilerplate fingerprints as shared.
	Jaccard float64 `json:"jaccard"`
	// Passages sorted by AStart.
	Passages []Passage `json:"passages"`
}

// Passage is one aligned stretch of text: byte offsets into A's and B's text,
// end exclusive, on token boundaries.
type Passage struct {
	AStart int `json:"a_start"`
	AEnd   int `json:"a_end"`
	BStart int `json:"b_start"`
	BEnd   int `json:"b_end"`
	// Words is the number of A's words in the passage.
	Words int `json:"words"`
	// Kind says how the passage was found: "" (omitted) for an exact
	// passage, runs of identical words; KindReworded for similar
	// sentences in the same order (words replaced, added, dropped or
	// shuffled, a translation); KindSummary for a short passage whose
	// sentences match sentences spread over a much longer one.
	Kind string `json:"kind,omitempty"`
	// Similarity is, for an exact passage, the share of the two sides'
	// words that align exactly, 2*matched/(wordsA+wordsB), in 0..1; for
	// a reworded or summary passage, the tf-idf cosine of its two sides'
	// content words (stemmed, stop words left out), in 0..1.
	Similarity float64 `json:"similarity"`
	Cluster    int     `json:"cluster"`
	// AText and BText are the passage's text in A and in B (the bytes the
	// offsets delimit, as read: extracted from HTML or JSONL, decoded),
	// when the scan was asked for them; omitted otherwise.
	AText string `json:"a_text,omitempty"`
	BText string `json:"b_text,omitempty"`
}

// Kinds of passages (Passage.Kind); an exact passage has none.
const (
	KindReworded = "reworded"
	KindSummary  = "summary"
)

// Cluster is a reuse family: one piece of text and every place it occurs.
type Cluster struct {
	ID int `json:"id"`
	// Documents lists the member documents' IDs, sorted, each once.
	Documents []string `json:"documents"`
	// Earliest is the ID of the member with the earliest date (ties broken by
	// ID), omitted when no member has a date: the likely source.
	Earliest string `json:"earliest,omitempty"`
	// Boilerplate marks text found in more than Params.MaxDF documents.
	Boilerplate bool `json:"boilerplate,omitempty"`
	// Incomplete, in the result of a check, marks a cluster that may lack
	// members a scan of the archive and the new documents lists: the
	// check did not follow it through the whole archive (its follow
	// limit, or boilerplate in an archive it did not read whole).
	Incomplete bool `json:"incomplete,omitempty"`
	// Text is an excerpt of one member's text (the shortest found by an
	// alignment of its own; of boilerplate, one of the median length),
	// whitespace collapsed, cut at unbalanced quotation marks
	// (TrimQuotes), at most about 300 bytes.
	Text string `json:"text"`
	// Members sorted by (Doc, Start).
	Members []Member `json:"members"`
}

// Member is one occurrence of a cluster's text.
type Member struct {
	Doc   string `json:"doc"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Group is a set of near-duplicate documents (syndicated copies).
type Group struct {
	ID int `json:"id"`
	// Documents sorted.
	Documents []string `json:"documents"`
	// MinPct is the smallest overlap percentage, over the pairs that tie the
	// group together, of either side.
	MinPct float64 `json:"min_pct"`
	// Incomplete, in the result of a check, marks a group that may lack
	// documents a scan lists (see Cluster.Incomplete).
	Incomplete bool `json:"incomplete,omitempty"`
}
