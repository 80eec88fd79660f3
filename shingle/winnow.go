package shingle

import (
	"context"

	"github.com/reuse-tool/reuse/internal/grow"
)

// Fingerprint is a shingle chosen by winnowing: its hash and the index of
// the shingle (equal to the index of its first token).
type Fingerprint struct {
	Hash uint64
	Pos  uint32
}

// Winnow appends to dst the winnowing fingerprints of hashes with window w
// (Schleimer, Wilkerson and Aiken 2003) and returns it: in every window of
// w consecutive hashes the minimum is selected (the rightmost one on ties,
// as in the paper's plain winnowing, not its "robust" variant, which keeps
// the previous choice), and each selected position is recorded once, in
// increasing order. With k-token shingles, any run of at least w+k-1 tokens
// shared by two texts yields at least one common fingerprint.
//
// Fewer than w hashes (but at least one) form a single window. The expected
// density is 2/(w+1) fingerprints per shingle. scratch holds the monotone
// queue; pass the result back in to reuse it. It panics if w < 1.
func Winnow(dst []Fingerprint, scratch []uint32, hashes []uint64, w int) ([]Fingerprint, []uint32) {
	dst, scratch, _ = winnow(context.Background(), dst, scratch, hashes, w)
	return dst, scratch
}

// checkShingles is how many shingles a pass over a document's shingles
// handles between two looks at its context: a few milliseconds of work.
const checkShingles = 1 << 18

// winnow is Winnow, giving up with ctx.Err() when ctx is done (looked at
// every checkShingles hashes).
func winnow(ctx context.Context, dst []Fingerprint, scratch []uint32, hashes []uint64, w int) ([]Fingerprint, []uint32, error) {
	if w < 1 {
		panic("shingle: w < 1")
	}
	n := len(hashes)
	if n == 0 {
		return dst, scratch, nil
	}
	if n < w {
		w = n
	}
	// queue holds positions with strictly increasing hashes from head to
	// tail: its head is the window's rightmost minimum.
	queue := scratch[:0]
	dst = grow.Slice(dst, 2*n/(w+1)+1) // the expected number, as above
	from := len(dst)
	head := 0
	last := -1
	for i := range n {
		if i&(checkShingles-1) == checkShingles-1 {
			if err := ctx.Err(); err != nil {
				return dst, queue[:0], err
			}
		}
		for len(queue) > head && hashes[queue[len(queue)-1]] >= hashes[i] {
			queue = queue[:len(queue)-1]
		}
		queue = append(queue, uint32(i))
		if int(queue[head]) <= i-w {
			head++
		}
		if i >= w-1 {
			if m := int(queue[head]); m != last {
				if len(dst) == cap(dst) {
					// Denser than expected (text repeating itself picks
					// up to one a shingle): reserve the rest at the
					// density so far, not a quarter more at a time.
					dst = grow.Slice(dst, (n-i)*(len(dst)-from+1)/(i+1)+1)
				}
				dst = append(dst, Fingerprint{Hash: hashes[m], Pos: uint32(m)})
				last = m
			}
		}
		if head > 1024 && head > len(queue)/2 {
			// Keep the queue's storage bounded by w.
			queue = append(queue[:0], queue[head:]...)
			head = 0
		}
	}
	return dst, queue[:0], nil
}
