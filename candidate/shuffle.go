package candidate

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/reuse-tool/reuse/internal/keysort"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
)

// KeyBytes is the size of an encoded Key.
const KeyBytes = 20

// Shuffle runs the two steps of the shuffle: postings grouped by
// fingerprint hash become pair keys (Add, once for each load of
// postings), and pair keys grouped by pair become candidates (Pairs, once
// for each range of first documents). Keys are spooled by range of first
// document, in memory up to a budget and on disk beyond it.
//
// A Shuffle is NOT safe for concurrent use; its methods use workers
// goroutines of their own.
type Shuffle struct {
	rules        Rules
	docs         int
	rangeDocs    int
	ranges       int
	slices       int // partitions of the keys a range
	sliceDocs    int
	keys         *spool.Records // by slice of a range (partition)
	rare         *spool.Records // rare postings by range of documents
	rareIndex    *spool.Array   // Rare's entries, once made
	boiler       *spool.Records // boilerplate postings, on disk (Boilerplate)
	keyCount     atomic.Int64
	keysOnly     bool                // NewKeyShuffle: no boilerplate, no rare postings
	boilerHashes bool                // Boilerplate keeps the fingerprints' hashes
	freq         Frequencies         // SetFrequencies; nil: the documents added
	involving    func(d uint32) bool // SetInvolving; nil: every document
	sketch       *pairSketch         // SketchPairs; nil: every key is spooled

	// What Sketch has seen, to tell whether the sketch will do: of the
	// sketchPostings postings SketchPairs was told of; keyMemory is the
	// keys' budget in memory (NewShuffle).
	sketchPostings, sketchedPostings, sketchedKeys int64
	keyMemory                                      int64

	counted []countedSlice // Parts: the key counts of the slices it cut inside

	keysRead atomic.Int64 // keys read back by Parts and PairsIn, for tests
}

// Ranges of first documents: keys go to range A/rangeDocs.
const maxRanges = 64

// maxSlices is the number of partitions a range's keys are spooled in,
// by slices of consecutive first documents: a range whose keys outgrow
// the memory for keys is cut into parts of whole slices (Parts), and each
// part reads its own slices only. Cut at any document, every part read
// the whole range: at 10 GB and --memory 1GiB three parts a range, the
// keys read four times (docs/benchmarks.md, "Each key read back once").
const maxSlices = 8

// NewShuffle returns a shuffle of the postings of docs documents (numbered
// 0..docs-1) that keeps up to memory bytes of pair keys in memory.
func NewShuffle(rules Rules, docs int, memory int64) *Shuffle {
	ranges := max(1, min(maxRanges, docs))
	rangeDocs := max(1, (docs+ranges-1)/ranges)
	perRange := min(maxSlices, rangeDocs)
	sliceDocs := (rangeDocs + perRange - 1) / perRange
	rangeDocs = perRange * sliceDocs // a document's slice is A/sliceDocs
	ranges = max(1, (docs+rangeDocs-1)/rangeDocs)
	return &Shuffle{
		rules: rules, docs: docs, rangeDocs: rangeDocs, keyMemory: memory,
		ranges: ranges, slices: perRange, sliceDocs: sliceDocs,
		keys: spool.NewVarRecords("reuse-keys-*", maxSpooledKeyBytes, ranges*perRange, memory),
		rare: spool.NewRecords("reuse-rare-*", rareBytes, ranges, memory/4),
		// Every document holds some boilerplate, and its postings wait
		// for the end of the shuffle: held in memory they grew past the
		// loads (docs/benchmarks.md, "Quotations need a run of 9 words").
		boiler: spool.NewPostings(0),
	}
}

// NewKeyShuffle returns a shuffle of postings that are not fingerprints
// (the keys of reworded reuse, package reword) for the pairs its rules
// accept: postings held by more than MaxDF documents are dropped, not
// kept as boilerplate, and no Rare index is made. Its ranges of first
// documents are those of NewShuffle for as many documents, so that Merge
// joins their candidates range by range.
func NewKeyShuffle(rules Rules, docs int, memory int64) *Shuffle {
	s := NewShuffle(rules, docs, memory)
	s.keysOnly = true
	return s
}

// Frequencies sets dst[i] to the number of documents holding fingerprint
// hashes[i] in a whole corpus, of which the postings a shuffle is given
// are a part (Shuffle.SetFrequencies); len(dst) == len(hashes). Split
// asks for a block of ascending hashes at a time, so that a table of
// millions of them is probed side by side: one by one, between the work
// on each fingerprint, every probe waited for its cache miss
// (docs/benchmarks.md, "Frequencies looked up a block at a time").
type Frequencies func(hashes []uint64, dst []int)

// SetFrequencies makes the shuffle take each fingerprint's document
// frequency from freq, or the number of documents among those added that
// hold it where that is more, instead of that number: an archive check
// adds the postings of a few documents (the new ones, and the archived
// ones they may share text with) and counts the frequencies of the whole
// archive and the new documents. A fingerprint held by only one of the
// documents added then counts too: it may be rare, or boilerplate. Call
// it before Add; freq is called from Add's workers at once.
func (s *Shuffle) SetFrequencies(freq Frequencies) { s.freq = freq }

// SetInvolving makes the shuffle keep only the keys of pairs with a
// document involving reports true for: a check aligns the pairs of its
// new documents and of the archived ones it follows, not the others
// among the documents it adds (pairs.Options.Involving), and their keys
// were most of those sorted and spooled. The candidates of the pairs
// kept are unchanged: a pair's keys are kept or dropped together. Call
// it before Sketch and Add; it is called from their workers at once.
func (s *Shuffle) SetInvolving(involving func(d uint32) bool) { s.involving = involving }

// involved returns the keys of ks whose pairs SetInvolving keeps, in
// ks's memory.
func (s *Shuffle) involved(ks []Key) []Key {
	if s.involving == nil {
		return ks
	}
	return slices.DeleteFunc(ks, func(k Key) bool { return !s.involving(k.A) && !s.involving(k.B) })
}

// Ranges returns the number of ranges of first documents, for Pairs.
func (s *Shuffle) Ranges() int { return s.ranges }

// RangeDocs returns the first documents of range r: [lo, hi).
func (s *Shuffle) RangeDocs(r int) (lo, hi int) {
	lo = min(r*s.rangeDocs, s.docs)
	return lo, min(lo+s.rangeDocs, s.docs)
}

// slice returns the partition of the keys whose first document is a.
func (s *Shuffle) slice(a int) int { return a / s.sliceDocs }

// sliceBounds returns the first documents of partition p: [lo, hi),
// empty past the end of its range.
func (s *Shuffle) sliceBounds(p int) (lo, hi int) {
	rlo, rhi := s.RangeDocs(p / s.slices)
	lo = min(rlo+p%s.slices*s.sliceDocs, rhi)
	return lo, min(lo+s.sliceDocs, rhi)
}

// Keys returns the number of pair keys spooled so far.
func (s *Shuffle) Keys() int64 { return s.keyCount.Load() }

// Add takes one load of postings (documents numbered 0..docs-1), sorts it
// by hash in place, and writes a key for every pair of documents holding
// a fingerprint held by 2..MaxDF documents, and a record of each posting
// of a fingerprint held by 2..RareDF documents (for Rare); the postings of
// fingerprints held by more than MaxDF are kept as boilerplate. Every posting of a hash must come
// in the same load. It returns ctx.Err() if ctx is cancelled.
//
// Cost: O(n) for the sort plus O(k) for k keys, at most MaxDF²/2 a
// fingerprint.
func (s *Shuffle) Add(ctx context.Context, ps []postings.Posting, workers int) error {
	if !sortedByHash(ps) { // Sketch has sorted a load it was given
		postings.Sort(ps, workers)
	}
	sk := s.sketch
	segs := segments(ps, workers)
	return work.Each(ctx, len(segs), len(segs), func(_, w int) error {
		kw, rw, bw := s.keys.NewWriter(), s.rare.NewWriter(), s.boiler.NewWriter()
		var keys int64
		var rec []byte
		out := Outputs{
			Boilerplate: func(run []postings.Posting) error {
				for _, p := range run {
					if err := spool.AddPosting(bw, p); err != nil {
						return err
					}
				}
				return nil
			},
			Rare: func(p postings.Posting, df uint32) error {
				rec, err := rw.Next(int(p.Doc) / s.rangeDocs)
				if err != nil {
					return err
				}
				binary.LittleEndian.PutUint32(rec, p.Doc)
				binary.LittleEndian.PutUint32(rec[4:], p.Pos)
				binary.LittleEndian.PutUint32(rec[8:], df)
				return nil
			},
			Keys: func(ks []Key) error {
				ks = s.involved(ks)
				lone := sk != nil && len(ks) > 0 && int(ks[0].DF) > s.rules.SoloDF
				for _, k := range ks {
					if lone && !s.rules.Alone(k) && !sk.several(k.A, k.B) {
						continue
					}
					p := s.slice(int(k.A))
					rec = appendSpooledKey(rec[:0], k, uint32(p*s.sliceDocs))
					if err := kw.Append(p, rec); err != nil {
						return err
					}
					keys++
				}
				return nil
			},
		}
		if s.keysOnly {
			out.Boilerplate, out.Rare = nil, nil
		}
		out.Involving = s.involving
		err := s.rules.Split(ctx, segs[w], s.freq, out)
		s.keyCount.Add(keys)
		if err == nil {
			err = kw.Flush()
		}
		if err == nil {
			err = rw.Flush()
		}
		if err == nil {
			err = bw.Flush()
		}
		return err
	})
}

// sortedByHash reports whether ps is sorted by hash.
func sortedByHash(ps []postings.Posting) bool {
	for i := 1; i < len(ps); i++ {
		if ps[i].Hash < ps[i-1].Hash {
			return false
		}
	}
	return true
}

// Close removes the spooled keys, rare and boilerplate postings, and the
// Rare index.
func (s *Shuffle) Close() {
	s.keys.Close()
	s.rare.Close()
	s.boiler.Close()
	if s.rareIndex != nil {
		s.rareIndex.Close()
	}
}

// maxSpooledKeyBytes is the most a key takes in the shuffle's spool.
const maxSpooledKeyBytes = 5 * binary.MaxVarintLen32

// appendSpooledKey appends k, whose first document is at least base (the
// first of its slice), to b as the shuffle spools it: uvarints of A-base,
// B-A-1, PosA and PosB (each its place<<1 | its Repeated bit), and
// DF<<5 | Run<<1 | Quoted. Keys of generated news take about 11 bytes
// instead of EncodeKey's 20 (docs/benchmarks.md, "Each key read back
// once").
func appendSpooledKey(b []byte, k Key, base uint32) []byte {
	b = binary.AppendUvarint(b, uint64(k.A-base))
	b = binary.AppendUvarint(b, uint64(k.B-k.A-1))
	b = binary.AppendUvarint(b, uint64(k.PosA)<<1&(1<<32-1)|uint64(k.PosA>>31))
	b = binary.AppendUvarint(b, uint64(k.PosB)<<1&(1<<32-1)|uint64(k.PosB>>31))
	df := uint64(min(k.DF, maxKeyDF))<<5 | uint64(min(k.Run, UnknownRun))<<1
	if k.Quoted {
		df |= 1
	}
	return binary.AppendUvarint(b, df)
}

// readSpooledKey reads the key appendSpooledKey wrote at the start of b
// with base, and returns the bytes it took, or 0 if b does not start with
// one (cut short, or a field out of range).
func readSpooledKey(b []byte, base uint32) (Key, int) {
	var v [5]uint64
	n := 0
	for i := range v {
		x, m := binary.Uvarint(b[n:])
		if m <= 0 || x > 1<<32-1 {
			return Key{}, 0
		}
		v[i], n = x, n+m
	}
	if v[4]>>1&15 > UnknownRun {
		return Key{}, 0
	}
	a := base + uint32(v[0])
	return Key{
		A: a, B: a + 1 + uint32(v[1]),
		PosA: uint32(v[2]>>1) | uint32(v[2]&1)<<31, PosB: uint32(v[3]>>1) | uint32(v[3]&1)<<31,
		DF: uint32(v[4] >> 5), Quoted: v[4]&1 != 0, Run: uint8(v[4] >> 1 & 15),
	}, n
}

// EncodeKey writes k into b[:KeyBytes]: A, B, PosA, PosB and DF as
// little-endian uint32s, Quoted in DF's top bit and Run in the four bits
// below it.
func EncodeKey(b []byte, k Key) {
	binary.LittleEndian.PutUint32(b, k.A)
	binary.LittleEndian.PutUint32(b[4:], k.B)
	binary.LittleEndian.PutUint32(b[8:], k.PosA)
	binary.LittleEndian.PutUint32(b[12:], k.PosB)
	df := min(k.DF, maxKeyDF) | uint32(min(k.Run, UnknownRun))<<runShift
	if k.Quoted {
		df |= quotedDF
	}
	binary.LittleEndian.PutUint32(b[16:], df)
}

// A Key's encoded DF holds Quoted in its top bit and Run in the four bits
// below; a DF beyond maxKeyDF (no scan pairs on a fingerprint that
// common: MaxDF²/2 keys) is written as maxKeyDF.
const (
	quotedDF = 1 << 31
	runShift = 27
	maxKeyDF = 1<<runShift - 1
)

// DecodeKey reads a key EncodeKey wrote.
func DecodeKey(b []byte) Key {
	df := binary.LittleEndian.Uint32(b[16:])
	return Key{
		A: binary.LittleEndian.Uint32(b), B: binary.LittleEndian.Uint32(b[4:]),
		PosA: binary.LittleEndian.Uint32(b[8:]), PosB: binary.LittleEndian.Uint32(b[12:]),
		DF: df & maxKeyDF, Quoted: df&quotedDF != 0, Run: uint8(df >> runShift & 15),
	}
}

// segments cuts postings sorted by hash into at most n pieces of about
// equal size, never inside a run of one hash.
func segments(ps []postings.Posting, n int) [][]postings.Posting {
	n = max(n, 1)
	var segs [][]postings.Posting
	for lo := 0; lo < len(ps); {
		hi := max(lo+1, len(ps)*(len(segs)+1)/n)
		for hi < len(ps) && ps[hi].Hash == ps[hi-1].Hash {
			hi++
		}
		hi = min(hi, len(ps))
		segs = append(segs, ps[lo:hi])
		lo = hi
	}
	return segs
}

// Outputs receive what Rules.Split makes of the fingerprints of a load
// of postings. Each may be nil, to drop what it would receive.
type Outputs struct {
	// Boilerplate receives the postings of a fingerprint held by more
	// than MaxDF documents, sorted by document and position (scratch
	// memory, valid until it returns).
	Boilerplate func(run []postings.Posting) error
	// Rare receives each posting of a fingerprint held by 2 to RareDF
	// documents, and its document frequency df.
	Rare func(p postings.Posting, df uint32) error
	// Keys receives the keys of a fingerprint held by 2 to MaxDF
	// documents: one for every pair of the documents of ps holding it
	// (AppendKeys), each with the fingerprint's document frequency
	// (scratch memory).
	Keys func(keys []Key) error
	// Involving, when not nil, spares Keys the fingerprints none of
	// whose documents it reports true for (Shuffle.SetInvolving drops
	// their keys): a check reading the whole archive pairs few of its
	// documents (reuse's whole rounds), and making every key took most
	// of the shuffle's time.
	Involving func(d uint32) bool
}

// Split applies the rules' document-frequency caps to every fingerprint
// of ps, postings sorted by hash holding every posting of their hashes
// (a load of the shuffle, or a partition of postings gathered by another
// runner of the stage): a fingerprint held by one document is dropped,
// one held by more than MaxDF is boilerplate (it pairs no documents),
// one held by at most RareDF is rare (the evidence filter asks), and one
// held by 2 to MaxDF pairs every two documents holding it. A shuffle of
// keys that are not fingerprints (NewKeyShuffle) gives no Boilerplate
// and no Rare output.
//
// freq, when not nil, gives each fingerprint's document frequency
// (Shuffle.SetFrequencies), where it is more than the number of documents
// of ps holding it: a fingerprint held by one document of ps then counts
// too, as rare or boilerplate. It stops at the first error of out, or
// with ctx.Err() when ctx is cancelled.
//
// Cost: O(n) plus O(k) for k keys, at most MaxDF²/2 a fingerprint.
func (r Rules) Split(ctx context.Context, ps []postings.Posting, freq Frequencies, out Outputs) error {
	minDocs := 2
	if freq != nil {
		minDocs = 1
	}
	var (
		sorted  []postings.Posting
		places  Places
		keys    []Key
		scratch []uint64
		ahead   frequencyBlock
	)
	for lo, runs := 0, 0; lo < len(ps); runs++ {
		if runs%(1<<16) == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var hi, df int
		if freq != nil {
			hi, df = ahead.next(ps, lo, freq)
		} else {
			hi = lo + 1
			for hi < len(ps) && ps[hi].Hash == ps[lo].Hash {
				hi++
			}
		}
		run := ps[lo:hi]
		lo = hi
		if len(run) < minDocs || minDocs == 2 && oneDocument(run) {
			continue // a document repeating a fingerprint: a table's rows
		}
		sorted = append(sorted[:0], run...)
		places = runPlaces(places.reset(), sorted, &scratch) // sorts by document and position
		if len(places.Docs) < minDocs {
			continue
		}
		n := len(places.Docs)
		if freq != nil {
			if n = max(n, df); n < 2 {
				continue
			}
		}
		if n > r.MaxDF {
			if out.Boilerplate != nil {
				if err := out.Boilerplate(sorted); err != nil {
					return err
				}
			}
			continue
		}
		if n <= r.RareDF && out.Rare != nil {
			for _, p := range sorted {
				if err := out.Rare(p, uint32(n)); err != nil {
					return err
				}
			}
		}
		if out.Keys != nil && (out.Involving == nil || slices.ContainsFunc(places.Docs, out.Involving)) {
			keys = AppendKeys(keys[:0], places)
			for i := range keys {
				keys[i].DF = uint32(n)
			}
			if err := out.Keys(keys); err != nil {
				return err
			}
		}
	}
	return nil
}

// frequencyBlock holds the frequencies of the next fingerprints of a
// Split, looked up a block at a time (Frequencies).
type frequencyBlock struct {
	hashes    [64]uint64
	ends, dfs [64]int // where each fingerprint's postings end; its frequency
	at, n     int
}

// next returns where the postings of the fingerprint at ps[lo] end, and
// its frequency, looking up the frequencies of the next block of
// fingerprints when the block is spent. Calls must follow ps in order.
func (b *frequencyBlock) next(ps []postings.Posting, lo int, freq Frequencies) (hi, df int) {
	if b.at == b.n {
		b.at, b.n = 0, 0
		for l := lo; l < len(ps) && b.n < len(b.hashes); b.n++ {
			h := l + 1
			for h < len(ps) && ps[h].Hash == ps[l].Hash {
				h++
			}
			b.hashes[b.n], b.ends[b.n] = ps[l].Hash, h
			l = h
		}
		freq(b.hashes[:b.n], b.dfs[:b.n])
	}
	b.at++
	return b.ends[b.at-1], b.dfs[b.at-1]
}

// Places are the documents holding a fingerprint, ascending, and for
// each (as RunPlaces gives them) its place: the first, flagged Repeated
// when it holds the fingerprint more than once; whether it holds it
// inside a quotation; and the digest of the words around its first place
// (postings.Around). len(Docs) is the fingerprint's document frequency.
type Places struct {
	Docs, Pos []uint32
	Quoted    []bool
	Around    []uint32
}

// reset returns p emptied, its memory kept.
func (p Places) reset() Places {
	return Places{Docs: p.Docs[:0], Pos: p.Pos[:0], Quoted: p.Quoted[:0], Around: p.Around[:0]}
}

// RunPlaces appends to dst the places of a fingerprint, given its
// postings (reordered, their postings.Quoted flags cleared), which must
// share their Hash, as a fingerprint's do.
func RunPlaces(dst Places, run []postings.Posting) Places {
	return runPlaces(dst, run, nil)
}

// runPlaces is RunPlaces with scratch for its sort (nil: allocated).
func runPlaces(dst Places, run []postings.Posting, keys *[]uint64) Places {
	// Sorted by place, flags of quotations aside (postings.Quoted), which
	// then come off: a document holds the fingerprint inside a quotation
	// when one of its places does.
	const q = postings.Quoted
	if len(run) <= 32 {
		// Most fingerprints are held by a few documents: an insertion sort
		// inlines its comparisons, a comparison function does not.
		for i := 1; i < len(run); i++ {
			p := run[i]
			j := i
			for j > 0 && (run[j-1].Doc > p.Doc || run[j-1].Doc == p.Doc && run[j-1].Pos&^q > p.Pos&^q) {
				run[j] = run[j-1]
				j--
			}
			run[j] = p
		}
	} else {
		sortByPlace(run, keys)
	}
	for i := range run {
		p := &run[i]
		inQuote := p.Pos&q != 0 && p.Pos < Repeated
		p.Pos &^= q
		if i > 0 && p.Doc == run[i-1].Doc {
			last := len(dst.Docs) - 1
			dst.Pos[last] |= Repeated
			dst.Quoted[last] = dst.Quoted[last] || inQuote
			continue
		}
		dst.Docs = append(dst.Docs, p.Doc)
		dst.Quoted = append(dst.Quoted, inQuote)
		dst.Around = append(dst.Around, p.Around)
		if p.Pos >= Repeated {
			dst.Pos = append(dst.Pos, Repeated|(Repeated-1))
		} else {
			dst.Pos = append(dst.Pos, p.Pos)
		}
	}
	return dst
}

// AppendKeys appends to dst the keys of a fingerprint held by the
// documents of p (as RunPlaces gives them): one for every pair of them,
// with the run the pair may share through it (Key.Run). The caller keeps
// fingerprints held by more than MaxDF documents out (boilerplate): they
// would make len(p.Docs)²/2 keys.
func AppendKeys(dst []Key, p Places) []Key {
	df := uint32(len(p.Docs))
	for i, a := range p.Docs {
		for j := i + 1; j < len(p.Docs); j++ {
			dst = append(dst, Key{
				A: a, B: p.Docs[j], PosA: p.Pos[i], PosB: p.Pos[j], DF: df,
				Quoted: p.Quoted[i] || p.Quoted[j],
				Run:    runOf(p.Pos[i], p.Pos[j], p.Around[i], p.Around[j]),
			})
		}
	}
	return dst
}

// runOf is Key.Run of a fingerprint at places posA and posB, with the
// digests around them aroundA and aroundB.
func runOf(posA, posB, aroundA, aroundB uint32) uint8 {
	if (posA|posB)&Repeated != 0 {
		return UnknownRun // the digests are of the first places only
	}
	return uint8(postings.Shared(aroundA, aroundB))
}

// Anchors appends to dst the anchors of a pair's keys: the places of the
// fingerprints it shares, sorted by (place in B, PosA), or none when one
// lies beyond the positions a Key holds (then all of B is aligned). It
// reorders keys.
func Anchors(dst []Anchor, keys []Key) []Anchor {
	sortAnchors(keys)
	if len(keys) == 0 || keys[len(keys)-1].PosB&^Repeated == Repeated-1 {
		return dst
	}
	dst = slices.Grow(dst, len(keys))
	for _, k := range keys {
		dst = append(dst, Anchor{PosA: k.PosA, PosB: k.PosB, DF: k.DF})
	}
	return dst
}

// sortAnchors sorts keys by anchorCompare. Sorting Keys through a
// comparison function cost more than anything else in the shuffle
// (BenchmarkAnchors): short lists take an insertion sort, whose
// comparisons inline, and longer ones keysort on their places packed in
// the bits they need, the keys of one place then ordered by the rest.
func sortAnchors(keys []Key) {
	n := len(keys)
	if n <= 12 {
		insertionSortAnchors(keys)
		return
	}
	// PosA as its Repeated flag, then its place: the same order as PosA,
	// in the bits the places need.
	var maxA, maxB uint32
	for _, k := range keys {
		maxA, maxB = max(maxA, k.PosA&^Repeated), max(maxB, k.PosB&^Repeated)
	}
	wp := bits.Len32(maxA)
	wa, wi := wp+1, bits.Len(uint(n-1))
	if bits.Len32(maxB)+wa+wi > 64 {
		slices.SortFunc(keys, anchorCompare)
		return
	}
	ks := keySorters.Get().(*keysort.Sorter[Key])
	ks.Stable(keys, func(k Key) uint64 {
		return uint64(k.PosB&^Repeated)<<wa | uint64(k.PosA>>31)<<wp | uint64(k.PosA&^Repeated)
	})
	keySorters.Put(ks)
	fixAnchorTies(keys)
}

// keySorters holds the keysort scratch of the shuffle's sorts, which run
// once a pair or first document on any worker (Beam's too).
var keySorters = sync.Pool{New: func() any { return new(keysort.Sorter[Key]) }}

// fixAnchorTies orders by anchorCompare each run of keys (sorted by
// place) at the same place in both documents.
func fixAnchorTies(keys []Key) {
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi].PosA == keys[lo].PosA && keys[hi].PosB&^Repeated == keys[lo].PosB&^Repeated {
			hi++
		}
		if hi-lo > 1 {
			insertionSortAnchors(keys[lo:hi])
		}
		lo = hi
	}
}

func insertionSortAnchors(keys []Key) {
	for i := 1; i < len(keys); i++ {
		k := keys[i]
		j := i
		for j > 0 && anchorCompare(k, keys[j-1]) < 0 {
			keys[j] = keys[j-1]
			j--
		}
		keys[j] = k
	}
}

// Candidate is a pair of documents (A < B) worth aligning: they share
// Shared fingerprints, at the places Range.Anchors[AnchorFrom:AnchorTo],
// and, in a Range of Merge, the keys at Range.Keys[KeyFrom:KeyTo] when
// the second shuffle paired them too (none otherwise). A candidate of
// the second shuffle alone has Shared 0 and no anchors.
type Candidate struct {
	A, B                 uint32
	Shared               int32
	AnchorFrom, AnchorTo int32
	KeyFrom, KeyTo       int32
}

// Anchor is the place of a fingerprint two documents share: its position
// in each, and the number of documents holding it. A position flagged
// Repeated is the first of several places: in A the diagonal is then
// unknown; in B the fingerprint's text is to be looked for at every place
// of B (align.Anchor.Repeated).
type Anchor struct{ PosA, PosB, DF uint32 }

// PairOnly reports whether a's fingerprint is held by the two documents
// of its pair and no other, once in each: words of the pair's own.
func (a Anchor) PairOnly() bool { return a.DF == 2 && (a.PosA|a.PosB)&Repeated == 0 }

// Range is the candidates of a range of first documents.
type Range struct {
	Pairs   []Candidate // sorted by (A, B)
	Anchors []Anchor    // by pair, each pair's sorted by (PosB, PosA)
	Keys    []Anchor    // Merge: the second shuffle's places, likewise
}

// Merge returns the candidates of fp (a range of the fingerprints'
// shuffle) and of keys (the same range of a NewKeyShuffle): every pair
// either holds, sorted by (A, B), with fp's anchors and shared count and
// keys' places (Candidate.KeyFrom, KeyTo), except the pairs of keys alone
// that keyOnly does not accept (applied to their keys' places). The keys
// of a pair the fingerprints pair say where its reworded text may lie;
// the keys of a pair the fingerprints do not pair are all its evidence,
// and may have to be rarer. Cost O(pairs + anchors).
func Merge(fp, keys Range, keyOnly Rules) Range {
	var scratch []Key
	out := Range{
		Pairs:   make([]Candidate, 0, max(len(fp.Pairs), len(keys.Pairs))),
		Anchors: make([]Anchor, 0, len(fp.Anchors)),
		Keys:    make([]Anchor, 0, len(keys.Anchors)),
	}
	i, j := 0, 0
	for i < len(fp.Pairs) || j < len(keys.Pairs) {
		var c Candidate
		takeFP, takeKeys := false, false
		switch {
		case j == len(keys.Pairs):
			takeFP = true
		case i == len(fp.Pairs):
			takeKeys = true
		default:
			x, y := fp.Pairs[i], keys.Pairs[j]
			d := cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
			takeFP, takeKeys = d <= 0, d >= 0
		}
		if takeFP {
			x := fp.Pairs[i]
			i++
			c = Candidate{A: x.A, B: x.B, Shared: x.Shared, AnchorFrom: int32(len(out.Anchors))}
			out.Anchors = append(out.Anchors, fp.Anchors[x.AnchorFrom:x.AnchorTo]...)
			c.AnchorTo = int32(len(out.Anchors))
		} else {
			y := keys.Pairs[j]
			scratch = scratch[:0]
			for _, a := range keys.Anchors[y.AnchorFrom:y.AnchorTo] {
				if int(a.DF) <= keyOnly.MaxDF {
					scratch = append(scratch, Key{A: y.A, B: y.B, PosA: a.PosA, PosB: a.PosB, DF: a.DF})
				}
			}
			if !keyOnly.Pair(scratch) {
				j++
				continue
			}
			c = Candidate{A: y.A, B: y.B, AnchorFrom: int32(len(out.Anchors)), AnchorTo: int32(len(out.Anchors))}
		}
		c.KeyFrom = int32(len(out.Keys))
		if takeKeys {
			y := keys.Pairs[j]
			j++
			out.Keys = append(out.Keys, keys.Anchors[y.AnchorFrom:y.AnchorTo]...)
		}
		c.KeyTo = int32(len(out.Keys))
		out.Pairs = append(out.Pairs, c)
	}
	return out
}

// Pairs returns the candidates whose first document lies in range r (0 ≤ r
// < Ranges()), sorted by (A, B), grouping the keys of the range by pair.
// The range's keys are in memory while it works, and are dropped after.
// Add must not be called after Pairs: the sketch of pairs, if any, is
// released. Pairs is PairsIn of the whole range; a caller that wants the
// memory bounded cuts the range with Parts.
func (s *Shuffle) Pairs(ctx context.Context, r, workers int) (Range, error) {
	lo, hi := s.RangeDocs(r)
	return s.PairsIn(ctx, r, lo, hi, workers)
}

// Parts cuts the first documents of range r into parts whose pair keys
// fit the memory NewShuffle was given for keys and returns their bounds:
// part i is documents [cuts[i], cuts[i+1]) of the range, for PairsIn.
// Parts are made of whole slices of the range (its keys' partitions),
// counted as they were spooled, so that each reads its own keys only; a
// slice whose keys alone outgrow the memory is read once here and cut at
// its documents (a document whose keys alone outgrow it is a part of its
// own), for the PairsIn calls that follow. Ranges are a fixed share of
// the documents, and the keys of a few large documents that share much
// (the Linux tree's register headers) made one range hold twice the
// memory a scan at --memory 1GiB gives keys.
func (s *Shuffle) Parts(ctx context.Context, r, workers int) ([]int, error) {
	lo, hi := s.RangeDocs(r)
	limit := max(s.keyMemory/int64(unsafe.Sizeof(Key{})), 1) // Keys held in memory
	cuts := []int{lo}
	var held int64 // keys of the part since the last cut
	for p := r * s.slices; p < (r+1)*s.slices; p++ {
		plo, phi := s.sliceBounds(p)
		if plo >= phi {
			continue
		}
		n := s.keys.Count(p, p+1)
		if held > 0 && held+n > limit {
			cuts = append(cuts, plo)
			held = 0
		}
		if n <= limit {
			held += n
			continue
		}
		start, err := s.countKeys(ctx, p, p+1, plo, phi, workers)
		if err != nil {
			return nil, err
		}
		s.counted = append(s.counted, countedSlice{p: p, lo: plo, start: start})
		from := 0
		for a := range phi - plo {
			if a > from && start[a+1]-start[from] > limit {
				cuts = append(cuts, plo+a)
				from = a
			}
		}
		held = start[phi-plo] - start[from]
	}
	return append(cuts, hi), nil
}

// countedSlice holds the key counts of the documents of a slice cut
// inside (Parts): start[a-lo] is where document a's keys start,
// start[len(start)-1] their total.
type countedSlice struct {
	p, lo int
	start []int64
}

// PairsIn returns the candidates whose first document lies in [lo, hi),
// part of range r (the whole range, or a part of Parts), sorted by (A,
// B), grouping the part's keys by pair. The keys of the part are in
// memory while it works; those of each slice of the range are dropped
// after the part that ends it. Call it on the parts of a range in order.
func (s *Shuffle) PairsIn(ctx context.Context, r, lo, hi, workers int) (Range, error) {
	s.sketch = nil
	rlo, rhi := s.RangeDocs(r)
	if lo < rlo || hi > rhi || lo >= hi {
		return Range{}, nil
	}
	from, to := s.slice(lo), s.slice(hi-1)+1 // the part's slices
	// Lay the keys out by first document: count, then place.
	var start []int64
	for _, c := range s.counted {
		if lo >= c.lo && hi <= c.lo+len(c.start)-1 {
			start = make([]int64, hi-lo+1)
			for a := range start {
				start[a] = c.start[lo-c.lo+a] - c.start[lo-c.lo]
			}
			break
		}
	}
	if start == nil {
		var err error
		if start, err = s.countKeys(ctx, from, to, lo, hi, workers); err != nil {
			return Range{}, err
		}
	}
	keys, err := s.placeKeys(ctx, from, to, lo, hi, start, workers)
	for p := from; p < to; p++ {
		if _, phi := s.sliceBounds(p); phi <= hi {
			s.keys.Drop(p, p+1)
			s.counted = slices.DeleteFunc(s.counted, func(c countedSlice) bool { return c.p == p })
		}
	}
	if err != nil {
		return Range{}, err
	}
	// Each first document's pairs, in blocks of documents; then their
	// anchors, each written where it goes in one array made at its size.
	// (Appended pair by pair, a block's anchors were copied about four
	// times over as their array grew, and once more into the range: 6 of
	// the Linux tree's CPU-s; docs/benchmarks.md, "Anchors written in
	// place".)
	const block = 256
	found := make([]blockPairs, work.Blocks(hi-lo, block))
	scratch := make([][]Key, max(workers, 1))
	err = work.Each(ctx, len(found), workers, func(w, t int) error {
		f := &found[t]
		for a := t * block; a < min(hi-lo, (t+1)*block); a++ {
			ks := keys[start[a]:start[a+1]]
			scratch[w] = s.rules.keptPairs(ks, scratch[w], func(klo, khi int) {
				n := anchorCount(ks[klo:khi])
				f.pairs = append(f.pairs, Candidate{A: ks[klo].A, B: ks[klo].B, Shared: int32(khi - klo), AnchorFrom: int32(f.anchors), AnchorTo: int32(f.anchors + n)})
				f.keysAt = append(f.keysAt, start[a]+int64(klo))
				f.anchors += n
			})
		}
		return nil
	})
	if err != nil {
		return Range{}, err
	}
	base := make([]int, len(found)+1) // where each block's anchors start
	pairs := 0
	for t, f := range found {
		base[t+1] = base[t] + f.anchors
		pairs += len(f.pairs)
	}
	out := Range{Pairs: make([]Candidate, 0, pairs), Anchors: make([]Anchor, base[len(found)])}
	for t, f := range found {
		for _, c := range f.pairs {
			c.AnchorFrom += int32(base[t])
			c.AnchorTo += int32(base[t])
			out.Pairs = append(out.Pairs, c)
		}
	}
	err = work.Each(ctx, len(found), workers, func(_, t int) error {
		f := &found[t]
		for i, c := range f.pairs {
			from, to := base[t]+int(c.AnchorFrom), base[t]+int(c.AnchorTo)
			ks := keys[f.keysAt[i] : f.keysAt[i]+int64(c.Shared)]
			if got := Anchors(out.Anchors[from:from:to], ks); len(got) != to-from {
				return fmt.Errorf("candidate: %d anchors counted for the pair (%d, %d), %d made", to-from, c.A, c.B, len(got))
			}
		}
		*f = blockPairs{} // garbage now
		return nil
	})
	if err != nil {
		return Range{}, err
	}
	return out, nil
}

// blockPairs holds the candidates of a block of first documents before
// their anchors are written (PairsIn): AnchorFrom and AnchorTo count
// within the block's anchors, and keysAt[i] is where the keys of pair i
// start among the part's.
type blockPairs struct {
	pairs   []Candidate
	keysAt  []int64
	anchors int
}

// countKeys returns where the keys of each first document of [lo, hi),
// spooled in partitions [from, to), start once laid out by document, and
// their total at the end.
func (s *Shuffle) countKeys(ctx context.Context, from, to, lo, hi, workers int) ([]int64, error) {
	start := make([]int64, hi-lo+1)
	counts := make([]atomic.Int64, hi-lo)
	decoded := make([][]Key, max(workers, 1))
	err := s.keys.Each(ctx, from, to, workers, func(w, p int, _ int64, recs []byte) error {
		block, err := s.decodeBlock(decoded[w][:0], recs, p, lo, hi)
		decoded[w] = block
		for _, k := range block {
			counts[int(k.A)-lo].Add(1)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for a := range counts {
		start[a+1] = start[a] + counts[a].Load()
	}
	return start, nil
}

// decodeBlock appends to dst the keys of a block of partition p read back
// (recs) whose first document lies in [lo, hi); those of other parts of
// the range are skipped.
func (s *Shuffle) decodeBlock(dst []Key, recs []byte, p, lo, hi int) ([]Key, error) {
	base := uint32(p * s.sliceDocs)
	var read int64
	defer func() { s.keysRead.Add(read) }()
	for len(recs) > 0 {
		k, n := readSpooledKey(recs, base)
		if n <= 0 {
			return dst, spool.ErrCorrupt
		}
		recs = recs[n:]
		read++
		if int(k.A) >= lo && int(k.A) < hi {
			dst = append(dst, k)
		}
	}
	return dst, nil
}

// placeBuckets is the number of buckets of first documents placeKeys
// sorts keys into before it places each at its document.
const placeBuckets = 256

// placeKeys lays out the keys of first documents [lo, hi), spooled in
// partitions [from, to) (those of other documents are skipped), by first document, given
// where each document's keys start (start[a-lo]), in any order within a
// document. Keys are scattered in two steps: into
// placeBuckets buckets of consecutive documents, each block of records
// reserving its share of every bucket at once, then within each bucket,
// whose keys lie close together, to their documents. One scatter straight
// to the documents wrote each key to a random place among hundreds of
// megabytes: 3.4 CPU-s of cache misses at 1 GB.
func (s *Shuffle) placeKeys(ctx context.Context, from, to, lo, hi int, start []int64, workers int) ([]Key, error) {
	docs := hi - lo
	width := (docs + placeBuckets - 1) / placeBuckets // documents a bucket
	buckets := (docs + width - 1) / width
	keys := make([]Key, start[docs])
	cursor := make([]atomic.Int64, buckets)
	for b := range buckets {
		cursor[b].Store(start[b*width])
	}
	decoded := make([][]Key, max(workers, 1))
	err := s.keys.Each(ctx, from, to, workers, func(w, p int, _ int64, recs []byte) error {
		// The block's keys, decoded once for the two passes.
		block, err := s.decodeBlock(decoded[w][:0], recs, p, lo, hi)
		decoded[w] = block
		if err != nil {
			return err
		}
		var count, at [placeBuckets]int64
		for _, k := range block {
			count[int(k.A-uint32(lo))/width]++
		}
		for b, c := range count[:buckets] {
			if c > 0 {
				at[b] = cursor[b].Add(c) - c
			}
		}
		for _, k := range block {
			b := int(k.A-uint32(lo)) / width
			keys[at[b]] = k
			at[b]++
		}
		return nil
	})
	if err != nil || width == 1 {
		return keys, err // a bucket of one document is in place
	}
	tmp := make([][]Key, max(workers, 1))
	next := make([][]int64, max(workers, 1))
	err = work.Each(ctx, buckets, workers, func(w, b int) error {
		a0, a1 := b*width, min((b+1)*width, docs)
		seg := keys[start[a0]:start[a1]]
		tmp[w] = append(tmp[w][:0], seg...)
		next[w] = append(next[w][:0], start[a0:a1]...)
		for _, k := range tmp[w] {
			a := int(k.A-uint32(lo)) - a0
			keys[next[w][a]] = k
			next[w][a]++
		}
		return nil
	})
	return keys, err
}

// AppendPairs appends to dst the candidates that the keys of one first
// document make (every key of every pair with that first document, from
// every load, in any order; it reorders them): the pairs the rules keep
// (Pair), ascending by B, each with its anchors (Anchors) appended to
// dst.Anchors. It sorts the keys by B through scratch (sortByB), which it
// returns grown for the next call.
func (r Rules) AppendPairs(dst Range, keys, scratch []Key) (Range, []Key) {
	scratch = r.keptPairs(keys, scratch, func(lo, hi int) {
		c := Candidate{A: keys[lo].A, B: keys[lo].B, Shared: int32(hi - lo), AnchorFrom: int32(len(dst.Anchors))}
		dst.Anchors = Anchors(dst.Anchors, keys[lo:hi])
		c.AnchorTo = int32(len(dst.Anchors))
		dst.Pairs = append(dst.Pairs, c)
	})
	return dst, scratch
}

// keptPairs sorts the keys of one first document by B through scratch
// (sortByB) and calls kept with the bounds of each pair's keys that the
// rules keep, ascending by B; it returns scratch grown for the next call.
// Pair and Anchors each order a pair's keys themselves (Anchors by a
// total order), so only the pairs kept pay for their anchors: most pairs
// share one common fingerprint and are dropped.
func (r Rules) keptPairs(keys, scratch []Key, kept func(lo, hi int)) []Key {
	scratch = sortByB(keys, scratch)
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi].B == keys[lo].B {
			hi++
		}
		if r.Pair(keys[lo:hi]) {
			kept(lo, hi)
		}
		lo = hi
	}
	return scratch
}

// anchorCount is the number of anchors Anchors makes of a pair's keys:
// all of them, or none when one lies beyond the positions a Key holds.
func anchorCount(keys []Key) int {
	for _, k := range keys {
		if k.PosB&^Repeated == Repeated-1 {
			return 0
		}
	}
	return len(keys)
}

// anchorCompare orders keys as their anchors are listed: by place in B,
// then in A, then document frequency, then the flag of a repeated place
// in B. The order is total over what an Anchor holds, so that the anchors
// and the rules' later passes over the keys do not depend on the sort
// used.
func anchorCompare(x, y Key) int {
	if bx, by := x.PosB&^Repeated, y.PosB&^Repeated; bx != by {
		return cmp.Compare(bx, by)
	}
	if x.PosA != y.PosA {
		return cmp.Compare(x.PosA, y.PosA)
	}
	if x.DF != y.DF {
		return cmp.Compare(x.DF, y.DF)
	}
	return cmp.Compare(x.PosB, y.PosB)
}

// sortByB sorts the keys of one first document by B, the order
// AppendPairs groups them in (Anchors and Rules.Pair order each pair's
// keys themselves), stably: keysort below 256 keys, else radix passes of
// 11 bits over the bits B uses, through scratch, which it returns grown
// for the next call. A document with many partners has millions of keys.
func sortByB(keys, scratch []Key) []Key {
	if len(keys) < 2 {
		return scratch
	}
	if len(keys) < 256 {
		// An ordered sort of B packed with the index (package keysort),
		// four to five times faster than comparing Keys through a
		// function (BenchmarkSortByB).
		ks := keySorters.Get().(*keysort.Sorter[Key])
		ks.Stable(keys, func(k Key) uint64 { return uint64(k.B) })
		keySorters.Put(ks)
		return scratch
	}
	var top uint32
	for _, k := range keys {
		top = max(top, k.B)
	}
	scratch = slices.Grow(scratch[:0], len(keys))[:len(keys)]
	const width = 11
	var count [1 << width]int32
	src, dst := keys, scratch
	for shift := uint(0); shift < 32 && top>>shift != 0; shift += width {
		clear(count[:])
		for i := range src {
			count[src[i].B>>shift&(1<<width-1)]++
		}
		var sum int32
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for i := range src {
			d := src[i].B >> shift & (1<<width - 1)
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	return scratch
}

// oneDocument reports whether every posting of run is of one document.
func oneDocument(run []postings.Posting) bool {
	for _, p := range run[1:] {
		if p.Doc != run[0].Doc {
			return false
		}
	}
	return true
}

// sortByPlace sorts a fingerprint's postings (one Hash) by document, then
// by place with postings.Quoted aside, as integers: each packed into a
// uint64 whose low half is its place rotated so that the Quoted bit comes
// last. A comparison function made this sort most of the pairing stage's
// sorting time on code, whose common fingerprints run to thousands of
// postings (docs/benchmarks.md, "Pairing sorts integers"). Each
// posting's Around then goes to its place in the order, found by binary
// search: a document holds a fingerprint once at a place.
func sortByPlace(run []postings.Posting, scratch *[]uint64) {
	var keys []uint64
	if scratch != nil {
		keys = (*scratch)[:0]
	}
	for _, p := range run {
		keys = append(keys, uint64(p.Doc)<<32|uint64(placeKey(p.Pos)))
	}
	slices.Sort(keys)
	// The arounds in the order of keys, in the second half of the scratch;
	// bit 32 marks a slot taken, for postings of equal keys.
	n := len(keys)
	keys = slices.Grow(keys, n)[:2*n]
	byKey := keys[n:]
	clear(byKey)
	for _, p := range run {
		k := uint64(p.Doc)<<32 | uint64(placeKey(p.Pos))
		i, _ := slices.BinarySearch(keys[:n], k)
		for byKey[i] != 0 {
			i++
		}
		byKey[i] = 1<<32 | uint64(p.Around)
	}
	if scratch != nil {
		*scratch = keys
	}
	h := run[0].Hash
	for i, k := range keys[:n] {
		run[i] = postings.Posting{Hash: h, Doc: uint32(k >> 32), Pos: keyPlace(uint32(k)), Around: uint32(byKey[i])}
	}
}

// placeKey orders places as Pos&^postings.Quoted, then the Quoted bit:
// bit 31 stays, bits 0–29 move up one, Quoted (bit 30) becomes bit 0.
func placeKey(pos uint32) uint32 {
	return pos&(1<<31) | (pos&(postings.Quoted-1))<<1 | (pos>>30)&1
}

// keyPlace is placeKey's inverse.
func keyPlace(k uint32) uint32 {
	return k&(1<<31) | (k>>1)&(postings.Quoted-1) | (k&1)<<30
}
