package reusebeam

import (
	"cmp"
	"context"
	"encoding/binary"
	"maps"
	"math"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/reword"
)

// runFn is the shuffle's first step for one partition of postings (all
// the postings of its hashes, grouped by partition): sorted by hash, as a
// load of the scan's shuffle, and split by the rules' document-frequency
// caps (candidate.Rules.Split) into pair keys, batched by the block of
// their first document; rare entries, and postings of boilerplate
// (fingerprints held by more than MaxDF documents), batched by the block
// of their document.
type runFn struct {
	Settings  Settings
	BlockDocs int
	rules     candidate.Rules
}

func (f *runFn) Setup() { f.rules = f.Settings.rules() }

func (f *runFn) ProcessElement(ctx context.Context, _ uint32, batches func(*[]byte) bool, keys, rare, boiler func(uint32, []byte)) error {
	ps := sortedPostings(batches)
	block := func(d uint32) uint32 { return d / uint32(f.BlockDocs) }
	keyBatch, rareBatch, boilBatch := make(map[uint32][]byte), make(map[uint32][]byte), make(map[uint32][]byte)
	err := f.rules.Split(ctx, ps, nil, candidate.Outputs{
		Boilerplate: func(run []postings.Posting) error {
			for _, p := range run {
				boilBatch[block(p.Doc)] = appendPosting(boilBatch[block(p.Doc)], p)
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
	for _, bl := range slices.Sorted(maps.Keys(boilBatch)) {
		boiler(bl, boilBatch[bl])
	}
	return nil
}

// keyRunFn is runFn for one partition of the reworded keys' postings
// (Settings.Reworded), as the scan's shuffle of keys
// (candidate.NewKeyShuffle): split by reword.KeyRules into pair keys,
// batched by the block of their first document; no boilerplate, no rare
// entries.
type keyRunFn struct {
	BlockDocs int
}

func (f *keyRunFn) ProcessElement(ctx context.Context, _ uint32, batches func(*[]byte) bool, keys func(uint32, []byte)) error {
	ps := sortedPostings(batches)
	keyBatch := make(map[uint32][]byte)
	err := reword.KeyRules().Split(ctx, ps, nil, candidate.Outputs{
		Keys: func(ks []candidate.Key) error {
			for _, k := range ks {
				bl := k.A / uint32(f.BlockDocs)
				keyBatch[bl] = appendKey(keyBatch[bl], k)
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
	return nil
}

// pairFn is the shuffle's second step for one block of first documents
// (their pair keys of fingerprints and of reworded keys, grouped by
// block): the candidates of each first document
// (candidate.Rules.AppendPairs; with reworded keys, those of
// reword.KeyRules merged in by candidate.Merge, as a scan does), batched
// by the block of their second document, where its data joins them.
type pairFn struct {
	Settings  Settings
	BlockDocs int
	rules     candidate.Rules
}

func (f *pairFn) Setup() { f.rules = f.Settings.rules() }

func (f *pairFn) ProcessElement(_ uint32, batches, rwBatches func(*[]byte) bool, emit func(uint32, []byte)) {
	byA := func(x, y candidate.Key) int { return cmp.Compare(x.A, y.A) }
	var keys, rwKeys []candidate.Key
	var b []byte
	for batches(&b) {
		keys = decodeKeys(keys, b)
	}
	for rwBatches(&b) {
		rwKeys = decodeKeys(rwKeys, b)
	}
	slices.SortFunc(keys, byA)
	slices.SortFunc(rwKeys, byA)
	keyRules, keyOnly := reword.KeyRules(), reword.KeyOnlyRules()
	out := make(map[uint32][]byte)
	var (
		rg, kr  candidate.Range
		scratch []candidate.Key
	)
	for lo, klo := 0, 0; lo < len(keys) || klo < len(rwKeys); {
		// The next first document, of either kind of keys.
		a := uint32(math.MaxUint32)
		if lo < len(keys) {
			a = keys[lo].A
		}
		if klo < len(rwKeys) {
			a = min(a, rwKeys[klo].A)
		}
		hi, khi := lo, klo
		for hi < len(keys) && keys[hi].A == a {
			hi++
		}
		for khi < len(rwKeys) && rwKeys[khi].A == a {
			khi++
		}
		rg, scratch = f.rules.AppendPairs(candidate.Range{Pairs: rg.Pairs[:0], Anchors: rg.Anchors[:0]}, keys[lo:hi], scratch)
		if khi > klo {
			kr, scratch = keyRules.AppendPairs(candidate.Range{Pairs: kr.Pairs[:0], Anchors: kr.Anchors[:0]}, rwKeys[klo:khi], scratch)
			rg = candidate.Merge(rg, kr, keyOnly)
		}
		for _, c := range rg.Pairs {
			bl := c.B / uint32(f.BlockDocs)
			cd := cand{A: c.A, B: c.B, Shared: c.Shared, Anchors: rg.Anchors[c.AnchorFrom:c.AnchorTo]}
			if c.KeyTo > c.KeyFrom {
				cd.Keys = rg.Keys[c.KeyFrom:c.KeyTo]
			}
			out[bl] = appendCand(out[bl], &cd)
		}
		lo, klo = hi, khi
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

// Boilerplate families are made as cluster.Boilerplate makes them, in
// stages no worker of which holds every boilerplate posting:
//
//  1. boilerOccsFn, for a block of documents (their postings of
//     fingerprints held by more than MaxDF documents, grouped by block):
//     the runs (cluster.BoilerplateOccurrences), which go on to the
//     block's evidence filter; for each fingerprint, its places and what
//     follows and precedes it in the block's runs (Neighbours); and each
//     posting with its run (PostOcc).
//  2. majorityFn sums a fingerprint's Neighbours into its
//     cluster.Majority; claimFn sends it to the fingerprints it names,
//     and joinFn, there, emits the edges cluster.Joined accepts.
//  3. Components of those edges: the families' fingerprints.
//  4. boilerLabelFn keys each posting by its component (its fingerprint
//     when it has no edge), its document and its run; spanOccs makes the
//     family's occurrence in the run (cluster.CoverEnd), and
//     boilerFamilyFn sorts each family's occurrences by (Doc, Start).
//
// A fingerprint is named by its hash, so the families and their
// occurrences are those of cluster.Boilerplate whatever the order of the
// stages' work.
type boilerOccsFn struct {
	Settings  Settings
	BlockDocs int
}

// Neighbours counts, for one fingerprint in one block, its places (Dir
// 0) or the places G follows it (Dir 1) or precedes it (Dir 2), next in
// a run.
type Neighbours struct {
	G   uint64
	Dir uint8
	N   int64
}

// PostOcc is a posting of boilerplate in document Doc, in the run
// starting at token Run: the occurrence [Start, End) of its shingle, to
// its cluster.CoverEnd.
type PostOcc struct {
	Doc        uint32
	Run        int32
	Start, End int32
}

// Claim is the majority M of fingerprint F, sent to a fingerprint it
// names.
type Claim struct {
	F uint64
	M cluster.Majority
}

func (f *boilerOccsFn) ProcessElement(bl uint32, batches func(*[]byte) bool, nbrs func(uint64, Neighbours), posts func(uint64, PostOcc), evidence func(uint32, []byte)) {
	var ps []postings.Posting
	var b []byte
	for batches(&b) {
		ps = decodePostings(ps, b)
	}
	slices.SortFunc(ps, postings.ByDocPos)
	opt := f.Settings.options()
	type nbr struct {
		f, g uint64
		dir  uint8
	}
	counts := make(map[nbr]int64)
	var batch []byte
	cluster.BoilerplateOccurrences(ps, opt.Shingle, opt.Window, func(o cluster.Occurrence, fps []postings.Posting) {
		for i, p := range fps {
			counts[nbr{f: p.Hash}]++
			if i+1 < len(fps) {
				counts[nbr{p.Hash, fps[i+1].Hash, 1}]++
			}
			if i > 0 {
				counts[nbr{p.Hash, fps[i-1].Hash, 2}]++
			}
			posts(p.Hash, PostOcc{Doc: o.Doc, Run: o.Start, Start: int32(p.Pos), End: cluster.CoverEnd(fps, i, opt.Shingle)})
		}
		batch = appendOcc(batch, o)
	})
	for _, n := range slices.SortedFunc(maps.Keys(counts), func(x, y nbr) int {
		return cmp.Or(cmp.Compare(x.f, y.f), cmp.Compare(x.dir, y.dir), cmp.Compare(x.g, y.g))
	}) {
		nbrs(n.f, Neighbours{G: n.g, Dir: n.dir, N: counts[n]})
	}
	if len(batch) > 0 {
		evidence(bl, batch)
	}
}

// majorityFn sums the Neighbours of fingerprint fp into its majority.
func majorityFn(fp uint64, iter func(*Neighbours) bool) (uint64, cluster.Majority) {
	var places int64
	sums := [3]map[uint64]int64{nil, {}, {}}
	var n Neighbours
	for iter(&n) {
		if n.Dir == 0 {
			places += n.N
		} else {
			sums[n.Dir][n.G] += n.N
		}
	}
	var m cluster.Majority
	for g, c := range sums[1] {
		if 2*c > places {
			m.Next, m.HasNext = g, true
		}
	}
	for g, c := range sums[2] {
		if 2*c > places {
			m.Prev, m.HasPrev = g, true
		}
	}
	return fp, m
}

// claimFn sends the majority of fp to its own fingerprint and to those it
// names.
func claimFn(fp uint64, m cluster.Majority, emit func(uint64, Claim)) {
	emit(fp, Claim{F: fp, M: m})
	if m.HasNext {
		emit(m.Next, Claim{F: fp, M: m})
	}
	if m.HasPrev && (!m.HasNext || m.Prev != m.Next) {
		emit(m.Prev, Claim{F: fp, M: m})
	}
}

// joinFn, at fingerprint g, emits an edge to each fingerprint whose claim
// cluster.Joined accepts with g's own majority (either way round).
func joinFn(g uint64, claims func(*Claim) bool, edges func(uint64, uint64)) {
	var all []Claim
	var own cluster.Majority
	var c Claim
	for claims(&c) {
		if c.F == g {
			own = c.M
		} else {
			all = append(all, c)
		}
	}
	for _, c := range all {
		if cluster.Joined(c.F, g, c.M, own) || cluster.Joined(g, c.F, own, c.M) {
			edges(c.F, g)
		}
	}
}

// boilerLabelFn keys the postings of fingerprint fp by the component of
// fp (fp itself when it has no edge), their document and their run.
func boilerLabelFn(fp uint64, posts func(*PostOcc) bool, labels func(*uint64) bool, emit func(string, cluster.Occurrence)) {
	l := fp
	labels(&l)
	var p PostOcc
	for posts(&p) {
		emit(runKey(l, p.Doc, p.Run), cluster.Occurrence{Doc: p.Doc, Start: p.Start, End: p.End})
	}
}

// runKey names the occurrence of family l in the run of document doc
// starting at token run.
func runKey(l uint64, doc uint32, run int32) string {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, l)
	binary.BigEndian.PutUint32(k[8:], doc)
	binary.BigEndian.PutUint32(k[12:], uint32(run))
	return string(k)
}

// spanOccs joins two occurrences of one family in one run.
func spanOccs(x, y cluster.Occurrence) cluster.Occurrence {
	return cluster.Occurrence{Doc: x.Doc, Start: min(x.Start, y.Start), End: max(x.End, y.End)}
}

// byFamily keys an occurrence of a run by its family.
func byFamily(key string, o cluster.Occurrence) (uint64, cluster.Occurrence) {
	return binary.BigEndian.Uint64([]byte(key)), o
}

// boilerFamilyFn makes the family of one component: its occurrences
// sorted by (Doc, Start), the order of cluster.Boilerplate.
func boilerFamilyFn(_ uint64, occs func(*cluster.Occurrence) bool, emit func(Boiler)) {
	var fam []cluster.Occurrence
	var o cluster.Occurrence
	for occs(&o) {
		fam = append(fam, o)
	}
	slices.SortFunc(fam, func(x, y cluster.Occurrence) int {
		return cmp.Or(cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.Start, y.Start))
	})
	emit(Boiler{Occs: fam})
}

// boilerplate adds the stages above to scope s: the families, and the
// runs by block of documents for the evidence filter.
func boilerplate(s beam.Scope, set Settings, blocks, rounds int, postingsByBlock beam.PCollection) (families, evidence beam.PCollection) {
	s = s.Scope("Boilerplate")
	nbrs, posts, evidence := beam.ParDo3(s, &boilerOccsFn{Settings: set, BlockDocs: blocks}, beam.GroupByKey(s, postingsByBlock))
	majorities := beam.ParDo(s, majorityFn, beam.GroupByKey(s, nbrs))
	edges := beam.ParDo(s, joinFn, beam.GroupByKey(s, beam.ParDo(s, claimFn, majorities)))
	labels := Components(s, edges, rounds)
	inRuns := beam.CombinePerKey(s, spanOccs, beam.ParDo(s, boilerLabelFn, beam.CoGroupByKey(s, posts, labels)))
	return beam.ParDo(s, boilerFamilyFn, beam.GroupByKey(s, beam.ParDo(s, byFamily, inRuns))), evidence
}

// bucketFn turns the band keys of one partition (grouped by partition)
// into LSH buckets (cluster.BucketsOf, as index.Index.Buckets), and each
// bucket into pairs to check, each document with the bucket's first, as
// a scan checks them; batched by the block of the second document.
type bucketFn struct {
	BlockDocs int
}

func (f *bucketFn) ProcessElement(_ uint32, batches func(*[]byte) bool, emit func(uint32, []byte)) {
	ps := sortedPostings(batches)
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

// sortedPostings returns the postings of batches, sorted by hash (as a
// load of the scan's shuffle sorts them).
func sortedPostings(batches func(*[]byte) bool) []postings.Posting {
	var ps []postings.Posting
	var b []byte
	for batches(&b) {
		ps = decodePostings(ps, b)
	}
	postings.Sort(ps, 1)
	return ps
}

// listFn numbers the listed pairs (Settings.Pairs) by the documents' ids
// (reuse.NumberPairs, as a scan does; a pair it cannot number is one
// warning) and batches them by the block of their first document. It
// sees every document's Info, on one worker.
type listFn struct {
	Settings  Settings
	BlockDocs int
}

func (f *listFn) ProcessElement(_ int, infos func(*Info) bool, emit func(uint32, []byte), warn func(Warning)) {
	ids := make(map[string]uint32)
	var in Info
	for infos(&in) {
		ids[in.ID] = in.Doc
		in = Info{}
	}
	listed, err := reuse.NumberPairs(f.Settings.Pairs, func(id string) (uint32, bool) { d, ok := ids[id]; return d, ok })
	if err != nil {
		warn(warning(err))
	}
	out := make(map[uint32][]byte)
	for _, p := range listed {
		bl := p[0] / uint32(f.BlockDocs)
		out[bl] = binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(out[bl], p[0]), p[1])
	}
	for _, bl := range slices.Sorted(maps.Keys(out)) {
		emit(bl, out[bl])
	}
}

// listedPairFn is pairFn for listed pairs (Settings.Pairs): the listed
// pairs of a block of first documents become its candidates, each to be
// aligned whole, with the number of fingerprints the pair shares when
// the rules pair it (as the scan's candidates of listed pairs keep it),
// none otherwise.
type listedPairFn struct {
	Settings  Settings
	BlockDocs int
	rules     candidate.Rules
}

func (f *listedPairFn) Setup() { f.rules = f.Settings.rules() }

func (f *listedPairFn) ProcessElement(_ uint32, batches, listedBatches func(*[]byte) bool, emit func(uint32, []byte)) error {
	var keys []candidate.Key
	var listed [][2]uint32
	var b []byte
	for batches(&b) {
		keys = decodeKeys(keys, b)
	}
	for listedBatches(&b) {
		if len(b)%8 != 0 {
			return errCorrupt
		}
		for ; len(b) > 0; b = b[8:] {
			listed = append(listed, [2]uint32{binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:])})
		}
	}
	slices.SortFunc(keys, func(x, y candidate.Key) int { return cmp.Compare(x.A, y.A) })
	slices.SortFunc(listed, func(x, y [2]uint32) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	out := make(map[uint32][]byte)
	var (
		rg      candidate.Range
		scratch []candidate.Key
	)
	for lo, k := 0, 0; lo < len(listed); {
		a := listed[lo][0]
		hi := lo
		for hi < len(listed) && listed[hi][0] == a {
			hi++
		}
		for k < len(keys) && keys[k].A < a {
			k++
		}
		kh := k
		for kh < len(keys) && keys[kh].A == a {
			kh++
		}
		rg, scratch = f.rules.AppendPairs(candidate.Range{Pairs: rg.Pairs[:0], Anchors: rg.Anchors[:0]}, keys[k:kh], scratch)
		for _, l := range listed[lo:hi] {
			c := cand{A: l[0], B: l[1], Whole: true}
			if i, ok := slices.BinarySearchFunc(rg.Pairs, l[1], func(x candidate.Candidate, b uint32) int { return cmp.Compare(x.B, b) }); ok {
				c.Shared = rg.Pairs[i].Shared
			}
			bl := c.B / uint32(f.BlockDocs)
			out[bl] = appendCand(out[bl], &c)
		}
		lo, k = hi, kh
	}
	for _, bl := range slices.Sorted(maps.Keys(out)) {
		emit(bl, out[bl])
	}
	return nil
}
