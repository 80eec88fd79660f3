package reusebeam

import (
	"context"
	"reflect"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
)

// Config is what a pipeline scans and where its result goes.
type Config struct {
	Inputs   []string
	Output   string // .json: reuse.scan/v1; .jsonl: one object per line
	Settings Settings
	// PartBytes cuts JSONL inputs larger than it into parts read by
	// different workers (0: 64 MiB; negative: never).
	PartBytes int64
	// Rounds of label propagation before the rest of a connected
	// components computation goes to one worker (0: 6).
	Rounds int
}

// Build adds the scan to the pipeline of scope s.
func Build(s beam.Scope, cfg Config) {
	if cfg.PartBytes == 0 {
		cfg.PartBytes = 64 << 20
	}
	if cfg.Rounds == 0 {
		cfg.Rounds = 6
	}
	if strings.HasSuffix(cfg.Output, ".jsonl") {
		cfg.Settings.PassageText = true // its rows stand alone, as reuse scan's
	}
	set := cfg.Settings

	// Stage 1: read, number, fingerprint.
	r := s.Scope("Read")
	sources, walkWarn := beam.ParDo2(r, &walkFn{Inputs: cfg.Inputs, Settings: set}, beam.Impulse(r))
	parts, splitWarn := beam.ParDo2(r, &splitFn{PartBytes: cfg.PartBytes, Settings: set}, beam.Reshuffle(r, sources))
	texts, readWarn := beam.ParDo2(r, &readFn{Settings: set}, beam.Reshuffle(r, parts))

	n := s.Scope("Number")
	numbers, orderWarn := beam.ParDo2(n, &orderFn{Settings: set}, beam.GroupByKey(n, beam.AddFixedKey(n, beam.ParDo(n, metaOf, texts))))
	docs := beam.ParDo(n, numberFn, beam.CoGroupByKey(n, beam.ParDo(n, textByKey, texts), numbers))

	a := s.Scope("Fingerprint")
	postingsByHash, bandKeys, data, infos := beam.ParDo4(a, &analyzeFn{Settings: set}, docs)

	// Stage 2: the shuffle.
	sh := s.Scope("Shuffle")
	keys, rare, boilerPostings := beam.ParDo3(sh, &runFn{Settings: set}, beam.GroupByKey(sh, postingsByHash))
	cands := beam.ParDo(sh, &pairFn{Settings: set}, beam.GroupByKey(sh, keys))
	boilers, boilerByDoc := beam.ParDo2(sh, &boilerFn{Settings: set}, beam.GroupByKey(sh, beam.AddFixedKey(sh, boilerPostings)))
	full := beam.ParDo(sh, fullFn, beam.CoGroupByKey(sh, data, rare, boilerByDoc))

	// Stage 3: align.
	al := s.Scope("Align")
	pairs, pairEdges := alignPairs(al, cands, full, set)

	// Groups: LSH buckets not already pairs, checked by alignment.
	g := s.Scope("Groups")
	lsh := beam.ParDo(g, bucketFn, beam.GroupByKey(g, bandKeys))
	checks := beam.ParDo(g, checkFn, beam.CoGroupByKey(g, lsh, beam.ParDo(g, storedKey, pairs)))
	_, lshEdges := alignPairs(g, checks, full, set)
	edges := beam.Flatten(g, pairEdges, lshEdges)
	docLabels := Components(g, beam.ParDo(g, edgeNodes, edges), cfg.Rounds)
	groups := beam.ParDo(g, groupFn, beam.GroupByKey(g, beam.ParDo(g, labelEdgeFn, beam.CoGroupByKey(g, beam.ParDo(g, edgeByA, edges), docLabels))))

	// Families: components of pairs and boilerplate families tied by
	// overlapping occurrences, then cluster.Families on each.
	f := s.Scope("Families")
	occs := beam.Flatten(f, beam.ParDo(f, pairOccs, pairs), beam.ParDo(f, boilerOccs, boilers))
	famEdges, reused := beam.ParDo2(f, regionFn, beam.GroupByKey(f, occs))
	labels := Components(f, famEdges, cfg.Rounds)
	items := beam.Flatten(f, beam.ParDo(f, pairItem, pairs), beam.ParDo(f, boilerItem, boilers))
	byComp := beam.ParDo(f, labelItemFn, beam.CoGroupByKey(f, items, labels))
	pairOuts, members := beam.ParDo2(f, familiesFn, beam.GroupByKey(f, byComp))
	memberOuts := beam.ParDo(f, memberFn, beam.CoGroupByKey(f, members, data, docs))
	clusters := beam.ParDo(f, clusterFn, beam.GroupByKey(f, memberOuts))

	// The result.
	w := s.Scope("Write")
	warnings := beam.Flatten(w, walkWarn, splitWarn, readWarn, orderWarn)
	beam.ParDo0(w, logWarning, warnings)
	fixed := func(c beam.PCollection) beam.PCollection { return beam.AddFixedKey(w, c) }
	beam.ParDo0(w, &writeFn{Settings: set, Output: cfg.Output}, beam.CoGroupByKey(w,
		fixed(infos), fixed(beam.ParDo(w, reusedOf, reused)), fixed(pairOuts), fixed(clusters), fixed(groups), fixed(warnings)))
}

// alignPairs aligns candidates: joined with their second document, then
// with their first, which aligns them all (alignFn).
func alignPairs(s beam.Scope, cands, full beam.PCollection, set Settings) (pairs, edges beam.PCollection) {
	withB := beam.ParDo(s, joinBFn, beam.CoGroupByKey(s, beam.ParDo(s, byB, cands), full))
	return beam.ParDo2(s, &alignFn{Settings: set}, beam.CoGroupByKey(s, withB, full))
}

func textByKey(t Text) (uint64, Text) { return t.Key, t }

func reusedOf(doc uint32, words int) Reused { return Reused{Doc: doc, Words: words} }

func logWarning(ctx context.Context, w Warning) {
	log.Warn(ctx, w.Message)
}

func init() {
	for _, t := range []any{
		Source{}, Warning{}, Text{}, Meta{}, Number{}, Doc{}, Posting{}, DocData{}, Info{},
		Candidate{}, DocFull{}, WithB{}, AlignedPair{}, Edge{}, LabelPair{}, Boiler{}, ItemOcc{},
		Item{}, PairOut{}, MemberRef{}, MemberOut{}, ClusterOut{}, GroupOut{}, Reused{},
		candidate.Key{}, candidate.RareEntry{}, candidate.Anchor{}, cluster.Occurrence{}, postings.Posting{},
		align.Span{}, pairs.ByteSpan{}, pairs.Pair{}, result.Cluster{},
		walkFn{}, splitFn{}, readFn{}, orderFn{}, analyzeFn{}, runFn{}, pairFn{}, alignFn{}, boilerFn{}, writeFn{}, remapFn{},
	} {
		beam.RegisterType(reflect.TypeOf(t))
	}
	for _, fn := range []any{
		metaOf, numberFn, textByKey, fullFn, byB, joinBFn, bucketFn, storedKey, checkFn, edgeNodes, edgeByA,
		labelEdgeFn, groupFn, pairOccs, boilerOccs, regionFn, pairItem, boilerItem, labelItemFn, familiesFn,
		memberFn, clusterFn, reusedOf, logWarning,
		bothWays, selfLabels, minLabel, propagate, sendLabels, disagree, unionLabels,
	} {
		beam.RegisterFunction(fn)
	}
}
