package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc64"
	"os"
	"path/filepath"
	"slices"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

// VerifyStats count what Verify checked.
type VerifyStats struct {
	Segments  int
	Documents int // documents checked, removed ones included
	Postings  int64
	Bytes     int64
	Problems  int
}

// maxReported is the most problems of one file that Verify reports one
// by one.
const maxReported = 20

// Verify checks every file of the index in dir: the manifest; each
// segment's trailer and tables; every document's records (checksum,
// decoding, and their parts against each other: seeds and token offsets,
// fingerprints, signature, text); every block of postings (checksum,
// order, bounds); that the postings are exactly those the documents'
// records give (fingerprints, and band keys from signatures); the removal
// files; the alignments kept beside it (checksum); and that no id is
// held twice. Each problem goes to report,
// naming its file; Verify returns their number in VerifyStats.Problems.
// It fails only when it cannot read the manifest, or ctx is cancelled.
func Verify(ctx context.Context, dir string, report func(error)) (VerifyStats, error) {
	var st VerifyStats
	m, err := readManifest(dir)
	if err != nil {
		return st, err
	}
	problem := func(err error) {
		st.Problems++
		if report != nil {
			report(err)
		}
	}
	ids := map[string]string{} // live id → segment holding it
	for _, si := range m.Segments {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		st.Segments++
		path := filepath.Join(dir, si.Name)
		s, err := openSegment(path, si.Name)
		if err != nil {
			problem(err)
			continue
		}
		st.Bytes += int64(len(s.data))
		if fi, err := os.Stat(path); err == nil && fi.Size() != si.Bytes {
			problem(fmt.Errorf("%w: %s: %d bytes, the manifest says %d", ErrCorrupt, si.Name, fi.Size(), si.Bytes))
		}
		if s.docs != si.Docs {
			problem(fmt.Errorf("%w: %s: %d documents, the manifest says %d", ErrCorrupt, si.Name, s.docs, si.Docs))
		}
		if si.Removed != "" {
			data, err := os.ReadFile(filepath.Join(dir, si.Removed))
			if err == nil {
				s.dead, s.ndead, err = decodeRemoved(si.Removed, data, s.docs)
			}
			if err != nil {
				problem(err)
			} else if s.ndead != si.Dead {
				problem(fmt.Errorf("%w: %s: %d documents, the manifest says %d", ErrCorrupt, si.Removed, s.ndead, si.Dead))
			}
		}
		n, err := verifySegment(ctx, s, m.Params, problem, &st)
		st.Documents += n
		if err != nil {
			s.close()
			return st, err
		}
		for d := range uint32(s.docs) {
			if s.removed(d) {
				continue
			}
			id := string(s.id(d))
			if other, ok := ids[id]; ok {
				problem(fmt.Errorf("%w: %s: id %q held by %s too", ErrCorrupt, si.Name, id, other))
			}
			ids[id] = si.Name
		}
		s.close()
	}
	if g, ok := newestAlignmentsIn(dir, m.Generation); ok {
		h, _, _, _, _, err := readAlignments(dir, g, false)
		if err != nil && !errors.Is(err, ErrStale) { // stale: of an earlier reuse
			problem(err)
		}
		// The older removal files the alignments name, if they hold.
		for i, as := range h.Segments {
			if err != nil || h.holdsFor(m) != nil || as.Removed == "" || as.Removed == m.Segments[i].Removed {
				continue
			}
			path := filepath.Join(dir, as.Removed)
			data, rerr := os.ReadFile(path)
			if rerr == nil {
				_, _, rerr = decodeRemoved(path, data, m.Segments[i].Docs)
			}
			if rerr != nil {
				problem(rerr)
			}
		}
	}
	if g, ok := newestGeneration(dir, joinsFormat, m.Generation); ok {
		path := filepath.Join(dir, joinsName(g))
		data, err := os.ReadFile(path)
		if err == nil {
			_, err = decodeJoinsFile(path, data, g)
		}
		if err != nil {
			problem(err)
		}
	}
	return st, nil
}

// mix is an order-free checksum of postings: the sum over postings of
// mix(key, document, position) equals for the documents' records and for
// the blocks of postings when they hold the same postings.
func mix(key uint64, doc, pos uint32) uint64 {
	return shingle.Mix64(key ^ shingle.Mix64(uint64(doc)<<32|uint64(pos)))
}

// verifySegment checks one segment (see Verify) and returns the number
// of documents checked.
func verifySegment(ctx context.Context, s *segment, p Params, problem func(error), st *VerifyStats) (int, error) {
	reported := 0
	bad := func(err error) {
		reported++
		if reported <= maxReported {
			problem(err)
		} else if reported == maxReported+1 {
			problem(fmt.Errorf("%s: more problems not listed", s.name))
		}
	}
	crcTable := crc64.MakeTable(crc64.ECMA)
	var fpSum, bandSum, keySum uint64
	var fpCount, bandCount, keyCount int64
	var d index.Doc
	var keys []uint64
	// The keys of reworded sentences, chosen again from the analyses.
	var keyer *index.Keyer
	var rw []shingle.Fingerprint
	// The places of the fingerprints' postings, flagged where they lie
	// inside quotations (index.PostingPlaces).
	var places []uint32
	var quotes [][2]int32
	if p.Reworded {
		keyer = index.NewKeyer(reword.KeyOptions{})
	}
	for i := range uint32(s.docs) {
		if i%1024 == 0 && ctx.Err() != nil {
			return int(i), ctx.Err()
		}
		if i > 0 && bytes.Compare(s.id(i-1), s.id(i)) >= 0 {
			bad(s.corrupt("documents %d and %d out of order of id", i-1, i))
		}
		rec, err := s.records(i)
		if err == nil {
			err = decodeDoc(s, i, rec, &d)
		}
		if err != nil {
			bad(err)
			continue
		}
		if err := checkDoc(s, i, &d, p); err != nil {
			bad(err)
			continue
		}
		if d.ID != string(s.id(i)) || d.Words != s.words(i) {
			bad(s.corrupt("document %d: its records disagree with the document table", i))
		}
		if !d.Plain && crc64.Checksum(d.Text, crcTable) != d.CRC {
			bad(s.corrupt("document %d (%s): text checksum mismatch", i, d.ID))
		}
		quotes = index.Quotations(quotes[:0], d.Seeds, spool.SeedCount(d.Words, p.Seed), d.Words)
		places = index.PostingPlaces(places[:0], d.Fingerprints, quotes, p.Shingle)
		for j, fp := range d.Fingerprints {
			fpSum += mix(fp.Hash, i, places[j])
			fpCount++
		}
		keys = cluster.BandKeys(keys[:0], d.Signature, p.Bands, p.Rows)
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			bandSum += mix(k, i, 0)
			bandCount++
		}
		if keyer != nil {
			if rw, err = keyer.Keys(rw[:0], &d); err != nil {
				bad(s.corrupt("document %d (%s): analysis for reworded reuse unreadable", i, d.ID))
			}
			for _, k := range rw {
				keySum += mix(k.Hash, i, k.Pos)
				keyCount++
			}
		}
	}
	for _, k := range s.kinds {
		sum, count, err := verifyTerms(ctx, s, k.kind, bad)
		if err != nil {
			return s.docs, err
		}
		st.Postings += count
		want, wantCount := fpSum, fpCount
		switch k.kind {
		case Bands:
			want, wantCount = bandSum, bandCount
		case Keys:
			want, wantCount = keySum, keyCount
		}
		if count != int64(k.postings) {
			bad(s.corrupt("%s: %d postings, the trailer says %d", k.kind, count, k.postings))
		}
		if sum != want || count != wantCount {
			bad(s.corrupt("%s: the postings (%d) are not those of the documents (%d)", k.kind, count, wantCount))
		}
	}
	if p.Reworded && s.section(Keys) == nil {
		bad(s.corrupt("no %s in an index made for reworded reuse", Keys))
	}
	return s.docs, nil
}

// checkDoc checks a decoded document's parts against each other.
func checkDoc(s *segment, i uint32, d *index.Doc, p Params) error {
	bad := func(what string) error { return s.corrupt("document %d (%s): %s", i, d.ID, what) }
	if len(d.Signature) != p.Signature {
		return bad(fmt.Sprintf("signature of %d values, want %d", len(d.Signature), p.Signature))
	}
	if d.Words > d.Bytes || d.Header > d.Bytes || d.Distinct > len(d.Fingerprints) {
		return bad("sizes out of range")
	}
	v, err := spool.NewSeedView(d.Seeds, spool.SeedCount(d.Words, p.Seed), d.Words)
	if err != nil {
		return bad("seed record of the wrong size")
	}
	toks, err := v.Tokens(nil)
	if err != nil {
		return bad("token offsets unreadable")
	}
	for _, t := range toks {
		if t.End <= t.Start || int(t.End) > d.Bytes {
			return bad("token offsets past the text")
		}
	}
	last := -1
	for _, fp := range d.Fingerprints {
		if int(fp.Pos) <= last || int(fp.Pos) >= d.Words {
			return bad("fingerprints out of order or past the last word")
		}
		last = int(fp.Pos)
	}
	if len(d.Reworded) > 0 {
		if reword.CheckRecord(d.Reworded, d.Words) != nil {
			return bad("analysis for reworded reuse unreadable, or not of the document's words")
		}
	}
	return nil
}

// verifyTerms reads every term of kind k and returns the checksum of its
// postings (mix) and their number.
func verifyTerms(ctx context.Context, s *segment, k Kind, bad func(error)) (uint64, int64, error) {
	t := s.terms(k)
	var sum uint64
	var count int64
	var buf []posting
	for b := 0; b < t.k.blocks; b++ {
		if b%256 == 0 && ctx.Err() != nil {
			return sum, count, ctx.Err()
		}
		if err := t.load(b); err != nil {
			bad(err)
			continue
		}
		for t.left > 0 {
			if _, err := t.next(); err != nil {
				bad(err)
				break
			}
			var err error
			if buf, err = t.postings(buf[:0]); err != nil {
				bad(err)
				continue
			}
			docs := 0
			for j, p := range buf {
				if j > 0 && byDocPos(buf[j-1], p) >= 0 {
					bad(s.corrupt("%s block %d: postings out of order", k, t.block))
					break
				}
				if j == 0 || p.doc != buf[j-1].doc {
					docs++
				}
				sum += mix(t.key, p.doc, p.pos)
			}
			if docs != t.docs {
				bad(s.corrupt("%s block %d: %d documents, the term says %d", k, t.block, docs, t.docs))
			}
			count += int64(len(buf))
		}
	}
	return sum, count, nil
}
