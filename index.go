package reuse

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
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

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/shingle"
)

// corpusIndex is what stage 1 hands on: the documents, sorted by id, their
// MinHash signatures, and the spools holding their postings, seeds and
// texts. close removes the spools.
type corpusIndex struct {
	docs     []docInfo
	ids      []byte // the documents' ids, an arena (docInfo.idOff)
	names    *names
	docOf    []uint32       // index in docs of the document of each sequence number
	sigs     *spool.Array   // MinHash signatures, by sequence number
	bands    *spool.Records // LSH band keys as postings (key, sequence number)
	postings *spool.Records
	seeds    *spool.Seeds
	texts    *spool.Texts
	seedK    int // tokens per seed

	// The mapped spools' pages are dropped from resident memory each time
	// readers have read releaseEvery bytes of them (they stay in the page
	// cache): a scan's memory holds at most that much of its spools.
	read         atomic.Int64
	releaseEvery int64
}

// touched counts n bytes read from the mapped spools, and drops their
// pages from resident memory once readers have read releaseEvery bytes.
func (x *corpusIndex) touched(n int64) {
	if x.read.Add(n) < x.releaseEvery {
		return
	}
	x.read.Store(0)
	x.seeds.Release()
	x.sigs.Release()
}

func (x *corpusIndex) close() {
	x.postings.Close()
	x.bands.Close()
	x.sigs.Close()
	x.seeds.Close()
	x.texts.Close()
}

// sig returns document d's MinHash signature, decoded into dst.
func (x *corpusIndex) sig(dst []uint64, d uint32) ([]uint64, error) {
	rec, err := x.sigs.Get(int(x.docs[d].seq), nil)
	if err != nil {
		return dst, err
	}
	dst = dst[:0]
	for i := 0; i < len(rec); i += 8 {
		dst = append(dst, binary.LittleEndian.Uint64(rec[i:]))
	}
	return dst, nil
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// errChanged reports a file that changed between the passes of a scan.
var errChanged = errors.New("reuse: file changed during the scan")

// text returns document d's text: the file read again (and checked
// against what was scanned), or the spooled text.
func (x *corpusIndex) text(d *docInfo, buf []byte) ([]byte, error) {
	if d.plain {
		path := x.path(d)
		text, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if len(text) != int(d.bytes) || crc64.Checksum(text, crcTable) != d.crc {
			return nil, fmt.Errorf("%s: %w", path, errChanged)
		}
		return text, nil
	}
	return x.texts.Get(d.textOff, int(d.bytes), buf)
}

// indexed is one worker's share of stage 1: its documents, and their ids
// in an arena of its own.
type indexed struct {
	docs []docInfo
	ids  []byte
}

// index is stage 1: walk the inputs, read every document, and fingerprint
// and sign it, in parallel. Documents end up sorted by id.
func (s *scan) index(ctx context.Context, inputs []string) (*corpusIndex, error) {
	workers := s.opt.Workers
	x := &corpusIndex{
		sigs:     spool.NewArray("reuse-signatures-*", 8*signatureSize),
		bands:    spool.NewPostings(0),
		postings: spool.NewPostings(0),
		seeds:    spool.NewSeeds(),
		texts:    spool.NewTexts(),
		names:    newNames(),
		seedK:    s.seedK,

		releaseEvery: s.opt.residentBytes(),
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
	x.sigs.Seal()
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
	pw, bw := x.postings.NewWriter(), x.bands.NewWriter()
	b, r := s.bands()
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
			s.warn(&corpus.Error{Path: d.Path, Err: fmt.Errorf("text of %q longer than %d bytes", d.ID, shingle.MaxText)})
			continue
		}
		info := docInfo{
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
		if info.seeds, record, err = x.seeds.Put(a.Tokens, a.Seeds, record); err != nil {
			return err
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
		for _, k := range cluster.BandKeys(keys[:0], a.Signature, b, r) {
			if err := spool.AddPosting(bw, postings.Posting{Hash: k, Doc: info.seq}); err != nil {
				return err
			}
		}
		out.docs = append(out.docs, info)
		if p := s.opt.Progress; p != nil {
			p.Documents.Add(1)
			p.Bytes.Add(int64(len(d.Text)))
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return pw.Flush()
}

// merge joins the workers' shares into x, sorting documents by id
// (renaming duplicate ids) into one arena of ids, and records each
// document's index by its sequence number.
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
	idOf := func(r ref) []byte {
		d := info(r)
		return parts[r.part].ids[d.idOff : d.idOff+int64(d.idLen)]
	}
	slices.SortFunc(refs, func(rx, ry ref) int {
		if c := bytes.Compare(idOf(rx), idOf(ry)); c != 0 {
			return c
		}
		// One id twice (JSONL records, a file named twice): order by path,
		// then line (the first record keeps the id), then content, so that
		// the result does not depend on timing.
		dx, dy := info(rx), info(ry)
		if c := strings.Compare(x.pathOf(string(idOf(rx)), dx.path), x.pathOf(string(idOf(ry)), dy.path)); c != 0 {
			return c
		}
		if dx.line != dy.line {
			return cmp.Compare(dx.line, dy.line)
		}
		if dx.crc != dy.crc {
			return cmp.Compare(dx.crc, dy.crc)
		}
		return cmp.Compare(dx.bytes, dy.bytes)
	})

	n := 0
	for p := range parts {
		n += len(parts[p].ids)
	}
	x.ids = make([]byte, 0, n)
	x.docs = make([]docInfo, 0, len(refs))
	for _, r := range refs {
		d := *info(r)
		d.idOff = int64(len(x.ids))
		x.ids = append(x.ids, idOf(r)...)
		x.docs = append(x.docs, d)
	}
	for p := range parts {
		parts[p] = indexed{}
	}
	if s.renameDuplicates(x) {
		slices.SortStableFunc(x.docs, func(a, b docInfo) int { return bytes.Compare(x.idBytes(&a), x.idBytes(&b)) })
	}
	x.docOf = make([]uint32, seqs)
	for i := range x.docs {
		x.docOf[x.docs[i].seq] = uint32(i)
	}
}

// pathOf is path for a document's id and docInfo.path.
func (x *corpusIndex) pathOf(id string, path uint32) string {
	p := x.names.prefixes[path>>1]
	if path&1 != 0 {
		return p + id
	}
	return p
}

// renameDuplicates gives the second and later documents of one id (in
// the order of x.docs) the ids "<id>#2", "<id>#3", ..., skipping ids
// already taken, and reports each as a notice (corpus.ErrDuplicateID, not
// a skipped input) naming its file and line and where the id was first
// met. It reports whether it renamed any. A renamed document keeps its
// path: path is interned with the id it had.
func (s *scan) renameDuplicates(x *corpusIndex) bool {
	var taken map[string]bool // made on the first duplicate
	renamed := false
	for i := 1; i < len(x.docs); i++ {
		first := &x.docs[i-1]
		if !bytes.Equal(x.idBytes(first), x.idBytes(&x.docs[i])) {
			continue
		}
		if taken == nil {
			taken = make(map[string]bool, len(x.docs))
			for j := range x.docs {
				taken[x.id(&x.docs[j])] = true
			}
		}
		base := x.id(first)
		firstPath := x.path(first)
		n := 2
		for ; i < len(x.docs) && x.id(&x.docs[i]) == base; i++ {
			id := fmt.Sprintf("%s#%d", base, n)
			for taken[id] {
				n++
				id = fmt.Sprintf("%s#%d", base, n)
			}
			taken[id] = true
			d := &x.docs[i]
			path := x.path(d)
			where := ""
			switch {
			case firstPath != path:
				where = " (first in " + firstPath + ")"
			case first.line > 0:
				where = fmt.Sprintf(" (first at line %d)", first.line)
			}
			s.warn(&corpus.Error{Path: path, Line: int(d.line), Err: fmt.Errorf("%w %q%s, renamed %q", corpus.ErrDuplicateID, base, where, id)})
			d.path = x.names.path(id, path)
			d.idOff, d.idLen = int64(len(x.ids)), uint32(len(id))
			x.ids = append(x.ids, id...)
			renamed = true
			n++
		}
		i--
	}
	return renamed
}
