package reusebeam

import (
	"context"
	"reflect"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/cluster"
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
	// Partitions is the number of keys the postings and band keys are
	// grouped by (0: 64): each partition's postings are one worker's
	// load, about 16 bytes × 0.33 × words / Partitions.
	Partitions int
	// BlockDocs is the number of consecutive documents (in the scan's
	// order) keyed together wherever the pipeline joins by document
	// (0: 64): fewer keys for the runner to track, and a pair's second
	// document shipped once to each block of first documents it pairs
	// with.
	BlockDocs int
	// Shards, for a JSONL Output, writes the result's lines into this
	// many files written by different workers (ShardName) instead of
	// one file written by one worker (0). A JSON Output is one document
	// and ignores it.
	Shards int
}

// Build adds the scan to the pipeline of scope s.
func Build(s beam.Scope, cfg Config) {
	if cfg.PartBytes == 0 {
		cfg.PartBytes = 64 << 20
	}
	if cfg.Rounds == 0 {
		cfg.Rounds = 6
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 64
	}
	if cfg.BlockDocs <= 0 {
		cfg.BlockDocs = 64
	}
	if strings.HasSuffix(cfg.Output, ".jsonl") {
		cfg.Settings.PassageText = true // its rows stand alone, as reuse scan's
	} else {
		cfg.Shards = 0 // one JSON document
	}
	set, blocks := cfg.Settings, cfg.BlockDocs

	// Stage 1: read, number, fingerprint.
	r := s.Scope("Read")
	sources, walkWarn := beam.ParDo2(r, &walkFn{Inputs: cfg.Inputs, Settings: set}, beam.Impulse(r))
	parts, splitWarn := beam.ParDo2(r, &splitFn{PartBytes: cfg.PartBytes, Settings: set}, beam.Reshuffle(r, sources))
	texts, readWarn := beam.ParDo2(r, &readFn{Settings: set}, beam.Reshuffle(r, parts))

	n := s.Scope("Number")
	numbers, orderWarn := beam.ParDo2(n, &orderFn{}, beam.GroupByKey(n, beam.AddFixedKey(n, beam.ParDo(n, metaOf, texts))))
	docs := beam.ParDo(n, numberFn, beam.CoGroupByKey(n, beam.ParDo(n, textByBucket, texts), numbers))

	a := s.Scope("Fingerprint")
	postingBatches, bandBatches, keyBatches, data, docTexts, infos := beam.ParDo6(a,
		&analyzeFn{Settings: set, Partitions: cfg.Partitions, BlockDocs: blocks}, docs)

	// Stage 2: the shuffle, by partition of hashes, then by block of
	// first documents.
	sh := s.Scope("Shuffle")
	keys, rare, boilerPostings := beam.ParDo3(sh, &runFn{Settings: set, BlockDocs: blocks}, beam.GroupByKey(sh, postingBatches))
	// The reworded keys (Settings.Reworded; none otherwise), shuffled
	// alike, join the candidates by block of first documents; with listed
	// pairs (Settings.Pairs), those are the candidates.
	var cands, listWarn beam.PCollection
	if set.Pairs != nil {
		var listed beam.PCollection
		listed, listWarn = beam.ParDo2(sh, &listFn{Settings: set, BlockDocs: blocks}, beam.GroupByKey(sh, beam.AddFixedKey(sh, infos)))
		cands = beam.ParDo(sh, &listedPairFn{Settings: set, BlockDocs: blocks}, beam.CoGroupByKey(sh, keys, listed))
	} else {
		rwKeys := beam.ParDo(sh, &keyRunFn{BlockDocs: blocks}, beam.GroupByKey(sh, keyBatches))
		cands = beam.ParDo(sh, &pairFn{Settings: set, BlockDocs: blocks}, beam.CoGroupByKey(sh, keys, rwKeys))
	}
	boilers, boilerOccs := boilerplate(sh, set, blocks, cfg.Rounds, boilerPostings)
	checks := beam.ParDo(sh, &bucketFn{BlockDocs: blocks}, beam.GroupByKey(sh, bandBatches))

	// Stage 3: align, by block of second documents, then of first ones.
	al := s.Scope("Align")
	guests := beam.ParDo(al, &guestFn{BlockDocs: blocks}, beam.CoGroupByKey(al, beam.Flatten(al, cands, checks), data, rare, boilerOccs))
	aligned, edges := beam.ParDo2(al, &alignFn{Settings: set}, beam.CoGroupByKey(al, guests, data, rare, boilerOccs))

	// Groups: components of near-duplicate edges.
	g := s.Scope("Groups")
	docLabels := Components(g, beam.ParDo(g, edgeNodes, edges), cfg.Rounds)
	groups := beam.ParDo(g, groupFn, beam.GroupByKey(g, beam.ParDo(g, labelEdgeFn, beam.CoGroupByKey(g, beam.ParDo(g, edgeByA, edges), docLabels))))

	// Families: components of pairs and boilerplate families tied by
	// overlapping occurrences, then cluster.Families on each; byte
	// offsets where the documents are.
	f := s.Scope("Families")
	items := beam.Flatten(f, beam.ParDo(f, pairItem, aligned), beam.ParDo(f, boilerItem, boilers))
	famEdges, reused := beam.ParDo2(f, regionFn, beam.GroupByKey(f, beam.ParDo(f, &occsFn{BlockDocs: blocks}, items)))
	labels := Components(f, famEdges, cfg.Rounds)
	byComp := beam.ParDo(f, labelItemFn, beam.CoGroupByKey(f, beam.ParDo(f, itemByNode, items), labels))
	pairOuts, members := beam.ParDo2(f, &familiesFn{BlockDocs: blocks}, beam.GroupByKey(f, byComp))
	sides := beam.ParDo(f, &sidesFn{BlockDocs: blocks}, aligned)
	// Boilerplate widened to the text it covers, for the members' offsets
	// (families and reused words of the occurrences as found).
	widened := widenBoilerplate(f, set, blocks, boilers, data)
	memberOuts, sideOuts := beam.ParDo2(f, &bytesFn{Settings: set}, beam.CoGroupByKey(f, members, sides, docTexts, widened))

	// The result.
	w := s.Scope("Write")
	warnings := beam.Flatten(w, walkWarn, splitWarn, readWarn, orderWarn)
	if set.Pairs != nil {
		warnings = beam.Flatten(w, warnings, listWarn)
	}
	beam.ParDo0(w, logWarning, warnings)
	if cfg.Shards > 0 {
		writeShards(w, cfg, infos, reused, pairOuts, sideOuts, memberOuts, groups, warnings)
		return
	}
	fixed := func(c beam.PCollection) beam.PCollection { return beam.AddFixedKey(w, c) }
	beam.ParDo0(w, &writeFn{Settings: set, Output: cfg.Output}, beam.CoGroupByKey(w,
		fixed(infos), fixed(reused), fixed(pairOuts), fixed(sideOuts), fixed(memberOuts), fixed(groups), fixed(warnings)))
}

func logWarning(ctx context.Context, w Warning) {
	log.Warn(ctx, w.Message)
}

func init() {
	for _, t := range []any{
		Source{}, Warning{}, Text{}, Meta{}, Number{}, Doc{}, DocText{}, Info{}, Guests{}, Aligned{}, Edge{},
		Boiler{}, ItemOcc{}, Item{}, Reused{}, PairOut{}, MemberRef{}, SideRef{}, MemberOut{}, SideOut{}, GroupOut{},
		WidenOcc{}, KeyedOcc{}, RefReq{}, RefSeeds{}, Widened{}, Neighbours{}, PostOcc{}, Claim{},
		cluster.Majority{},
		align.Span{}, cluster.Occurrence{},
	} {
		beam.RegisterType(reflect.TypeOf(t))
	}

	// DoFns and functions, with their generated callers (register), and
	// the emitters and iterators they use.
	register.DoFn4x1[context.Context, []byte, func(Source), func(Warning), error](&walkFn{})
	register.DoFn4x1[context.Context, Source, func(Source), func(Warning), error](&splitFn{})
	register.DoFn4x1[context.Context, Source, func(Text), func(Warning), error](&readFn{})
	register.Function1x1(metaOf)
	register.DoFn4x0[int, func(*Meta) bool, func(uint32, Number), func(Warning)](&orderFn{})
	register.Function1x2(textByBucket)
	register.Function4x0(numberFn)
	register.DoFn7x0[Doc, func(uint32, []byte), func(uint32, []byte), func(uint32, []byte), func(uint32, []byte), func(uint32, DocText), func(Info)](&analyzeFn{})
	register.DoFn6x1[context.Context, uint32, func(*[]byte) bool, func(uint32, []byte), func(uint32, []byte), func(uint32, []byte), error](&runFn{})
	register.DoFn4x0[uint32, func(*[]byte) bool, func(*[]byte) bool, func(uint32, []byte)](&pairFn{})
	register.DoFn4x1[context.Context, uint32, func(*[]byte) bool, func(uint32, []byte), error](&keyRunFn{})
	register.DoFn4x0[int, func(*Info) bool, func(uint32, []byte), func(Warning)](&listFn{})
	register.DoFn4x1[uint32, func(*[]byte) bool, func(*[]byte) bool, func(uint32, []byte), error](&listedPairFn{})
	register.DoFn5x0[uint32, func(*[]byte) bool, func(uint64, Neighbours), func(uint64, PostOcc), func(uint32, []byte)](&boilerOccsFn{})
	register.Function2x2(majorityFn)
	register.Function3x0(claimFn)
	register.Function3x0(joinFn)
	register.Function4x0(boilerLabelFn)
	register.Function2x1(spanOccs)
	register.Function2x2(byFamily)
	register.Function3x0(boilerFamilyFn)
	register.DoFn3x0[uint32, func(*[]byte) bool, func(uint32, []byte)](&bucketFn{})
	register.DoFn6x1[uint32, func(*[]byte) bool, func(*[]byte) bool, func(*[]byte) bool, func(*[]byte) bool, func(uint32, Guests), error](&guestFn{})
	register.DoFn8x1[context.Context, uint32, func(*Guests) bool, func(*[]byte) bool, func(*[]byte) bool, func(*[]byte) bool, func(Aligned), func(Edge), error](&alignFn{})
	register.Function1x2(edgeNodes)
	register.Function1x2(edgeByA)
	register.Function4x0(labelEdgeFn)
	register.Function3x0(groupFn)
	register.Function1x1(pairItem)
	register.Function1x1(boilerItem)
	register.Function1x2(itemByNode)
	register.DoFn2x0[Item, func(uint32, ItemOcc)](&occsFn{})
	register.Function4x0(regionFn)
	register.Function4x0(labelItemFn)
	register.DoFn5x1[context.Context, uint64, func(*Item) bool, func(PairOut), func(uint32, MemberRef), error](&familiesFn{})
	register.DoFn2x0[Aligned, func(uint32, SideRef)](&sidesFn{})
	register.DoFn4x0[Boiler, func(uint32, WidenOcc), func(uint32, KeyedOcc), func(uint64, uint32)](&widenReqFn{})
	register.DoFn4x1[uint32, func(*KeyedOcc) bool, func(*[]byte) bool, func(uint64, KeyedOcc), error](&keyFn{})
	register.DoFn3x0[uint64, func(*KeyedOcc) bool, func(uint32, RefReq)](&refReqFn{})
	register.DoFn4x1[uint32, func(*RefReq) bool, func(*[]byte) bool, func(uint64, RefSeeds), error](&refFn{})
	register.Function4x0(refBlocksFn)
	register.DoFn5x1[uint32, func(*WidenOcc) bool, func(*RefSeeds) bool, func(*[]byte) bool, func(uint32, Widened), error](&widenFn{})
	register.DoFn7x1[uint32, func(*MemberRef) bool, func(*SideRef) bool, func(*DocText) bool, func(*Widened) bool, func(MemberOut), func(SideOut), error](&bytesFn{})
	register.Function2x0(logWarning)
	register.DoFn9x1[context.Context, int, func(*Info) bool, func(*Reused) bool, func(*PairOut) bool, func(*SideOut) bool, func(*MemberOut) bool, func(*GroupOut) bool, func(*Warning) bool, error](&writeFn{})

	register.Emitter1[Source]()
	register.Emitter1[Warning]()
	register.Emitter1[Text]()
	register.Emitter1[Doc]()
	register.Emitter1[Info]()
	register.Emitter1[Boiler]()
	register.Emitter1[Aligned]()
	register.Emitter1[Edge]()
	register.Emitter1[Reused]()
	register.Emitter1[PairOut]()
	register.Emitter1[MemberOut]()
	register.Emitter1[SideOut]()
	register.Emitter1[GroupOut]()
	register.Emitter2[uint32, Number]()
	register.Emitter2[uint32, []byte]()
	register.Emitter2[int, []byte]()
	register.Emitter2[uint32, DocText]()
	register.Emitter2[uint32, Guests]()
	register.Emitter2[uint32, ItemOcc]()
	register.Emitter2[uint32, MemberRef]()
	register.Emitter2[uint32, SideRef]()
	register.Emitter2[uint32, WidenOcc]()
	register.Emitter2[uint32, RefReq]()
	register.Emitter2[uint32, KeyedOcc]()
	register.Emitter2[uint64, KeyedOcc]()
	register.Emitter2[uint32, RefSeeds]()
	register.Emitter2[uint32, Widened]()
	register.Emitter2[uint64, RefSeeds]()
	register.Emitter2[uint64, uint32]()
	register.Emitter2[uint64, uint64]()
	register.Emitter2[uint64, Edge]()
	register.Emitter2[uint64, Item]()
	register.Emitter2[uint64, cluster.Occurrence]()
	register.Emitter2[string, cluster.Occurrence]()
	register.Emitter2[uint64, Neighbours]()
	register.Emitter2[uint64, PostOcc]()
	register.Emitter2[uint64, Claim]()
	register.Iter1[Meta]()
	register.Iter1[Text]()
	register.Iter1[Number]()
	register.Iter1[[]byte]()
	register.Iter1[Guests]()
	register.Iter1[Edge]()
	register.Iter1[uint64]()
	register.Iter1[ItemOcc]()
	register.Iter1[Item]()
	register.Iter1[cluster.Occurrence]()
	register.Iter1[Neighbours]()
	register.Iter1[PostOcc]()
	register.Iter1[Claim]()
	register.Iter1[MemberRef]()
	register.Iter1[SideRef]()
	register.Iter1[WidenOcc]()
	register.Iter1[RefReq]()
	register.Iter1[KeyedOcc]()
	register.Iter1[RefSeeds]()
	register.Iter1[Widened]()
	register.Iter1[uint32]()
	register.Iter1[DocText]()
	register.Iter1[Info]()
	register.Iter1[Reused]()
	register.Iter1[PairOut]()
	register.Iter1[SideOut]()
	register.Iter1[MemberOut]()
	register.Iter1[GroupOut]()
	register.Iter1[Warning]()
}
