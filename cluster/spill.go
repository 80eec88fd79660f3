package cluster

import (
	"context"
	"encoding/binary"

	"github.com/reuse-tool/reuse/internal/spool"
)

// spillMembers is the number of boilerplate occurrences from which
// Families writes the families' members to a temporary file as it makes
// them and reads them back once it has let go of the occurrences they are
// made from: the members hold the boilerplate's occurrences again, and at
// 10 GB of news the two were 0.48 and 0.58 GB held at once, the last
// step's peak (docs/benchmarks.md, "The families' members through a
// file"). Below it the file would save too little to be worth writing.
// Tests lower it to take that way on small inputs.
var spillMembers = 1 << 20

// spilledHook, when set (by tests), is called with the number of members
// Families read back from a file.
var spilledHook func(members int)

// memberBytes is a member's record in the file: Doc, Start, End (little
// endian) and whether it is derived.
const memberBytes = 13

// memberPiece is how many members are buffered, or read, between two
// writes or looks at the context (832 KiB of them).
const memberPiece = 1 << 16

// memberFile holds the families' members, family after family, in a
// temporary file, and their counts in memory.
type memberFile struct {
	sizes []int32
	records
}

func newMemberFile(families int) *memberFile {
	return &memberFile{sizes: make([]int32, 0, families), records: newRecords("reuse-members-*", memberBytes, memberPiece)}
}

// add appends the next family's members (flags: which are derived).
func (m *memberFile) add(members []Occurrence, flags []bool) error {
	m.sizes = append(m.sizes, int32(len(members)))
	for i, o := range members {
		m.buf = binary.LittleEndian.AppendUint32(m.buf, o.Doc)
		m.buf = binary.LittleEndian.AppendUint32(m.buf, uint32(o.Start))
		m.buf = binary.LittleEndian.AppendUint32(m.buf, uint32(o.End))
		var d byte
		if flags[i] {
			d = 1
		}
		m.buf = append(m.buf, d)
		if err := m.added(); err != nil {
			return err
		}
	}
	return nil
}

// load reads the members back into fams (one Family a family added, in
// order), in two arrays made at their size, and returns the members of
// every family, one after another; or ctx's error, or the file's.
func (m *memberFile) load(ctx context.Context, fams []Family) ([]Occurrence, error) {
	if err := m.flush(); err != nil {
		return nil, err
	}
	m.buf = nil
	if len(m.sizes) != len(fams) {
		return nil, spool.ErrCorrupt
	}
	members := make([]Occurrence, m.n)
	flags := make([]bool, m.n)
	err := m.each(ctx, func(i int, b []byte) error {
		members[i] = Occurrence{
			Doc:   binary.LittleEndian.Uint32(b),
			Start: int32(binary.LittleEndian.Uint32(b[4:])),
			End:   int32(binary.LittleEndian.Uint32(b[8:])),
		}
		flags[i] = b[12] != 0
		return nil
	})
	if err != nil {
		return nil, err
	}
	at := 0
	for f, size := range m.sizes {
		hi := at + int(size)
		if hi > m.n {
			return nil, spool.ErrCorrupt
		}
		fams[f] = Family{Members: members[at:hi:hi], Derived: flags[at:hi:hi]}
		at = hi
	}
	if at != m.n {
		return nil, spool.ErrCorrupt
	}
	return members, nil
}

// close removes the file.
func (m *memberFile) close() {
	if m != nil {
		m.file.Close()
	}
}
