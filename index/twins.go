package index

import (
	"bytes"
	"cmp"
	"context"
	"slices"
)

// Twins finds the documents whose records are the same: the same text
// (length and Checksum) and the same seeds, token offsets, places of
// repeated fingerprints and reworded analysis. Every stage after the index
// sees only these, so it treats twins alike: a pair's passages, in tokens
// and in bytes, are the same with a document as with its twin. (A copied
// file, a file reached through a symbolic link, a page crawled twice.)
//
// It returns, for each document, 1 + the number of the first document of
// its group of twins (itself for the first), or 0 for a document with no
// twin; nil when no document has one. It reads the records of the
// documents whose lengths and checksums agree, and nothing else.
func (x *Index) Twins(ctx context.Context) ([]uint32, error) {
	type key struct {
		crc          uint64
		bytes, words uint32
		d            uint32
	}
	keys := make([]key, len(x.docs))
	for d := range x.docs {
		r := &x.docs[d]
		keys[d] = key{r.crc, r.bytes, r.words, uint32(d)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.crc, b.crc), cmp.Compare(a.bytes, b.bytes), cmp.Compare(a.words, b.words), cmp.Compare(a.d, b.d))
	})
	same := func(a, b key) bool { return a.crc == b.crc && a.bytes == b.bytes && a.words == b.words }
	var twin []uint32
	ra, rb := x.NewSeedReader(), x.NewSeedReader()
	ra.copy, rb.copy = true, true // records of all sizes, touched once: not kept resident
	var reps []uint32             // the first document of each group of the run
	var repA, repB []uint32
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && same(keys[i], keys[j]) {
			j++
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		reps = reps[:0]
		for n, k := range keys[i:j] {
			if n&1023 == 1023 { // a group of thousands of copies
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			found := false
			for _, r := range reps {
				eq, err := x.sameRecord(ra, rb, r, k.d, &repA, &repB)
				if err != nil {
					return nil, err
				}
				if eq {
					if twin == nil {
						twin = make([]uint32, len(x.docs))
					}
					twin[r], twin[k.d] = r+1, r+1
					found = true
					break
				}
			}
			if !found && j-i > 1 && len(reps) < maxTwinGroups {
				reps = append(reps, k.d)
			}
		}
		i = j
	}
	return twin, nil
}

// maxTwinGroups bounds the groups of twins told apart among documents of
// one length and checksum: texts that differ there (a crafted checksum
// collision) would otherwise be compared each with all the others. A
// document beyond it is left without twins, which costs time, not
// results.
const maxTwinGroups = 8

// sameRecord reports whether documents a and b have the same record in
// the seed spool (and reworded analysis).
func (x *Index) sameRecord(ra, rb *SeedReader, a, b uint32, repA, repB *[]uint32) (bool, error) {
	va, err := ra.View(a)
	if err != nil {
		return false, err
	}
	vb, err := rb.View(b)
	if err != nil {
		return false, err
	}
	if !bytes.Equal(va.Bytes(), vb.Bytes()) {
		return false, nil
	}
	*repA, *repB = va.Repeats((*repA)[:0]), vb.Repeats((*repB)[:0])
	if !slices.Equal(*repA, *repB) {
		return false, nil
	}
	if !x.reword {
		return true, nil
	}
	da, db := &x.docs[a], &x.docs[b]
	if da.rwBytes != db.rwBytes {
		return false, nil
	}
	ea, err := ra.extra(da)
	if err != nil {
		return false, err
	}
	eb, err := rb.extra(db)
	if err != nil {
		return false, err
	}
	return bytes.Equal(ea, eb), nil
}
