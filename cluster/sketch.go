package cluster

import "github.com/reuse-tool/reuse/shingle"

// Sketch is a sketch of the text of a passage side, in 8 bytes: a
// one-permutation MinHash (Li, Owen and Zhang, 2012) of its seeds (the
// aligner's hashes of each run of a few tokens) in 8 bins, each holding
// 1 + (its least hash mod 255), or 0 when no seed fell in it. Two sides
// holding the same text have equal bins; of two sets of Jaccard
// similarity J, a bin non-empty in either is equal in both with
// probability J (and by chance 1 in 255). Families projects a quote
// only through passages whose two sides' sketches are nearly the Same:
// the place a quote maps to in a passage aligned across many edits holds
// other text. The zero Sketch is that of no seeds: it tells nothing, and
// is the same as every other.
type Sketch uint64

// sketchBins is the number of bins of a Sketch.
const sketchBins = 8

// SketchOf returns the sketch of a text whose seeds are given. Cost: a
// hash mix and a comparison a seed; no allocation.
func SketchOf(seeds []uint32) Sketch {
	var least [sketchBins]uint64
	var seen uint8
	for _, h := range seeds {
		x := shingle.Mix64(uint64(h)) // seeds are hashes, but nearby texts differ little in their low bits
		b := x >> 61                  // the top 3 bits choose the bin
		v := x << 3
		if seen&(1<<b) == 0 || v < least[b] {
			least[b] = v
			seen |= 1 << b
		}
	}
	var s Sketch
	for b := range sketchBins {
		if seen&(1<<b) != 0 {
			s |= Sketch(1+least[b]%255) << (8 * b)
		}
	}
	return s
}

// Same reports whether s and t sketch texts that are nearly the same: of
// the bins non-empty in either, at least 6 in 8 are equal (Jaccard
// similarity about 3/4 or more). A zero sketch is the same as every
// other.
func (s Sketch) Same(t Sketch) bool {
	if s == 0 || t == 0 {
		return true
	}
	used, equal := 0, 0
	for b := range sketchBins {
		x, y := uint8(s>>(8*b)), uint8(t>>(8*b))
		if x == 0 && y == 0 {
			continue
		}
		used++
		if x == y {
			equal++
		}
	}
	return 8*equal >= 6*used
}
