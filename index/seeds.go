package index

import "github.com/reuse-tool/reuse/internal/spool"

// SeedReader reads documents' seeds and token offsets back from the seed
// spool, with buffers of its own. It is NOT safe for concurrent use: give
// each worker its own.
type SeedReader struct {
	x   *Index
	buf []byte // records, when the spool is not mapped
}

// NewSeedReader returns a SeedReader of x.
func (x *Index) NewSeedReader() *SeedReader { return &SeedReader{x: x} }

// View returns document d's record: its seeds (of SeedTokens tokens
// each) and the byte offsets of its tokens. The view is valid until the
// next call of View.
func (r *SeedReader) View(d uint32) (spool.SeedView, error) {
	x := r.x
	info := &x.docs[d]
	v, buf, err := x.seeds.Read(info.seeds, spool.SeedCount(int(info.words), x.seedK), int(info.words), r.buf)
	r.buf = buf
	x.touched(info.seeds.Bytes)
	return v, err
}
