package corpus

import "fmt"

// Format is how a source's bytes become documents.
type Format uint8

const (
	FormatText  Format = iota // .txt .text .md .markdown and unknown text: one document, the bytes as they are
	FormatHTML                // .html .htm: one document, the visible text
	FormatJSONL               // .jsonl .ndjson: one document per line
	FormatTar                 // .tar (.tar.gz .tgz .tar.zst): every member, by its own extension
	FormatZip                 // .zip: every member, by its own extension
)

// Source is one input found by Walk: a file, stdin, or a member of an archive.
type Source struct {
	// Path is how the input is reached: the argument joined with the walk's
	// relative path; "-" for stdin.
	Path string
	// ID is the document id: the slash-separated path relative to the
	// scanned folder, or the argument itself (slash-separated) for a file
	// named directly; "-" for stdin.
	ID     string
	Format Format
	// Compression is "", "gzip" or "zstd".
	Compression string
}

// Doc is one document read from a Source.
type Doc struct {
	// ID is the Source's ID; for a JSONL record its id field (falling back
	// to "<source id>#<line>" when the record has none); for an archive
	// member "<source id>/<member path>".
	ID   string
	Path string
	// Date is YYYY-MM-DD or "" when unknown.
	Date string
	// Text is the text that offsets refer to: the file's bytes for plain
	// text, the extracted text for HTML and JSONL, after decompression.
	Text []byte
	// Header is the length of metadata at the start of Text (a date stamp
	// line, front matter) that is not searched for reuse. Offsets still
	// count from the start of Text.
	Header int
	// Plain reports that Text is exactly the content of the file at Path, so
	// the caller may read it again from disk instead of keeping it.
	Plain bool
}

// Options configure Walk and Read. The zero value is usable.
type Options struct {
	// IDField, TextField and DateField name the JSONL fields; "" means
	// "id", "text" and "date".
	IDField, TextField, DateField string
	// MaxBytes caps the expanded size of one input (decompression bombs,
	// runaway files); 0 means DefaultMaxBytes.
	MaxBytes int64
	// Skip, when non-nil, is asked about every path before it is read;
	// true leaves it out silently (used for the scan's own output files).
	Skip func(path string) bool
}

// DefaultMaxBytes is the default cap on one input's expanded size.
const DefaultMaxBytes = 1 << 30

// ErrorFunc receives a problem with one input. The walk or read goes on
// after it returns.
type ErrorFunc func(err error)

// Error is a problem with one input, at a line where one is known.
type Error struct {
	Path string
	Line int // 1-based; 0 when not about a line
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
