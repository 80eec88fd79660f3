package reuse

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
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
// Clusters and groups holding a new document are the scan's too: the
// check follows them through the archive, round after round, until every
// archived document they reach has had its own pairs aligned (see
// runCheck). Where that would cost more than reading the whole archive
// once, or where boilerplate (whose clusters are every place of its text)
// holds a new document or touches its clusters, a round reads the whole
// archive and aligns every pair, as a scan does. By default, the check
// follows within a budget, and reads the whole archive where a cluster or
// group it could not follow or serve would be left out of the scan's: its
// result is the scan's, always. Given Options.FollowLimit, its rounds
// never read more than that together: within it the check follows the
// clusters and groups reaching least first, and marks those it could not
// follow (and boilerplate, unless it read the whole archive) Incomplete,
// with a notice (ErrFollowLimit); the others are the scan's. A round
// that reads part of the archive cuts the boilerplate of the new
// documents into the scan's occurrences where
// AlignIndex kept the joins of the archive's boilerplate and no document
// was added or removed since (see keptJoins and references). See
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
	s, ck, err := checkIndex(ctx, ix, inputs, opt)
	if err != nil {
		return err
	}
	x, err := s.runCheck(ctx, ck, sink)
	if err != nil {
		return err
	}
	x.Close()
	return nil
}

// CheckTexts is Check, and also returns the texts of the documents of
// the result (the archived ones read from their files, or from ix). The
// caller must Close the Texts, and keep ix open while it uses them.
func CheckTexts(ctx context.Context, ix *archive.Index, inputs []string, opt Options) (*result.Result, *Texts, error) {
	s, ck, err := checkIndex(ctx, ix, inputs, opt)
	if err != nil {
		return nil, nil, err
	}
	var c result.Collector
	x, err := s.runCheck(ctx, ck, &c)
	if err != nil {
		return nil, nil, err
	}
	x.KeepTexts()
	return &c.Result, &Texts{x: x, ix: ix}, nil
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

// checking is a check under way: the new documents, the archived
// documents taken with them, and those followed.
type checking struct {
	ix             *archive.Index
	news           []index.Doc
	partners       *archive.Partners
	taken          []archive.Ref             // archived documents read, sorted
	followed       map[archive.Ref]bool      // archived documents whose partners are taken
	paired         []archive.Ref             // archived documents sharing a passage with a new or followed one, sorted
	bucketed       []archive.Ref             // archived documents sharing a band key with a new or followed one, sorted
	warned         bool                      // ErrFollowLimit was told
	exact          bool                      // the default limit: a round that would mark a cluster or group incomplete gives way to one reading the whole archive
	expanded       map[archive.Ref]expansion // the partners found of archived documents, kept from round to round
	limit          followLimit               // what the rounds may read together
	memo           *pairs.Memo               // the alignments of the rounds so far
	storedTried    bool                      // the alignments kept beside the index were looked for (useStored)
	stored         *pairs.Stored             // and found, for the shifts storedShifts (known)
	storedShifts   *shifts
	knownTaken     atomic.Int64   // pairs a whole round took as kept without pairing them (known)
	read           int            // archived documents read by the rounds so far
	readWs         int64          // and their words
	words          int64          // the archive's words
	whole          bool           // the round reads the whole archive and aligns every pair
	joins          *cluster.Joins // the joins of the boilerplate kept beside the index, if they hold (keptJoins)
	joinsTried     bool
	earlierTold    bool                   // earlier
	referenceDocs  []archive.Ref          // archived documents holding the occurrences of least key of a family of the new documents' boilerplate (references), sorted
	onlyReferences []archive.Ref          // those of them the round takes only as such, sorted
	clusters       *assemble.KeptClusters // the boilerplate's clusters kept beside the index, if they hold (keptJoins)
	// For joins grown since the alignments whose clusters those are
	// (archive.Since): the alignments' own joins, which number the
	// clusters' families, and the families touched since and the
	// documents added since; sinceShifts, the places of the
	// fingerprints whose class those shifted (sinceShifted), once.
	alnJoins     *cluster.Joins
	since        *archive.Since
	sinceShifts  []archive.Shift
	sinceFound   bool
	addedHolders map[int32][]archive.Ref    // by family of alnJoins, the documents added since holding it (findAddedHolders)
	crossedAt    map[archive.Ref][][2]int32 // by archived document, the tokens of the fingerprints of a new document's boilerplate that the joins lack (references)
	shifted      []archive.Ref              // archived documents whose pairs the new documents may align otherwise, sorted (shiftedDocs)
	wholeShifted []archive.Ref              // of them, those any of whose pairs may gain a passage, sorted
	shiftedFound bool
	damagedTold  bool                          // a damaged kept cluster was told of
	keptHint     string                        // what tellBoilerplate adds of the clusters kept (clustersHint)
	keptNeeds    []keptNeed                    // of each kept cluster a round could not serve, what would let it (servable)
	keptTaken    map[archive.Ref]bool          // archived documents taken for a kept cluster's pairs (keptPairs)
	keptActive   map[archive.Ref]bool          // of them, those whose pairs with the others taken are aligned
	partnerOf    map[archive.Ref][]archive.Ref // by archived document: those of ck.wholeShifted not followed of which it is a partner
}

// checkIndex runs stage 1 on the new documents and finds the archived
// documents that may share text with them.
//
// The archived documents taken are those a full scan would pair with a
// new document: the candidate rules (candidate.Rules.Pair) applied to the
// fingerprints each shares with a new one, counted over the archive and
// the new documents; and those whose band keys a new document shares
// (near-duplicates by LSH). runCheck takes more where clusters and
// groups reach beyond them.
func checkIndex(ctx context.Context, ix *archive.Index, inputs []string, opt Options) (*scan, *checking, error) {
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
	return s, &checking{ix: ix, news: news, partners: c, taken: c.Found(), followed: map[archive.Ref]bool{}, expanded: map[archive.Ref]expansion{}, bucketed: c.Bucketed()}, nil
}

// ErrFollowLimit reports a check that stopped following its clusters and
// groups through the archive at Options.FollowLimit, or that could not
// read the whole archive for the boilerplate of the new documents: those
// reaching beyond the documents it read may lack members a scan finds,
// and are marked Incomplete (and so is the result's
// Stats.ClustersIncomplete). It is a notice: it counts no input as
// skipped. A check that marks anything tells it once; under the default
// limit none does (it reads the whole archive instead).
var ErrFollowLimit = errors.New("reuse: check: clusters not followed through the archive")

// followPart is how many documents a check follows at once: the limit is
// checked after each part.
const followPart = 128

// errReach stops a round of a check whose clusters or groups reach
// archived documents it has not followed yet.
var errReach = errors.New("reuse: the check reaches further")

// runCheck runs the check in rounds, handing the last one's result to
// sink, and returns the Index of its documents (the caller must Close
// it).
//
// A round scans the new documents and the archived ones taken, and aligns
// the pairs of the new documents and of the archived ones followed. Its
// families of passages and groups holding a new document may reach
// archived documents (assemble.Options.Reach) whose own pairs with the
// archive a full scan aligns too, and which may join more documents to
// them: those are followed, their partners taken (archive.Partners.Expand)
// and the round done again, until every document reached is followed.
// Then no pair a scan finds touches the families and groups of the new
// documents that the check lacks, and they are the scan's.
//
// The first round takes the new documents' partners. Every one sharing a
// passage with a new document is reached there, and followed; those
// sharing none add nothing to a result, so later rounds take only the
// documents followed and their partners. Alignments are kept from round
// to round (pairs.Memo), so a round aligns only the pairs new to it.
//
// A round reads the whole archive instead, and aligns every pair, where
// following would cost more than that (the rounds so far and another as
// large would have read more words than the archive, or the next one
// would read more than half of them), or where boilerplate holds a new document
// or overlaps a member of its clusters (its members are every place of
// its text, which no following of pairs finds, and whether it merges
// with or hosts a cluster depends on them). Its result is then a scan's,
// boilerplate included, at about a scan's cost; the archive's
// frequencies are then those it counts. It does so only where the
// archive is within the limit.
//
// The rounds read together at most Options.FollowLimit documents, or by
// default twice the words of the first round (on source code, families
// of idioms chain through thousands of files). A
// round follows zones (assemble.Reached.Zones: a family with those
// related to it, or a group) smallest first, each whole or not at all,
// while that holds; those it cannot follow, with the larger ones, wait
// for another round, and where no zone can be followed the round is the
// result. Its families and groups whose zones were followed are the
// scan's; the others are marked Incomplete, with a notice
// (ErrFollowLimit), unless the limit is the default (checking.exact):
// then, where following would mark one, or read more than half of the
// archive's words, the next round reads the whole archive instead
// (assemble.Options.Incomplete, readWhole).
func (s *scan) runCheck(ctx context.Context, ck *checking, sink result.Sink) (*index.Index, error) {
	if err := ck.ix.Each(func(r archive.Ref) error {
		ck.words += int64(ck.ix.Words(r))
		return nil
	}); err != nil {
		return nil, err
	}
	ck.limit = followLimit{docs: s.opt.FollowLimit, words: -1}
	ck.exact = ck.limit.docs == 0
	if ck.exact {
		// Twice the first round's words (a round's cost grows with its
		// words, not its documents: the first round of Go's src read 22%
		// of its files and 71% of its words), and at least
		// minFollowDocs documents' worth, and followPerNew more for each
		// new document: a batch brings the clusters of each.
		floor := int64(minFollowDocs) + int64(followPerNew)*int64(len(ck.news))
		ck.limit = followLimit{docs: -1, words: max(2*ck.wordsOf(ck.taken), floor*ck.words/int64(max(ck.ix.Len(), 1)))}
	}
	// Boilerplate of a new document (a fingerprint held by more than
	// MaxDF documents) is a family of every place of its text: the first
	// round reads the whole archive where the limit allows, instead of
	// finding that out at the end of a round of the partners (8.6 of 17.8
	// s on Go's src; docs/benchmarks.md, "Boilerplate seen before the
	// first round").
	//
	// So does a first round that would read more than half of the
	// archive's words, by the rule of later rounds: its partners' own
	// pairs would be followed next (twelve near copies of a 4 MB text,
	// checked against with a thirteenth: 10.6 s in two rounds, against
	// 7.0 s for a scan of all; docs/benchmarks.md, "A first round of most
	// of the archive").
	if ck.mayReadAll() && (ck.partners.HoldsBoilerplate() || 2*ck.wordsOf(ck.taken) > ck.words) {
		if err := ck.takeAll(); !errors.Is(err, errReach) {
			return nil, err
		}
	}
	// Boilerplate is widened against the occurrences of least key of its
	// family (cluster.References): a round that reads part of the
	// archive reads the documents holding them too.
	if !ck.whole {
		if err := ck.keptJoins(s); err != nil {
			return nil, err
		}
		refs, err := ck.references(ctx)
		if errors.Is(err, cluster.ErrJoins) {
			s.warn(fmt.Errorf("%w: %w; run reuse index align again", ErrAlignmentsUnused, err))
			ck.joins, refs, err = nil, nil, nil
		}
		if err != nil {
			return nil, err
		}
		ck.referenceDocs = refs
		ck.takeReferences()
	}
	for {
		// A round reads the archived documents it takes from the index.
		s.opt.Progress.setPhase(PhaseReading)
		x, err := ck.index(ctx, s)
		if err != nil {
			return nil, err
		}
		if checkRoundHook != nil {
			checkRoundHook(len(ck.taken), ck.whole)
		}
		// The documents taken as references alone do not count against
		// the limit: a few a family of boilerplate, read to cut it.
		ck.read += len(ck.taken) - len(ck.onlyReferences)
		ck.readWs += ck.wordsOf(ck.taken) - ck.wordsOf(ck.onlyReferences)
		s.reach, s.incomplete = ck.follow(ctx, s, x), nil
		if ck.exact && !ck.whole {
			s.incomplete = func() error { return ck.readWhole(s) }
		}
		err = s.run(ctx, x, sink)
		if p := s.opt.Progress; p != nil && !ck.whole {
			if s.joined.Kept {
				p.JoinedKept.Add(1)
			} else {
				p.JoinedOwn.Add(1)
			}
		}
		if checkJoinedHook != nil && !ck.whole {
			checkJoinedHook(s.joined)
		}
		if errors.Is(err, errReach) {
			x.Close()
			continue
		}
		if err != nil {
			x.Close()
			return nil, err
		}
		if p := s.opt.Progress; p != nil {
			p.Kept.Store(ck.memo.StoredHits())
		}
		if checkStoredHook != nil {
			checkStoredHook(ck.memo.StoredHits())
		}
		if checkKnownHook != nil {
			checkKnownHook(ck.knownTaken.Load())
		}
		return x, nil
	}
}

// checkJoinedHook, when set (by tests), is told how each round of a
// check that reads part of the archive joined its boilerplate.
var checkJoinedHook func(cluster.JoinsFound)

// checkStoredHook, when set (by tests), is told at the end of a check
// how many alignments it took from those kept beside the index.
var checkStoredHook func(hits int64)

// checkKnownHook, when set (by tests), is told at the end of a check how
// many archived pairs its whole round took as kept without pairing them
// (known).
var checkKnownHook func(pairs int64)

// minFollowDocs is the least a check's default limit allows its rounds
// to read together, in documents of the archive's mean size (tests
// lower it).
var minFollowDocs = 2000

// followPerNew is how many more documents of the archive's mean size a
// check's default limit allows for each new document (tests lower it).
// A batch of news needs about 40 to 75 each to follow its clusters to
// the end (docs/benchmarks.md, "A batch's limit").
var followPerNew = 100

// checkRoundHook, when set (by tests), is told of each round of a check:
// the archived documents it reads, and whether that is the whole archive.
var checkRoundHook func(taken int, whole bool)

// refs returns the Refs of archived documents ds of x, sorted.
func (ck *checking) refs(x *index.Index, ds []uint32) []archive.Ref {
	out := make([]archive.Ref, 0, len(ds))
	for _, d := range ds {
		if r, ok := ck.ix.Find(x.ID(d)); ok {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

// follow returns the Reach of a round on x (assemble.Options.Reach): it
// follows the archived documents its zones reach that are not followed
// yet, taking their partners, and stops the round (errReach) for a new
// one. Zones are followed smallest first, each whole or not at all,
// while the documents the rounds read stay within the limit: the first
// that would read more is not followed, nor the larger ones, which wait
// for the next round, if any. A zone not followed, or one whose
// families touch boilerplate, or boilerplate holding a new document,
// where the round does not read the whole archive, may lack members a
// scan finds: its clusters and group say so (Verdict).
func (ck *checking) follow(ctx context.Context, s *scan, x *index.Index) func(assemble.Reached) (assemble.Verdict, error) {
	return func(reach assemble.Reached) (assemble.Verdict, error) {
		if ck.whole {
			return assemble.Verdict{}, nil // every pair aligned: a scan's result
		}
		whole := ck.mayReadAll()
		touching := slices.ContainsFunc(reach.Zones, func(z assemble.Zone) bool { return z.Boilerplate })
		if (reach.Boilerplate || touching) && whole {
			// Boilerplate's families are made of every place of their
			// phrases in the archive.
			return assemble.Verdict{}, ck.takeAll()
		}
		v := assemble.Verdict{Open: make([]bool, len(reach.Zones)), Boilerplate: reach.Boilerplate}
		// Each zone's archived documents not followed yet.
		var needs [][]archive.Ref
		for z, zone := range reach.Zones {
			if zone.Boilerplate {
				v.Open[z] = true
				continue
			}
			var refs []archive.Ref
			for _, d := range zone.Docs {
				if r, ok := ck.ix.Find(x.ID(d)); ok && !ck.followed[r] {
					refs = append(refs, r)
				}
			}
			if len(refs) == 0 {
				continue
			}
			v.Open[z] = true
			needs = append(needs, refs)
		}
		// The documents whose following would let the round serve a
		// kept cluster (serving): followed as zones are.
		for _, nd := range ck.keptNeeds {
			var refs []archive.Ref
			for _, r := range nd.follow {
				if !ck.followed[r] {
					refs = append(refs, r)
				}
			}
			if len(refs) > 0 {
				needs = append(needs, refs)
			}
		}
		if len(needs) == 0 && len(ck.keptNeeds) == 0 {
			ck.tellBoilerplate(s, v)
			return v, nil
		}
		// Where following would cost more than reading the whole archive
		// once (another round as large as this one would have read more
		// words than the archive, or the next one reads more than half of
		// them), the next round reads all of it, within the limit, or
		// where the default limit would mark what it does not follow.
		cheaper := whole || ck.exact
		if cheaper && ck.readWs+ck.wordsOf(ck.taken) > ck.words {
			return v, ck.takeAll()
		}
		ck.paired = mergeRefs(ck.paired, ck.refs(x, reach.Paired))
		// What a new round takes: the documents followed, those paired
		// with passages (whose pairs are aligned again), the members of
		// the LSH buckets of the new documents and those followed (whose
		// first member the groups compare the others with), and the
		// partners of those followed now.
		slices.SortStableFunc(needs, func(a, b []archive.Ref) int { return cmp.Compare(len(a), len(b)) })
		inTaken := map[archive.Ref]bool{}
		var taken []archive.Ref
		var takenWs int64
		take := func(r archive.Ref) {
			if !inTaken[r] {
				inTaken[r] = true
				taken = append(taken, r)
				takenWs += int64(ck.ix.Words(r))
			}
		}
		for _, r := range mergeRefs(ck.paired, ck.bucketed) {
			take(r)
		}
		for r := range ck.followed {
			take(r)
		}
		for r := range ck.keptTaken {
			take(r)
		}
		// The zones' documents are expanded (once in a check: Expand
		// depends on neither the round nor the others) a batch at a
		// time, of one document first, then twice as many each time up
		// to followPart (a call a zone, 6,729 of them, took 5 s of the
		// 10 MB check; a batch of followPart at once, of which only the
		// first zone fitted, 4 s of Go's src); then the zones are taken
		// one by one, each whole or not at all: the first that would
		// read past the limit is not followed, nor the zones after it,
		// larger: they wait for the next round, if any.
		var buckets []archive.Ref // of the documents followed now
		followed, size := 0, 1
	zones:
		for lo := 0; lo < len(needs); size = min(2*size, followPart) {
			var batch []archive.Ref
			inBatch := map[archive.Ref]bool{}
			hi := lo
			for ; hi < len(needs) && len(batch) < size; hi++ {
				for _, r := range needs[hi] {
					if _, ok := ck.expanded[r]; !ok && !ck.followed[r] && !inBatch[r] {
						inBatch[r] = true
						batch = append(batch, r)
					}
				}
			}
			for at := 0; at < len(batch); at += followPart {
				part := batch[at:min(at+followPart, len(batch))]
				ps, bs, err := ck.partners.Expand(ctx, part)
				if err != nil {
					return v, err
				}
				for i, r := range part {
					ck.expanded[r] = expansion{ps[i], bs[i]}
				}
			}
			for _, nd := range needs[lo:hi] {
				var more []archive.Ref
				var moreWs int64
				inMore := map[archive.Ref]bool{}
				add := func(r archive.Ref) {
					if !inTaken[r] && !inMore[r] {
						inMore[r] = true
						more = append(more, r)
						moreWs += int64(ck.ix.Words(r))
					}
				}
				for _, r := range nd {
					if !ck.followed[r] {
						add(r)
						for _, q := range ck.expanded[r].partners {
							add(q)
						}
						for _, q := range ck.expanded[r].buckets {
							add(q)
						}
					}
				}
				reads, readWs := len(taken)+len(more), takenWs+moreWs
				if cheaper && 2*readWs > ck.words {
					return v, ck.takeAll()
				}
				if !ck.limit.allows(ck.read+reads, ck.readWs+readWs) {
					if ck.exact {
						return v, ck.readWhole(s)
					}
					if !ck.warned {
						ck.warned = true
						s.warn(fmt.Errorf("%w: following the archived documents the clusters of the new ones reach would read more than %s in all (--follow-limit); those not followed may lack members, and are marked incomplete%s", ErrFollowLimit, ck.limit, ck.keptHint))
					}
					break zones
				}
				for _, r := range more {
					take(r)
				}
				for _, r := range nd {
					if !ck.followed[r] {
						ck.followed[r] = true
						buckets = append(buckets, ck.expanded[r].buckets...)
					}
				}
				followed++
			}
			lo = hi
		}
		// The pairs the kept clusters need, within what the zones left
		// of the limit: taken first, they left less to the zones
		// (every 1,000th file of the generated 100 MB: 108 of 122
		// clusters marked, against 80).
		keptAdded := ck.keptPairs(len(taken), takenWs)
		for r := range ck.keptTaken {
			take(r)
		}
		if followed == 0 && !keptAdded {
			ck.tellBoilerplate(s, v)
			return v, nil
		}
		slices.Sort(buckets)
		ck.bucketed = mergeRefs(ck.bucketed, slices.Compact(buckets))
		slices.Sort(taken)
		ck.taken = taken
		ck.takeReferences()
		return v, errReach
	}
}

// takeReferences adds the reference documents (references) to those the
// next round takes, and notes those it takes for that alone.
func (ck *checking) takeReferences() {
	ck.onlyReferences = ck.onlyReferences[:0]
	for _, r := range ck.referenceDocs {
		if _, ok := slices.BinarySearch(ck.taken, r); !ok {
			ck.onlyReferences = append(ck.onlyReferences, r)
		}
	}
	ck.taken = mergeRefs(ck.taken, ck.onlyReferences)
}

// tellBoilerplate warns (ErrFollowLimit), unless that was done, of a
// round that is the result and marks clusters for boilerplate, which the
// limit did not let the check read whole.
func (ck *checking) tellBoilerplate(s *scan, v assemble.Verdict) {
	if ck.exact || ck.warned || !v.Boilerplate && !slices.Contains(v.Open, true) {
		return
	}
	ck.warned = true
	s.warn(fmt.Errorf("%w: the new documents hold boilerplate, or text under it, whose clusters are every place of that text, and reading the whole archive to find them would read more than %s (--follow-limit); those clusters may lack members, and are marked incomplete%s", ErrFollowLimit, ck.limit, ck.keptHint))
}

// clustersHint returns what the check tells, after ErrFollowLimit's
// notice, of the clusters of boilerplate index align keeps, which it
// could have listed whole: none kept for its settings, or kept before
// the index changed.
func (ck *checking) clustersHint(s *scan) string {
	st, ok, err := ck.ix.KeptAlignments()
	switch {
	case err != nil:
		return ""
	case !ok || st.Settings != s.opt.alignSettings():
		return "; reuse index align would keep the archive's own clusters of boilerplate, which checks list whole"
	case st.Added+st.Removed > 0:
		n := st.Added + st.Removed
		docs := "documents"
		if n == 1 {
			docs = "document"
		}
		p := message.NewPrinter(language.English)
		if st.ClustersHold() && ck.since != nil {
			return p.Sprintf("; %d of the archive's %d clusters of boilerplate that reuse index align kept, which checks list whole, predate the %d %s added since, which touch them (reuse index align makes them again)", st.ClustersTouched, st.ClustersKept, n, docs)
		}
		return p.Sprintf("; the archive's clusters of boilerplate that reuse index align kept, which checks list whole, predate the %d %s added or removed since (reuse index align makes them again)", n, docs)
	}
	return ""
}

// mayReadAll reports whether a round may read the whole archive: it is
// within the limit.
func (ck *checking) mayReadAll() bool {
	return ck.limit.allows(ck.ix.Len(), ck.words)
}

// wordsOf returns the words of archived documents rs.
func (ck *checking) wordsOf(rs []archive.Ref) int64 {
	var n int64
	for _, r := range rs {
		n += int64(ck.ix.Words(r))
	}
	return n
}

// followLimit is what a check's rounds may read together, in documents
// (Options.FollowLimit) or in words (its default); -1: no limit.
type followLimit struct {
	docs  int
	words int64
}

// allows reports whether rounds reading docs documents of words words in
// all stay within l.
func (l followLimit) allows(docs int, words int64) bool {
	return (l.docs < 0 || docs <= l.docs) && (l.words < 0 || words <= l.words)
}

func (l followLimit) String() string {
	p := message.NewPrinter(language.English) // 2,863,236
	if l.words >= 0 {
		return p.Sprintf("%d words", l.words)
	}
	return p.Sprintf("%d documents", l.docs)
}

// takeAll makes the next round read every archived document and align
// every pair, as a scan of the archive and the new documents does: its
// families, groups and boilerplate are then the scan's. It returns
// errReach, for that round, or an error.
func (ck *checking) takeAll() error {
	var all []archive.Ref
	if err := ck.ix.Each(func(r archive.Ref) error {
		all = append(all, r)
		return nil
	}); err != nil {
		return err
	}
	slices.Sort(all)
	ck.taken, ck.whole, ck.onlyReferences = all, true, nil
	return errReach
}

// readWhole is takeAll where the default limit would have marked a
// cluster or group incomplete (checking.exact): the check's result is
// the scan's, at about a scan's cost. Where the clusters kept beside the
// index could have spared that, had they been made again since
// documents were added (clustersHint), a notice says so.
func (ck *checking) readWhole(s *scan) error {
	if ck.keptHint != "" && !ck.warned {
		ck.warned = true
		s.warn(fmt.Errorf("%w: the check read the whole archive to list its clusters whole%s", ErrAlignmentsUnused, ck.keptHint))
	}
	return ck.takeAll()
}

// mergeRefs returns the union of a and b, sorted and distinct, given
// both are.
func mergeRefs(a, b []archive.Ref) []archive.Ref {
	out := make([]archive.Ref, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// index loads the documents taken and returns an Index of them, with s
// set to count document frequencies over the whole archive, to align the
// pairs of the new documents and of the archived ones followed, and to
// report on the new documents.
func (ck *checking) index(ctx context.Context, s *scan) (*index.Index, error) {
	c := ck.partners
	x, err := index.FromDocsFunc(ctx, func(yield func(*index.Doc) error) error {
		if ck.whole {
			return c.LoadUncounted(ctx, ck.taken, yield)
		}
		if len(ck.onlyReferences) == 0 {
			return c.Load(ctx, ck.taken, yield)
		}
		// The documents taken only as references: their boilerplate
		// alone is read (their pairs are not aligned), and looking up
		// every fingerprint's frequency doubled the cost of a round of
		// one article (docs/benchmarks.md, "The boilerplate's joins
		// kept").
		light := func(r archive.Ref) bool {
			_, ok := slices.BinarySearch(ck.onlyReferences, r)
			return ok
		}
		boilerplate := func(h uint64) bool {
			_, ok := ck.joins.FamilyOf(h)
			return ok
		}
		return c.LoadLight(ctx, ck.taken, light, boilerplate, yield)
	}, s.indexOptions(true))
	if err != nil {
		return nil, err
	}
	isNew := make([]bool, x.Len())
	for _, d := range ck.news {
		if n, ok := x.Find(d.ID); ok {
			isNew[n] = true
		}
	}
	active := slices.Clone(isNew)
	// A document's key in the memo of alignments: its Ref in the
	// archive, or its place among the new documents above every Ref.
	keys := make([]uint64, x.Len())
	for i, d := range ck.news {
		if n, ok := x.Find(d.ID); ok {
			keys[n] = newKey | uint64(i)
		}
	}
	for d := range active {
		if r, ok := ck.ix.Find(x.ID(uint32(d))); ok && !isNew[d] {
			keys[d] = uint64(r)
			active[d] = ck.whole || ck.followed[r] || ck.keptActive[r]
		}
	}
	if ck.memo == nil {
		ck.memo = pairs.NewMemo(s.opt.memoBytes())
	}
	// The archived documents' own pairs, from the alignments kept beside
	// the index (AlignIndex), in a round that aligns all of them. A
	// round following clusters aligns few pairs, of documents that share
	// text with the new ones, which that text's new copies shift
	// (shifts): reading the alignments there (80 MB at 1 GB) doubled
	// the time of checking one document, and took 1,169 of the 102,450
	// alignments of the 10 MB check, whose aligning takes 0.7 of its
	// 17 s (docs/benchmarks.md, "Alignments kept beside the index").
	if !ck.storedTried && ck.whole {
		ck.storedTried = true
		if err := ck.useStored(ctx, s, maxAddedShare); err != nil {
			x.Close()
			return nil, err
		}
	}
	if ck.whole {
		// The last round: keeping its alignments for another (a map of
		// millions at 1 GB) cost 10 of 60 CPU-s, mostly marking them
		// (docs/benchmarks.md, "A whole round keeps no alignments").
		ck.memo.StopKeeping()
	}
	s.memo, s.memoKey = ck.memo, func(d uint32) uint64 { return keys[d] }
	s.focus = func(d uint32) bool { return isNew[d] }
	s.involving = func(d uint32) bool { return active[d] }
	s.df, s.keyDF = c.DFs, c.KeyDFs
	// A round that reads part of the archive joins its boilerplate's
	// fingerprints as a scan of all of it does, by the joins kept beside
	// the index, where they hold: by its own places, it cut the new
	// documents' boilerplate otherwise than a scan (docs/benchmarks.md,
	// "The boilerplate's joins kept").
	s.joining.Kept, s.kept = nil, nil
	if !ck.whole {
		if err := ck.keptJoins(s); err != nil {
			x.Close()
			return nil, err
		}
		if ck.joins != nil {
			s.joining.Kept, s.joining.Counted = ck.joins, func(d uint32) bool { return !isNew[d] }
			s.joining.DF = func(h uint64) int {
				var df [1]int
				c.DFs([]uint64{h}, df[:])
				return df[0]
			}
		}
		if ck.clusters != nil {
			// A document followed had every pair aligned.
			followed := func(d uint32) bool { return !isNew[d] && ck.followed[archive.Ref(keys[d])] }
			s.kept = ck.serving(ctx, s, followed)
			if ck.since != nil {
				s.kept.Added = func(d uint32) bool {
					_, added := slices.BinarySearch(ck.since.Added, archive.Ref(keys[d]))
					return !isNew[d] && added
				}
			}
		}
	}
	if ck.whole {
		// x holds every document: its frequencies are the archive's,
		// and every pair is aligned, as in a scan.
		s.df, s.keyDF, s.involving, s.known = nil, nil, nil, nil
		if ck.stored != nil {
			// But those no shift reaches are taken as kept, not paired:
			// making every pair's keys took most of such a round
			// (docs/benchmarks.md, "A whole round pairs only what
			// changes").
			for d := range active {
				active[d] = isNew[d] || ck.storedShifts.touches(archive.Ref(keys[d]))
			}
			known := ck.known(keys, active)
			s.involving = func(d uint32) bool { return active[d] }
			s.known = func(lo, hi uint32) [][2]uint32 {
				ks := known(lo, hi)
				ck.knownTaken.Add(int64(len(ks)))
				return ks
			}
		}
	}
	return x, nil
}

// keptJoins reads the joins of the boilerplate kept beside the index
// (AlignIndex) into ck.joins, once, if they hold for the check: made for
// its MaxDF (joinsSettings: whatever its other settings, which the
// joins do not depend on), with no document added or removed since
// (whose places they lack, or count). Damaged, they are not used, with
// a notice (ErrAlignmentsUnused).
func (ck *checking) keptJoins(s *scan) error {
	if ck.joinsTried {
		return nil
	}
	ck.joinsTried = true
	defer func() {
		if ck.clusters == nil || ck.since != nil {
			ck.keptHint = ck.clustersHint(s)
		}
	}()
	kept, err := ck.ix.Joins(s.opt.joinsSettings())
	ck.earlier(s, err)
	if errors.Is(err, archive.ErrStale) || err == nil && len(kept.Added)+len(kept.Removed) > 0 {
		return nil
	}
	var j *cluster.Joins
	if err == nil {
		j, err = cluster.DecodeJoins(kept.Joins)
	}
	var cs *assemble.KeptClusters
	var aln *cluster.Joins
	// Clusters kept before documents were added are served where those
	// touched none (archive.Since), by the shifts of fingerprints alone:
	// the keys of reworded sentences they shift are not counted.
	if err == nil && kept.Settings == s.opt.alignSettings() && (kept.Since == nil || !s.opt.Reworded) {
		cs, err = assemble.DecodeKept(kept.Clusters)
		if err == nil && kept.Since != nil {
			aln, err = cluster.DecodeJoins(kept.Since.Joins)
		}
	}
	if err != nil {
		s.warn(fmt.Errorf("%w: %w; run reuse index align again", ErrAlignmentsUnused, err))
		return nil
	}
	ck.joins, ck.clusters = j, cs
	if aln != nil {
		ck.alnJoins, ck.since = aln, kept.Since
	}
	return nil
}

// findAddedHolders finds, once, the documents added since the kept
// clusters were made that hold each family of the alignments' joins
// (ck.addedHolders).
func (ck *checking) findAddedHolders(ctx context.Context) error {
	if ck.since == nil || ck.addedHolders != nil {
		return nil
	}
	ck.addedHolders = map[int32][]archive.Ref{}
	var d index.Doc
	for i, r := range ck.since.Added {
		if i%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := ck.ix.Doc(r, &d); err != nil {
			return err
		}
		for _, fp := range d.Fingerprints {
			if f, ok := ck.alnJoins.FamilyOf(fp.Hash); ok {
				if hs := ck.addedHolders[f]; len(hs) == 0 || hs[len(hs)-1] != r {
					ck.addedHolders[f] = append(hs, r)
				}
			}
		}
	}
	return nil
}

// sinceShifted returns, once, the places of the fingerprints whose class
// of document frequency the documents added since the kept clusters'
// alignments shifted (archive.Index.ShiftedBy).
func (ck *checking) sinceShifted(ctx context.Context, s *scan) ([]archive.Shift, error) {
	if !ck.sinceFound {
		sh, err := ck.ix.ShiftedBy(ctx, ck.since.Added, nil, dfClass(s.opt.rules()))
		if err != nil {
			return nil, err
		}
		ck.sinceShifts, ck.sinceFound = sh, true
	}
	return ck.sinceShifts, nil
}

// serving returns how a round that reads part of the archive serves the
// clusters of boilerplate kept beside the index (assemble.Serving): the
// kept cluster of a family of the round's boilerplate, where the round
// joined its fingerprints as the kept joins did (cluster.JoinsFound:
// not Disturbed), unless the new documents may change it otherwise than
// the round sees (servable). aligned reports the round's documents whose
// every pair it aligned.
func (ck *checking) serving(ctx context.Context, s *scan, aligned func(d uint32) bool) *assemble.Serving {
	ck.keptNeeds = nil
	var prepareErr error
	prepared := false
	inRound := func(r archive.Ref) bool {
		_, ok := slices.BinarySearch(ck.taken, r)
		return ok
	}
	return &assemble.Serving{
		Aligned: aligned,
		Changed: func(a, b uint64) bool {
			in := func(r archive.Ref) bool {
				_, ok := slices.BinarySearch(ck.shifted, r)
				return ok
			}
			return in(archive.Ref(a)) || in(archive.Ref(b))
		},
		Cluster: func(b int) (assemble.KeptCluster, bool, error) {
			fams := s.joined.Families
			if !s.joined.Kept || b >= len(fams) || fams[b] < 0 {
				return assemble.KeptCluster{}, false, nil
			}
			if _, disturbed := slices.BinarySearch(s.joined.Disturbed, fams[b]); disturbed {
				return assemble.KeptCluster{}, false, nil
			}
			fam := fams[b]
			if ck.alnJoins != nil {
				// The family as the alignments number it, unless the
				// documents added since touched its cluster.
				f, ok := ck.alnJoins.FamilyOf(ck.joins.FamilyHash(fam))
				if _, touched := slices.BinarySearch(ck.since.Touched, f); !ok || touched {
					return assemble.KeptCluster{}, false, nil
				}
				fam = f
			}
			i, ok := ck.clusters.Find(fam)
			if !ok {
				return assemble.KeptCluster{}, false, nil
			}
			c, err := ck.clusters.Cluster(i)
			if err != nil {
				// A damaged cluster is not served: the others are.
				if !ck.damagedTold {
					ck.damagedTold = true
					s.warn(fmt.Errorf("%w: %w; run reuse index align again", ErrAlignmentsUnused, err))
				}
				return assemble.KeptCluster{}, false, nil
			}
			return c, true, nil
		},
		Servable: func(c assemble.KeptCluster) bool {
			if !prepared {
				prepared, prepareErr = true, ck.prepareShifted(ctx, s)
			}
			if prepareErr != nil {
				return false // too many shifted, or the context's error, which the round returns
			}
			return ck.servable(c, inRound)
		},
		// Read on every core: 18,546 documents for one article against
		// the generated 1 GB, each a meta record in the mapped segment.
		Docs: func(ds []uint64) ([]result.Document, error) {
			out := make([]result.Document, len(ds))
			err := work.Each(ctx, len(ds), s.opt.Workers, func(_, i int) error {
				var doc index.Doc
				if err := ck.ix.Meta(archive.Ref(ds[i]), &doc); err != nil {
					return err
				}
				out[i] = result.Document{ID: doc.ID, Path: doc.Path, Bytes: doc.Bytes, Words: doc.Words, Date: doc.Date}
				return nil
			})
			return out, err
		},
		Text: func(d uint64) ([]byte, error) { return ck.ix.Text(archive.Ref(d)) },
	}
}

// shiftedDocs finds, once in a check, the archived documents whose pairs
// the new documents may align otherwise, by the classes of document
// frequency they shift (archive.Partners.Shifted): those holding a
// shifted fingerprint, or a shifted key of reworded sentences
// (ck.shifted), and of them those whose any pair may gain a passage
// (ck.whole: they held a shifted fingerprint alone, or a shifted key).
func (ck *checking) shiftedDocs(ctx context.Context, s *scan) error {
	if ck.shiftedFound {
		return nil
	}
	whole, fps, err := ck.partners.Shifted(ctx, dfClass(s.opt.rules()), dfClass(reword.KeyRules(), reword.KeyOnlyRules()))
	if err != nil {
		return err
	}
	shifted := slices.Clone(whole)
	for _, f := range fps {
		shifted = append(shifted, f.Doc)
		if f.Whole {
			whole = append(whole, f.Doc)
		}
	}
	if ck.since != nil {
		// The documents added since the kept clusters were made shift
		// frequencies as new documents do, and their pairs are new: each
		// is whole. An archived document that held a fingerprint alone
		// which they hold now (a Whole shift) may gain a passage with
		// them only: those pairs are theirs, aligned as they are.
		since, err := ck.sinceShifted(ctx, s)
		if err != nil {
			return err
		}
		whole = slices.Concat(whole, ck.since.Added)
		shifted = slices.Concat(shifted, ck.since.Added)
		for _, f := range since {
			shifted = append(shifted, f.Doc)
		}
	}
	slices.Sort(shifted)
	slices.Sort(whole)
	ck.shifted, ck.wholeShifted, ck.shiftedFound = slices.Compact(shifted), slices.Compact(whole), true
	return nil
}

// maxWholeShifted is the most documents of ck.wholeShifted whose
// partners a check finds to serve the kept clusters: beyond, it serves
// none. Their pairs, and those of their partners with the kept
// clusters' members, would be aligned to serve them: one article against
// the generated 1 GB has a few, 10 MB of news (3,378 documents) at once
// thousands, whose partners took 1.7 of its 23.7 s, to serve none
// (docs/benchmarks.md, "The archive's clusters of boilerplate kept").
const maxWholeShifted = 4 * followPart

// errTooShifted reports a check whose new documents shift too many
// documents' frequencies for it to serve the kept clusters.
var errTooShifted = errors.New("reuse: check: too many documents shifted to serve kept clusters")

// keptNeed is what a round must read to serve a kept cluster it could
// not: archived documents to take, to align every pair of with those
// taken (active), and to follow.
type keptNeed struct{ take, active, follow []archive.Ref }

// keptPairs adds to the next round what the kept clusters the round
// could not serve need taken and aligned (ck.keptNeeds), each cluster's
// whole or none, within the limit, the next round taking reads
// documents of readWs words so far, and reports whether it added any.
// The needs that would read fewest words come first: more clusters fit.
func (ck *checking) keptPairs(reads int, readWs int64) bool {
	// more returns the documents of nd.take not taken yet, and their
	// words.
	more := func(nd keptNeed) ([]archive.Ref, int64) {
		var out []archive.Ref
		var ws int64
		in := map[archive.Ref]bool{}
		for _, r := range nd.take {
			if _, taken := slices.BinarySearch(ck.taken, r); !taken && !ck.keptTaken[r] && !in[r] {
				in[r] = true
				out = append(out, r)
				ws += int64(ck.ix.Words(r))
			}
		}
		return out, ws
	}
	cost := make(map[*keptNeed]int64, len(ck.keptNeeds))
	for i := range ck.keptNeeds {
		_, cost[&ck.keptNeeds[i]] = more(ck.keptNeeds[i])
	}
	order := make([]*keptNeed, len(ck.keptNeeds))
	for i := range order {
		order[i] = &ck.keptNeeds[i]
	}
	slices.SortStableFunc(order, func(a, b *keptNeed) int { return cmp.Compare(cost[a], cost[b]) })
	added := false
	for _, nd := range order {
		more, moreWs := more(*nd)
		fresh := slices.ContainsFunc(nd.active, func(r archive.Ref) bool { return !ck.keptActive[r] })
		if len(more) == 0 && !fresh || !ck.limit.allows(ck.read+reads+len(more), ck.readWs+readWs+moreWs) {
			continue
		}
		reads, readWs = reads+len(more), readWs+moreWs
		if ck.keptTaken == nil {
			ck.keptTaken, ck.keptActive = map[archive.Ref]bool{}, map[archive.Ref]bool{}
		}
		for _, r := range nd.take {
			ck.keptTaken[r] = true
		}
		for _, r := range nd.active {
			ck.keptActive[r] = true
		}
		added = true
	}
	ck.keptNeeds = nil
	return added
}

// prepareShifted finds the shifted documents (shiftedDocs) and the
// partners of those of ck.wholeShifted not followed (ck.partnerOf); or
// errTooShifted where those are more than maxWholeShifted.
func (ck *checking) prepareShifted(ctx context.Context, s *scan) error {
	if err := ck.shiftedDocs(ctx, s); err != nil {
		return err
	}
	if err := ck.findAddedHolders(ctx); err != nil {
		return err
	}
	var whole []archive.Ref
	for _, r := range ck.wholeShifted {
		if _, done := ck.expanded[r]; !done && !ck.followed[r] {
			whole = append(whole, r)
		}
	}
	if len(whole) > maxWholeShifted {
		return errTooShifted
	}
	for at := 0; at < len(whole); at += followPart {
		part := whole[at:min(at+followPart, len(whole))]
		ps, bs, err := ck.partners.Expand(ctx, part)
		if err != nil {
			return err
		}
		for i, r := range part {
			ck.expanded[r] = expansion{ps[i], bs[i]}
		}
	}
	ck.partnerOf = map[archive.Ref][]archive.Ref{}
	for _, w := range ck.wholeShifted {
		if !ck.followed[w] {
			ps := ck.expanded[w].partners
			if ck.since != nil {
				if _, added := slices.BinarySearch(ck.since.Added, w); added {
					// Its pairs are new: those of its LSH buckets too.
					ps = slices.Concat(ps, ck.expanded[w].buckets)
				}
			}
			for _, p := range ps {
				ck.partnerOf[p] = append(ck.partnerOf[p], w)
			}
		}
	}
	return nil
}

// servable reports whether the round may serve kept cluster c: the new
// documents change none of its pairs that the round did not align.
// Otherwise it notes what it needs (ck.keptNeeds). The pairs the new
// documents may align otherwise, by the classes of document frequency
// they shift (archive.Partners.Shifted), that may change a kept
// cluster:
//
//   - every pair of a member's document that held a shifted fingerprint
//     alone (it may gain a passage meeting the member, where the filter
//     of evidence dropped it): the document must be followed;
//   - the pair of a member's document with a partner of it that held
//     one alone: it must be aligned (both taken, that one active);
//   - a pair whose passage touches a member (KeptCluster.Touching), one
//     of whose documents holds a shifted fingerprint (the passage may
//     shrink into the member's region, or away from it, and join the
//     cluster or project otherwise): it must be aligned.
//
// Other changes only shrink passages that touch no member. No need can
// make it servable where a fingerprint the new documents make
// boilerplate lies near a member (ck.near: the runs there change, and
// with them the member; references), as a family it joins is disturbed
// (cluster.JoinsFound) and not served.
//
// Documents added to the index since the cluster was kept (ck.since,
// where the addition left it untouched) count as new ones: their shifts
// are among the shifted, each is whole-shifted (every pair of it is
// new), and those holding the cluster's families must be followed (their
// occurrences and what they project are members). A cluster of several
// families (KeptCluster.Families) needs the documents of its Joined
// members followed: the round aligns the passages that join the
// families, and its cluster then holds them all (assemble's sameKept).
// inRound reports the documents the round read.
func (ck *checking) servable(c assemble.KeptCluster, inRound func(r archive.Ref) bool) bool {
	in := func(rs []archive.Ref, r archive.Ref) bool {
		_, ok := slices.BinarySearch(rs, r)
		return ok
	}
	aligned := func(a, b archive.Ref) bool {
		return ck.followed[a] || ck.followed[b] || inRound(a) && inRound(b) && (ck.keptActive[a] || ck.keptActive[b])
	}
	var need keptNeed
	ok := true
	near := ck.near()
	for i, m := range c.Members {
		r := archive.Ref(m.Doc)
		if nearAny(ck.crossedAt[r], m, near) {
			return false
		}
		if i > 0 && m.Doc == c.Members[i-1].Doc {
			continue
		}
		if in(ck.wholeShifted, r) && !ck.followed[r] {
			ok = false
			need.follow = append(need.follow, r)
		}
		for _, w := range ck.partnerOf[r] {
			if !aligned(w, r) {
				ok = false
				need.take = append(need.take, w, r)
				need.active = append(need.active, w)
			}
		}
	}
	// The documents added since the cluster was kept that hold its
	// families: their occurrences are members, and what their passages
	// project, which the round finds where it follows them.
	families := c.Families
	if families == nil {
		families = []int32{c.Family}
	}
	for _, f := range families {
		for _, r := range ck.addedHolders[f] {
			if !ck.followed[r] {
				ok = false
				need.follow = append(need.follow, r)
			}
		}
	}
	// Of a cluster of several families, the passages that join them,
	// which the round aligns where it follows their documents (Joined
	// members): its cluster holds them all then, as the kept one does.
	if len(c.Families) > 0 {
		for i, m := range c.Members {
			r := archive.Ref(m.Doc)
			if m.Joined && !ck.followed[r] && (i == 0 || m.Doc != c.Members[i-1].Doc) {
				ok = false
				need.follow = append(need.follow, r)
			}
		}
	}
	for _, t := range c.Touching {
		a, b := archive.Ref(t[0]), archive.Ref(t[1])
		if (in(ck.shifted, a) || in(ck.shifted, b)) && !aligned(a, b) {
			ok = false
			need.take = append(need.take, a, b)
			need.active = append(need.active, a)
		}
	}
	if !ok {
		ck.keptNeeds = append(ck.keptNeeds, need)
	}
	return ok
}

// near is how far from a member of boilerplate, in tokens, other
// boilerplate may change it: occurrences farther apart than their
// widening (window-1 at each end) and a run's reach (window) do not meet.
func (ck *checking) near() int32 {
	p := ck.ix.Params()
	return 2 * int32(p.Window+p.Shingle)
}

// nearAny reports whether any of the token ranges at lies within near
// tokens of member m.
func nearAny(at [][2]int32, m assemble.KeptMember, near int32) bool {
	return slices.ContainsFunc(at, func(r [2]int32) bool { return r[0] < m.End+near && m.Start-near < r[1] })
}

// earlier tells once, with a notice (ErrAlignmentsUnused), that err says
// the alignments kept beside the index were made by an earlier reuse,
// whose format this one does not read: checks go without them (and
// their joins) until index align runs again. index align itself says
// nothing.
func (ck *checking) earlier(s *scan, err error) {
	if errors.Is(err, archive.ErrEarlier) && !ck.earlierTold && !s.alignOnly {
		ck.earlierTold = true
		s.warn(fmt.Errorf("%w: %w", ErrAlignmentsUnused, err))
	}
}

// references returns the archived documents, sorted, that a round
// reading part of the archive reads to cut the new documents'
// boilerplate as a scan does, by the joins kept (if any):
//
//   - for each family of boilerplate with a fingerprint of a new
//     document, the archived document of the least key (cluster.DocKey)
//     holding one of its fingerprints: it holds the family's archived
//     occurrences of least key, against which a new document's
//     occurrence is widened, or the least of all is
//     (cluster.References);
//   - every document holding a fingerprint of a new document that is
//     boilerplate only with the new ones (at most MaxDF): its runs
//     change, and with them what follows and precedes the fingerprints
//     there (cluster.Joining);
//   - for each family of boilerplate of those documents, which such a
//     fingerprint may join, the archived document of least key holding
//     one of its fingerprints.
func (ck *checking) references(ctx context.Context) ([]archive.Ref, error) {
	if ck.joins == nil {
		return nil, nil
	}
	var fams []int32
	var crossed []uint64
	for _, fps := range ck.partners.Boilerplate() {
		for _, h := range fps {
			if f, ok := ck.joins.FamilyOf(h); ok {
				fams = append(fams, f)
			} else {
				crossed = append(crossed, h)
			}
		}
	}
	slices.Sort(crossed)
	var out []archive.Ref
	ck.crossedAt = map[archive.Ref][][2]int32{}
	shingle := int32(ck.ix.Params().Shingle)
	err := ck.ix.Lookup(archive.Fingerprints, slices.Compact(crossed), func(i int, ps []archive.Posting) error {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		for _, p := range ps {
			out = append(out, p.Doc)
			ck.crossedAt[p.Doc] = append(ck.crossedAt[p.Doc], [2]int32{int32(p.Pos), int32(p.Pos) + shingle})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	out = slices.Compact(out)
	// A crossing fingerprint joins the families next to it in its runs,
	// whose references the merged family's are, of which the round
	// would hold none: every kept family of the documents holding one.
	var d index.Doc
	for i, r := range out {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := ck.ix.Doc(r, &d); err != nil {
			return nil, err
		}
		for _, fp := range d.Fingerprints {
			if f, ok := ck.joins.FamilyOf(fp.Hash); ok {
				fams = append(fams, f)
			}
		}
	}
	if len(fams) == 0 {
		return out, nil
	}
	slices.Sort(fams)
	fams = slices.Compact(fams)
	// The holder of least key of each family (cluster.References), among
	// the holders of least key of its fingerprints, kept with the joins.
	keys := map[archive.Ref]uint64{}
	for _, hs := range ck.joins.Holders(fams) {
		least := archive.Ref(hs[0])
		for _, h := range hs {
			r := archive.Ref(h)
			if _, ok := keys[r]; !ok {
				id := ck.ix.ID(r)
				if id == "" {
					return nil, fmt.Errorf("%w: a holder of boilerplate not in the index", cluster.ErrJoins)
				}
				keys[r] = cluster.DocKey(id)
			}
			if k, kl := keys[r], keys[least]; k < kl || k == kl && ck.ix.ID(r) < ck.ix.ID(least) {
				least = r
			}
		}
		out = append(out, least)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// expansion is what Partners.Expand found of an archived document: its
// partners and the members of its LSH buckets.
type expansion struct{ partners, buckets []archive.Ref }

// newKey marks a new document's key in a check's memo of alignments:
// archive.Refs stay below it (a segment number below 2³¹).
const newKey = 1 << 63

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
