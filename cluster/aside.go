package cluster

import (
	"context"
	"encoding/binary"

	"github.com/reuse-tool/reuse/internal/spool"
)

// occurrenceBytes is an Occurrence's size in an Aside's file: Doc, Start
// and End, little endian.
const occurrenceBytes = 12

// asidePiece is how many occurrences an Aside encodes or decodes between
// two looks at its context (12 MiB of them).
const asidePiece = 1 << 20

// Aside holds groups of occurrences (Boilerplate's families) in a
// temporary file: a scan makes them at the end of its shuffle and reads
// them again only once every pair is aligned, and at 10 GB of news they
// are 0.48 GB that the alignment need not hold (docs/benchmarks.md,
// "Boilerplate put aside during the alignment"). Only the groups' sizes
// stay in memory.
type Aside struct {
	sizes []int32
	file  *spool.Array
}

// PutAside writes groups to a temporary file, in order, or returns ctx's
// error or the file's. The caller may drop groups then.
func PutAside(ctx context.Context, groups [][]Occurrence) (*Aside, error) {
	a := &Aside{sizes: make([]int32, len(groups)), file: spool.NewArray("reuse-boilerplate-*", occurrenceBytes)}
	buf := make([]byte, 0, asidePiece*occurrenceBytes)
	at := 0
	flush := func() error {
		if err := a.file.PutRange(at, buf); err != nil {
			return err
		}
		at += len(buf) / occurrenceBytes
		buf = buf[:0]
		return ctx.Err()
	}
	for g, grp := range groups {
		a.sizes[g] = int32(len(grp))
		for _, o := range grp {
			buf = binary.LittleEndian.AppendUint32(buf, o.Doc)
			buf = binary.LittleEndian.AppendUint32(buf, uint32(o.Start))
			buf = binary.LittleEndian.AppendUint32(buf, uint32(o.End))
			if len(buf) == cap(buf) {
				if err := flush(); err != nil {
					a.Close()
					return nil, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Load reads the groups back, laid out as Boilerplate lays them out (one
// array that the first group's capacity spans), or returns ctx's error
// or the file's. It may be called again until Close.
func (a *Aside) Load(ctx context.Context) ([][]Occurrence, error) {
	if a == nil || len(a.sizes) == 0 {
		return nil, nil
	}
	total := 0
	for _, n := range a.sizes {
		total += int(n)
	}
	flat := make([]Occurrence, total)
	var buf []byte
	for lo := 0; lo < total; lo += asidePiece {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := min(asidePiece, total-lo)
		var err error
		if buf, err = a.file.GetRange(lo, n, buf); err != nil {
			return nil, err
		}
		for i := range n {
			b := buf[i*occurrenceBytes:]
			flat[lo+i] = Occurrence{
				Doc:   binary.LittleEndian.Uint32(b),
				Start: int32(binary.LittleEndian.Uint32(b[4:])),
				End:   int32(binary.LittleEndian.Uint32(b[8:])),
			}
		}
	}
	groups := make([][]Occurrence, len(a.sizes))
	at := 0
	for g, n := range a.sizes {
		groups[g] = flat[at : at+int(n) : at+int(n)]
		at += int(n)
	}
	groups[0] = flat[:a.sizes[0]] // its capacity spans flat (flatten)
	return groups, nil
}

// Close removes the file.
func (a *Aside) Close() {
	if a != nil {
		a.file.Close()
	}
}
