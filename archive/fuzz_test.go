package archive

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/index"
)

// smallIndex makes an index of two short documents and returns its
// folder; reworded makes it for reworded reuse (keys of reworded
// sentences in its segment).
func smallIndex(t testing.TB, reworded bool) string {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "a.txt"), []byte("The council met on Monday to discuss the budget for the coming year and the roads."), 0o644)
	os.WriteFile(filepath.Join(root, "b.html"), []byte("<p>On Monday the council met to discuss the budget for the coming year and the roads.</p>"), 0o644)
	p := testParams()
	p.Reworded = reworded
	return createWith(t, p, root, root)
}

// smallSegments returns the segments of both kinds of smallIndex.
func smallSegments(f *testing.F) [][]byte {
	var out [][]byte
	for _, rw := range []bool{false, true} {
		good, err := os.ReadFile(segmentFile(f, smallIndex(f, rw)))
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, good)
	}
	return out
}

// FuzzSegment: a damaged segment is refused or read with errors, never
// a panic, whatever part of it is read.
func FuzzSegment(f *testing.F) {
	for _, good := range smallSegments(f) {
		f.Add(good)
		f.Add(good[:len(good)/2])
	}
	f.Add([]byte(segMagic + segEnd))
	f.Fuzz(func(t *testing.T, data []byte) { readSegment(t, data) })
}

// FuzzSegmentChecked: a segment whose checksums all agree with damaged
// contents (what a bug of a writer would make) is refused or read with
// errors, never a panic. The fuzzer cannot forge checksums: they are
// computed again for each input.
func FuzzSegmentChecked(f *testing.F) {
	for _, good := range smallSegments(f) {
		f.Add(good)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fixChecksums(data)
		readSegment(t, data)
	})
}

// readSegment reads every part of a segment that parses.
func readSegment(t *testing.T, data []byte) {
	s, err := parseSegment("fuzz.seg", data)
	if err != nil {
		return
	}
	var d index.Doc
	for i := range uint32(s.docs) {
		s.id(i)
		s.words(i)
		if rec, err := s.records(i); err == nil {
			if decodeDoc(s, i, rec, &d) == nil {
				checkDoc(s, i, &d, testParams())
			}
			idInRecords(rec)
		}
	}
	s.find("a.txt")
	for _, k := range written {
		verifyTerms(t.Context(), s, k, func(error) {})
		it := s.terms(k)
		for _, key := range []uint64{0, 1 << 40, 1 << 63, ^uint64(0)} {
			if ok, err := it.seek(key); ok && err == nil {
				it.postings(nil)
			}
		}
	}
}

// fixChecksums sets, best effort, every checksum of a segment to agree
// with what it covers: records, blocks, tables, trailer.
func fixChecksums(data []byte) {
	end := len(data) - len(segEnd)
	if end < len(segMagic)+8 {
		return
	}
	tlen := int(binary.LittleEndian.Uint32(data[end-8:]))
	start := end - 8 - tlen
	if tlen < 20 || start < len(segMagic) {
		return
	}
	t := data[start : end-8]
	docs, tableOff := uint64(binary.LittleEndian.Uint32(t)), binary.LittleEndian.Uint64(t[4:])
	if tableOff <= uint64(start) && docs*tableSize <= uint64(start)-tableOff {
		table := data[tableOff : tableOff+docs*tableSize]
		for d := range docs {
			e := table[d*tableSize:]
			off, n := binary.LittleEndian.Uint64(e), uint64(binary.LittleEndian.Uint32(e[8:]))
			if off <= uint64(len(data)) && n <= uint64(len(data))-off {
				binary.LittleEndian.PutUint32(e[12:], crc(data[off:off+n]))
			}
		}
		binary.LittleEndian.PutUint32(t[12:], crc(table))
	}
	nk := int(binary.LittleEndian.Uint32(t[16:]))
	for k := range min(nk, 4) {
		ks := t[20+k*40:]
		if len(ks) < 40 {
			break
		}
		indexOff, blocks := binary.LittleEndian.Uint64(ks[8:]), uint64(binary.LittleEndian.Uint32(ks[16:]))
		if indexOff > uint64(start) || blocks*indexSize > uint64(start)-indexOff {
			continue
		}
		idx := data[indexOff : indexOff+blocks*indexSize]
		for b := range blocks {
			e := idx[b*indexSize:]
			off, n := binary.LittleEndian.Uint64(e[8:]), uint64(binary.LittleEndian.Uint32(e[16:]))
			if off <= uint64(len(data)) && n <= uint64(len(data))-off {
				binary.LittleEndian.PutUint32(e[20:], crc(data[off:off+n]))
			}
		}
		binary.LittleEndian.PutUint32(ks[20:], crc(idx))
	}
	binary.LittleEndian.PutUint32(data[end-4:], crc(data[start:end-4]))
}

// FuzzManifest: a damaged manifest is refused, never a panic; one that is
// read writes back the same.
func FuzzManifest(f *testing.F) {
	dir := smallIndex(f, false)
	good, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("reuse-index 1\n{}\ncrc32c 00000000\n"))
	f.Add([]byte("reuse-index 7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeManifest("fuzz", data)
		if err != nil {
			return
		}
		again, err := encodeManifest(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeManifest("fuzz", again); err != nil {
			t.Errorf("a manifest read does not read back: %v", err)
		}
	})
}

// FuzzRemoved: a damaged removal file is refused, never a panic.
func FuzzRemoved(f *testing.F) {
	f.Add(encodeRemoved([]uint32{0, 3, 4, 1000}), 2000)
	f.Add(encodeRemoved(nil), 0)
	f.Fuzz(func(t *testing.T, data []byte, docs int) {
		if docs < 0 || docs > 1<<16 {
			return
		}
		dead, n, err := decodeRemoved("fuzz.del", data, docs)
		if err != nil {
			return
		}
		count := 0
		for _, x := range dead {
			if x {
				count++
			}
		}
		if count != n {
			t.Errorf("%d removed, %d marked", n, count)
		}
	})
}

// FuzzAlignments: a damaged file of alignments is refused, never a panic,
// and what is read is the end of the file.
func FuzzAlignments(f *testing.F) {
	dir := smallIndex(f, false)
	w, err := OpenWriter(dir)
	if err != nil {
		f.Fatal(err)
	}
	if err := w.PutAlignments("min-words 9, max-df 100", "max-df 100", []byte("pairs"), []byte("joins"), []byte("clusters")); err != nil {
		f.Fatal(err)
	}
	g := w.Index().m.Generation
	w.Close()
	good, err := os.ReadFile(filepath.Join(dir, alignmentsName(g)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("reuse-alignments 1\n{}\ncrc32c 00000000\n"))
	f.Add([]byte("reuse-alignments 5\n{\"generation\":1,\"joins\":-1}\ncrc32c 00000000 00000000 00000000\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, joins, clusters, body, err := decodeAlignments("fuzz", data, g)
		if err == nil && !bytes.HasSuffix(data, slices.Concat(joins, clusters, body)) {
			t.Errorf("read %q, %q and %q, not the end of %q", joins, clusters, body, data)
		}
	})
}

// FuzzGrownJoins: a damaged file of grown joins is refused, never a
// panic, and what is read is the end of the file, of the length its
// header gives.
func FuzzGrownJoins(f *testing.F) {
	dir := smallIndex(f, false)
	w, err := OpenWriter(dir)
	if err != nil {
		f.Fatal(err)
	}
	if err := w.PutJoins("max-df 100", []byte("joins grown"), &Touched{Alignments: 1, Families: []int32{2, 5}}); err != nil {
		f.Fatal(err)
	}
	g := w.Index().m.Generation
	w.Close()
	good, err := os.ReadFile(filepath.Join(dir, joinsName(g)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("reuse-joins 1\n{}\ncrc32c 00000000\n"))
	f.Add([]byte("reuse-joins 2\n{\"generation\":1,\"bytes\":0,\"clusters_of\":1,\"touched\":1}\ncrc32c 00000000\n\x01\x00\x00\x00"))
	f.Add([]byte("reuse-joins 1\n{\"generation\":1,\"bytes\":-1}\ncrc32c 00000000\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		gr, err := decodeJoinsFile("fuzz", data, g)
		if err == nil && (!bytes.HasSuffix(data, slices.Concat(gr.joins, data[len(data)-4*len(gr.touched):])) || len(gr.joins) != gr.head.Bytes || len(gr.touched) != gr.head.Touched) {
			t.Errorf("read %q (%d bytes in the header) and %d touched, not the end of %q", gr.joins, gr.head.Bytes, len(gr.touched), data)
		}
	})
}
