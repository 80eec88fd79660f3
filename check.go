package reuse

import (
	"context"
	"fmt"

	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
)

// Check finds what the documents named by inputs (the new documents)
// share with the documents of the archive index ix and with each other.
// It reports what Scan of the archive's documents and the new ones
// together reports for the new ones: every pair with a new document, with
// the same passages, byte offsets, overlaps and Jaccard estimates, and
// the new documents with the same reused share, document frequencies
// (boilerplate above Options.MaxDF, rare fingerprints) counted over the
// whole index and the new documents. The archive's texts are not read,
// but for excerpts (and Options.PassageText).
//
// Clusters and groups are those Scan would find among the new documents
// and the archived documents that share text with them (or whose MinHash
// signatures collide with theirs), holding a new document; see
// assemble.Options.Focus for how the archived documents listed count
// their reuse.
//
// Options.Shingle, Window and Threshold are the index's (setting others
// is an error); MinWords, MaxDF and Exact are the check's own, and so is
// Reworded, within what the index holds: an index made for reworded reuse
// (IndexOptions.Reworded) holds every document's analysis and the keys of
// reworded sentences, and a check against it finds what a scan with
// Reworded finds, unless Exact; another holds the analyses of prose only,
// and a check finds what a default scan finds (Reworded is an error,
// ErrOptions). A new document whose id the index holds is renamed
// "<id>#2", with a notice.
func Check(ctx context.Context, ix *archive.Index, inputs []string, opt Options) (*result.Result, error) {
	var c result.Collector
	if err := CheckTo(ctx, ix, inputs, opt, &c); err != nil {
		return nil, err
	}
	return &c.Result, nil
}

// CheckTo is Check, handing the result to sink piece by piece as ScanTo
// does.
func CheckTo(ctx context.Context, ix *archive.Index, inputs []string, opt Options, sink result.Sink) error {
	s, x, err := checkIndex(ctx, ix, inputs, opt)
	if err != nil {
		return err
	}
	defer x.Close()
	return s.run(ctx, x, sink)
}

// CheckTexts is Check, and also returns the texts of the documents of
// the result (the archived ones read from their files). The caller must
// Close the Texts.
func CheckTexts(ctx context.Context, ix *archive.Index, inputs []string, opt Options) (*result.Result, *Texts, error) {
	s, x, err := checkIndex(ctx, ix, inputs, opt)
	if err != nil {
		return nil, nil, err
	}
	return s.runTexts(ctx, x)
}

// withIndex checks opt against the settings of the index and fills them
// in.
func (o Options) withIndex(p archive.Params) (Options, error) {
	if o.Weighted {
		return o, fmt.Errorf("%w: weighted: an index does not keep the table of shingle frequencies yet", ErrOptions)
	}
	if o.Reworded && !p.Reworded {
		return o, fmt.Errorf("%w: reworded: the index was made without --reworded: it holds no keys of reworded sentences (make it again with reuse index create --reworded)", ErrOptions)
	}
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"shingle", float64(o.Shingle), float64(p.Shingle)},
		{"window", float64(o.Window), float64(p.Window)},
		{"threshold", o.Threshold, p.Threshold},
	} {
		if f.got != 0 && f.got != f.want {
			return o, fmt.Errorf("%w: %s %v: the index was made with %v, which a check must use", ErrOptions, f.name, f.got, f.want)
		}
	}
	if p.Seed != seedTokens || p.Signature != signatureSize {
		return o, fmt.Errorf("%w: the index was made with seeds of %d words and signatures of %d values; this reuse uses %d and %d",
			ErrOptions, p.Seed, p.Signature, seedTokens, signatureSize)
	}
	o.Shingle, o.Window, o.Threshold = p.Shingle, p.Window, p.Threshold
	// The index's kind of reuse, unless the check asks for exact
	// passages only.
	o.Reworded = p.Reworded && !o.Exact
	return o.WithDefaults()
}

// checkIndex runs stage 1 on the new documents, finds the archived
// documents that may share text with them, and returns an Index of both,
// with the scan set to count document frequencies over the whole archive
// and to report on the new documents.
//
// The archived documents taken are those a full scan would pair with a
// new document: the candidate rules (candidate.Rules.Pair) applied to the
// fingerprints each shares with a new one, counted over the archive and
// the new documents; and those whose band keys a new document shares
// (near-duplicates by LSH). Pairs among the archived documents taken are
// aligned too, as a full scan aligns them, for the clusters.
func checkIndex(ctx context.Context, ix *archive.Index, inputs []string, opt Options) (*scan, *index.Index, error) {
	opt, err := opt.withIndex(ix.Params())
	if err != nil {
		return nil, nil, err
	}
	s := &scan{opt: opt}
	s.opt.Progress.setPhase(PhaseReading)
	nx, err := index.Build(ctx, inputs, s.indexOptions(true))
	if err != nil {
		return nil, nil, err
	}
	news := make([]index.Doc, nx.Len())
	for d := range news {
		if err := nx.Doc(uint32(d), &news[d]); err != nil {
			nx.Close()
			return nil, nil, err
		}
	}
	nx.Close()
	s.opt.Progress.setPhase(PhasePairing)
	s.renameTaken(ix, news)

	c := archive.NewPartners(ix, news, s.opt.rules(), s.opt.Workers)
	if s.opt.Reworded {
		if err := c.WithKeys(s.indexOptions(true).Keys, reword.KeyOnlyRules()); err != nil {
			return nil, nil, err
		}
	}
	if err := c.Find(ctx); err != nil {
		return nil, nil, err
	}
	docs, err := c.Load(ctx)
	if err != nil {
		return nil, nil, err
	}
	x, err := index.FromDocs(ctx, docs, s.indexOptions(true))
	if err != nil {
		return nil, nil, err
	}
	isNew := make([]bool, x.Len())
	for _, d := range news {
		if n, ok := x.Find(d.ID); ok {
			isNew[n] = true
		}
	}
	s.focus = func(d uint32) bool { return isNew[d] }
	s.df = func(h uint64, docs int) int { return max(c.DF(h), docs) }
	s.keyDF = func(h uint64, docs int) int { return max(c.KeyDF(h), docs) }
	return s, x, nil
}

// renameTaken gives each new document whose id the index holds the id
// "<id>#2" (or #3, ...: the first free), with a notice, as a scan renames
// the second document of one id.
func (s *scan) renameTaken(ix *archive.Index, news []index.Doc) {
	taken := map[string]bool{}
	for _, d := range news {
		taken[d.ID] = true
	}
	for i := range news {
		d := &news[i]
		if _, ok := ix.Find(d.ID); !ok {
			continue
		}
		id := d.ID
		for n := 2; ; n++ {
			id = fmt.Sprintf("%s#%d", d.ID, n)
			if _, ok := ix.Find(id); !ok && !taken[id] {
				break
			}
		}
		s.warn(&corpus.Error{Path: d.Path, Line: d.Line, Err: fmt.Errorf("%w %q (in the index), renamed %q", corpus.ErrDuplicateID, d.ID, id)})
		taken[id] = true
		d.ID = id
	}
}
