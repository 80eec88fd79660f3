package reuse

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/crc64"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/shingle"
)

// docInfo is what a scan keeps of a document between the stages: no text.
type docInfo struct {
	id, path, date string
	bytes, words   int
	plain          bool   // text is the file at path, read again for excerpts and reports
	header         int    // bytes of metadata at the start, not tokenized
	fingerprints   int    // distinct fingerprint hashes
	seq            uint32 // order of arrival in stage 1; postings refer to it
	seeds          spool.Record
	textOff        int64 // in the text spool, when not plain
	crc            uint64
}

// corpusIndex is what stage 1 hands on: the documents, sorted by id, their
// MinHash signatures, and the spools holding their postings, seeds and
// texts. close removes the spools.
type corpusIndex struct {
	docs     []docInfo
	sigs     []uint64 // signatureSize values per document, in docs order
	docOf    []uint32 // index in docs of the document of each sequence number
	postings *spool.Records
	seeds    *spool.Seeds
	texts    *spool.Texts
	seedK    int // tokens per seed
}

func (x *corpusIndex) close() {
	x.postings.Close()
	x.seeds.Close()
	x.texts.Close()
}

func (x *corpusIndex) sig(d uint32) []uint64 {
	return x.sigs[int(d)*signatureSize : int(d+1)*signatureSize]
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// errChanged reports a file that changed between the passes of a scan.
var errChanged = errors.New("reuse: file changed during the scan")

// text returns document d's text: the file read again (and checked
// against what was scanned), or the spooled text.
func (x *corpusIndex) text(d *docInfo, buf []byte) ([]byte, error) {
	if d.plain {
		text, err := os.ReadFile(d.path)
		if err != nil {
			return nil, err
		}
		if len(text) != d.bytes || crc64.Checksum(text, crcTable) != d.crc {
			return nil, fmt.Errorf("%s: %w", d.path, errChanged)
		}
		return text, nil
	}
	return x.texts.Get(d.textOff, d.bytes, buf)
}

// indexed is one worker's share of stage 1.
type indexed struct {
	docs []docInfo
	sigs []uint64
}

// index is stage 1: walk the inputs, read every document, and fingerprint
// and sign it, in parallel. Documents end up sorted by id.
func (s *scan) index(ctx context.Context, inputs []string) (*corpusIndex, error) {
	workers := s.opt.Workers
	x := &corpusIndex{
		postings: spool.NewPostings(s.opt.Memory / 2),
		seeds:    spool.NewSeeds(),
		texts:    spool.NewTexts(),
		seedK:    s.seedK,
	}
	parent := ctx
	g, ctx := errgroup.WithContext(ctx)
	sources := make(chan corpus.Source, 4*workers)
	docs := make(chan corpus.Doc, 2*workers)

	g.Go(func() error {
		defer close(sources)
		return corpus.Walk(ctx, inputs, &s.opt.Corpus, func(src corpus.Source) error {
			select {
			case sources <- src:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}, s.warn)
	})

	var readers sync.WaitGroup
	for range workers {
		readers.Go(func() {
			for src := range sources {
				err := corpus.Read(ctx, src, &s.opt.Corpus, func(d corpus.Doc) error {
					select {
					case docs <- d:
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				}, s.warn)
				if err != nil && ctx.Err() == nil {
					s.warn(err)
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
			return s.indexDocs(ctx, x, docs, &nextSeq, &parts[w])
		})
	}
	err := g.Wait()
	if err == nil {
		err = parent.Err()
	}
	if err != nil {
		for range docs { // let the readers finish
		}
		x.close()
		return nil, err
	}
	x.seeds.Seal()
	s.merge(x, parts, int(nextSeq.Load()))
	// Stage 1's garbage (every text read) goes back before the shuffle
	// loads postings (1 GB: the shuffle's peak RSS 2.7 -> 2.5 GB).
	debug.FreeOSMemory()
	return x, nil
}

// indexDocs analyzes documents (shingle.Analyzer) until docs closes,
// spooling their texts, seeds and postings.
func (s *scan) indexDocs(ctx context.Context, x *corpusIndex, docs <-chan corpus.Doc, nextSeq *atomic.Uint32, out *indexed) error {
	z := shingle.NewAnalyzer(s.analyzerOptions())
	pw := x.postings.NewWriter()
	var (
		record []byte
		err    error
	)
	for d := range docs {
		if ctx.Err() != nil {
			continue // drain
		}
		if len(d.Text) > shingle.MaxText {
			s.warn(&corpus.Error{Path: d.Path, Err: fmt.Errorf("text of %q longer than %d bytes", d.ID, shingle.MaxText)})
			continue
		}
		info := docInfo{
			id: d.ID, path: d.Path, date: d.Date, plain: d.Plain, header: d.Header,
			seq: nextSeq.Add(1) - 1, bytes: len(d.Text), crc: crc64.Checksum(d.Text, crcTable),
		}
		if !d.Plain {
			if info.textOff, err = x.texts.Put(d.Text); err != nil {
				return err
			}
		}
		a := z.Analyze(d.Text, info.header)
		if info.seeds, record, err = x.seeds.Put(a.Tokens, a.Seeds, record); err != nil {
			return err
		}
		for _, fp := range a.Fingerprints {
			if err := spool.AddPosting(pw, postings.Posting{Hash: fp.Hash, Doc: info.seq, Pos: fp.Pos}); err != nil {
				return err
			}
		}
		info.words, info.fingerprints = len(a.Tokens), a.Distinct
		out.sigs = append(out.sigs, a.Signature...)
		out.docs = append(out.docs, info)
		if p := s.opt.Progress; p != nil {
			p.Documents.Add(1)
			p.Bytes.Add(int64(len(d.Text)))
		}
	}
	return pw.Flush()
}

// merge joins the workers' shares into x, sorting documents by id
// (renaming duplicate ids), and records each document's index by its
// sequence number.
func (s *scan) merge(x *corpusIndex, parts []indexed, seqs int) {
	type ref struct {
		part, doc int
	}
	var refs []ref
	for p := range parts {
		for d := range parts[p].docs {
			refs = append(refs, ref{p, d})
		}
	}
	info := func(r ref) *docInfo { return &parts[r.part].docs[r.doc] }
	byID := func(x, y ref) int { return strings.Compare(info(x).id, info(y).id) }
	slices.SortFunc(refs, func(x, y ref) int {
		if c := byID(x, y); c != 0 {
			return c
		}
		// One id twice (JSONL records, a file named twice): order by path,
		// then content, so that the result does not depend on timing.
		dx, dy := info(x), info(y)
		if c := strings.Compare(dx.path, dy.path); c != 0 {
			return c
		}
		if dx.crc != dy.crc {
			return cmp.Compare(dx.crc, dy.crc)
		}
		return dx.bytes - dy.bytes
	})
	if renameDuplicates(s, refs, info) {
		slices.SortStableFunc(refs, byID)
	}

	x.docOf = make([]uint32, seqs)
	x.docs = make([]docInfo, 0, len(refs))
	x.sigs = make([]uint64, 0, len(refs)*signatureSize)
	for i, r := range refs {
		x.docs = append(x.docs, *info(r))
		x.sigs = append(x.sigs, parts[r.part].sigs[r.doc*signatureSize:(r.doc+1)*signatureSize]...)
		x.docOf[info(r).seq] = uint32(i)
	}
	for p := range parts {
		parts[p] = indexed{}
	}
}

// renameDuplicates gives the second and later documents of one id (in the
// order of list) the ids "<id>#2", "<id>#3", ..., skipping ids already
// taken, and warns about each. It reports whether it renamed any.
func renameDuplicates[T any](s *scan, list []T, info func(T) *docInfo) bool {
	taken := make(map[string]bool, len(list))
	for _, x := range list {
		taken[info(x).id] = true
	}
	renamed := false
	for i := 1; i < len(list); i++ {
		base := info(list[i-1]).id
		if info(list[i]).id != base {
			continue
		}
		n := 2
		for ; i < len(list) && info(list[i]).id == base; i++ {
			id := fmt.Sprintf("%s#%d", base, n)
			for taken[id] {
				n++
				id = fmt.Sprintf("%s#%d", base, n)
			}
			taken[id] = true
			d := info(list[i])
			s.warn(&corpus.Error{Path: d.path, Err: fmt.Errorf("duplicate id %q, renamed %q", base, id)})
			d.id = id
			renamed = true
			n++
		}
		i--
	}
	return renamed
}
