package spool

import (
	"context"
	"encoding/binary"

	"github.com/reuse-tool/reuse/internal/postings"
)

// PostingPartitions is the number of partitions of a postings spool: a
// posting goes to partition Hash>>56, so that partitions loaded in order
// give postings in hash order.
const PostingPartitions = 256

// NewPostings returns a spool of postings (see the package documentation
// for the format) keeping up to memory bytes of them in memory.
func NewPostings(memory int64) *Records {
	return NewRecords("reuse-postings-*", postings.Size, PostingPartitions, memory)
}

// AddPosting writes p to its partition of a postings spool.
func AddPosting(w *RecordWriter, p postings.Posting) error {
	b, err := w.Next(int(p.Hash >> 56))
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint64(b, p.Hash)
	binary.LittleEndian.PutUint32(b[8:], p.Doc)
	binary.LittleEndian.PutUint32(b[12:], p.Pos)
	binary.LittleEndian.PutUint32(b[16:], p.Around)
	return nil
}

// LoadPostings reads the postings of partitions [from, to) of a postings
// spool into dst (grown to their exact number), rewriting each posting's
// document from d to docOf[d] (unless docOf is nil), on workers
// goroutines.
func LoadPostings(ctx context.Context, s *Records, dst []postings.Posting, from, to int, docOf []uint32, workers int) ([]postings.Posting, error) {
	n := int(s.Count(from, to))
	if cap(dst) < n {
		dst = make([]postings.Posting, n)
	}
	dst = dst[:n]
	err := s.Each(ctx, from, to, workers, func(_, _ int, start int64, recs []byte) error {
		out := dst[start : start+int64(len(recs)/postings.Size)]
		for j := range out {
			rec := (*[postings.Size]byte)(recs[j*postings.Size:]) // one bounds check
			d := binary.LittleEndian.Uint32(rec[8:12])
			if docOf != nil {
				if int(d) >= len(docOf) {
					return ErrCorrupt
				}
				d = docOf[d]
			}
			out[j] = postings.Posting{
				Hash:   binary.LittleEndian.Uint64(rec[:8]),
				Doc:    d,
				Pos:    binary.LittleEndian.Uint32(rec[12:16]),
				Around: binary.LittleEndian.Uint32(rec[16:20]),
			}
		}
		return nil
	})
	return dst, err
}
