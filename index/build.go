package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc64"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
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
	// KeepFingerprints keeps each document's fingerprints in order of
	// position, in a temporary file of about 3 bytes a word, for Doc (an
	// archive stores them). A scan has no use for them.
	KeepFingerprints bool
}

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

	var readers sync.WaitGroup
	for range workers {
		readers.Go(func() {
			for src := range sources {
				err := corpus.Read(ctx, src, &b.opt.Corpus, func(d corpus.Doc) error {
					return send(ctx, docs, d)
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
	x.seeds.Seal()
	x.sigs.Seal()
	b.merge(parts, int(nextSeq.Load()))
	// Stage 1's garbage (every text read) goes back before the shuffle
	// loads postings: it lowers the shuffle's peak memory
	// (docs/benchmarks.md, "Measurements behind the code").
	debug.FreeOSMemory()
	return x, nil
}

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
}

func newBuilder(opt Options) *builder {
	opt.Analyzer = shingle.NewAnalyzer(opt.Analyzer).Options()
	if opt.Threshold == 0 {
		opt.Threshold = defaultThreshold
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	size := opt.Analyzer.SignatureSize
	b := &builder{opt: opt}
	b.bands, b.rows = cluster.Bands(size, cluster.OverlapJaccard(opt.Threshold))
	b.x = &Index{
		sigs:     spool.NewArray("reuse-signatures-*", 8*size),
		bands:    spool.NewPostings(0),
		postings: spool.NewPostings(0),
		seeds:    spool.NewSeeds(),
		texts:    spool.NewTexts(),
		names:    newNames(),
		seedK:    opt.Analyzer.Seed,
		sigSize:  size,
		shingleK: opt.Analyzer.Shingle,

		releaseEvery: max(opt.ResidentBytes, minResident),
	}
	if opt.KeepFingerprints {
		b.x.fps = spool.NewBlobs("reuse-fingerprints-*")
	}
	return b
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
	pw, bw := x.postings.NewWriter(), x.bands.NewWriter()
	var (
		record, sig []byte
		keys        []uint64
		err         error
	)
	for d := range docs {
		if ctx.Err() != nil {
			continue // drain
		}
		if len(d.Text) > shingle.MaxText {
			b.warn(&corpus.Error{Path: d.Path, Err: fmt.Errorf("text of %q longer than %d bytes", d.ID, shingle.MaxText)})
			continue
		}
		info := docRecord{
			idOff: int64(len(out.ids)), idLen: uint32(len(d.ID)),
			path: x.names.path(d.ID, d.Path), date: x.names.date(d.Date),
			plain: d.Plain, header: uint32(max(d.Header, 0)), line: uint32(max(d.Line, 0)),
			seq: nextSeq.Add(1) - 1, bytes: uint32(len(d.Text)), crc: crc64.Checksum(d.Text, crcTable),
		}
		out.ids = append(out.ids, d.ID...)
		if !d.Plain {
			if info.textOff, err = x.texts.Put(d.Text); err != nil {
				return err
			}
		}
		a := z.Analyze(d.Text, int(info.header))
		if info.seeds, record, err = x.seeds.Put(a.Tokens, a.Seeds, a.Repeats, record); err != nil {
			return err
		}
		if x.fps != nil {
			record = appendFingerprints(record[:0], a.Fingerprints)
			if info.fpOff, err = x.fps.Put(record); err != nil {
				return err
			}
			info.fpLen = uint32(len(record))
		}
		for _, fp := range a.Fingerprints {
			if err := spool.AddPosting(pw, postings.Posting{Hash: fp.Hash, Doc: info.seq, Pos: fp.Pos}); err != nil {
				return err
			}
		}
		info.words, info.fingerprints = uint32(len(a.Tokens)), uint32(a.Distinct)
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
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return pw.Flush()
}
