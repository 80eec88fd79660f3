package shingle

import (
	"context"
	"encoding/binary"
	"math"

	minhash "github.com/dgryski/go-minhash"
)

// Signer computes MinHash signatures of sets of 64-bit hashes with
// go-minhash's MinWise sketch, whose i-th permutation is h1(x) + i·h2(x).
//
// The wrapper exists for go-minhash's sharp edges: Signature returns the
// sketch's internal slice (copied out here), the hash functions are the
// caller's (fixed-seed mixers here, never a random seed), and the b-bit
// functions are not used (they drop values and count padding as matches).
//
// A Signer is NOT safe for concurrent use.
type Signer struct {
	size int
	buf  []byte // the 8 bytes handed to Push, kept to avoid an allocation per value
}

// Seeds of the two hash functions. Changing them changes every signature.
const (
	minhashSeed1 = 0x243f6a8885a308d3
	minhashSeed2 = 0x13198a2e03707344
)

func minhashH1(b []byte) uint64 { return Mix64(binary.LittleEndian.Uint64(b) ^ minhashSeed1) }

// minhashH2 is odd so that the permutations h1 + i·h2 differ for every i.
func minhashH2(b []byte) uint64 { return Mix64(binary.LittleEndian.Uint64(b)^minhashSeed2) | 1 }

// NewSigner returns a Signer of size values per signature. It panics if
// size < 1.
func NewSigner(size int) *Signer {
	if size < 1 {
		panic("shingle: signature size < 1")
	}
	return &Signer{size: size, buf: make([]byte, 8)}
}

// Size is the number of values in a signature.
func (s *Signer) Size() int { return s.size }

// Sign appends the signature of the set of hashes (duplicates do not
// matter) to dst and returns it. The signature of the empty set is all
// math.MaxUint64.
func (s *Signer) Sign(dst []uint64, hashes []uint64) []uint64 {
	dst, _ = s.signContext(context.Background(), dst, hashes)
	return dst
}

// checkSign is how many hashes signContext pushes between two looks at
// its context: each costs a hash function per signature value.
const checkSign = 1 << 14

// signContext is Sign, giving up with ctx.Err() (dst as given) when ctx
// is done: it looks at ctx once every checkSign hashes (21 million
// distinct fingerprints of one document took over a second).
func (s *Signer) signContext(ctx context.Context, dst []uint64, hashes []uint64) ([]uint64, error) {
	mw := minhash.NewMinWise(minhashH1, minhashH2, s.size)
	for j, h := range hashes {
		if j&(checkSign-1) == checkSign-1 {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		binary.LittleEndian.PutUint64(s.buf, h)
		mw.Push(s.buf)
	}
	return append(dst, mw.Signature()...), nil
}

// Similarity estimates the Jaccard similarity of the sets behind two
// signatures of the same size: the share of positions where they agree.
// Empty sets are similar to nothing. It panics if the sizes differ.
func Similarity(a, b []uint64) float64 {
	if len(a) != len(b) {
		panic("shingle: signature sizes differ")
	}
	if len(a) == 0 || a[0] == math.MaxUint64 || b[0] == math.MaxUint64 {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}
