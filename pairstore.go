package reuse

import (
	"encoding/binary"
	"io"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/spool"
)

// pairStore keeps the aligned pairs between alignment and the result: the
// pairs themselves wait in a temporary stream, in (A, B) order, and
// memory holds only what families and groups need: 24 bytes a passage
// and 8 a pair (on the Linux tree, 5.9 million passages in 1.4 million
// pairs).
//
// A pair's record is uvarints: A, B, shared fingerprints, passages, then
// for each passage its token range on A (start, length) and on B, its
// matched tokens, and its byte range on A (start, length) and on B.
type pairStore struct {
	stream *spool.Stream
	n      int
	sides  [][2]cluster.Occurrence // every passage's two sides, in order
	keys   []uint64                // A<<32 | B of every pair, ascending
	edges  []cluster.Edge          // pairs covering Threshold of both documents
	buf    []byte
}

func newPairStore() *pairStore { return &pairStore{stream: spool.NewStream("reuse-pairs-*")} }

// add stores p; pairs come in (A, B) order. limit is the least overlap, in
// percent of both documents, of a near-duplicate edge.
func (st *pairStore) add(x *corpusIndex, p *pairResult, limit float64) error {
	b := st.buf[:0]
	b = binary.AppendUvarint(b, uint64(p.a))
	b = binary.AppendUvarint(b, uint64(p.b))
	b = binary.AppendUvarint(b, uint64(p.shared))
	b = binary.AppendUvarint(b, uint64(len(p.spans)))
	for i, s := range p.spans {
		bs := p.bytes[i]
		for _, v := range [...]int{
			int(s.AStart), int(s.AEnd - s.AStart), int(s.BStart), int(s.BEnd - s.BStart), int(s.Matched),
			bs.aStart, bs.aEnd - bs.aStart, bs.bStart, bs.bEnd - bs.bStart,
		} {
			b = binary.AppendUvarint(b, uint64(v))
		}
		st.sides = append(st.sides, [2]cluster.Occurrence{
			{Doc: p.a, Start: s.AStart, End: s.AEnd},
			{Doc: p.b, Start: s.BStart, End: s.BEnd},
		})
	}
	st.buf = b
	st.keys = append(st.keys, uint64(p.a)<<32|uint64(p.b))
	if e := p.overlap(int(x.docs[p.a].words), int(x.docs[p.b].words)); e >= limit {
		st.edges = append(st.edges, cluster.Edge{A: p.a, B: p.b, Pct: e})
	}
	st.n++
	return st.stream.Append(b)
}

// paired reports whether a and b (a < b) are a stored pair.
func (st *pairStore) paired(a, b uint32) bool {
	_, ok := slices.BinarySearch(st.keys, uint64(a)<<32|uint64(b))
	return ok
}

// each calls fn with every stored pair, in order (p valid until fn
// returns).
func (st *pairStore) each(fn func(p *pairResult) error) error {
	r, err := st.stream.Reader()
	if err != nil {
		return err
	}
	var p pairResult
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := decodePair(&p, rec); err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
}

// decodePair reads a record of add into p, reusing its slices.
func decodePair(p *pairResult, rec []byte) error {
	var v [9]int
	next := func() int {
		x, n := binary.Uvarint(rec)
		if n <= 0 {
			rec = nil
			return -1
		}
		rec = rec[n:]
		return int(x)
	}
	p.a, p.b, p.shared = uint32(next()), uint32(next()), int32(next())
	n := next()
	if n < 0 || n > len(rec) {
		return spool.ErrCorrupt
	}
	p.spans, p.bytes = p.spans[:0], p.bytes[:0]
	for range n {
		for i := range v {
			if v[i] = next(); v[i] < 0 {
				return spool.ErrCorrupt
			}
		}
		p.spans = append(p.spans, align.Span{
			AStart: int32(v[0]), AEnd: int32(v[0] + v[1]), BStart: int32(v[2]), BEnd: int32(v[2] + v[3]), Matched: int32(v[4]),
		})
		p.bytes = append(p.bytes, byteSpan{aStart: v[5], aEnd: v[5] + v[6], bStart: v[7], bEnd: v[7] + v[8]})
	}
	return nil
}

func (st *pairStore) close() { st.stream.Close() }
