package reusebeam

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
)

// runFn is the shuffle's first step for one partition of postings (all
// the postings of its hashes, grouped by partition): sorted by hash, as a
// load of the scan's shuffle, and split by the rules' document-frequency
// caps (candidate.Rules.Split) into pair keys, batched by the block of
// their first document; rare entries, batched by the block of their
// document; and boilerplate postings, for the one worker that makes
// families of them.
type runFn struct {
	Settings  Settings
	BlockDocs int
	rules     candidate.Rules
}

func (f *runFn) Setup() { f.rules = f.Settings.rules() }

func (f *runFn) ProcessElement(ctx context.Context, _ uint32, batches func(*[]byte) bool, keys, rare func(uint32, []byte), boiler func(int, []byte)) error {
	var ps []postings.Posting
	var b []byte
	for batches(&b) {
		ps = decodePostings(ps, b)
	}
	postings.Sort(ps, 1)
	block := func(d uint32) uint32 { return d / uint32(f.BlockDocs) }
	keyBatch, rareBatch := make(map[uint32][]byte), make(map[uint32][]byte)
	var boil []byte
	err := f.rules.Split(ctx, ps, nil, candidate.Outputs{
		Boilerplate: func(run []postings.Posting) error {
			for _, p := range run {
				boil = appendPosting(boil, p)
			}
			return nil
		},
		Rare: func(p postings.Posting, df uint32) error {
			rareBatch[block(p.Doc)] = appendRare(rareBatch[block(p.Doc)], p.Doc, p.Pos, df)
			return nil
		},
		Keys: func(ks []candidate.Key) error {
			for _, k := range ks {
				keyBatch[block(k.A)] = appendKey(keyBatch[block(k.A)], k)
			}
			return nil
		},
	})
	if err != nil {
		return err
	}
	for _, bl := range slices.Sorted(maps.Keys(keyBatch)) {
		keys(bl, keyBatch[bl])
	}
	for _, bl := range slices.Sorted(maps.Keys(rareBatch)) {
		rare(bl, rareBatch[bl])
	}
	if len(boil) > 0 {
		boiler(0, boil)
	}
	return nil
}

// pairFn is the shuffle's second step for one block of first documents
// (their keys, grouped by block): the candidates of each first document
// (candidate.Rules.AppendPairs), batched by the block of their second
// document, where its data joins them.
type pairFn struct {
	Settings  Settings
	BlockDocs int
	rules     candidate.Rules
}

func (f *pairFn) Setup() { f.rules = f.Settings.rules() }

func (f *pairFn) ProcessElement(_ uint32, batches func(*[]byte) bool, emit func(uint32, []byte)) {
	var keys []candidate.Key
	var b []byte
	for batches(&b) {
		keys = decodeKeys(keys, b)
	}
	slices.SortFunc(keys, func(x, y candidate.Key) int { return cmp.Compare(x.A, y.A) })
	out := make(map[uint32][]byte)
	var (
		rg      candidate.Range
		scratch []candidate.Key
	)
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi].A == keys[lo].A {
			hi++
		}
		rg, scratch = f.rules.AppendPairs(candidate.Range{Pairs: rg.Pairs[:0], Anchors: rg.Anchors[:0]}, keys[lo:hi], scratch)
		for _, c := range rg.Pairs {
			bl := c.B / uint32(f.BlockDocs)
			out[bl] = appendCand(out[bl], &cand{A: c.A, B: c.B, Shared: c.Shared, Anchors: rg.Anchors[c.AnchorFrom:c.AnchorTo]})
		}
		lo = hi
	}
	for _, bl := range slices.Sorted(maps.Keys(out)) {
		emit(bl, out[bl])
	}
}

// Boiler is a family of boilerplate occurrences (cluster.Boilerplate),
// sorted by (Doc, Start): its first occurrence names it.
type Boiler struct {
	Occs []cluster.Occurrence
}

// boilerFn turns all boilerplate postings into families
// (cluster.Boilerplate, a union-find over fingerprints): one worker,
// O(boilerplate postings). Each occurrence also goes to its document's
// block, for the evidence filter.
type boilerFn struct {
	Settings  Settings
	BlockDocs int
}

func (f *boilerFn) ProcessElement(_ int, batches func(*[]byte) bool, fams func(Boiler), occs func(uint32, []byte)) {
	var ps []postings.Posting
	var b []byte
	for batches(&b) {
		ps = decodePostings(ps, b)
	}
	slices.SortFunc(ps, func(x, y postings.Posting) int {
		return cmp.Or(cmp.Compare(x.Hash, y.Hash), postings.ByDocPos(x, y))
	})
	opt := f.Settings.options()
	byBlock := make(map[uint32][]byte)
	for _, fam := range cluster.Boilerplate(ps, opt.Shingle, opt.Window) {
		fams(Boiler{Occs: fam})
		for _, o := range fam {
			bl := o.Doc / uint32(f.BlockDocs)
			byBlock[bl] = appendOcc(byBlock[bl], o)
		}
	}
	for _, bl := range slices.Sorted(maps.Keys(byBlock)) {
		occs(bl, byBlock[bl])
	}
}

// bucketFn turns the band keys of one partition (grouped by partition)
// into LSH buckets (cluster.BucketsOf, as index.Index.Buckets), and each
// bucket into pairs to check, each document with the bucket's first, as
// a scan checks them; batched by the block of the second document.
type bucketFn struct {
	BlockDocs int
}

func (f *bucketFn) ProcessElement(_ uint32, batches func(*[]byte) bool, emit func(uint32, []byte)) {
	var ps []postings.Posting
	var b []byte
	for batches(&b) {
		ps = decodePostings(ps, b)
	}
	postings.Sort(ps, 1)
	out := make(map[uint32][]byte)
	for _, bucket := range cluster.BucketsOf(nil, ps) {
		for _, m := range bucket[1:] {
			bl := m / uint32(f.BlockDocs)
			out[bl] = appendCand(out[bl], &cand{A: bucket[0], B: m, Check: true})
		}
	}
	for _, bl := range slices.Sorted(maps.Keys(out)) {
		emit(bl, out[bl])
	}
}
