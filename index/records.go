package index

import (
	"sync"

	"github.com/reuse-tool/reuse/internal/spool"
)

// docRecord is what an Index keeps of a document in memory: no text, and
// no string. Its id lies in an arena of bytes (a worker's in Build, the
// Index's after), its path and date are interned (names). About 100 bytes
// a document, and its id.
type docRecord struct {
	idOff        int64
	idLen        uint32
	path         uint32 // the path is names.prefixes[path>>1], then the id if path&1
	date         uint32 // names.dates[date-1]; 0 when undated
	bytes        uint32 // ≤ shingle.MaxText
	words        uint32
	header       uint32 // bytes of metadata at the start, not tokenized
	line         uint32 // a JSONL record's line; 0 for other documents
	fingerprints uint32 // distinct fingerprint hashes
	seq          uint32 // order of arrival in Build; postings refer to it
	plain        bool   // text is the file at path, read again for excerpts and reports
	prose        bool   // reads as prose (reword.Prose; see Index.Prose)
	seeds        spool.Record
	rwBytes      uint32 // the reword.Doc record after the seeds (Options.Reword)
	textOff      int64  // in the text spool, when not plain
	crc          uint64
	fpOff        int64  // in the fingerprint spool, when kept
	fpLen        uint32 // bytes of that record
}

// names interns the strings many documents share: the beginnings of their
// paths (the scanned folder, a JSONL file) and their dates. It is safe
// for concurrent use.
type names struct {
	mu       sync.Mutex
	prefixes []string
	prefixOf map[string]uint32
	dates    []string
	dateOf   map[string]uint32
}

func newNames() *names {
	return &names{prefixOf: make(map[string]uint32), dateOf: make(map[string]uint32)}
}

// path returns docRecord.path for a document with this id and path.
func (n *names) path(id, path string) uint32 {
	p, withID := path, uint32(0)
	if len(path) >= len(id) && path[len(path)-len(id):] == id {
		p, withID = path[:len(path)-len(id)], 1
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	k, ok := n.prefixOf[p]
	if !ok {
		k = uint32(len(n.prefixes))
		n.prefixes = append(n.prefixes, p)
		n.prefixOf[p] = k
	}
	return k<<1 | withID
}

// date returns docRecord.date for a date.
func (n *names) date(date string) uint32 {
	if date == "" {
		return 0
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	k, ok := n.dateOf[date]
	if !ok {
		n.dates = append(n.dates, date)
		k = uint32(len(n.dates))
		n.dateOf[date] = k
	}
	return k
}
