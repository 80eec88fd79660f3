package reusebeam

import (
	"cmp"
	"context"
	"slices"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/reword"
)

// Guests are the second documents of candidates, on their way to the
// block of the first: the candidates (records of cand) and an alignDoc
// record of each second document, once, whatever the number of its
// first documents in the block.
type Guests struct {
	Cands, Docs []byte
}

// guestFn joins the candidates of one block of second documents (those
// of the shuffle, and LSH pairs to check) with those documents' data,
// and hands them on to the blocks of their first documents: each second
// document's data goes once to each block of first documents it pairs
// with, not once per pair, and with its signature only where a check
// needs it.
type guestFn struct {
	BlockDocs int
}

func (f *guestFn) ProcessElement(_ uint32, cands, data, rare, boiler func(*[]byte) bool, emit func(uint32, Guests)) error {
	var all []cand
	var b []byte
	var err error
	for cands(&b) {
		if all, err = decodeCands(all, b); err != nil {
			return err
		}
	}
	if len(all) == 0 {
		return nil
	}
	docs, err := blockDocs(data, rare, boiler)
	if err != nil {
		return err
	}
	slices.SortFunc(all, func(x, y cand) int {
		return cmp.Or(cmp.Compare(x.A/uint32(f.BlockDocs), y.A/uint32(f.BlockDocs)), cmp.Compare(x.B, y.B), cmp.Compare(x.A, y.A), boolCmp(x.Check, y.Check))
	})
	for lo := 0; lo < len(all); {
		bl := all[lo].A / uint32(f.BlockDocs)
		hi := lo
		var g Guests
		for hi < len(all) && all[hi].A/uint32(f.BlockDocs) == bl {
			// The candidates of one second document.
			from, sig := hi, false
			for ; hi < len(all) && all[hi].A/uint32(f.BlockDocs) == bl && all[hi].B == all[from].B; hi++ {
				g.Cands = appendCand(g.Cands, &all[hi])
				sig = sig || all[hi].Check
			}
			if d := docs[all[from].B]; d != nil {
				g.Docs = d.append(g.Docs, sig)
			}
		}
		emit(bl, g)
		lo = hi
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

// Aligned is a pair of documents and the passages they share, as token
// ranges (pairs.Pair without its byte offsets, which are found later,
// where each document is).
type Aligned struct {
	A, B   uint32
	Shared int32
	Spans  []align.Span
	// Kinds and Cosines are the passages' kinds (reword.Kind) and, for
	// those not exact, the tf-idf cosines of their sides, when any is not
	// exact (pairs.Pair.Kinds, Cosines); nil otherwise.
	Kinds   []uint8
	Cosines []float32
	// Sketches are the sketches of the passages' texts, A's and B's of
	// each in turn (pairs.SideSketches, flat).
	Sketches []uint64
}

// Edge ties two near-duplicate documents (cluster.Edge).
type Edge struct {
	A, B uint32
	Pct  float64
}

// alignFn is stage 3 for one block of first documents: each first
// document is indexed once (pairs.Aligner) and its second documents
// aligned against it, in order, within the windows of their anchors; the
// evidence filter keeps the passages (pairs.Evidence, knowing the two
// documents' boilerplate and rare fingerprints as documents 0 and 1).
// Pairs that cover Threshold of both documents are near-duplicate edges
// (pairs.Pair.NearDuplicate). Then, as a scan checks LSH buckets, each
// pair to check that is not already a pair with passages is aligned
// whole if its signatures are similar enough (assemble.SimilarEnough),
// and is an edge or nothing.
type alignFn struct {
	Settings   Settings
	opt        reuse.Options
	al         *pairs.Aligner
	seedTokens int
	sketches   [][2]cluster.Sketch
}

func (f *alignFn) Setup() {
	f.opt = f.Settings.options()
	a := f.Settings.indexOptions().Analyzer
	opt := align.Options{Seed: a.Seed, MinWords: f.opt.MinWords, AnchorLen: a.Shingle}
	f.seedTokens = a.Seed
	if f.Settings.Exact {
		f.al = pairs.NewSeedAligner(opt)
	} else {
		f.al = pairs.NewSeedRewordAligner(opt)
	}
}

func (f *alignFn) ProcessElement(ctx context.Context, _ uint32, guests func(*Guests) bool, data, rare, boiler func(*[]byte) bool, pairsOut func(Aligned), edges func(Edge)) error {
	var all []cand
	others := make(map[uint32]*alignDoc)
	var g Guests
	var err error
	for guests(&g) {
		if all, err = decodeCands(all, g.Cands); err != nil {
			return err
		}
		for rest := g.Docs; len(rest) > 0; {
			var d alignDoc
			if d, rest, err = decodeAlignDoc(rest); err != nil {
				return err
			}
			others[d.Doc] = &d
		}
		g = Guests{}
	}
	if len(all) == 0 {
		return nil
	}
	own, err := blockDocs(data, rare, boiler)
	if err != nil {
		return err
	}
	// Candidates of the shuffle before checks of the same pair; checks of
	// one pair (several LSH buckets hold it) once.
	slices.SortFunc(all, func(x, y cand) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B), boolCmp(x.Check, y.Check))
	})
	all = slices.CompactFunc(all, func(x, y cand) bool { return x.Check && y.Check && x.A == y.A && x.B == y.B })
	o := &f.opt
	var checks []cand
	for lo := 0; lo < len(all); {
		hi := lo + 1
		for hi < len(all) && all[hi].A == all[lo].A {
			hi++
		}
		da := own[all[lo].A]
		if da == nil {
			return errCorrupt
		}
		f.al.SetASeeds(da.Seeds, int(da.Words))
		if !f.Settings.Exact {
			f.al.SetASeedsReworded(da.Seeds, int(da.Words), da.Reworded)
		}
		checks = checks[:0]
		stored := uint32(0) // the last B paired with passages, +1
		for _, c := range all[lo:hi] {
			db := others[c.B]
			if db == nil {
				return errCorrupt
			}
			if c.Check {
				if stored != c.B+1 {
					checks = append(checks, c)
				}
				continue
			}
			rare := candidate.RareOf([][]candidate.RareEntry{da.Rare, db.Rare})
			ev := pairs.Evidence(slices.Concat(relabel(da.Boiler, 0), relabel(db.Boiler, 1)), rare, o.MinWords, o.Shingle, o.Window)
			var (
				spans []align.Span
				kinds []reword.Kind
				cos   []float32
			)
			if f.Settings.Exact {
				if spans, err = f.al.AlignSeeds(ctx, db.Seeds, db.Repeats, c.Anchors); err != nil {
					return err
				}
				spans = ev.Filter(0, 1, spans, c.Anchors, da.words, db.words)
			} else {
				keep := func(s []align.Span) []align.Span {
					return ev.Filter(0, 1, s, c.Anchors, da.words, db.words)
				}
				if spans, kinds, cos, err = f.al.AlignSeedsReworded(ctx, db.Seeds, db.Repeats, int(db.Words), db.Reworded, pairs.SeedCandidate{Shared: c.Shared, Anchors: c.Anchors, Keys: c.Keys, Whole: c.Whole}, keep); err != nil {
					return err
				}
			}
			if len(spans) == 0 {
				continue
			}
			stored = c.B + 1
			p := pairs.Pair{A: c.A, B: c.B, Shared: c.Shared, Spans: slices.Clone(spans)}
			out := Aligned{A: p.A, B: p.B, Shared: p.Shared, Spans: p.Spans}
			f.sketches = pairs.SideSketches(f.sketches[:0], da.Seeds, db.Seeds, f.seedTokens, spans)
			for _, sk := range f.sketches {
				out.Sketches = append(out.Sketches, uint64(sk[0]), uint64(sk[1]))
			}
			if kinds != nil {
				for _, k := range kinds {
					out.Kinds = append(out.Kinds, uint8(k))
				}
				out.Cosines = slices.Clone(cos)
			}
			pairsOut(out)
			if pct, ok := p.NearDuplicate(int(da.Words), int(db.Words), o.Threshold); ok {
				edges(Edge{A: c.A, B: c.B, Pct: pct})
			}
		}
		for _, c := range checks {
			db := others[c.B]
			if !assemble.SimilarEnough(da.Sig, db.Sig, o.Threshold) {
				continue
			}
			spans, err := f.al.AlignSeeds(ctx, db.Seeds, db.Repeats, nil)
			if err != nil {
				return err
			}
			p := pairs.Pair{Spans: spans}
			if pct, ok := p.NearDuplicate(int(da.Words), int(db.Words), o.Threshold); ok {
				edges(Edge{A: c.A, B: c.B, Pct: pct})
			}
		}
		lo = hi
	}
	return nil
}

// relabel returns occurrences as those of document doc.
func relabel(os []cluster.Occurrence, doc uint32) []cluster.Occurrence {
	out := make([]cluster.Occurrence, len(os))
	for i, o := range os {
		out[i] = cluster.Occurrence{Doc: doc, Start: o.Start, End: o.End}
	}
	return out
}
