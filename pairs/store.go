package pairs

import (
	"encoding/binary"
	"io"
	"math"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/reword"
)

// Store keeps the aligned pairs between alignment and the result: the
// pairs themselves wait in a temporary stream, in (A, B) order, and
// memory holds only what families and groups need: 40 bytes a passage
// (its sides and their sketches) and 8 a pair (docs/benchmarks.md, "Measurements behind the code", has
// the counts of a large scan).
//
// A pair's record is uvarints: A, B, shared fingerprints, passages, then
// for each passage its token range on A (start, length) and on B, its
// matched tokens, its byte range on A (start, length) and on B, and its
// kind (reword.Kind), followed for a kind other than exact by its cosine
// (the bits of a float32).
//
// A Store is NOT safe for concurrent use.
type Store struct {
	stream *spool.Stream
	n      int
	sides  [][2]cluster.Occurrence // every passage's two sides, in order
	texts  [][2]cluster.Sketch     // their texts' sketches, parallel to sides
	keys   []uint64                // A<<32 | B of every pair, ascending
	edges  []cluster.Edge          // pairs covering Threshold of both documents
	buf    []byte
}

func newStore() *Store { return &Store{stream: spool.NewStream("reuse-pairs-*")} }

// add stores p; pairs come in (A, B) order. The pairs that make their
// documents near-duplicates at threshold (Pair.NearDuplicate) are edges.
func (st *Store) add(x *index.Index, p *Pair, threshold float64) error {
	b := st.buf[:0]
	b = binary.AppendUvarint(b, uint64(p.A))
	b = binary.AppendUvarint(b, uint64(p.B))
	b = binary.AppendUvarint(b, uint64(p.Shared))
	b = binary.AppendUvarint(b, uint64(len(p.Spans)))
	for i, s := range p.Spans {
		bs := p.Bytes[i]
		for _, v := range [...]int{
			int(s.AStart), int(s.AEnd - s.AStart), int(s.BStart), int(s.BEnd - s.BStart), int(s.Matched),
			bs.AStart, bs.AEnd - bs.AStart, bs.BStart, bs.BEnd - bs.BStart,
		} {
			b = binary.AppendUvarint(b, uint64(v))
		}
		k := p.Kind(i)
		b = binary.AppendUvarint(b, uint64(k))
		if k != reword.Exact {
			b = binary.AppendUvarint(b, uint64(math.Float32bits(p.Cosines[i])))
		}
		st.sides = append(st.sides, [2]cluster.Occurrence{
			{Doc: p.A, Start: s.AStart, End: s.AEnd},
			{Doc: p.B, Start: s.BStart, End: s.BEnd},
		})
		var text [2]cluster.Sketch
		if i < len(p.Sketches) {
			text = p.Sketches[i]
		}
		st.texts = append(st.texts, text)
	}
	st.buf = b
	st.keys = append(st.keys, uint64(p.A)<<32|uint64(p.B))
	if e, ok := p.NearDuplicate(x.Words(p.A), x.Words(p.B), threshold); ok {
		st.edges = append(st.edges, cluster.Edge{A: p.A, B: p.B, Pct: e})
	}
	st.n++
	return st.stream.Append(b)
}

// Key returns the documents of the i-th pair, in the order of Each.
func (st *Store) Key(i int) (a, b uint32) {
	return uint32(st.keys[i] >> 32), uint32(st.keys[i])
}

// Len returns the number of pairs.
func (st *Store) Len() int { return st.n }

// Sides returns the two sides of every passage, in the order of the
// pairs and of their passages (not to be modified).
func (st *Store) Sides() [][2]cluster.Occurrence { return st.sides }

// Texts returns the sketches of the texts of every passage's two sides,
// parallel to Sides (not to be modified).
func (st *Store) Texts() [][2]cluster.Sketch { return st.texts }

// Edges returns the pairs whose passages cover Options.Threshold of both
// documents (not to be modified).
func (st *Store) Edges() []cluster.Edge { return st.edges }

// Paired reports whether a and b (a < b) are a stored pair.
func (st *Store) Paired(a, b uint32) bool {
	_, ok := slices.BinarySearch(st.keys, uint64(a)<<32|uint64(b))
	return ok
}

// Each calls fn with every stored pair, in order (p valid until fn
// returns).
func (st *Store) Each(fn func(p *Pair) error) error {
	r, err := st.stream.Reader()
	if err != nil {
		return err
	}
	var p Pair
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
func decodePair(p *Pair, rec []byte) error {
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
	p.A, p.B, p.Shared = uint32(next()), uint32(next()), int32(next())
	n := next()
	if n < 0 || n > len(rec) {
		return spool.ErrCorrupt
	}
	p.Spans, p.Bytes = p.Spans[:0], p.Bytes[:0]
	p.Kinds, p.Cosines = p.Kinds[:0], p.Cosines[:0]
	exact := true
	for range n {
		for i := range v {
			if v[i] = next(); v[i] < 0 {
				return spool.ErrCorrupt
			}
		}
		p.Spans = append(p.Spans, align.Span{
			AStart: int32(v[0]), AEnd: int32(v[0] + v[1]), BStart: int32(v[2]), BEnd: int32(v[2] + v[3]), Matched: int32(v[4]),
		})
		p.Bytes = append(p.Bytes, ByteSpan{AStart: v[5], AEnd: v[5] + v[6], BStart: v[7], BEnd: v[7] + v[8]})
		k, cos := next(), 1.0
		if k < 0 {
			return spool.ErrCorrupt
		}
		if reword.Kind(k) != reword.Exact {
			bits := next()
			if bits < 0 {
				return spool.ErrCorrupt
			}
			cos, exact = float64(math.Float32frombits(uint32(bits))), false
		}
		p.Kinds = append(p.Kinds, reword.Kind(k))
		p.Cosines = append(p.Cosines, float32(cos))
	}
	if exact {
		p.Kinds, p.Cosines = p.Kinds[:0], p.Cosines[:0]
	}
	return nil
}

// Close removes the stream.
func (st *Store) Close() { st.stream.Close() }
