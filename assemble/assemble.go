package assemble

import (
	"context"
	"math"
	"slices"
	"unsafe"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
	"golang.org/x/sync/errgroup"
)

// Options configure Result.
type Options struct {
	// Params are the scan's settings, reported in the result; Threshold
	// also sets the near-duplicate groups, MinWords the alignments that
	// verify them.
	Params result.Params
	// Skipped is the number of inputs skipped while reading
	// (result.Stats.Skipped).
	Skipped int
	// PassageText puts each passage's text, on both sides, into the
	// result (result.Passage.AText, BText).
	PassageText bool
	// Workers is the number of goroutines (at least 1).
	Workers int
	// LoadBytes bounds the LSH band keys loaded at once
	// (index.Index.Buckets).
	LoadBytes int64
	// Warn receives each text that cannot be read again for a cluster's
	// excerpt (the cluster goes without), from several goroutines at
	// once. Nil ignores them.
	Warn func(error)
	// Focus, when not nil, restricts the result to what concerns the
	// documents it reports true for (an archive check's new documents):
	// the pairs with a focus document, the clusters with a member in one
	// or a passage of such a pair, the groups holding one, and the
	// documents of those (focus documents always). Clusters and groups
	// are numbered 1..n among those, clusters in order of first
	// appearance in the pairs listed, then the others in their order. A
	// focus document's reused words are counted as Result counts them; a
	// document that is not a focus counts only its words inside passages
	// shared with focus documents and inside boilerplate occurrences of
	// clusters that hold a focus document, and is marked Archived.
	Focus func(d uint32) bool
	// Reach, when not nil with Focus, is given what the families and
	// groups holding a focus document reach (Reached). It is called once
	// families and groups are found, before anything is handed to the
	// sink; an error it returns is Result's, and its Verdict says which
	// may lack members a scan finds (a check that did not follow them all
	// through the archive): their clusters and groups are marked
	// Incomplete, and so is Stats.ClustersIncomplete. A check follows
	// them in the archive until they are all documents whose pairs it has
	// aligned (see reuse.Check).
	Reach func(r Reached) (Verdict, error)
	// Incomplete, when not nil with Reach, is called when the Verdict
	// leaves a cluster or group the result holds marked Incomplete,
	// before anything is handed to the sink; an error it returns is
	// Result's (a check that reads the whole archive instead, rather
	// than report clusters that may lack members).
	Incomplete func() error
	// PartMembers is the most members of a cluster converted and handed
	// to the sink at once: a larger cluster is given in parts
	// (result.ClusterParts; 0 means 1<<20), and a batch of clusters holds
	// about 16 times as many. Neither reads the documents' records: every
	// member's byte offsets are found first, each record read once.
	PartMembers int
	// BatchBytes bounds the memory of the clusters converted at once, at
	// about memberBytes a member (a batch holds at least one cluster):
	// two batches are held, one converted while the other is written.
	// 0 means batches of about 16·PartMembers members, 1.1 GB of them at
	// 10 GB of news (docs/benchmarks.md, "The last step's batches within
	// the budget").
	BatchBytes int64
	// Kept, when not nil with Focus and Reach, serves the clusters kept
	// from a scan of the whole archive (Serving, serveKept): a family of
	// boilerplate served is listed whole, with its archived documents
	// (those the round did not read listed as Archived, their reused
	// words those inside its members), and not marked Incomplete.
	Kept *Serving
}

// Result computes families, groups and overlap percentages and hands the
// result to sink in the order of the contract. Everything the header's
// stats need is computed first; documents, pairs and clusters are then
// converted one at a time (clusters a batch at a time). It consumes x's
// band keys (index.Index.Buckets).
func Result(ctx context.Context, x *index.Index, ps *pairs.Store, boiler [][]cluster.Occurrence, opt Options, sink result.Sink) error {
	opt.Workers = max(opt.Workers, 1)
	if opt.PartMembers <= 0 {
		opt.PartMembers = 1 << 20
	}
	if opt.Warn == nil {
		opt.Warn = func(error) {}
	}
	n := x.Len()
	// Boilerplate widened to the text it covers, for the clusters'
	// members and excerpts; families and reused words of the occurrences
	// as found (a check, whose families hold only the documents it reads,
	// then counts a new document's reused words as a scan does). Made
	// first, so that the families, which read the boilerplate last, can
	// let it go before their peak (docs/benchmarks.md, "Boilerplate put
	// aside during the alignment").
	wide, err := widenBoilerplate(ctx, x, boiler, opt.Params.Window, opt.Workers)
	if err != nil {
		return err
	}
	defer wide.close()
	if err := wide.putAside(ctx); err != nil {
		return err
	}
	// Three independent computations, side by side: families take one
	// core for seconds on a large result (docs/benchmarks.md, "Where the
	// time goes on the Linux tree"), and the groups' LSH pairs and the
	// reused words need not wait for them. Each takes the boilerplate
	// from a variable of its own and clears it, and so does this
	// function unless a check's selection reads it, so that the
	// families' last reference to it is the last one.
	var (
		reused                      []int
		passageFamily, boilerFamily []int32
		fams                        []cluster.Family
		groups                      []result.Group
	)
	reusedBoiler, famBoiler := boiler, boiler
	if opt.Focus == nil {
		boiler = nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		b := reusedBoiler
		reusedBoiler = nil
		reused, err = reusedTokens(gctx, n, ps.Sides(), b, opt.LoadBytes/8)
		return err
	})
	g.Go(func() (err error) {
		b := famBoiler
		famBoiler = nil
		passageFamily, boilerFamily, fams, err = cluster.FamiliesOn(gctx, opt.Workers, ps.Sides(), ps.Texts(), b)
		return err
	})
	g.Go(func() (err error) {
		groups, err = findGroups(gctx, x, ps, &opt)
		return err
	})
	if err := g.Wait(); err != nil {
		return err
	}
	sel := selectAll(n, ps.Len(), len(passageFamily))
	var open func(f int32) bool // a family that may lack members; nil: none
	var openGroup func(g int) bool
	var sv *serving // the kept clusters served
	if opt.Focus != nil && opt.Reach != nil {
		if opt.Kept != nil {
			if sv, err = serveKept(ctx, x, &opt, fams, boilerFamily, passageFamily, wide.references); err != nil {
				return err
			}
		}
		zones, famZone, groupZone := zonesOf(opt.Focus, x.Find, n, fams, boilerFamily, groups, ps.Sides(), passageFamily, boiler)
		r := Reached{
			Docs:        zoneDocs(n, zones),
			Zones:       zones,
			Paired:      pairedOf(opt.Focus, n, ps.Sides()),
			Boilerplate: boilerplateOf(opt.Focus, fams, boilerFamily, sv),
		}
		v, err := opt.Reach(r)
		if err != nil {
			return err
		}
		if !v.Complete() {
			boilerplate := make([]bool, len(fams))
			for _, f := range boilerFamily {
				boilerplate[f] = true
			}
			isOpen := func(z int32) bool { return z >= 0 && int(z) < len(v.Open) && v.Open[z] }
			open = func(f int32) bool {
				return boilerplate[f] && v.Boilerplate && sv.of(f) == nil || !boilerplate[f] && isOpen(famZone[f])
			}
			openGroup = func(g int) bool { return isOpen(groupZone[g]) }
		}
	}
	if opt.Focus != nil {
		sel = selectFocus(opt.Focus, x.Find, n, ps.Sides(), passageFamily, fams, boiler, boilerFamily, groups, open, openGroup)
		for d := range reused {
			if !opt.Focus(uint32(d)) {
				reused[d] = sel.reused[d]
			}
		}
		fams, boilerFamily, groups = sel.fams, sel.boilerFamily, sel.groups
	}
	incomplete := slices.Contains(sel.openFams, true) || slices.ContainsFunc(groups, func(g result.Group) bool { return g.Incomplete })
	if incomplete && opt.Incomplete != nil && opt.Reach != nil {
		if err := opt.Incomplete(); err != nil {
			return err
		}
	}
	boiler = nil
	// The kept clusters served, by family of fams.
	var servedFams map[int32]*served
	var extra []extraDoc
	if sv != nil && len(sv.clusters) > 0 {
		servedFams = map[int32]*served{}
		for f, s := range sv.clusters {
			servedFams[sel.newID[f]] = s
			// A kept member the round's family lacks (projected where
			// the round did not align every pair) may be in a document
			// the round read and lists for nothing else.
			for _, k := range s.kept {
				if k.read >= 0 {
					sel.list(uint32(k.read))
				}
			}
		}
		extra = sv.extra
	}

	st := result.Stats{
		Documents: sel.docCount, Pairs: sel.pairs, Passages: sel.passages,
		Clusters: len(fams), Groups: len(groups), Skipped: opt.Skipped,
		ClustersIncomplete: incomplete,
	}
	for d := range uint32(n) {
		if sel.doc(d) {
			st.Words += x.Words(d)
			st.ReusedWords += reused[d]
		}
	}
	for _, e := range extra {
		st.Documents++
		st.Words += e.doc.Words
		st.ReusedWords += e.doc.ReusedWords
	}
	if err := sink.Begin(result.Schema, opt.Params, st); err != nil {
		return err
	}
	nextExtra := 0
	for d := range uint32(n) {
		if !sel.doc(d) {
			continue
		}
		for ; nextExtra < len(extra) && extra[nextExtra].doc.ID < x.ID(d); nextExtra++ {
			if err := sink.Document(&extra[nextExtra].doc); err != nil {
				return err
			}
		}
		words := x.Words(d)
		if err := sink.Document(&result.Document{
			ID: x.ID(d), Path: x.Path(d), Bytes: x.Bytes(d), Words: words, Date: x.Date(d),
			ReusedWords: reused[d], ReusedPct: result.Percent(reused[d], words),
			Archived: opt.Focus != nil && !opt.Focus(d),
		}); err != nil {
			return err
		}
	}
	for ; nextExtra < len(extra); nextExtra++ {
		if err := sink.Document(&extra[nextExtra].doc); err != nil {
			return err
		}
	}
	next := 0
	var texts pairTexts
	if opt.PassageText {
		texts.hints = x.HintTexts(passageTexts(ps.Len(), ps.Key, opt.Focus))
		defer texts.hints.Stop()
		texts.b = x.NewTextReader()
		defer texts.b.Close()
	}
	written := 0
	err = ps.Each(func(p *pairs.Pair) error {
		// The pairs of a large result take seconds to write.
		if written%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		written++
		rp := resultPair(x, p, passageFamily[next:])
		next += len(rp.Passages)
		if sel.newID != nil {
			if !opt.Focus(p.A) && !opt.Focus(p.B) {
				return nil
			}
			for i := range rp.Passages {
				rp.Passages[i].Cluster = int(sel.newID[rp.Passages[i].Cluster-1]) + 1
			}
		}
		if opt.PassageText {
			if err := texts.fill(x, p, &rp); err != nil {
				return err
			}
		}
		return sink.Pair(&rp)
	})
	if err != nil {
		return err
	}
	if err := wide.load(ctx); err != nil {
		return err
	}
	if err := writeClusters(ctx, x, fams, boilerFamily, sel.openFams, wide, &opt, servedFams, sink); err != nil {
		return err
	}

	for i := range groups {
		if err := sink.Group(&groups[i]); err != nil {
			return err
		}
	}
	return sink.End()
}

// reusedTokens counts, for each of n documents, its tokens inside any
// passage or boilerplate occurrence; or returns ctx's error. It holds
// about maxBytes of occurrences at once (all of them if maxBytes ≤ 0),
// and at least one document's: the documents are taken in ranges whose
// occurrences fit, each range a pass over them all. At most maxPasses
// passes are made, so that the time stays linear in the occurrences: a
// larger input takes more than maxBytes.
func reusedTokens(ctx context.Context, n int, sides [][2]cluster.Occurrence, boiler [][]cluster.Occurrence, maxBytes int64) ([]int, error) {
	// A range's occurrences by document, counted into place in one
	// array: a slice a document was millions of small objects at 10 GB
	// of news, marked by the collector while the families were made
	// beside (docs/benchmarks.md, "The evidence's boilerplate, flat");
	// and all of them at once, 0.57 GB there, held while the families
	// were made (docs/benchmarks.md, "The last step's batches within the
	// budget").
	// at[d] is first where document d's begin among all, then, once its
	// range is placed, where they end.
	at := make([]int, n+1)
	for _, sd := range sides {
		at[sd[0].Doc+1]++
		at[sd[1].Doc+1]++
	}
	for _, g := range boiler {
		for _, o := range g {
			at[o.Doc+1]++
		}
	}
	for d := range n {
		at[d+1] += at[d]
	}
	limit := at[n]
	if maxBytes > 0 {
		limit = max(int(maxBytes/int64(unsafe.Sizeof(cluster.Occurrence{}))), at[n]/maxPasses, 1)
	}
	var buf []cluster.Occurrence
	out := make([]int, n)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && at[hi+1]-at[lo] <= limit {
			hi++
		}
		base := at[lo]
		buf = slices.Grow(buf[:0], at[hi]-base)[:at[hi]-base]
		place := func(o cluster.Occurrence) {
			if d := int(o.Doc); lo <= d && d < hi {
				buf[at[d]-base] = o
				at[d]++
			}
		}
		for i, sd := range sides {
			if i&(1<<16-1) == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			place(sd[0])
			place(sd[1])
		}
		for _, g := range boiler {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for _, o := range g {
				place(o)
			}
		}
		from := base
		for d := lo; d < hi; d++ {
			if d&4095 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			out[d] = CoveredTokens(buf[from-base : at[d]-base])
			from = at[d]
		}
		lo = hi
	}
	return out, nil
}

// maxPasses is the most passes reusedTokens makes over the occurrences.
const maxPasses = 16

// CoveredTokens counts the tokens inside the union of spans, occurrences
// in one document (a document's reused words, given its passages' sides
// and its boilerplate occurrences). It sorts spans by start.
func CoveredTokens(spans []cluster.Occurrence) int {
	slices.SortFunc(spans, func(x, y cluster.Occurrence) int { return int(x.Start - y.Start) })
	n, to := 0, int32(math.MinInt32)
	for _, o := range spans {
		from := max(o.Start, to)
		if o.End > from {
			n += int(o.End - from)
			to = o.End
		}
	}
	return n
}

// resultPair converts a pair; families holds the family of each of its
// passages, and of those after it.
func resultPair(x *index.Index, p *pairs.Pair, families []int32) result.Pair {
	return ResultPair(docOf(x, p.A), docOf(x, p.B), p, families)
}

// PairDoc is what a pair's result needs of each of its documents.
type PairDoc struct {
	ID           string
	Words        int // tokens
	Fingerprints int // distinct fingerprint hashes (shingle.Analysis.Distinct)
}

func docOf(x *index.Index, d uint32) PairDoc {
	return PairDoc{ID: x.ID(d), Words: x.Words(d), Fingerprints: x.Fingerprints(d)}
}

// ResultPair converts p, the aligned pair of documents a and b, to the
// result's: the overlap percentages, shared words, the Jaccard estimate of
// their fingerprints, and its passages, families[i] holding the family
// (numbered from 0) of passage i. The passages' texts are left empty.
func ResultPair(a, b PairDoc, p *pairs.Pair, families []int32) result.Pair {
	aw, bw := p.SideWords()
	rp := result.Pair{
		A: a.ID, B: b.ID,
		APct: result.Percent(aw, a.Words), BPct: result.Percent(bw, b.Words),
		SharedWords: min(aw, bw),
		Jaccard:     result.Round(jaccard(int(p.Shared), a.Fingerprints, b.Fingerprints), 3),
		Passages:    make([]result.Passage, len(p.Spans)),
	}
	for i, sp := range p.Spans {
		bs := p.Bytes[i]
		rp.Passages[i] = result.Passage{
			AStart: bs.AStart, AEnd: bs.AEnd, BStart: bs.BStart, BEnd: bs.BEnd,
			Words:      int(sp.AEnd - sp.AStart),
			Kind:       kindName(p.Kind(i)),
			Similarity: result.Round(p.Similarity(i), 3),
			Cluster:    int(families[i]) + 1,
		}
	}
	return rp
}

// jaccard is |A∩B| / |A∪B| from the sizes of two sets and of their
// intersection.
func jaccard(shared, a, b int) float64 {
	if union := a + b - shared; union > 0 {
		return float64(shared) / float64(union)
	}
	return 0
}

// pairTexts reads pairs' texts for their passages, keeping A's for the
// pairs after it (pairs come in order of A).
type pairTexts struct {
	a     uint32
	aText []byte
	ok    bool
	bText []byte            // the part of B the last pair's passages cover
	b     *index.TextReader // B's texts, by range
	hints *work.Ahead       // the files of the texts to come, in the order of fill's reads
}

// passageTexts lists the documents whose texts pairTexts.fill reads, in
// order, given the n pairs in the order of the result (key(i): the
// documents of the i-th): of each pair the result reports (all, or when
// focused those with a document focus holds), A when it changes, and B.
func passageTexts(n int, key func(i int) (a, b uint32), focus func(uint32) bool) []uint32 {
	var docs []uint32
	haveA, lastA := false, uint32(0)
	for i := range n {
		a, b := key(i)
		if focus != nil && !focus(a) && !focus(b) {
			continue
		}
		if !haveA || a != lastA {
			docs = append(docs, a)
			haveA, lastA = true, a
		}
		docs = append(docs, b)
	}
	return docs
}

// fill sets the texts of rp's passages.
func (t *pairTexts) fill(x *index.Index, p *pairs.Pair, rp *result.Pair) error {
	if !t.ok || t.a != p.A {
		text, err := x.Text(p.A, nil)
		t.read()
		if err != nil {
			return err
		}
		t.a, t.aText, t.ok = p.A, text, true
	}
	// Of B only what its passages cover: B changes from pair to pair, and
	// its text is read whole (and checked) once (index.TextReader).
	lo, hi := 0, 0
	for i, ps := range rp.Passages {
		if i == 0 || ps.BStart < lo {
			lo = ps.BStart
		}
		hi = max(hi, ps.BEnd)
	}
	var err error
	t.bText, err = t.b.Range(p.B, lo, hi, t.bText)
	t.read()
	if err != nil {
		return err
	}
	for i := range rp.Passages {
		ps := &rp.Passages[i]
		ps.AText = string(t.aText[ps.AStart:ps.AEnd])
		ps.BText = string(t.bText[ps.BStart-lo : ps.BEnd-lo])
	}
	return nil
}

// read tells the hints that one more text was read.
func (t *pairTexts) read() {
	if t.hints != nil {
		t.hints.Done()
	}
}

// kindName is the result's name of a passage's kind: none for an exact
// passage.
func kindName(k reword.Kind) string {
	switch k {
	case reword.Reworded:
		return result.KindReworded
	case reword.Summary:
		return result.KindSummary
	}
	return ""
}
