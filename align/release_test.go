package align

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/mmap"
)

// TestRelease: an aligner released between documents, at limits that
// drop some of its buffers or all of them, aligns every later pair as a
// fresh aligner does, with and without anchors; pairs of large documents
// over tiny vocabularies (common seeds: the ahead table, repeated
// anchors) come between small ones.
func TestRelease(t *testing.T) {
	for _, limit := range []int{0, 1 << 10, 64 << 10, 1 << 30} {
		used := New(Options{})
		r := rand.New(rand.NewPCG(7, uint64(limit)))
		for i := range 60 {
			var a, b []uint64
			if i%10 == 3 {
				a, b = randomWords(r, 8000), randomWords(r, 6000)
				for j := range a {
					a[j] %= 40
				}
				copy(b[2000:], a[1000:4000])
			} else {
				a, b = randomPair(r, []int{4, 6, 10, 30}[i%4])
			}
			var anchors []Anchor
			if i%2 == 1 {
				anchors = firstAnchors(a, b, used.Options().AnchorLen)
			}
			fresh := New(Options{})
			fresh.SetA(toTokens(a))
			used.SetA(toTokens(a))
			want, got := alignAnchored(fresh, b, anchors), alignAnchored(used, b, anchors)
			if !slices.Equal(got, want) {
				t.Fatalf("limit %d, pair %d (%d, %d tokens): after Release %v, fresh %v", limit, i, len(a), len(b), got, want)
			}
			used.Release(limit)
			if held := heldBytes(reflect.ValueOf(used).Elem()); limit == 0 && held != 0 {
				t.Fatalf("Release(0) after pair %d: %d bytes of scratch still held", i, held)
			}
		}
	}
}

// heldBytes is the capacity, in bytes, of every slice reachable in v
// through structs and arrays (an Aligner's scratch), nested slices'
// elements not followed.
func heldBytes(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Slice:
		return v.Cap() * int(v.Type().Elem().Size())
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			n += heldBytes(v.Field(i))
		}
		return n
	case reflect.Array:
		n := 0
		for i := range v.Len() {
			n += heldBytes(v.Index(i))
		}
		return n
	}
	return 0
}

// TestDiagMapped: diagonals mapped from the system (from mapDiagSlots
// on) give the alignments of diagonals made in the heap, through pairs
// that grow them, keep them and let them go; only the last mapping is
// held, and Release unmaps it.
func TestDiagMapped(t *testing.T) {
	old := mapDiagSlots
	defer func() { mapDiagSlots = old }()
	base := mmap.AnonymousBytes()
	mapped := New(Options{})
	r := rand.New(rand.NewPCG(8, 9))
	for i := range 40 {
		a, b := randomPair(r, []int{4, 6, 10, 30}[i%4])
		if i%7 == 5 { // larger than any before: the diagonals grow
			a, b = randomWords(r, 300+40*i), randomWords(r, 200+30*i)
			copy(b[50:], a[20:120])
		}
		var anchors []Anchor
		if i%2 == 1 {
			anchors = firstAnchors(a, b, mapped.Options().AnchorLen)
		}
		mapDiagSlots = 1 << 62
		made := New(Options{})
		made.SetA(toTokens(a))
		want := alignAnchored(made, b, anchors)
		if made.diagUnmap != nil {
			t.Fatal("diagonals mapped below mapDiagSlots")
		}
		mapDiagSlots = 1
		mapped.SetA(toTokens(a))
		if got := alignAnchored(mapped, b, anchors); !slices.Equal(got, want) {
			t.Fatalf("pair %d (%d, %d tokens): mapped diagonals %v, made %v", i, len(a), len(b), got, want)
		}
		if mmap.Maps && len(mapped.diag) > 0 && mapped.diagUnmap == nil {
			t.Fatalf("pair %d: %d diagonals not mapped from mapDiagSlots 1", i, len(mapped.diag))
		}
		if held, want := mmap.AnonymousBytes()-base, int64(len(mapped.diag))*8; held != want {
			t.Fatalf("pair %d: %d bytes mapped, want %d (the current diagonals only)", i, held, want)
		}
		if i%10 == 9 {
			mapped.Release(0)
			if mapped.diag != nil || mmap.AnonymousBytes() != base {
				t.Fatalf("Release(0) after pair %d kept %d diagonals, %d bytes mapped", i, len(mapped.diag), mmap.AnonymousBytes()-base)
			}
		}
	}
	mapped.Release(0)
}
