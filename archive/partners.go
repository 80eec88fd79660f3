package archive

import (
	"cmp"
	"context"
	"slices"

	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

// Partners finds the archived documents a check of new documents needs:
// those a full scan of the archive and the new documents would pair with
// a new one, under the same candidate rules and with document frequencies
// counted over both, and those sharing an LSH band key with one (Find);
// and those of archived documents (Expand), as a check follows its
// clusters through the archive. Load reads them. A Partners is NOT safe
// for concurrent use.
type Partners struct {
	ix       *Index
	workers  int
	news     []index.Doc
	fp, keys posted
	keyer    *index.Keyer // nil without WithKeys
	partners []Ref        // archived documents to take, sorted, distinct
	bucketed []Ref        // those sharing a band key with a new document, sorted, distinct
}

// posted is one kind of posting as a check counts it: the rules that pair
// documents on it, and how many documents hold each key.
type posted struct {
	kind  Kind
	rules candidate.Rules
	// The new documents holding each key, and the archived ones, for
	// every key of the documents taken.
	df      counts
	newKeys [][]shingle.Fingerprint
}

func newPosted(k Kind, rules candidate.Rules) posted {
	return posted{kind: k, rules: rules}
}

// NewPartners returns the finder of the archived partners of news under
// rules, looking keys up on workers goroutines (at least 1).
func NewPartners(ix *Index, news []index.Doc, rules candidate.Rules, workers int) *Partners {
	c := &Partners{ix: ix, workers: max(workers, 1), news: news, fp: newPosted(Fingerprints, rules)}
	// The new documents' fingerprints with the places of their postings
	// (flagged postings.Quoted inside a quotation, as a scan's are).
	c.fp.newKeys = make([][]shingle.Fingerprint, len(news))
	var sc placeScratch
	for i := range news {
		c.fp.newKeys[i] = sc.placed(&news[i], ix.Params())
	}
	c.fp.count()
	return c
}

// placeScratch holds placed's buffers.
type placeScratch struct {
	places []uint32
	quotes [][2]int32
}

// placed returns a copy of d's fingerprints at the places of their
// postings (flagged postings.Quoted inside a quotation, as a scan's are).
func (sc *placeScratch) placed(d *index.Doc, p Params) []shingle.Fingerprint {
	sc.quotes = index.Quotations(sc.quotes[:0], d.Seeds, spool.SeedCount(d.Words, p.Seed), d.Words)
	sc.places = index.PostingPlaces(sc.places[:0], d.Fingerprints, sc.quotes, p.Shingle)
	fps := slices.Clone(d.Fingerprints)
	for j := range fps {
		fps[j].Pos = sc.places[j]
	}
	return fps
}

// WithKeys, called before Find, has the finder take the keys of reworded
// sentences too, as a scan with --reworded does: the archived documents
// keyOnly pairs with a new one on the keys both hold
// (reword.KeyOnlyRules: a pair of documents that shares keys but no
// fingerprint pairing it must pass them), the keys chosen with opt from
// the documents' analyses (index.Keyer) and counted over the archive's
// Keys (an index with Params.Reworded). A damaged analysis is an error.
func (c *Partners) WithKeys(opt reword.KeyOptions, keyOnly candidate.Rules) error {
	c.keyer = index.NewKeyer(opt)
	c.keys = newPosted(Keys, keyOnly)
	c.keys.newKeys = make([][]shingle.Fingerprint, len(c.news))
	for i := range c.news {
		var err error
		if c.keys.newKeys[i], err = c.keyer.Keys(nil, &c.news[i]); err != nil {
			return err
		}
		c.news[i].Keys = c.keys.newKeys[i] // for index.FromDocs
	}
	c.keys.count()
	return nil
}

// count counts the new documents holding each key.
func (p *posted) count() {
	for _, ks := range p.newKeys {
		for _, h := range distinctHashes(ks) {
			p.df.slot(h).news++
		}
	}
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
	doc    uint32 // a new document's number in news
	pos    uint32 // its first, flagged candidate.Repeated when it holds it more than once
	quoted bool   // inside a quotation at one of its places
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
	if err := c.find(ctx, &c.fp); err != nil {
		return err
	}
	if c.keyer != nil {
		if err := c.find(ctx, &c.keys); err != nil {
			return err
		}
	}
	// Near-duplicates by LSH: the documents of every bucket holding a new
	// document.
	p := c.ix.Params()
	var bands []uint64
	for i := range c.news {
		bands = cluster.BandKeys(bands, c.news[i].Signature, p.Bands, p.Rows)
	}
	var err error
	if c.bucketed, err = c.bucketsOf(bands); err != nil {
		return err
	}
	c.partners = append(c.partners, c.bucketed...)
	slices.Sort(c.partners)
	c.partners = slices.Compact(c.partners)
	return nil
}

// bucketsOf returns the archived documents holding one of band keys
// bands, sorted and distinct: the members of those LSH buckets, which
// the groups of a scan compare with the first of each (by id).
func (c *Partners) bucketsOf(bands []uint64) ([]Ref, error) {
	slices.Sort(bands)
	var out []Ref
	err := c.ix.Lookup(Bands, slices.Compact(bands), func(_ int, ps []Posting) error {
		for _, q := range ps {
			out = append(out, q.Doc)
		}
		return nil
	})
	slices.Sort(out)
	return slices.Compact(out), err
}

// find adds to the partners the archived documents p's rules pair with a
// new document on the keys of p's kind they share, as the shuffle pairs
// them.
func (c *Partners) find(ctx context.Context, p *posted) error {
	found, err := c.pairedWith(ctx, p, p.newKeys, nil)
	for _, rs := range found {
		c.partners = append(c.partners, rs...)
	}
	return err
}

// pairedWith returns the archived documents p's rules pair with each of
// queries (the keys of a document each, with their places) on the keys
// of p's kind they share, as the shuffle pairs them, sorted: new
// documents, or archived ones (self: their own Refs, which they are not
// paired with). Every key of queries must have its slot in p.df.
func (c *Partners) pairedWith(ctx context.Context, p *posted, queries [][]shingle.Fingerprint, self []Ref) ([][]Ref, error) {
	// Where the queries hold each key.
	at := map[uint64][]place{}
	for i, ks := range queries {
		for _, fp := range ks {
			ps := at[fp.Hash]
			quoted := quotedOf(fp.Pos) != 0
			if n := len(ps); n > 0 && ps[n-1].doc == uint32(i) {
				ps[n-1].pos |= candidate.Repeated
				ps[n-1].quoted = ps[n-1].quoted || quoted
				continue
			}
			at[fp.Hash] = append(ps, place{uint32(i), keyPos(placeOf(fp.Pos)), quoted})
		}
	}
	hashes := make([]uint64, 0, len(at))
	for h := range at {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	// The keys of every (new, archived) pair, as the shuffle makes them,
	// grouped by pair afterwards.
	type shared struct {
		doc uint32
		ref Ref
		key candidate.Key
	}
	// Each worker looks up a range of the hashes. Every hash has its slot
	// in p.df already (count), so the workers write distinct slots and
	// never grow the table.
	found := make([][]shared, c.workers)
	err := work.Each(ctx, c.workers, c.workers, func(_, w int) error {
		part := hashes[len(hashes)*w/c.workers : len(hashes)*(w+1)/c.workers]
		var holders []Posting
		var quoted []bool // per holder: inside a quotation at one of its places
		return c.ix.Lookup(p.kind, part, func(i int, ps []Posting) error {
			if i%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			h := part[i]
			// Archived documents holding h, and their first positions
			// (flagged Repeated for one holding it more than once).
			holders, quoted = holders[:0], quoted[:0]
			for _, q := range ps {
				if n := len(holders); n > 0 && holders[n-1].Doc == q.Doc {
					holders[n-1].Pos |= candidate.Repeated
					quoted[n-1] = quoted[n-1] || q.Quoted
					continue
				}
				holders = append(holders, Posting{Doc: q.Doc, Pos: keyPos(q.Pos)})
				quoted = append(quoted, q.Quoted)
			}
			sl := p.df.get(h)
			sl.archive = int32(len(holders))
			df := len(holders) + int(sl.news)
			if df > p.rules.MaxDF {
				return nil // boilerplate: it pairs no documents
			}
			for _, n := range at[h] {
				for j, a := range holders {
					if self != nil && a.Doc == self[n.doc] {
						continue
					}
					// The index keeps no digests of the words around
					// (postings.Around): a quoted key may pair, and the
					// check's own shuffle decides as a scan does.
					k := candidate.Key{PosA: n.pos, PosB: a.Pos, DF: uint32(df), Quoted: n.quoted || quoted[j], Run: candidate.UnknownRun}
					found[w] = append(found[w], shared{n.doc, a.Doc, k})
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	keys := slices.Concat(found...)
	slices.SortFunc(keys, func(x, y shared) int {
		return cmp.Or(cmp.Compare(x.doc, y.doc), cmp.Compare(x.ref, y.ref))
	})
	var ks []candidate.Key
	paired := make([][]Ref, len(queries))
	n := 0
	for lo := 0; lo < len(keys); {
		if n++; n%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		hi := lo + 1
		for hi < len(keys) && keys[hi].doc == keys[lo].doc && keys[hi].ref == keys[lo].ref {
			hi++
		}
		ks = ks[:0]
		for _, k := range keys[lo:hi] {
			ks = append(ks, k.key)
		}
		if p.rules.Pair(ks) {
			paired[keys[lo].doc] = append(paired[keys[lo].doc], keys[lo].ref)
		}
		lo = hi
	}
	return paired, nil
}

// Expand returns, for each of refs (archived documents), the archived
// documents a full scan would pair with it, as Find finds those of the
// new documents: on fingerprints (and with WithKeys on keys) under the
// same rules and frequencies, and on LSH band keys; and the members of
// its LSH buckets (itself among them). Each list is sorted and distinct,
// and holds no ref but others of refs. A check follows clusters and
// groups through them beyond the new documents' own partners (see
// reuse.Check), one document's at a time or many's together.
func (c *Partners) Expand(ctx context.Context, refs []Ref) (partners, bucketed [][]Ref, err error) {
	p := c.ix.Params()
	fps := make([][]shingle.Fingerprint, len(refs))
	var keys [][]shingle.Fingerprint
	if c.keyer != nil {
		keys = make([][]shingle.Fingerprint, len(refs))
	}
	bands := make([][]uint64, len(refs))
	var sc placeScratch
	for i, r := range refs {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		var d index.Doc
		if err := c.ix.Doc(r, &d); err != nil {
			return nil, nil, err
		}
		fps[i] = sc.placed(&d, p)
		for _, fp := range fps[i] {
			c.fp.df.slot(fp.Hash)
		}
		if c.keyer != nil {
			ks, err := c.keyer.Keys(nil, &d)
			if err != nil {
				return nil, nil, err
			}
			for _, k := range ks {
				c.keys.df.slot(k.Hash)
			}
			keys[i] = ks
		}
		bands[i] = cluster.BandKeys(nil, d.Signature, p.Bands, p.Rows)
	}
	if partners, err = c.pairedWith(ctx, &c.fp, fps, refs); err != nil {
		return nil, nil, err
	}
	if c.keyer != nil {
		more, err := c.pairedWith(ctx, &c.keys, keys, refs)
		if err != nil {
			return nil, nil, err
		}
		for i := range partners {
			partners[i] = append(partners[i], more[i]...)
		}
	}
	if bucketed, err = c.bucketsEach(bands); err != nil {
		return nil, nil, err
	}
	for i := range partners {
		partners[i] = append(partners[i], bucketed[i]...)
		slices.Sort(partners[i])
		partners[i] = slices.Compact(partners[i])
	}
	return partners, bucketed, nil
}

// bucketsEach returns, for each list of band keys, the archived documents
// holding one of them, sorted and distinct: bucketsOf of each, looked up
// together.
func (c *Partners) bucketsEach(bands [][]uint64) ([][]Ref, error) {
	var all []uint64
	for _, bs := range bands {
		all = append(all, bs...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	holders := make([][]Ref, len(all))
	err := c.ix.Lookup(Bands, all, func(i int, ps []Posting) error {
		for _, q := range ps {
			holders[i] = append(holders[i], q.Doc)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([][]Ref, len(bands))
	for i, bs := range bands {
		for _, b := range bs {
			if j, ok := slices.BinarySearch(all, b); ok {
				out[i] = append(out[i], holders[j]...)
			}
		}
		slices.Sort(out[i])
		out[i] = slices.Compact(out[i])
	}
	return out, nil
}

// HoldsBoilerplate reports, after Find, whether a new document holds a
// fingerprint held by more than the rules' MaxDF documents, archived or
// new: boilerplate, which a scan makes a family of every place of its
// text.
func (c *Partners) HoldsBoilerplate() bool {
	for _, fps := range c.fp.newKeys {
		for _, fp := range fps {
			if c.fp.df.df(fp.Hash) > c.fp.rules.MaxDF {
				return true
			}
		}
	}
	return false
}

// Boilerplate returns the fingerprints of each new document held by more
// than MaxDF documents (the archive's and the new ones), ascending and
// distinct.
func (c *Partners) Boilerplate() [][]uint64 {
	out := make([][]uint64, len(c.fp.newKeys))
	for i, fps := range c.fp.newKeys {
		for _, fp := range fps {
			if c.fp.df.df(fp.Hash) > c.fp.rules.MaxDF {
				out[i] = append(out[i], fp.Hash)
			}
		}
		slices.Sort(out[i])
		out[i] = slices.Compact(out[i])
	}
	return out
}

// Found returns the partners Find found, sorted.
func (c *Partners) Found() []Ref { return c.partners }

// Bucketed returns those of the partners Find found sharing a band key
// with a new document, sorted.
func (c *Partners) Bucketed() []Ref { return c.bucketed }

// Load hands fn the new documents, then the records of refs (archived
// documents: Found, or others) one at a time, decoded into one Doc that
// fn must not keep (with WithKeys, each with its keys: index.Doc.Keys);
// then counts the document frequencies of all their fingerprints (and
// keys). A check's archived documents are thus never held decoded all at
// once: at 10 MB checked against 1 GB, they took 0.5 GB.
func (c *Partners) Load(ctx context.Context, refs []Ref, fn func(d *index.Doc) error) error {
	return c.load(ctx, refs, fn, true, nil, nil)
}

// LoadLight is Load where the documents light reports are read for their
// boilerplate alone: of their fingerprints, only those boilerplate
// reports have their frequencies counted (unless another document holds
// them), and none of their keys; the others' stay unknown, counted as
// held by no archived document, which a caller that pairs none of these
// documents never reads (a check's references).
func (c *Partners) LoadLight(ctx context.Context, refs []Ref, light func(Ref) bool, boilerplate func(hash uint64) bool, fn func(d *index.Doc) error) error {
	return c.load(ctx, refs, fn, true, light, boilerplate)
}

// LoadUncounted is Load without counting the document frequencies, for a
// caller given every archived document (a check's round over the whole
// archive), which counts them itself.
func (c *Partners) LoadUncounted(ctx context.Context, refs []Ref, fn func(d *index.Doc) error) error {
	return c.load(ctx, refs, fn, false, nil, nil)
}

func (c *Partners) load(ctx context.Context, refs []Ref, fn func(d *index.Doc) error, count bool, light func(Ref) bool, boilerplate func(uint64) bool) error {
	for i := range c.news {
		if err := fn(&c.news[i]); err != nil {
			return err
		}
	}
	var todo, todoKeys []uint64
	var d index.Doc
	var keys []shingle.Fingerprint
	for _, r := range refs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.ix.Doc(r, &d); err != nil {
			return err
		}
		isLight := light != nil && light(r)
		switch {
		case count && isLight:
			for _, k := range d.Fingerprints {
				if boilerplate(k.Hash) {
					if sl := c.fp.df.get(k.Hash); sl == nil || sl.archive < 0 {
						todo = append(todo, k.Hash)
					}
				}
			}
		case count:
			todo = c.fp.unknown(todo, d.Fingerprints)
		}
		if c.keyer != nil {
			var err error
			if keys, err = c.keyer.Keys(keys[:0], &d); err != nil {
				return err
			}
			d.Keys = keys
			if count && !isLight {
				todoKeys = c.keys.unknown(todoKeys, d.Keys)
			}
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	if !count {
		return nil
	}
	if err := c.fp.frequencies(ctx, c.ix, todo, c.workers); err != nil {
		return err
	}
	if c.keyer != nil {
		if err := c.keys.frequencies(ctx, c.ix, todoKeys, c.workers); err != nil {
			return err
		}
	}
	return nil
}

// unknown appends to todo the hashes of ks whose archive frequency is not
// known yet.
func (p *posted) unknown(todo []uint64, ks []shingle.Fingerprint) []uint64 {
	for _, k := range ks {
		if sl := p.df.get(k.Hash); sl == nil || sl.archive < 0 {
			todo = append(todo, k.Hash)
		}
	}
	return todo
}

// frequencies counts the archived documents holding each of todo, on
// workers goroutines (a range of todo each).
func (p *posted) frequencies(ctx context.Context, ix *Index, todo []uint64, workers int) error {
	slices.Sort(todo)
	todo = slices.Compact(todo)
	dfs := make([]int, len(todo))
	err := work.Each(ctx, workers, workers, func(_, w int) error {
		lo, hi := len(todo)*w/workers, len(todo)*(w+1)/workers
		_, err := ix.Frequencies(ctx, p.kind, todo[lo:hi], dfs[lo:hi])
		return err
	})
	if err != nil {
		return err
	}
	for i, h := range todo {
		p.df.slot(h).archive = int32(dfs[i])
	}
	return nil
}

// DF returns the number of documents, archived or new, holding fingerprint
// h: known for every fingerprint of the new documents and, after Load, of
// the partners.
func (c *Partners) DF(h uint64) int { return c.fp.df.df(h) }

// KeyDF is DF of the keys of reworded sentences (WithKeys).
func (c *Partners) KeyDF(h uint64) int { return c.keys.df.df(h) }

// DFs sets dst[i] to DF(hashes[i]), looking them up side by side (a
// candidate.Frequencies). It is safe for concurrent use while nothing
// else uses c.
func (c *Partners) DFs(hashes []uint64, dst []int) { c.fp.df.dfs(hashes, dst) }

// KeyDFs is DFs of the keys of reworded sentences (WithKeys).
func (c *Partners) KeyDFs(hashes []uint64, dst []int) { c.keys.df.dfs(hashes, dst) }

// Shifted returns where the new documents change the class of document
// frequency of a key the archive holds: class(n) of the n archived
// documents holding it differs from class(n + the new ones), by fpClass
// for fingerprints and keyClass for keys of reworded sentences (with
// WithKeys). An archived pair's alignment depends on the document
// frequencies of its keys only through their classes (the pairing rules'
// thresholds, the evidence filter's rare fingerprints and boilerplate,
// anchors held by two documents only), so that of a pair no shift
// reaches is the same with the new documents as without them. whole are
// the archived documents, sorted, holding a shifted key of reworded
// sentences (any of whose pairs it may reach), and fps the places of the
// shifted fingerprints in the archived documents, by fingerprint (a pair
// they reach is one whose documents share one, or whose passages lie
// near one, or a document that held one alone: see reuse's shifts).
// Called after Find, which counts the archived documents holding each
// key.
func (c *Partners) Shifted(ctx context.Context, fpClass, keyClass func(df int) int) (whole []Ref, fps []Shift, err error) {
	for _, p := range []struct {
		p     *posted
		class func(int) int
	}{{&c.fp, fpClass}, {&c.keys, keyClass}} {
		if p.p.newKeys == nil {
			continue
		}
		var hs, alone []uint64 // shifted; held by one archived document
		for _, ks := range p.p.newKeys {
			for _, k := range ks {
				sl := p.p.df.get(k.Hash)
				n := max(int(sl.archive), 0)
				if n > 0 && p.class(n) != p.class(n+int(sl.news)) {
					hs = append(hs, k.Hash)
					if n == 1 {
						alone = append(alone, k.Hash)
					}
				}
			}
		}
		slices.Sort(hs)
		hs = slices.Compact(hs)
		if p.p.kind == Fingerprints {
			slices.Sort(alone)
			if fps, err = c.ix.shifts(ctx, hs, slices.Compact(alone)); err != nil {
				return nil, nil, err
			}
			continue
		}
		err := c.ix.Lookup(p.p.kind, hs, func(i int, ps []Posting) error {
			if i%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			for _, q := range ps {
				whole = append(whole, q.Doc)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	slices.Sort(whole)
	return slices.Compact(whole), fps, nil
}

// Shift is a fingerprint of an archived document whose class of document
// frequency other documents change (Partners.Shifted, Index.ShiftedBy):
// the document, the fingerprint and its place there (in tokens). Whole
// when the change may align any pair of the document otherwise: its
// frequency fell, or the document held it alone before (a fingerprint
// becoming rare may keep a passage the evidence filter dropped).
type Shift struct {
	Doc   Ref
	Hash  uint64
	Pos   uint32
	Whole bool
}

// shifts returns the places of the fingerprints hashes (sorted,
// distinct) in the index's documents, by fingerprint (sorting them by
// document took 2.3 s of 100 MB added to the generated 1 GB: callers
// group them as they need); whole (sorted, distinct) are those of them
// whose Shifts are Whole.
func (ix *Index) shifts(ctx context.Context, hashes, whole []uint64) ([]Shift, error) {
	var out []Shift
	err := ix.Lookup(Fingerprints, hashes, func(i int, ps []Posting) error {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		_, w := slices.BinarySearch(whole, hashes[i])
		for _, q := range ps {
			out = append(out, Shift{Doc: q.Doc, Hash: hashes[i], Pos: q.Pos, Whole: w})
		}
		return nil
	})
	return out, err
}
