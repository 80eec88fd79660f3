package candidate

import (
	"context"
	"encoding/binary"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
)

// Boilerplate returns the postings of the fingerprints held by more than
// MaxDF documents, numbered (postings.Numbered: their fingerprints
// numbered from 0 in order of hash), and how many fingerprints there
// are; and forgets them: it is called once, after the last Add. The spool
// is read a partition (a range of hashes) at a time, so that only the
// numbered postings are held: at 24 bytes each, all of them at once were
// the 10 GB scan's peak at the end of the pairing (docs/benchmarks.md,
// "The boilerplate off the 10 GB peak"). When the numbered postings take
// more than maxBytes too (0.53 GB at 10 GB of news) they go to a spool by
// ranges of documents, and BoilerplatePostings.Each reads them back about
// maxBytes at a time (docs/benchmarks.md, "The boilerplate's postings a
// range of documents at a time").
func (s *Shuffle) Boilerplate(ctx context.Context, workers int, maxBytes int64) (*BoilerplatePostings, int, error) {
	parts := s.boiler.Partitions()
	defer s.boiler.Drop(0, parts)
	total := s.boiler.Count(0, parts)
	b := &BoilerplatePostings{maxBytes: maxBytes, workers: workers}
	var w *spool.RecordWriter
	if total*numberedBytes <= maxBytes {
		b.all = make([]postings.Numbered, 0, total)
	} else {
		// Ranges four times finer than the budget, read a few at a time:
		// documents do not hold the boilerplate evenly.
		b.ranges = int(min(4*((total*numberedBytes+maxBytes-1)/maxBytes), maxBoilerplateRanges, int64(max(s.docs, 1))))
		b.docs = max(s.docs, 1)
		b.spool = spool.NewRecords("reuse-boilerplate-postings-*", numberedBytes, b.ranges, 0)
		w = b.spool.NewWriter()
	}
	var load []postings.Posting
	fps := 0
	for part := range parts {
		var err error
		load, err = spool.LoadPostings(ctx, s.boiler, load[:0], part, part+1, nil, workers)
		if err != nil {
			b.Close()
			return nil, 0, err
		}
		s.boiler.Drop(part, part+1)
		postings.Sort(load, workers)
		for i, p := range load {
			if i == 0 || p.Hash != load[i-1].Hash {
				fps++
				if s.boilerHashes {
					b.hashes = append(b.hashes, p.Hash)
				}
			}
			n := postings.Numbered{FP: uint32(fps - 1), Doc: p.Doc, Pos: p.Pos}
			if w == nil {
				b.all = append(b.all, n)
				continue
			}
			rec, err := w.Next(b.rangeOf(p.Doc))
			if err != nil {
				b.Close()
				return nil, 0, err
			}
			putNumbered(rec, n)
		}
	}
	if w != nil {
		if err := w.Flush(); err != nil {
			b.Close()
			return nil, 0, err
		}
	}
	return b, fps, nil
}

// maxBoilerplateRanges bounds the spool's partitions, whose writer holds
// a block of 32 KiB each.
const maxBoilerplateRanges = 256

// numberedBytes is a numbered posting's size, in memory and in a spool.
const numberedBytes = 12

func putNumbered(rec []byte, p postings.Numbered) {
	binary.LittleEndian.PutUint32(rec, p.FP)
	binary.LittleEndian.PutUint32(rec[4:], p.Doc)
	binary.LittleEndian.PutUint32(rec[8:], p.Pos)
}

// BoilerplatePostings are the numbered postings of the boilerplate
// (Shuffle.Boilerplate): in memory, or in a spool by ranges of documents.
type BoilerplatePostings struct {
	all      []postings.Numbered // when in memory
	spool    *spool.Records      // else, a partition a range of documents
	ranges   int
	docs     int
	maxBytes int64
	workers  int
	buf      []postings.Numbered
	hashes   []uint64 // by number
}

// Hashes returns the hash of each fingerprint number, in order (sorted),
// if the shuffle kept them (Shuffle.KeepBoilerplateHashes); nil otherwise.
func (b *BoilerplatePostings) Hashes() []uint64 { return b.hashes }

// KeepBoilerplateHashes has Boilerplate keep the hash of each fingerprint
// number (BoilerplatePostings.Hashes): 8 bytes a fingerprint of
// boilerplate, which only a caller of cluster.Joining needs.
func (s *Shuffle) KeepBoilerplateHashes() { s.boilerHashes = true }

// rangeOf returns the range of document d.
func (b *BoilerplatePostings) rangeOf(d uint32) int {
	return int(min(uint64(d)*uint64(b.ranges)/uint64(b.docs), uint64(b.ranges-1)))
}

// Spooled reports whether the postings are in a spool, not in memory.
func (b *BoilerplatePostings) Spooled() bool { return b.spool != nil }

// Len returns the number of postings.
func (b *BoilerplatePostings) Len() int {
	if b.spool != nil {
		return int(b.spool.Count(0, b.ranges))
	}
	return len(b.all)
}

// Each calls fn with the postings of a range of documents at a time
// (every posting of a document in one call, about maxBytes of them when
// spooled, all of them otherwise), ranges in order of their documents;
// the postings of one call are in no particular order, and fn's until it
// returns (it may reorder them). It stops at fn's error, or ctx's, or
// the spool's. It may be called again until Close, as
// cluster.BoilerplateAside does.
func (b *BoilerplatePostings) Each(ctx context.Context, fn func(ps []postings.Numbered) error) error {
	if b.spool == nil {
		if len(b.all) == 0 {
			return nil
		}
		return fn(b.all)
	}
	for lo := 0; lo < b.ranges; {
		hi := lo + 1
		for hi < b.ranges && b.spool.Count(lo, hi+1)*numberedBytes <= b.maxBytes {
			hi++
		}
		n := int(b.spool.Count(lo, hi))
		if cap(b.buf) < n {
			b.buf = make([]postings.Numbered, n)
		}
		ps := b.buf[:n]
		err := b.spool.Each(ctx, lo, hi, b.workers, func(_, _ int, start int64, recs []byte) error {
			out := ps[start : start+int64(len(recs)/numberedBytes)]
			for j := range out {
				rec := (*[numberedBytes]byte)(recs[j*numberedBytes:])
				out[j] = postings.Numbered{
					FP:  binary.LittleEndian.Uint32(rec[:4]),
					Doc: binary.LittleEndian.Uint32(rec[4:8]),
					Pos: binary.LittleEndian.Uint32(rec[8:12]),
				}
			}
			return nil
		})
		if err == nil && n > 0 {
			err = fn(ps)
		}
		if err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

// Close removes the spool and forgets the postings.
func (b *BoilerplatePostings) Close() {
	if b == nil {
		return
	}
	b.all, b.buf = nil, nil
	if b.spool != nil {
		b.spool.Close()
	}
}
