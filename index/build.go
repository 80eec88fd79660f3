package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/internal/grow"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

// Options configure Build. The zero value gives the defaults.
type Options struct {
	// Analyzer sets what is computed of each document: the fingerprints'
	// shingle and window, the seed length of the aligner that will read
	// the seeds, the signature size. Zero fields take shingle's defaults.
	Analyzer shingle.AnalyzerOptions
	// Threshold is the least overlap, as a share 0..1 of each document's
	// words, of near-duplicates (default 0.8): the signatures' LSH band
	// keys are cut for their Jaccard similarity (cluster.Bands of
	// cluster.OverlapJaccard(Threshold)).
	Threshold float64
	// Corpus configures reading the inputs.
	Corpus corpus.Options
	// Workers is the number of readers, and of analyzers (0: GOMAXPROCS).
	Workers int
	// ResidentBytes bounds the pages of the mapped spools kept in resident
	// memory (at least 16 MiB): once readers have read that much of them,
	// their pages are dropped (they stay in the page cache).
	ResidentBytes int64
	// Warn receives, one at a time, each problem with one input and each
	// notice (corpus.IsNotice: an encoding guessed, a duplicate id
	// renamed); Build goes on. Nil ignores them.
	Warn func(error)
	// Indexed, when not nil, is called with the length of each document's
	// text once the document is indexed, from several goroutines at once.
	Indexed func(bytes int)
	// Reword also analyzes each document for reworded reuse (package
	// reword): its Doc record is spooled beside its seeds
	// (SeedReader.Reworded).
	Reword bool
	// ProseOnly, with Reword, analyzes only the documents that read as
	// prose (reword.Prose); the others read as not analyzed (an empty
	// reword.Doc).
	ProseOnly bool
	// RewordKeys, with Reword, also spools the analyzed documents'
	// reworded keys (reword.Keyer) as postings of their own, for a
	// shuffle of their own (EachKeyLoad).
	RewordKeys bool
	// Keys sets the reworded keys (reword.KeyOptions; zero: defaults).
	Keys reword.KeyOptions
	// KeepFingerprints keeps each document's fingerprints in order of
	// position, in a temporary file of about 3 bytes a word, for Doc (an
	// archive stores them). A scan has no use for them.
	KeepFingerprints bool
	// AnalysisBytes bounds the memory that the large documents in
	// flight (read, waiting, or being analyzed) take together, counted
	// at 20 bytes a byte of text: a reader holding a large document
	// waits until the budget has room for it. A document counted at more
	// than the budget waits until it is the only one. Documents under 1
	// MiB of text are not counted (their analysis is a few megabytes).
	// 0: no bound.
	AnalysisBytes int64
}

// Large documents under Options.AnalysisBytes: a document of bigText
// bytes of text or more is counted at analysisPerByte bytes a byte, what
// its analysis takes at its peak (its text, tokens, shingle hashes,
// seeds, fingerprints and seed record; docs/benchmarks.md, "One large
// document").
const (
	bigText         = 1 << 20
	analysisPerByte = 20
)

// minResident is the least Options.ResidentBytes.
const minResident = 16 << 20

// defaultThreshold is the default Options.Threshold.
const defaultThreshold = 0.8

// Build is stage 1: it walks the inputs (folders, files, "-" for standard
// input), reads every document, and fingerprints, signs and spools it, in
// parallel. Problems with single inputs go to opt.Warn; Build fails only
// for a cancelled ctx or an I/O error of its own (a temporary file). The
// caller must Close the Index.
func Build(ctx context.Context, inputs []string, opt Options) (*Index, error) {
	b := newBuilder(opt)
	x := b.x
	workers := b.opt.Workers
	parent := ctx
	g, ctx := errgroup.WithContext(ctx)
	sources := make(chan corpus.Source, 4*workers)
	docs := make(chan corpus.Doc, 2*workers)

	g.Go(func() error {
		defer close(sources)
		return corpus.Walk(ctx, inputs, &b.opt.Corpus, func(src corpus.Source) error {
			return send(ctx, sources, src)
		}, b.warn)
	})

	// Prefetchers ask the system to read files ahead of the readers
	// (corpus.Prefetch): on a cold page cache the disk then serves many
	// reads at once instead of one a reader.
	hinted := make(chan corpus.Source, prefetchAhead)
	var hinting sync.WaitGroup
	for range prefetchers {
		hinting.Go(func() {
			for src := range sources {
				src = corpus.PrefetchOpen(src)
				if send(ctx, hinted, src) != nil {
					src.Release()
					for range sources { // let the walk finish
					}
					return
				}
			}
		})
	}
	go func() {
		hinting.Wait()
		close(hinted)
	}()

	var readers sync.WaitGroup
	for range workers {
		readers.Go(func() {
			for src := range hinted {
				err := corpus.Read(ctx, src, &b.opt.Corpus, func(d corpus.Doc) error {
					cost := b.cost(len(d.Text))
					if err := b.acquire(ctx, cost); err != nil {
						return err
					}
					if err := send(ctx, docs, d); err != nil {
						b.release(cost)
						return err
					}
					return nil
				}, b.warn)
				if err != nil && ctx.Err() == nil {
					b.warn(err)
				}
			}
		})
	}
	go func() {
		readers.Wait()
		close(docs)
	}()

	parts := make([]indexed, workers)
	var nextSeq atomic.Uint32
	for w := range workers {
		g.Go(func() error {
			return b.indexDocs(ctx, docs, &nextSeq, &parts[w])
		})
	}
	err := g.Wait()
	if err == nil {
		err = parent.Err()
	}
	if err != nil {
		for range docs { // let the readers finish
		}
		x.Close()
		return nil, err
	}
	x.seal()
	b.merge(parts, int(nextSeq.Load()))
	// Stage 1's garbage (every text read) goes back before the shuffle
	// loads postings: it lowers the shuffle's peak memory
	// (docs/benchmarks.md, "Measurements behind the code").
	debug.FreeOSMemory()
	return x, nil
}

// prefetchers and prefetchAhead set how far the reading of files runs
// ahead of the readers: the hints in flight, and the files hinted but not
// yet taken by a reader. Enough for a solid-state disk's parallelism
// (16 readers read a cold corpus of small files 2.6 times as fast as 2);
// with files of at most corpus.PrefetchBytes read ahead, at most 80 MB of
// page cache is asked for ahead of use.
const (
	prefetchers   = 16
	prefetchAhead = 64
)

// send puts v on ch, unless ctx is done first.
func send[T any](ctx context.Context, ch chan<- T, v T) error {
	select {
	case ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// builder is the state of one Build.
type builder struct {
	opt         Options // defaults filled in
	x           *Index
	bands, rows int // the LSH cut of signatures
	warnMu      sync.Mutex
	// analysis is Options.AnalysisBytes as a semaphore (nil: no bound),
	// of analysisCap bytes.
	analysis    *semaphore.Weighted
	analysisCap int64
}

// withDefaults fills in the zero fields of o.
func (o Options) withDefaults() Options {
	o.Analyzer = shingle.NewAnalyzer(o.Analyzer).Options()
	if o.Threshold == 0 {
		o.Threshold = defaultThreshold
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Bands returns how Build cuts signatures for LSH (Buckets): bands of
// rows values, cluster.Bands of the signature size for the Jaccard
// similarity of near-duplicates at Threshold (cluster.OverlapJaccard).
// Band keys are cluster.BandKeys of a signature and this cut.
func (o Options) Bands() (bands, rows int) {
	o = o.withDefaults()
	return cluster.Bands(o.Analyzer.SignatureSize, cluster.OverlapJaccard(o.Threshold))
}

func newBuilder(opt Options) *builder {
	opt = opt.withDefaults()
	size := opt.Analyzer.SignatureSize
	b := &builder{opt: opt}
	b.bands, b.rows = opt.Bands()
	b.x = &Index{
		sigs:     spool.NewArray("reuse-signatures-*", 8*size),
		bands:    spool.NewPostings(0),
		postings: spool.NewPostings(0),
		seeds:    spool.NewSeeds(),
		texts:    spool.NewTexts(),
		names:    newNames(),
		seedK:    opt.Analyzer.Seed,
		reword:   opt.Reword,
		sigSize:  size,
		shingleK: opt.Analyzer.Shingle,

		releaseEvery: max(opt.ResidentBytes, minResident),
	}
	if opt.AnalysisBytes > 0 {
		b.analysis, b.analysisCap = semaphore.NewWeighted(opt.AnalysisBytes), opt.AnalysisBytes
	}
	if opt.Reword && opt.RewordKeys {
		b.x.keys = spool.NewPostings(0)
	}
	if opt.KeepFingerprints {
		b.x.fps = spool.NewBlobs("reuse-fingerprints-*")
	}
	return b
}

// cost is what a document of n bytes of text takes of
// Options.AnalysisBytes: 0 when there is no bound or the document is
// small, and at most the whole budget.
func (b *builder) cost(n int) int64 {
	if b.analysis == nil || n < bigText {
		return 0
	}
	return min(analysisPerByte*int64(n), b.analysisCap)
}

// acquire waits until the budget has cost bytes free, or ctx is done.
func (b *builder) acquire(ctx context.Context, cost int64) error {
	if cost == 0 {
		return nil
	}
	return b.analysis.Acquire(ctx, cost)
}

// release gives back cost bytes of the budget.
func (b *builder) release(cost int64) {
	if cost > 0 {
		b.analysis.Release(cost)
	}
}

// warn hands err to Options.Warn, one at a time.
func (b *builder) warn(err error) {
	if b.opt.Warn == nil {
		return
	}
	b.warnMu.Lock()
	defer b.warnMu.Unlock()
	b.opt.Warn(err)
}

// indexed is one worker's share of stage 1: its documents, and their ids
// in an arena of its own.
type indexed struct {
	docs []docRecord
	ids  []byte
}

// indexDocs analyzes documents (shingle.Analyzer) until docs closes,
// spooling their texts, seeds, postings, signatures and band keys.
func (b *builder) indexDocs(ctx context.Context, docs <-chan corpus.Doc, nextSeq *atomic.Uint32, out *indexed) error {
	x := b.x
	z := shingle.NewAnalyzer(b.opt.Analyzer)
	pw, bw, sw := x.postings.NewWriter(), x.bands.NewWriter(), x.seeds.NewWriter()
	var (
		record, sig []byte
		keys        []uint64
		scratch     postingScratch
		err         error
		rw          *rewordWork
	)
	if x.reword {
		rw = &rewordWork{an: reword.NewAnalyzer(), proseOnly: b.opt.ProseOnly}
		if x.keys != nil {
			rw.keyer, rw.w = reword.NewKeyer(b.opt.Keys), x.keys.NewWriter()
		}
	}
	// held is the budget the document at hand took from
	// Options.AnalysisBytes (its reader took it): given back once it is
	// done, before waiting for the next, which may wait for it.
	var held int64
	defer func() { b.release(held) }()
	for d := range docs {
		held = b.cost(len(d.Text))
		if ctx.Err() != nil {
			b.release(held)
			held = 0
			continue // drain
		}
		if len(d.Text) > shingle.MaxText {
			b.warn(&corpus.Error{Path: d.Path, Err: fmt.Errorf("text of %q longer than %d bytes", d.ID, shingle.MaxText)})
			b.release(held)
			held = 0
			continue
		}
		info := docRecord{
			idOff: int64(len(out.ids)), idLen: uint32(len(d.ID)),
			path: x.names.path(d.ID, d.Path), date: x.names.date(d.Date),
			plain: d.Plain, header: uint32(max(d.Header, 0)), line: uint32(max(d.Line, 0)),
			seq: nextSeq.Add(1) - 1, bytes: uint32(len(d.Text)), crc: Checksum(d.Text),
		}
		out.ids = append(out.ids, d.ID...)
		if !d.Plain {
			if info.textOff, err = x.texts.Put(ctx, d.Text); err != nil {
				return err
			}
		}
		// A large document takes seconds to analyze: the context is
		// looked at between the steps.
		var a *shingle.Analysis
		if a, err = z.AnalyzeContext(ctx, d.Text, int(info.header)); err != nil {
			return err
		}
		if held > 0 {
			// A large document: what follows (its reworded analysis, its
			// seed record) must not pile on the scratch of its analysis.
			z.DropScratch()
		}
		info.prose = reword.Prose(d.Text, len(a.Tokens))
		var extra []byte
		if rw != nil {
			if extra, err = rw.analyze(ctx, d.Text, a.Tokens, info.seq, info.prose); err != nil {
				return err
			}
			if held > 0 {
				rw.doc = reword.Doc{} // encoded in extra
			}
			info.rwBytes = uint32(len(extra))
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if info.seeds, err = sw.PutWith(ctx, d.Text, a.Tokens, a.Seeds, a.Repeats, extra); err != nil {
			return err
		}
		words, seeds := len(a.Tokens), len(a.Seeds)
		if held > 0 {
			// Recorded: the text, tokens, seeds and reworded analysis of a
			// large document go before its postings are made.
			d.Text, a.Tokens, a.Seeds, extra = nil, nil, nil, nil
			if rw != nil {
				rw.rec = nil
			}
		}
		if x.fps != nil {
			record = appendFingerprints(record[:0], a.Fingerprints)
			if info.fpOff, err = x.fps.Put(ctx, record); err != nil {
				return err
			}
			info.fpLen = uint32(len(record))
		}
		if err = addPostings(ctx, pw, info.seq, a.Fingerprints, sw.Last(info.seeds), seeds, words, z.Options().Shingle, z.Options().Seed, &scratch); err != nil {
			return err
		}
		info.words, info.fingerprints = uint32(words), uint32(a.Distinct)
		sig = sig[:0]
		for _, v := range a.Signature {
			sig = binary.LittleEndian.AppendUint64(sig, v)
		}
		if err := x.sigs.Put(int(info.seq), sig); err != nil {
			return err
		}
		keys = cluster.BandKeys(keys[:0], a.Signature, b.bands, b.rows)
		for _, k := range keys {
			if err := spool.AddPosting(bw, postings.Posting{Hash: k, Doc: info.seq}); err != nil {
				return err
			}
		}
		out.docs = append(out.docs, info)
		if b.opt.Indexed != nil {
			b.opt.Indexed(len(d.Text))
		}
		if held > 0 {
			// The buffers a large document grew go back with its
			// budget: kept, they would hold its memory past it.
			z = shingle.NewAnalyzer(b.opt.Analyzer)
			record, scratch = nil, postingScratch{}
			sw.DropScratch()
			if rw != nil {
				rw.drop()
			}
			b.release(held)
			held = 0
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if rw != nil && rw.w != nil {
		if err := rw.w.Flush(); err != nil {
			return err
		}
	}
	return pw.Flush()
}

// rewordWork is one worker's analysis for reworded reuse (package
// reword), with its buffers.
type rewordWork struct {
	an        *reword.Analyzer
	proseOnly bool                // Options.ProseOnly
	keyer     *reword.Keyer       // nil without Options.RewordKeys
	w         *spool.RecordWriter // key postings
	doc       reword.Doc
	keys      []shingle.Fingerprint
	rec       []byte
}

// drop lets the analyses' buffers go (after a large document).
func (rw *rewordWork) drop() {
	rw.an, rw.doc, rw.keys, rw.rec = reword.NewAnalyzer(), reword.Doc{}, nil, nil
}

// analyze analyzes the text of document seq, whose tokens are toks,
// spools its keys, and returns its Doc record (valid until the next
// call): empty when the document is not analyzed (Options.ProseOnly and
// not prose, as reword.Prose said).
func (rw *rewordWork) analyze(ctx context.Context, text []byte, toks []shingle.Token, seq uint32, prose bool) ([]byte, error) {
	if rw.proseOnly && !prose {
		return nil, nil
	}
	var err error
	if rw.doc, err = rw.an.AnalyzeContext(ctx, rw.doc, text, toks); err != nil {
		return nil, err
	}
	if rw.keyer == nil {
		rw.rec, err = reword.AppendDocContext(ctx, rw.rec[:0], rw.doc)
		return rw.rec, err
	}
	rw.keys = rw.keyer.Keys(rw.keys[:0], rw.doc)
	for _, k := range rw.keys {
		if err := spool.AddPosting(rw.w, postings.Posting{Hash: k.Hash, Doc: seq, Pos: k.Pos}); err != nil {
			return nil, err
		}
	}
	rw.rec, err = reword.AppendDocContext(ctx, rw.rec[:0], rw.doc)
	return rw.rec, err
}

// postingScratch is the scratch of addPostings, kept between documents.
type postingScratch struct {
	places  []uint32
	arounds []uint32
	seeds   []uint32
	quotes  [][2]int32
}

// addPostings adds to pw the postings of document doc's fingerprints fps,
// their places as PostingPlaces gives them for the quotations of its
// seed record (seeds and words its sizes, as spool.NewSeedView takes
// them), and the digests of the words around them as PostingArounds gives
// them (shingles of k tokens, seeds of s).
func addPostings(ctx context.Context, pw *spool.RecordWriter, doc uint32, fps []shingle.Fingerprint, record []byte, seeds, words, k, s int, sc *postingScratch) error {
	sc.quotes = sc.quotes[:0]
	var ss []uint32
	if v, err := spool.NewSeedView(record, seeds, words); err == nil {
		sc.quotes = v.Quotations(sc.quotes)
		if ss = v.Seeds(sc.seeds[:0]); !v.InPlace() {
			sc.seeds = ss // decoded into the scratch, else the record's own
		}
	}
	sc.places = PostingPlaces(sc.places[:0], fps, sc.quotes, k)
	sc.arounds = PostingArounds(sc.arounds[:0], fps, ss, k, s)
	for i, fp := range fps {
		// A large document has millions: a look every few milliseconds.
		if i&(1<<18-1) == 1<<18-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := spool.AddPosting(pw, postings.Posting{Hash: fp.Hash, Doc: doc, Pos: sc.places[i], Around: sc.arounds[i]}); err != nil {
			return err
		}
	}
	return nil
}

// Quotations appends to dst the quotations of a document
// (shingle.AppendQuotations), read from its seed record (seeds and words
// its sizes, as spool.NewSeedView takes them); none when the record does
// not agree with them.
func Quotations(dst [][2]int32, record []byte, seeds, words int) [][2]int32 {
	if v, err := spool.NewSeedView(record, seeds, words); err == nil {
		dst = v.Quotations(dst)
	}
	return dst
}

// PostingPlaces appends to dst the Pos of the postings of a document's
// fingerprints fps (ascending): each one's place, flagged postings.Quoted
// where its shingle of k tokens lies inside one of the document's
// quotations quotes (in order, as shingle.AppendQuotations gives them); a
// place from postings.Quoted on is written with bit 31 set.
func PostingPlaces(dst []uint32, fps []shingle.Fingerprint, quotes [][2]int32, k int) []uint32 {
	dst = grow.Slice(dst, len(fps))
	q := 0
	for _, fp := range fps {
		pos, end := fp.Pos, int64(fp.Pos)+int64(k)
		for q < len(quotes) && int64(quotes[q][1]) < end {
			q++
		}
		switch {
		case pos >= postings.Quoted:
			pos |= 1 << 31
		case q < len(quotes) && quotes[q][0] <= int32(pos):
			pos |= postings.Quoted
		}
		dst = append(dst, pos)
	}
	return dst
}

// PostingArounds appends to dst the digests of the words around each of
// a document's fingerprints fps (postings.Around), given its seeds of s
// tokens at every place, for shingles of k tokens.
func PostingArounds(dst []uint32, fps []shingle.Fingerprint, seeds []uint32, k, s int) []uint32 {
	dst = grow.Slice(dst, len(fps))
	for _, fp := range fps {
		dst = append(dst, postings.Around(seeds, int(fp.Pos), k, s))
	}
	return dst
}
