package cluster

import (
	"context"
	"encoding/binary"
	"slices"

	"github.com/reuse-tool/reuse/internal/spool"
)

// asideBytes is an occurrence's record in an Aside's file: its group,
// Doc, Start and End, little endian.
const asideBytes = 16

// asidePiece is how many records an Aside buffers, or reads, between two
// writes or looks at its context (16 MiB of them).
const asidePiece = 1 << 20

// Aside holds groups of occurrences (BoilerplateAside's families) in a
// temporary file: a scan makes them at the end of its shuffle and reads
// them only once every pair is aligned, and at 10 GB of news they are
// 0.48 GB that the shuffle's end and the alignment need not hold
// (docs/benchmarks.md, "Boilerplate put aside during the alignment").
// Records come in any order of groups, in order within one; only the
// groups' sizes stay in memory.
type Aside struct {
	sizes []int32
	records
}

func newAside() *Aside {
	return &Aside{records: newRecords("reuse-boilerplate-*", asideBytes, asidePiece)}
}

// add appends o to group g, which is at most the number of groups so far
// (a new group is the next one).
func (a *Aside) add(g int32, o Occurrence) error {
	if int(g) == len(a.sizes) {
		a.sizes = append(a.sizes, 0)
	}
	a.sizes[g]++
	a.buf = binary.LittleEndian.AppendUint32(a.buf, uint32(g))
	a.buf = binary.LittleEndian.AppendUint32(a.buf, o.Doc)
	a.buf = binary.LittleEndian.AppendUint32(a.buf, uint32(o.Start))
	a.buf = binary.LittleEndian.AppendUint32(a.buf, uint32(o.End))
	return a.added()
}

// Load reads the groups back, each in the order its occurrences were
// added, laid out as Boilerplate lays them out (one array that the first
// group's capacity spans), or returns ctx's error or the file's. It may
// be called again until Close.
func (a *Aside) Load(ctx context.Context) ([][]Occurrence, error) {
	if a == nil || len(a.sizes) == 0 {
		return nil, nil
	}
	next := make([]int, len(a.sizes)) // where group g's next occurrence goes
	left := slices.Clone(a.sizes)     // and how many are still to come
	total := 0
	for g, n := range a.sizes {
		next[g] = total
		total += int(n)
	}
	if total != a.n {
		return nil, spool.ErrCorrupt
	}
	flat := make([]Occurrence, total)
	err := a.each(ctx, func(_ int, b []byte) error {
		g := binary.LittleEndian.Uint32(b)
		if int(g) >= len(left) || left[g] == 0 {
			return spool.ErrCorrupt
		}
		left[g]--
		flat[next[g]] = Occurrence{
			Doc:   binary.LittleEndian.Uint32(b[4:]),
			Start: int32(binary.LittleEndian.Uint32(b[8:])),
			End:   int32(binary.LittleEndian.Uint32(b[12:])),
		}
		next[g]++
		return nil
	})
	if err != nil {
		return nil, err
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

// Runs holds the runs of boilerplate (BoilerplateAside: the text held by
// too many documents, for the evidence filter), in order of (document,
// start), in a temporary file: at 10 GB of news they are 0.34 GB that
// the end of the shuffle, its peak then, need not hold beside the
// postings they are made from (docs/benchmarks.md, "The boilerplate's
// postings a range of documents at a time").
type Runs struct{ records }

func newRuns() *Runs { return &Runs{newRecords("reuse-runs-*", runBytes, runPiece)} }

// runBytes is a run's record: Doc, Start and End, little endian.
const runBytes = 12

func (r *Runs) add(o Occurrence) error {
	r.buf = binary.LittleEndian.AppendUint32(r.buf, o.Doc)
	r.buf = binary.LittleEndian.AppendUint32(r.buf, uint32(o.Start))
	r.buf = binary.LittleEndian.AppendUint32(r.buf, uint32(o.End))
	return r.added()
}

// runPiece is how many runs are buffered, or read, at a time (768 KiB).
const runPiece = 1 << 16

// Len returns the number of runs.
func (r *Runs) Len() int {
	if r == nil {
		return 0
	}
	return r.n
}

// Each calls fn with every run, in order, or returns ctx's error or the
// file's. It may be called again until Close.
func (r *Runs) Each(ctx context.Context, fn func(Occurrence)) error {
	if r == nil {
		return nil
	}
	return r.each(ctx, func(_ int, b []byte) error {
		fn(Occurrence{
			Doc:   binary.LittleEndian.Uint32(b),
			Start: int32(binary.LittleEndian.Uint32(b[4:])),
			End:   int32(binary.LittleEndian.Uint32(b[8:])),
		})
		return nil
	})
}

// Close removes the file.
func (r *Runs) Close() {
	if r != nil {
		r.file.Close()
	}
}
