package spool

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/reuse-tool/reuse/internal/work"
)

// blockBytes is the size of a block of records: a worker holds a block of
// each partition it writes.
const blockBytes = 32 << 10

// Records spools fixed-size records by partition, for a shuffle: workers
// append records to the partition the record's key chooses, and a later
// step reads back a range of partitions at a time. Blocks stay in memory
// while the records kept there take less than the memory given to
// NewRecords, and go to the temporary file after that: a scan of a small
// corpus never touches the disk, and a large one holds at most that much.
//
// The order of blocks within a partition depends on the order in which
// workers fill them: readers that need a deterministic result sort what
// they read.
//
// Records of varying size (NewVarRecords) are written with Append and read
// back a block at a time, the records one after another: the reader
// tells where each ends.
type Records struct {
	size    int  // bytes a record; the most, if varying
	varying bool // NewVarRecords
	memory  int64
	f       file
	end     atomic.Int64 // file size
	kept    atomic.Int64 // bytes of blocks in memory
	mu      sync.Mutex
	blocks  [][]recordBlock // by partition
	counts  []int64         // records by partition
}

type recordBlock struct {
	data  []byte // in memory, or nil
	off   int64  // in the file, when data is nil
	n     int    // records
	bytes int    // of its records, in memory or in the file
}

// NewRecords returns an empty spool of records of size bytes in the given
// number of partitions, keeping up to memory bytes of them in memory. Its
// file, named after pattern (os.CreateTemp), is created when the first
// block goes to disk.
func NewRecords(pattern string, size, partitions int, memory int64) *Records {
	if size <= 0 || size > blockBytes || partitions <= 0 {
		panic("spool: NewRecords needs 0 < size <= 32 KiB and partitions > 0")
	}
	return &Records{
		size: size, memory: memory, f: file{pattern: pattern},
		blocks: make([][]recordBlock, partitions),
		counts: make([]int64, partitions),
	}
}

// NewVarRecords is NewRecords for records of varying size, up to maxSize
// bytes each, written with Append.
func NewVarRecords(pattern string, maxSize, partitions int, memory int64) *Records {
	s := NewRecords(pattern, maxSize, partitions, memory)
	s.varying = true
	return s
}

// Partitions returns the number of partitions.
func (s *Records) Partitions() int { return len(s.blocks) }

// RecordWriter gathers one worker's records into blocks by partition. It
// is NOT safe for concurrent use: give each worker its own.
type RecordWriter struct {
	s    *Records
	bufs [][]byte
	per  int   // records a block
	ns   []int // records in bufs, if varying
}

// NewWriter returns a writer of records to s.
func (s *Records) NewWriter() *RecordWriter {
	w := &RecordWriter{s: s, bufs: make([][]byte, len(s.blocks)), per: blockBytes / s.size}
	if s.varying {
		w.ns = make([]int, len(s.blocks))
	}
	return w
}

// Next returns room for one record of partition part, to be filled before
// the next call, writing out the partition's block when it is full. The
// spool's records must be of one size (NewRecords).
func (w *RecordWriter) Next(part int) ([]byte, error) {
	if w.s.varying {
		panic("spool: Next on records of varying size")
	}
	b := w.bufs[part]
	size, full := w.s.size, w.per*w.s.size
	if len(b) == full {
		if err := w.write(part); err != nil {
			return nil, err
		}
		b = w.bufs[part]
	}
	if len(b)+size > cap(b) {
		// A block grows to its full size as its partition's records come:
		// a writer of many partitions, most of them getting few records
		// from one load, held a full block for each.
		b = slices.Grow(b, min(max(2*cap(b), minBlockBytes, len(b)+size), full)-len(b))
	}
	n := len(b)
	b = b[:n+size]
	w.bufs[part] = b
	return b[n:], nil
}

// minBlockBytes is the room a writer first gives a partition's block.
const minBlockBytes = 1 << 10

// Append writes rec, of at most the size given to NewVarRecords, to
// partition part of a spool of records of varying size.
func (w *RecordWriter) Append(part int, rec []byte) error {
	if !w.s.varying || len(rec) > w.s.size {
		panic("spool: Append needs records of varying size, up to the spool's")
	}
	b := w.bufs[part]
	if len(b)+len(rec) > blockBytes {
		if err := w.write(part); err != nil {
			return err
		}
		b = w.bufs[part]
	}
	if len(b)+len(rec) > cap(b) {
		b = slices.Grow(b, min(max(2*cap(b), minBlockBytes, len(b)+len(rec)), blockBytes)-len(b))
	}
	w.bufs[part] = append(b, rec...)
	w.ns[part]++
	return nil
}

// Flush writes out the blocks not yet written.
func (w *RecordWriter) Flush() error {
	for part := range w.bufs {
		if err := w.write(part); err != nil {
			return err
		}
	}
	return nil
}

func (w *RecordWriter) write(part int) error {
	b := w.bufs[part]
	if len(b) == 0 {
		return nil
	}
	s := w.s
	blk := recordBlock{n: len(b) / s.size, bytes: len(b)}
	if s.varying {
		blk.n, w.ns[part] = w.ns[part], 0
	}
	if s.kept.Add(int64(len(b))) <= s.memory {
		blk.data = b
		w.bufs[part] = nil // the block is the spool's now
	} else {
		s.kept.Add(-int64(len(b)))
		blk.off = s.end.Add(onDisk(len(b))) - onDisk(len(b))
		if err := s.f.writeAt(b, blk.off); err != nil {
			return err
		}
		w.bufs[part] = b[:0]
	}
	s.mu.Lock()
	s.blocks[part] = append(s.blocks[part], blk)
	s.counts[part] += int64(blk.n)
	s.mu.Unlock()
	return nil
}

// Count returns the number of records in partitions [from, to).
func (s *Records) Count(from, to int) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for _, c := range s.counts[from:to] {
		n += c
	}
	return n
}

// Each calls fn for every block of partitions [from, to), on workers
// goroutines: w is the worker, part the block's partition, start the
// index of the block's first record among the records of [from, to)
// (partition after partition, in the order blocks were written), and recs
// the block's records, read into a buffer of the worker's own (valid
// until fn returns). Blocks on disk are asked for ahead of the workers
// (POSIX_FADV_WILLNEED, where the system has it). It stops at the first
// error or when ctx is cancelled.
func (s *Records) Each(ctx context.Context, from, to, workers int, fn func(w, part int, start int64, recs []byte) error) error {
	s.mu.Lock()
	var blocks []recordBlock
	var parts []int
	for p, bs := range s.blocks[from:to] {
		blocks = append(blocks, bs...)
		for range bs {
			parts = append(parts, from+p)
		}
	}
	s.mu.Unlock()
	start := make([]int64, len(blocks))
	var n int64
	for i, b := range blocks {
		start[i] = n
		n += int64(b.n)
	}
	bufs := make([][]byte, max(workers, 1))
	// Blocks on disk are scattered over the file, a partition's among all
	// the others': read one at a time per worker, each waits for the
	// disk. They are asked for ahead of the workers (work.Ahead).
	var ahead *work.Ahead
	if onDisk := slices.ContainsFunc(blocks, func(b recordBlock) bool { return b.data == nil }); onDisk && readAhead > 0 {
		ahead = work.NewAhead(len(blocks), readAhead, readHinters, func(i int) {
			if b := blocks[i]; b.data == nil {
				s.f.willNeed(b.off, int64(b.bytes))
			}
		})
		defer ahead.Stop()
	}
	return work.Each(ctx, len(blocks), workers, func(w, i int) error {
		if ahead != nil {
			defer ahead.Done()
		}
		b := blocks[i]
		if b.data != nil {
			return fn(w, parts[i], start[i], b.data)
		}
		if bufs[w] == nil {
			bufs[w] = make([]byte, blockBytes)
		}
		data := bufs[w][:b.bytes]
		if err := s.f.readAt(data, b.off); err != nil {
			return err
		}
		return fn(w, parts[i], start[i], data)
	})
}

// readAhead and readHinters are how many blocks Each asks for ahead of
// its workers, and from how many goroutines (docs/benchmarks.md,
// "Session 9"). Variables for the benchmark that measures them.
var (
	readAhead   = 128
	readHinters = 4
)

// Drop forgets partitions [from, to): their memory goes back, and their
// disk space where the file system can punch holes (Linux), else with
// Close.
func (s *Records) Drop(from, to int) {
	for _, b := range s.forget(from, to, true) {
		s.f.discard(b.off, onDisk(b.bytes))
	}
}

// forget forgets partitions [from, to), giving their memory back, and
// returns their blocks on disk when asked to.
func (s *Records) forget(from, to int, onDiskToo bool) []recordBlock {
	s.mu.Lock()
	var disk []recordBlock
	for p := from; p < to; p++ {
		for _, b := range s.blocks[p] {
			if b.data != nil {
				s.kept.Add(-int64(len(b.data)))
			} else if onDiskToo {
				disk = append(disk, b)
			}
		}
		s.blocks[p], s.counts[p] = nil, 0
	}
	s.mu.Unlock()
	return disk
}

// pageBytes aligns blocks on disk, so that a dropped block's pages are
// freed whole.
const pageBytes = 4 << 10

// onDisk is the room a block of n bytes takes in the file: whole pages.
func onDisk(n int) int64 { return int64((n + pageBytes - 1) &^ (pageBytes - 1)) }

// Close removes the file and forgets every record.
func (s *Records) Close() {
	s.forget(0, len(s.blocks), false) // the file goes whole: no holes to punch
	s.f.remove()
}
