package pairs

import (
	"bytes"
	"cmp"
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/reword"
)

// randomPair returns a pair's alignment of up to 3 passages, with kinds
// and cosines or sketches or neither.
func randomPair(r *rand.Rand) *cachedPair {
	m := r.IntN(4)
	p := &cachedPair{}
	if m == 0 {
		return p
	}
	for range m {
		a, b := r.Int32N(1<<30), r.Int32N(1<<30)
		p.spans = append(p.spans, align.Span{AStart: a, AEnd: a + r.Int32N(500), BStart: b, BEnd: b + r.Int32N(500), Matched: r.Int32N(500)})
		ab, bb := r.IntN(1<<31), r.IntN(1<<31)
		p.bytes = append(p.bytes, ByteSpan{AStart: ab, AEnd: ab + r.IntN(5000), BStart: bb, BEnd: bb + r.IntN(5000)})
	}
	if r.IntN(2) == 0 {
		for range m {
			p.kinds = append(p.kinds, reword.Kind(r.IntN(3)))
			p.cosines = append(p.cosines, r.Float32())
		}
	}
	if r.IntN(2) == 0 {
		for range m {
			p.sketches = append(p.sketches, [2]cluster.Sketch{cluster.Sketch(r.Uint64()), cluster.Sketch(r.Uint64())})
		}
	}
	return p
}

// TestStoredRoundTrip: every pair of a Memo comes back from its encoding
// as it went in, and pairs it does not hold are absent.
func TestStoredRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	m, rec := NewMemo(1<<40), NewRecorder()
	want := map[[2]uint64]*cachedPair{}
	for range 500 {
		k := [2]uint64{r.Uint64N(50), r.Uint64N(50) | 1<<63*r.Uint64N(2)}
		p := randomPair(r)
		m.put(k, p)
		rec.put(k, p)
		if _, ok := want[k]; !ok {
			want[k] = p
		}
	}
	enc, err := EncodeMemo(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := EncodeMemo(context.Background(), rec); err != nil || !bytes.Equal(again, enc) {
		t.Errorf("a recorder's encoding differs from its Memo's")
	}
	if _, ok := rec.get([2]uint64{0, 0}); ok {
		t.Errorf("a recorder answered")
	}
	s, err := OpenStored(enc)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", s.Len(), len(want))
	}
	for k, p := range want {
		got, ok := s.get(k)
		if !ok || !reflect.DeepEqual(got, p) {
			t.Errorf("get(%v) = %+v, %v; want %+v", k, got, ok, p)
		}
	}
	var keys [][2]uint64
	for a, b := range s.Keys() {
		keys = append(keys, [2]uint64{a, b})
		if _, ok := want[[2]uint64{a, b}]; !ok {
			t.Errorf("Keys gave (%d, %d), never stored", a, b)
		}
	}
	if len(keys) != len(want) || !slices.IsSortedFunc(keys, func(x, y [2]uint64) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) }) {
		t.Errorf("Keys gave %d keys, sorted %v; want the %d stored, sorted", len(keys), slices.IsSortedFunc(keys, func(x, y [2]uint64) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) }), len(want))
	}
	for _, k := range [][2]uint64{{50, 0}, {0, 50}, {1<<64 - 1, 1<<64 - 1}} {
		if _, ok := s.get(k); ok {
			t.Errorf("get(%v) found a pair never stored", k)
		}
	}
	// A Memo using them takes what it lacks from them, but the pairs
	// skipped, and counts its hits.
	var k0 [2]uint64
	for k := range want {
		k0 = k
		break
	}
	use := NewMemo(1 << 40)
	use.UseStored(s, func(a, b uint64, spans []align.Span) bool {
		if w := want[[2]uint64{a, b}]; !reflect.DeepEqual(spans, w.spans) {
			t.Errorf("skip(%d, %d) was shown passages %v, want %v", a, b, spans, w.spans)
		}
		return a == k0[0]
	})
	if _, ok := use.get(k0); ok {
		t.Errorf("a skipped pair was taken from the stored alignments")
	}
	hits := 0
	for k := range want {
		if k[0] != k0[0] {
			if _, ok := use.get(k); !ok {
				t.Errorf("get(%v) missed a stored pair", k)
			}
			hits++
		}
	}
	if use.StoredHits() != int64(hits) {
		t.Errorf("StoredHits = %d, want %d", use.StoredHits(), hits)
	}
}

// FuzzOpenStored: no input makes OpenStored or a lookup panic, and what
// opens answers lookups of the keys its table names.
func FuzzOpenStored(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	m := NewMemo(1 << 40)
	for i := range 20 {
		m.put([2]uint64{uint64(i), uint64(i + 1)}, randomPair(r))
	}
	good, err := EncodeMemo(context.Background(), m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(storedMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := OpenStored(b)
		if err != nil {
			return
		}
		for i := range min(s.Len(), 100) {
			k, _ := s.entry(i)
			s.get(k)
		}
		s.get([2]uint64{7, 8})
	})
}
