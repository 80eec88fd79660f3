package archive

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
)

// merge writes the live documents of the writer's segments segs, and
// their postings, as one segment named name. Documents' records are
// copied as they are (checked against their checksums); the postings of
// each kind are merged in order of key, renumbered, without the removed
// documents.
//
// It returns each merged segment's documents' numbers in the new one
// (removed ones' meaningless). Cost: one pass over the segments' bytes;
// memory 8 bytes a document and the postings of one key.
func (w *Writer) merge(ctx context.Context, name string, segs []int) (segmentInfo, map[int][]uint32, error) {
	type doc struct {
		seg int
		d   uint32
		id  []byte
	}
	var docs []doc
	for _, s := range segs {
		seg := w.ix.segs[s]
		for d := range uint32(seg.docs) {
			if !seg.removed(d) {
				docs = append(docs, doc{s, d, seg.id(d)})
			}
		}
	}
	slices.SortFunc(docs, func(x, y doc) int { return bytes.Compare(x.id, y.id) })
	renumber := make(map[int][]uint32, len(segs))
	for _, s := range segs {
		renumber[s] = make([]uint32, w.ix.segs[s].docs)
	}
	for i, d := range docs {
		renumber[d.seg][d.d] = uint32(i)
	}

	tmp := filepath.Join(w.dir, name+".tmp")
	sw, err := newSegWriter(tmp)
	if err != nil {
		return segmentInfo{}, nil, err
	}
	fail := func(err error) (segmentInfo, map[int][]uint32, error) {
		sw.abort()
		return segmentInfo{}, nil, err
	}
	for i, d := range docs {
		if i%4096 == 0 && ctx.Err() != nil {
			return fail(ctx.Err())
		}
		seg := w.ix.segs[d.seg]
		rec, err := seg.records(d.d)
		if err != nil {
			return fail(err)
		}
		if _, ok := idInRecords(rec); !ok {
			return fail(seg.corrupt("document %d: no meta record", d.d))
		}
		sw.addRecords(rec, len(d.id), seg.words(d.d))
	}
	for _, k := range written {
		if err := w.mergeKind(ctx, sw, k, segs, renumber); err != nil {
			return fail(err)
		}
	}
	info, err := w.finishSegment(sw, name, tmp, len(docs))
	return info, renumber, err
}

// mergeKind merges the terms of kind k of the segments segs into sw.
func (w *Writer) mergeKind(ctx context.Context, sw *segWriter, k Kind, segs []int, renumber map[int][]uint32) error {
	kw := sw.newKind(k)
	its := make([]*terms, len(segs))
	ok := make([]bool, len(segs))
	for i, s := range segs {
		its[i] = w.ix.segs[s].terms(k)
		var err error
		if ok[i], err = its[i].next(); err != nil {
			return err
		}
	}
	var run, buf []posting
	for n := 0; ; n++ {
		if n%(1<<16) == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		first := -1
		for i := range its {
			if ok[i] && (first < 0 || its[i].key < its[first].key) {
				first = i
			}
		}
		if first < 0 {
			break
		}
		key := its[first].key
		run = run[:0]
		for i, t := range its {
			if !ok[i] || t.key != key {
				continue
			}
			seg := w.ix.segs[segs[i]]
			var err error
			if buf, err = t.postings(buf[:0]); err != nil {
				return err
			}
			for _, p := range buf {
				if !seg.removed(p.doc) {
					run = append(run, posting{doc: renumber[segs[i]][p.doc], pos: p.pos})
				}
			}
			if ok[i], err = t.next(); err != nil {
				return err
			}
		}
		sortPostings(run)
		kw.add(key, run)
		if sw.err != nil {
			return sw.err
		}
	}
	return nil
}
