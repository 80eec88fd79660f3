package reusebeam

import (
	"cmp"
	"context"
	"slices"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/pairs"
)

func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

// runFn is the shuffle's first step for one fingerprint (its postings
// grouped by hash): the places of the documents holding it
// (candidate.RunPlaces); held by more than MaxDF documents, its postings
// are boilerplate; else a key for each pair of them (candidate.AppendKeys,
// keyed by pair) and, held by at most RareDF, a rare entry for each
// posting (keyed by document), as candidate.Shuffle.Add makes them.
type runFn struct {
	Settings Settings
	rules    candidate.Rules
}

func (f *runFn) Setup() { f.rules = f.Settings.rules() }

func (f *runFn) ProcessElement(hash uint64, iter func(*Posting) bool, keys func(uint64, candidate.Key), rare func(uint32, candidate.RareEntry), boiler func(postings.Posting)) {
	var run []postings.Posting
	var p Posting
	for iter(&p) {
		run = append(run, postings.Posting{Hash: hash, Doc: p.Doc, Pos: p.Pos})
	}
	if len(run) < 2 {
		return
	}
	docs, pos := candidate.RunPlaces(nil, nil, slices.Clone(run))
	df := len(docs)
	if df < 2 {
		return
	}
	if df > f.rules.MaxDF {
		for _, p := range run {
			boiler(p)
		}
		return
	}
	if df <= f.rules.RareDF {
		for _, p := range run {
			rare(p.Doc, candidate.RareEntry{Pos: p.Pos, DF: uint32(df)})
		}
	}
	for _, k := range candidate.AppendKeys(nil, docs, pos) {
		keys(pairKey(k.A, k.B), k)
	}
}

// Candidate is a pair of documents (A < B) to align: a candidate of the
// shuffle, with the places of the fingerprints it shares, or (Check) a
// pair of near-duplicates to check, found by LSH.
type Candidate struct {
	A, B    uint32
	Shared  int32
	Anchors []candidate.Anchor
	Check   bool
}

// pairFn is the shuffle's second step for one pair (its keys grouped by
// pair): a candidate if the rules keep it (candidate.Rules.Pair), with
// its anchors (candidate.Anchors).
type pairFn struct {
	Settings Settings
	rules    candidate.Rules
}

func (f *pairFn) Setup() { f.rules = f.Settings.rules() }

func (f *pairFn) ProcessElement(_ uint64, iter func(*candidate.Key) bool, emit func(Candidate)) {
	var keys []candidate.Key
	var k candidate.Key
	for iter(&k) {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y candidate.Key) int {
		return cmp.Or(cmp.Compare(x.PosB, y.PosB), cmp.Compare(x.PosA, y.PosA), cmp.Compare(x.DF, y.DF))
	})
	c := Candidate{A: keys[0].A, B: keys[0].B, Shared: int32(len(keys))}
	c.Anchors = candidate.Anchors(nil, keys) // before Pair reorders the keys
	if f.rules.Pair(keys) {
		emit(c)
	}
}

// DocFull is a document's data and what the evidence filter knows of
// it: its rare fingerprints and its boilerplate.
type DocFull struct {
	DocData
	Rare   []candidate.RareEntry
	Boiler []cluster.Occurrence
}

// fullFn joins a document's data with its rare entries and boilerplate.
func fullFn(doc uint32, data func(*DocData) bool, rare func(*candidate.RareEntry) bool, boiler func(*cluster.Occurrence) bool, emit func(uint32, DocFull)) {
	var f DocFull
	if !data(&f.DocData) {
		return
	}
	var r candidate.RareEntry
	for rare(&r) {
		f.Rare = append(f.Rare, r)
	}
	var o cluster.Occurrence
	for boiler(&o) {
		f.Boiler = append(f.Boiler, o)
	}
	emit(doc, f)
}

// WithB is a candidate and its second document.
type WithB struct {
	C Candidate
	B DocFull
}

func byB(c Candidate) (uint32, Candidate) { return c.B, c }

// joinBFn hands each candidate of a second document on, keyed by its
// first document, with that second document's data.
func joinBFn(_ uint32, cands func(*Candidate) bool, full func(*DocFull) bool, emit func(uint32, WithB)) {
	var b DocFull
	if !full(&b) {
		return
	}
	var c Candidate
	for cands(&c) {
		emit(c.A, WithB{C: c, B: b})
	}
}

// AlignedPair is a pair of documents and the passages they share.
type AlignedPair struct {
	pairs.Pair
	// ATexts and BTexts are the passages' texts (Settings.PassageText).
	ATexts, BTexts []string
}

// Edge ties two near-duplicate documents (cluster.Edge).
type Edge struct {
	A, B uint32
	Pct  float64
}

// alignFn is stage 3 for the candidates of one first document: A is
// indexed once (align.Aligner.SetASeeds) and each B aligned against it,
// within the windows of its anchors; the evidence filter keeps the
// passages (align.Evidence.Keep, knowing the two documents' boilerplate
// and rare fingerprints, as documents 0 and 1). Pairs that cover
// Threshold of both sides are near-duplicate edges. A Check candidate is
// aligned whole, and is an edge or nothing.
type alignFn struct {
	Settings Settings
	opt      reuse.Options
	al       *pairs.Aligner
}

func (f *alignFn) Setup() {
	f.opt = f.Settings.options()
	f.al = pairs.NewViewAligner(f.Settings.indexOptions().Analyzer.Seed, f.opt.MinWords)
}

func (f *alignFn) ProcessElement(ctx context.Context, a uint32, withB func(*WithB) bool, full func(*DocFull) bool, pairsOut func(AlignedPair), edges func(Edge)) error {
	var da DocFull
	if !full(&da) {
		return nil
	}
	var todo []WithB
	var w WithB
	for withB(&w) {
		todo = append(todo, w)
		w = WithB{}
	}
	slices.SortFunc(todo, func(x, y WithB) int { return cmp.Or(cmp.Compare(x.C.B, y.C.B), boolCmp(x.C.Check, y.C.Check)) })
	aView, err := da.view()
	if err != nil {
		return err
	}
	f.al.SetAView(aView)
	o := &f.opt
	for _, w := range todo {
		c, db := &w.C, &w.B
		bView, err := db.view()
		if err != nil {
			return err
		}
		if c.Check {
			if !assemble.SimilarEnough(da.Sig, db.Sig, o.Threshold) {
				continue
			}
			spans, err := f.al.AlignView(ctx, bView, nil)
			if err != nil {
				return err
			}
			p := pairs.Pair{Spans: spans}
			if pct, ok := p.NearDuplicate(da.Words, db.Words, o.Threshold); ok {
				edges(Edge{A: c.A, B: c.B, Pct: pct})
			}
			continue
		}
		spans, err := f.al.AlignView(ctx, bView, c.Anchors)
		if err != nil {
			return err
		}
		rare := candidate.RareOf([][]candidate.RareEntry{da.Rare, db.Rare})
		ev := pairs.Evidence([][]cluster.Occurrence{relabel(da.Boiler, 0), relabel(db.Boiler, 1)}, rare, o.MinWords, o.Shingle, o.Window)
		spans = ev.Keep(0, 1, spans)
		if len(spans) == 0 {
			continue
		}
		p := AlignedPair{Pair: pairs.Pair{A: c.A, B: c.B, Shared: c.Shared, Spans: slices.Clone(spans), Bytes: make([]pairs.ByteSpan, len(spans))}}
		for i, sp := range spans {
			if p.Bytes[i], err = pairs.PassageBytes(sp, aView, bView); err != nil {
				return err
			}
			if f.Settings.PassageText {
				bs := p.Bytes[i]
				p.ATexts = append(p.ATexts, string(da.Text[bs.AStart:bs.AEnd]))
				p.BTexts = append(p.BTexts, string(db.Text[bs.BStart:bs.BEnd]))
			}
		}
		pairsOut(p)
		if pct, ok := p.NearDuplicate(da.Words, db.Words, o.Threshold); ok {
			edges(Edge{A: c.A, B: c.B, Pct: pct})
		}
	}
	return nil
}

func boolCmp(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

// relabel returns occurrences as those of document doc.
func relabel(os []cluster.Occurrence, doc uint32) []cluster.Occurrence {
	out := make([]cluster.Occurrence, len(os))
	for i, o := range os {
		out[i] = cluster.Occurrence{Doc: doc, Start: o.Start, End: o.End}
	}
	return out
}
