package archive

import (
	"context"
	"slices"

	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/shingle"
)

// Partners finds the archived documents a check of new documents needs:
// those a full scan of the archive and the new documents would pair with
// a new one, under the same candidate rules and with document frequencies
// counted over both, and those sharing an LSH band key with one. Find,
// then Load.
type Partners struct {
	ix        *Index
	news      []index.Doc
	rules     candidate.Rules
	newDF     map[uint64]int // new documents holding a fingerprint
	archiveDF map[uint64]int // archived documents holding it, for every fingerprint of the documents taken
	partners  []Ref          // archived documents to take, sorted, distinct
}

// NewPartners returns the finder of the archived partners of news under
// rules.
func NewPartners(ix *Index, news []index.Doc, rules candidate.Rules) *Partners {
	c := &Partners{ix: ix, news: news, rules: rules, newDF: map[uint64]int{}, archiveDF: map[uint64]int{}}
	for i := range news {
		for _, h := range distinctHashes(news[i].Fingerprints) {
			c.newDF[h]++
		}
	}
	return c
}

// distinctHashes returns the distinct hashes of fps, sorted.
func distinctHashes(fps []shingle.Fingerprint) []uint64 {
	hs := make([]uint64, len(fps))
	for i, fp := range fps {
		hs[i] = fp.Hash
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// place is where a document holds a fingerprint.
type place struct {
	doc uint32 // a new document's number in news
	pos uint32 // its first, flagged candidate.Repeated when it holds it more than once
}

// keyPos is a first place as the shuffle keys it (candidate.RunPlaces):
// one beyond 2³¹-1 tokens is repeated, at no place.
func keyPos(pos uint32) uint32 {
	if pos >= candidate.Repeated {
		return candidate.Repeated | (candidate.Repeated - 1)
	}
	return pos
}

// Find finds the archived documents a full scan would pair with a
// new one, and those sharing a band key with one.
func (c *Partners) Find(ctx context.Context) error {
	// Where the new documents hold each fingerprint.
	at := map[uint64][]place{}
	for i := range c.news {
		for _, fp := range c.news[i].Fingerprints {
			ps := at[fp.Hash]
			if n := len(ps); n > 0 && ps[n-1].doc == uint32(i) {
				ps[n-1].pos |= candidate.Repeated
				continue
			}
			at[fp.Hash] = append(ps, place{uint32(i), keyPos(fp.Pos)})
		}
	}
	hashes := make([]uint64, 0, len(at))
	for h := range at {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	// The keys of every (new, archived) pair, as the shuffle makes them.
	type pair struct {
		doc uint32
		ref Ref
	}
	keys := map[pair][]candidate.Key{}
	var holders []Posting
	err := c.ix.Lookup(Fingerprints, hashes, func(i int, ps []Posting) error {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		h := hashes[i]
		// Archived documents holding h, and their first positions
		// (flagged Repeated for one holding it more than once).
		holders = holders[:0]
		for _, p := range ps {
			if n := len(holders); n > 0 && holders[n-1].Doc == p.Doc {
				holders[n-1].Pos |= candidate.Repeated
				continue
			}
			holders = append(holders, Posting{Doc: p.Doc, Pos: keyPos(p.Pos)})
		}
		c.archiveDF[h] = len(holders)
		df := len(holders) + c.newDF[h]
		if df > c.rules.MaxDF {
			return nil // boilerplate: it pairs no documents
		}
		for _, n := range at[h] {
			for _, a := range holders {
				k := pair{n.doc, a.Doc}
				keys[k] = append(keys[k], candidate.Key{PosA: n.pos, PosB: a.Pos, DF: uint32(df)})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, ks := range keys {
		if c.rules.Pair(ks) {
			c.partners = append(c.partners, k.ref)
		}
	}
	// Near-duplicates by LSH: the documents of every bucket holding a new
	// document.
	p := c.ix.Params()
	var bands []uint64
	for i := range c.news {
		bands = cluster.BandKeys(bands, c.news[i].Signature, p.Bands, p.Rows)
	}
	slices.Sort(bands)
	bands = slices.Compact(bands)
	err = c.ix.Lookup(Bands, bands, func(_ int, ps []Posting) error {
		for _, q := range ps {
			c.partners = append(c.partners, q.Doc)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(c.partners)
	c.partners = slices.Compact(c.partners)
	return nil
}

// Load reads the partners' records, counts the document
// frequencies of all their fingerprints, and returns the new documents
// and the partners together.
func (c *Partners) Load(ctx context.Context) ([]index.Doc, error) {
	docs := make([]index.Doc, len(c.news), len(c.news)+len(c.partners))
	copy(docs, c.news)
	var todo []uint64
	for _, r := range c.partners {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var d index.Doc
		if err := c.ix.Doc(r, &d); err != nil {
			return nil, err
		}
		for _, fp := range d.Fingerprints {
			if _, ok := c.archiveDF[fp.Hash]; !ok {
				todo = append(todo, fp.Hash)
			}
		}
		docs = append(docs, d)
	}
	slices.Sort(todo)
	todo = slices.Compact(todo)
	dfs, err := c.ix.Frequencies(Fingerprints, todo, nil)
	if err != nil {
		return nil, err
	}
	for i, h := range todo {
		c.archiveDF[h] = dfs[i]
	}
	return docs, nil
}

// DF returns the number of documents, archived or new, holding fingerprint
// h: known for every fingerprint of the new documents and, after Load, of
// the partners.
func (c *Partners) DF(h uint64) int { return c.archiveDF[h] + c.newDF[h] }
