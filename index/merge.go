package index

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/reuse-tool/reuse/corpus"
)

// merge joins the workers' shares into the Index, sorting documents by id
// (renaming duplicate ids) into one arena of ids, and records each
// document's number by its sequence number.
func (b *builder) merge(parts []indexed, seqs int) {
	x := b.x
	type ref struct {
		part, doc int
	}
	var refs []ref
	for p := range parts {
		for d := range parts[p].docs {
			refs = append(refs, ref{p, d})
		}
	}
	info := func(r ref) *docRecord { return &parts[r.part].docs[r.doc] }
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
		if c := strings.Compare(x.pathOf(idOf(rx), dx.path), x.pathOf(idOf(ry), dy.path)); c != 0 {
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
	x.docs = make([]docRecord, 0, len(refs))
	for _, r := range refs {
		d := *info(r)
		d.idOff = int64(len(x.ids))
		x.ids = append(x.ids, idOf(r)...)
		x.docs = append(x.docs, d)
	}
	for p := range parts {
		parts[p] = indexed{}
	}
	if b.renameDuplicates() {
		slices.SortStableFunc(x.docs, func(a, b docRecord) int { return bytes.Compare(x.idBytes(&a), x.idBytes(&b)) })
	}
	x.docOf = make([]uint32, seqs)
	for i := range x.docs {
		x.docOf[x.docs[i].seq] = uint32(i)
	}
}

// DocKey is what the numbering of documents needs of one document read.
type DocKey struct {
	ID, Path string
	Line     int    // corpus.Doc.Line: a JSONL record's line, else 0
	CRC      uint64 // Checksum of its text
	Bytes    int    // length of its text
}

// Number numbers documents as Build numbers them, for callers that read
// documents themselves (the distributed pipeline): sorted by id, one id
// met twice ordered by path, line and content, the second and later
// renamed "<id>#2", ..., each renaming reported to warn as a notice
// (corpus.ErrDuplicateID). It returns, for each number, the index in keys
// of the document and its id. It holds about 100 bytes a document.
func Number(keys []DocKey, warn func(error)) (order []int, ids []string) {
	b := &builder{opt: Options{Warn: warn}, x: &Index{names: newNames()}}
	part := indexed{docs: make([]docRecord, len(keys))}
	for i, k := range keys {
		part.docs[i] = docRecord{
			idOff: int64(len(part.ids)), idLen: uint32(len(k.ID)),
			path: b.x.names.path(k.ID, k.Path), line: uint32(max(k.Line, 0)),
			seq: uint32(i), bytes: uint32(k.Bytes), crc: k.CRC,
		}
		part.ids = append(part.ids, k.ID...)
	}
	b.merge([]indexed{part}, len(keys))
	x := b.x
	order, ids = make([]int, len(keys)), make([]string, len(keys))
	for d := range x.docs {
		order[d], ids[d] = int(x.docs[d].seq), x.ID(uint32(d))
	}
	return order, ids
}

// renameDuplicates gives the second and later documents of one id (in
// the order of the Index) the ids "<id>#2", "<id>#3", ..., skipping ids
// already taken, and reports each as a notice (corpus.ErrDuplicateID, not
// a skipped input) naming its file and line and where the id was first
// met. It reports whether it renamed any. A renamed document keeps its
// path: path is interned with the id it had.
func (b *builder) renameDuplicates() bool {
	x := b.x
	id := func(d *docRecord) string { return string(x.idBytes(d)) }
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
				taken[id(&x.docs[j])] = true
			}
		}
		base := id(first)
		firstPath := x.path(first)
		n := 2
		for ; i < len(x.docs) && id(&x.docs[i]) == base; i++ {
			newID := fmt.Sprintf("%s#%d", base, n)
			for taken[newID] {
				n++
				newID = fmt.Sprintf("%s#%d", base, n)
			}
			taken[newID] = true
			d := &x.docs[i]
			path := x.path(d)
			where := ""
			switch {
			case firstPath != path:
				where = " (first in " + firstPath + ")"
			case first.line > 0:
				where = fmt.Sprintf(" (first at line %d)", first.line)
			}
			b.warn(&corpus.Error{Path: path, Line: int(d.line), Err: fmt.Errorf("%w %q%s, renamed %q", corpus.ErrDuplicateID, base, where, newID)})
			d.path = x.names.path(newID, path)
			d.idOff, d.idLen = int64(len(x.ids)), uint32(len(newID))
			x.ids = append(x.ids, newID...)
			renamed = true
			n++
		}
		i--
	}
	return renamed
}
