package reuse

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/reuse-tool/reuse/cluster"
)

// postingSpool holds stage 1's postings in a temporary file until stage 2
// loads them into one array of the exact size: memory holds one copy of
// the postings at a time, never the workers' growing buffers and the
// merged array together (at 1 GB, 0.9 GB each). Blocks are written by
// the workers as they fill, in any order:
//
//	block    up to postingBlock postings of 16 bytes, little endian:
//	         hash uint64, doc uint32 (the document's scan sequence
//	         number), pos uint32
//
// It is safe for concurrent use.
type postingSpool struct {
	mu       sync.Mutex
	f        *os.File
	err      error
	unlinked bool
	blocks   []spoolBlock
	size     atomic.Int64
}

type spoolBlock struct {
	off int64
	n   int // postings
}

// postingBlock is the number of postings a worker gathers before writing
// them (1 MiB).
const postingBlock = 1 << 16

const postingBytes = 16

// appendPosting encodes p at the end of buf.
func appendPosting(buf []byte, p cluster.Posting) []byte {
	buf = binary.LittleEndian.AppendUint64(buf, p.Hash)
	buf = binary.LittleEndian.AppendUint32(buf, p.Doc)
	return binary.LittleEndian.AppendUint32(buf, p.Pos)
}

// write writes a block of encoded postings.
func (s *postingSpool) write(block []byte) error {
	if len(block) == 0 {
		return nil
	}
	off := s.size.Add(int64(len(block))) - int64(len(block))
	s.mu.Lock()
	if s.f == nil && s.err == nil {
		s.f, s.unlinked, s.err = createTemp("reuse-postings-*")
	}
	f, err := s.f, s.err
	if err == nil {
		s.blocks = append(s.blocks, spoolBlock{off: off, n: len(block) / postingBytes})
	}
	s.mu.Unlock()
	if err != nil {
		return tempFileError(err)
	}
	if _, err := f.WriteAt(block, off); err != nil {
		return fmt.Errorf("reuse: posting spool: %w", err)
	}
	return nil
}

// load reads every posting back into one array, rewriting each posting's
// document from its sequence number to docOf[seq], and removes the spool.
// Blocks are read in parallel, in the order they were written.
func (s *postingSpool) load(ctx context.Context, docOf []uint32, workers int) ([]cluster.Posting, error) {
	defer s.close()
	n := 0
	start := make([]int, len(s.blocks))
	for i, b := range s.blocks {
		start[i] = n
		n += b.n
	}
	ps := make([]cluster.Posting, n)
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range workers {
		g.Go(func() error {
			buf := make([]byte, postingBlock*postingBytes)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(s.blocks) {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				b := s.blocks[i]
				data := buf[:b.n*postingBytes]
				if _, err := s.f.ReadAt(data, b.off); err != nil {
					return fmt.Errorf("reuse: posting spool: %w", err)
				}
				dst := ps[start[i] : start[i]+b.n]
				for j := range dst {
					rec := data[j*postingBytes:]
					dst[j] = cluster.Posting{
						Hash: binary.LittleEndian.Uint64(rec),
						Doc:  docOf[binary.LittleEndian.Uint32(rec[8:])],
						Pos:  binary.LittleEndian.Uint32(rec[12:]),
					}
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return ps, nil
}

// close removes the spool.
func (s *postingSpool) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	closeTemp(s.f, s.unlinked)
	s.f = nil
	s.blocks = nil
}
