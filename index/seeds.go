package index

import (
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/reword"
)

// SeedReader reads documents' seeds and token offsets back from the seed
// spool, with buffers of its own. It is NOT safe for concurrent use: give
// each worker its own.
type SeedReader struct {
	x     *Index
	buf   []byte // records, when the spool is not mapped
	rwBuf []byte // reword records, likewise
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

// Reworded decodes document d's analysis for reworded reuse into dst's
// slices (reword.ReadDoc) and returns it; it needs Options.Reword
// (ErrNoReword otherwise). The Doc does not refer to the spool.
func (r *SeedReader) Reworded(dst reword.Doc, d uint32) (reword.Doc, error) {
	x := r.x
	if !x.reword {
		return dst, ErrNoReword
	}
	info := &x.docs[d]
	rec, buf, err := x.seeds.ReadExtra(info.seeds, int(info.rwBytes), r.rwBuf)
	r.rwBuf = buf
	if err != nil {
		return dst, err
	}
	x.touched(int64(info.rwBytes))
	return reword.ReadDoc(dst, rec)
}
