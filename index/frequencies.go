package index

import (
	"context"
	"os"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/shingle"
)

// bytesPerShingle is about how many bytes of text give one shingle (a
// token and its separator, in English prose): a table of one to two
// slots a shingle the inputs' sizes promise keeps most counts exact
// (shingle.Frequencies).
const bytesPerShingle = 6

// compressedText is how many bytes of text a byte of a compressed input
// (or of a zip archive) is taken to hold when the table is sized: text
// compresses about 3 to 10 times (the Linux tree as a .tar.xz of 164 MB
// holds 1.3 GB: about 8).
// Too large costs memory within opt.ResidentBytes; too small, counts
// shared by several shingles.
const compressedText = 8

// Frequencies reads inputs as Build does and counts, for each shingle,
// the documents holding it: the table weighted winnowing ranks shingles
// by (shingle.Weights), which every document the scan compares must be
// analyzed with. It is a pass of its own over the corpus, before Build:
// stage 1 needs the table before it fingerprints the first document.
// Each worker counts into a table of its own, merged at the end, of a
// sixth to a third of the inputs' size in bytes (of compressedText times
// a compressed input's; opt.ResidentBytes caps them). opt.Indexed is
// called for each document counted. Files that cannot be read are
// skipped silently: Build reports them.
func Frequencies(ctx context.Context, inputs []string, opt Options) (*shingle.Frequencies, error) {
	opt = opt.withDefaults()
	workers := opt.Workers
	var sources []corpus.Source
	var size int64
	err := corpus.Walk(ctx, inputs, &opt.Corpus, func(src corpus.Source) error {
		sources = append(sources, src)
		if fi, err := os.Stat(src.Path); err == nil {
			if src.Compression != "" || src.Format == corpus.FormatZip {
				size += compressedText * fi.Size()
			} else {
				size += fi.Size()
			}
		}
		return ctx.Err()
	}, func(error) {})
	if err != nil {
		return nil, err
	}
	slots := size / bytesPerShingle
	if opt.ResidentBytes > 0 {
		slots = min(slots, opt.ResidentBytes/int64(workers))
	}
	tables := make([]*shingle.Frequencies, workers)
	var next sync.Mutex
	at := 0
	g, ctx := errgroup.WithContext(ctx)
	for w := range workers {
		tables[w] = shingle.NewFrequencies(int(slots))
		g.Go(func() error {
			z := shingle.NewAnalyzer(opt.Analyzer)
			var hs, scratch []uint64
			for {
				next.Lock()
				i := at
				at++
				next.Unlock()
				if i >= len(sources) {
					return nil
				}
				// An input that cannot be read is skipped: Build reports it.
				_ = corpus.Read(ctx, sources[i], &opt.Corpus, func(d corpus.Doc) error {
					if err := ctx.Err(); err != nil {
						return err
					}
					hs = z.ShingleHashes(hs[:0], d.Text, d.Header)
					scratch = tables[w].AddDocument(hs, scratch)
					if opt.Indexed != nil {
						opt.Indexed(len(d.Text))
					}
					return nil
				}, func(error) {})
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, t := range tables[1:] {
		tables[0].Merge(t)
	}
	return tables[0], nil
}
