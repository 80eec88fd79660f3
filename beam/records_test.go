package reusebeam

import (
	"reflect"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/shingle"
)

// TestRecords: every record the pipeline encodes by hand decodes to what
// was encoded, several in one batch.
func TestRecords(t *testing.T) {
	ps := []postings.Posting{{Hash: 1<<63 | 5, Doc: 7, Pos: 1 << 31, Around: 0x87654321}, {Hash: 0, Doc: 0, Pos: 0}}
	var b []byte
	for _, p := range ps {
		b = appendPosting(b, p)
	}
	if got := decodePostings(nil, b); !slices.Equal(got, ps) {
		t.Errorf("postings = %v, want %v", got, ps)
	}

	ks := []candidate.Key{{A: 1, B: 2, PosA: 3, PosB: candidate.Repeated | 7, DF: 5, Quoted: true, Run: 3}, {A: 9, B: 10, Run: candidate.UnknownRun}}
	b = nil
	for _, k := range ks {
		b = appendKey(b, k)
	}
	if got := decodeKeys(nil, b); !slices.Equal(got, ks) {
		t.Errorf("keys = %v, want %v", got, ks)
	}

	cs := []cand{
		{A: 1, B: 2, Shared: 3, Anchors: []candidate.Anchor{{PosA: candidate.Repeated | 9, PosB: candidate.Repeated | 4, DF: 3}, {PosA: 5, PosB: 6, DF: 2}}},
		{A: 7, B: 8, Check: true},
	}
	b = nil
	for i := range cs {
		b = appendCand(b, &cs[i])
	}
	if got, err := decodeCands(nil, b); err != nil || !reflect.DeepEqual(got, cs) {
		t.Errorf("cands = %+v, %v; want %+v", got, err, cs)
	}
	if _, err := decodeCands(nil, b[:len(b)-1]); err == nil {
		t.Error("a cut candidate record decodes without error")
	}

	var rare [][2]uint32
	b = appendRare(appendRare(nil, 4, 10, 2), 5, 11, 3)
	eachRare(b, func(doc uint32, e candidate.RareEntry) { rare = append(rare, [2]uint32{doc, e.Pos*10 + e.DF}) })
	if want := [][2]uint32{{4, 102}, {5, 113}}; !slices.Equal(rare, want) {
		t.Errorf("rare = %v, want %v", rare, want)
	}
	var occs []cluster.Occurrence
	b = appendOcc(nil, cluster.Occurrence{Doc: 3, Start: 4, End: 9})
	eachOcc(b, func(o cluster.Occurrence) { occs = append(occs, o) })
	if len(occs) != 1 || occs[0] != (cluster.Occurrence{Doc: 3, Start: 4, End: 9}) {
		t.Errorf("occurrences = %v", occs)
	}

	d := alignDoc{Doc: 1 << 20, Words: 7, Key: 1<<63 | 5, Seeds: []uint32{1, 2, 1 << 31, 4, 5}, Repeats: []uint32{1, 3, 1, 5, 2, 6},
		Rare: []candidate.RareEntry{{Pos: 2, DF: 3}}, Boiler: []cluster.Occurrence{{Start: 1, End: 4}}, Sig: []uint64{9, 1 << 63},
		Reworded: []byte{1, 7, 0, 255}, Classes: []byte{0x10, 0x36, 0x02, 0x00}}
	b = d.append(nil, true)
	b = d.append(b, false)
	got, rest, err := decodeAlignDoc(b)
	if err != nil || !reflect.DeepEqual(got, d) {
		t.Errorf("align doc = %+v, %v; want %+v", got, err, d)
	}
	noSig := d
	noSig.Sig = nil
	if got, rest, err = decodeAlignDoc(rest); err != nil || len(rest) != 0 || !reflect.DeepEqual(got, noSig) {
		t.Errorf("align doc without signature = %+v, %v, %d bytes left; want %+v", got, err, len(rest), noSig)
	}
	if _, _, err := decodeAlignDoc(b[:10]); err == nil {
		t.Error("a cut align doc decodes without error")
	}
	if _, _, err := decodeAlignDoc(noSig.append(nil, false)[:len(noSig.append(nil, false))-1]); err == nil {
		t.Error("an align doc cut in its word classes decodes without error")
	}
	// d's 7 tokens, a nibble each: other, function (0x10), name after an
	// opening quotation mark, content (0x36), name, other (0x02), other;
	// none beyond them.
	if c := d.words(0, 9); c != (shingle.Words{Classes: [4]int32{shingle.OtherWord: 3, shingle.FunctionWord: 1, shingle.NameWord: 2, shingle.ContentWord: 1}}) {
		t.Errorf("word classes of the align doc = %v", c)
	}
	if c := d.words(2, 4); !c.Quoted {
		t.Errorf("word classes of the align doc's tokens 2-3 = %v, want them quoted", c)
	}
}

// TestPartitionOf: partitions cover 0..n-1, for any n.
func TestPartitionOf(t *testing.T) {
	for _, n := range []int{1, 3, 64, 1000} {
		seen := make([]bool, n)
		for _, h := range []uint64{0, 1<<64 - 1, 1 << 63, 0x9e3779b97f4a7c15} {
			p := partitionOf(h, n)
			if int(p) >= n {
				t.Fatalf("partitionOf(%#x, %d) = %d", h, n, p)
			}
			seen[p] = true
		}
		if !seen[0] || !seen[n-1] {
			t.Errorf("partitionOf(_, %d) misses the first or the last partition", n)
		}
	}
}

// FuzzDecodeAlignDoc: any bytes decode to a record or an error, never a
// panic, and a record decoded encodes to the bytes it came from.
func FuzzDecodeAlignDoc(f *testing.F) {
	d := alignDoc{Doc: 3, Words: 5, Key: cluster.DocKey("a/b.txt"), Seeds: []uint32{1, 2, 3}, Repeats: []uint32{0, 2},
		Rare: []candidate.RareEntry{{Pos: 1, DF: 2}}, Boiler: []cluster.Occurrence{{Start: 0, End: 3}}, Sig: []uint64{7},
		Reworded: []byte{1, 2}, Classes: []byte{3, 4, 5}}
	f.Add(d.append(nil, true))
	f.Add(d.append(nil, false))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, rest, err := decodeAlignDoc(b)
		if err != nil {
			return
		}
		if again := got.append(nil, true); string(again) != string(b[:len(b)-len(rest)]) {
			// Uvarints have more than one encoding: only a canonical
			// record must come back as it was.
			if d2, _, err := decodeAlignDoc(again); err != nil || !reflect.DeepEqual(d2, got) {
				t.Fatalf("decoded %+v re-encodes to %x, which decodes to %+v, %v", got, again, d2, err)
			}
		}
	})
}
