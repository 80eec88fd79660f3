package reuse

import (
	"hash/crc64"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// Stages gives other runners of a scan's three stages (the Apache Beam
// pipeline, module github.com/reuse-tool/reuse/beam) the settings and the
// rules that live in this package: the numbering of documents, the
// evidence filter's widening of boilerplate, the conversion of passages
// to byte offsets, percentages, near-duplicate edges and clusters'
// summaries. They call these instead of copying them, so that their
// results are a scan's, byte for byte. A Stages is safe for concurrent
// use, except OrderDocuments, which warns through Options.Warn.
type Stages struct{ s *scan }

// NewStages returns the stages of a scan with the given options
// (defaults filled in, checked as Scan checks them).
func NewStages(opt Options) (*Stages, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Stages{s: &scan{opt: opt, seedK: seedTokens}}, nil
}

// Options returns the options in force, defaults filled in.
func (st *Stages) Options() Options { return st.s.opt }

// Params returns the settings a result records.
func (st *Stages) Params() result.Params { return st.s.params() }

// AnalyzerOptions are stage 1's settings (shingle.NewAnalyzer).
func (st *Stages) AnalyzerOptions() shingle.AnalyzerOptions { return st.s.analyzerOptions() }

// AlignOptions are stage 3's settings (align.New).
func (st *Stages) AlignOptions() align.Options { return st.s.alignOptions() }

// Rules are the pairing rules of stage 2.
func (st *Stages) Rules() candidate.Rules { return st.s.rules() }

// Bands is how the LSH of near-duplicate groups cuts signatures
// (cluster.BandKeys).
func (st *Stages) Bands() (b, r int) { return st.s.bands() }

// Evidence returns the filter of passages, given the boilerplate
// occurrences (cluster.Boilerplate's, of the documents the filter will
// be asked about, numbered as rare numbers them) and the rare index.
func (st *Stages) Evidence(boiler [][]cluster.Occurrence, rare candidate.Rare) *align.Evidence {
	return st.s.evidence(boiler, rare)
}

// DocKey is what the numbering of documents needs of one document read.
type DocKey struct {
	ID, Path string
	Line     int    // corpus.Doc.Line
	CRC      uint64 // TextCRC of its text
	Bytes    int    // length of its text
}

// TextCRC is the checksum of a document's text that orders documents of
// one id, path and line.
func TextCRC(text []byte) uint64 { return crc64.Checksum(text, crcTable) }

// OrderDocuments numbers documents as a scan does: sorted by id, one id
// twice by path, line and content, duplicates renamed "<id>#2", ... (each
// reported as a notice through Options.Warn). It returns, for each
// number, the index in docs of the document and its id.
func (st *Stages) OrderDocuments(docs []DocKey) (order []int, ids []string) {
	x := &corpusIndex{names: newNames()}
	part := indexed{docs: make([]docInfo, len(docs))}
	for i, d := range docs {
		part.docs[i] = docInfo{
			idOff: int64(len(part.ids)), idLen: uint32(len(d.ID)),
			path: x.names.path(d.ID, d.Path), line: uint32(max(d.Line, 0)),
			seq: uint32(i), bytes: uint32(d.Bytes), crc: d.CRC,
		}
		part.ids = append(part.ids, d.ID...)
	}
	st.s.merge(x, []indexed{part}, len(docs))
	order, ids = make([]int, len(docs)), make([]string, len(docs))
	for i := range x.docs {
		order[i], ids[i] = int(x.docs[i].seq), x.id(&x.docs[i])
	}
	return order, ids
}

// PairDoc is what a pair's result needs of each of its documents.
type PairDoc struct {
	ID           string
	Words        int
	Fingerprints int // distinct fingerprint hashes (shingle.Analysis.Distinct)
}

// ByteSpan is a passage's byte offsets, end exclusive.
type ByteSpan struct{ AStart, AEnd, BStart, BEnd int }

// Tokens are a document's tokens, as byte offsets for PassageBytes and
// MemberBytes.
type Tokens []shingle.Token

func (t Tokens) Len() int { return len(t) }

func (t Tokens) Token(i int) (start, end uint32, err error) { return t[i].Start, t[i].End, nil }

// PassageBytes converts a passage's token ranges to byte offsets.
func PassageBytes(s align.Span, a, b Tokens) ByteSpan {
	bs, _ := toBytes(s, a, b)
	return ByteSpan{bs.aStart, bs.aEnd, bs.bStart, bs.bEnd}
}

// MemberBytes converts a cluster member's token range to byte offsets,
// clamped to the tokens there are.
func MemberBytes(t Tokens, start, end int32) (int, int) {
	s, e, _ := tokenBytes(t, start, end)
	return s, e
}

// ResultPair converts an aligned pair of documents a and b: the
// fingerprints they share, their passages (spans kept by the evidence
// filter, with their byte offsets) and the family of each passage.
func ResultPair(a, b PairDoc, shared int, spans []align.Span, bytes []ByteSpan, families []int32) result.Pair {
	p := pairResult{shared: int32(shared), spans: spans, bytes: make([]byteSpan, len(bytes))}
	for i, bs := range bytes {
		p.bytes[i] = byteSpan{bs.AStart, bs.AEnd, bs.BStart, bs.BEnd}
	}
	return pairOf(a, b, &p, families)
}

// AlignAnchors converts a candidate's anchors (candidate.Anchors) for
// align.Aligner.AlignSeeds, appending them to dst: nil, to align all of
// B, when it has none.
func AlignAnchors(dst []align.Anchor, as []candidate.Anchor) []align.Anchor {
	if len(as) == 0 {
		return nil
	}
	return alignAnchors(dst, as)
}

// NearDuplicate returns the overlap (the smaller percentage of either
// side's words inside the passages) of two documents of aWords and bWords
// words, and whether it makes them near-duplicates (Options.Threshold).
func (st *Stages) NearDuplicate(aWords, bWords int, spans []align.Span) (float64, bool) {
	p := pairResult{spans: spans}
	e := p.overlap(aWords, bWords)
	return e, e >= 100*st.s.opt.Threshold
}

// SimilarEnough reports whether two documents whose MinHash signatures
// share an LSH bucket are worth aligning to check for near-duplicates.
func (st *Stages) SimilarEnough(sigA, sigB []uint64) bool {
	t := st.s.opt.Threshold
	return similarEnough(sigA, sigB, t/(2-t))
}

// CoveredTokens counts the tokens of one document inside the union of
// spans (reordered): its reused words.
func CoveredTokens(spans []cluster.Occurrence) int { return coveredTokens(spans) }

// Pct is part/whole as a percentage with one decimal, as the result
// gives it.
func Pct(part, whole int) float64 { return pct(part, whole) }

// Round1 rounds to one decimal, as the result gives groups' MinPct.
func Round1(x float64) float64 { return round(x, 1) }

// EarliestMember returns the first of a cluster's n members whose
// document has the earliest date (date(m), "" when undated), or -1 when
// none is dated: the cluster's Earliest.
func EarliestMember(n int, date func(m int) string) int { return earliestMember(n, date) }

// Representative is the member whose text a cluster shows.
func Representative(f cluster.Family) int { return representative(f) }

// Excerpt is a cluster's Text, given the text of its Representative
// member.
func Excerpt(text []byte) string { return excerpt(text) }
