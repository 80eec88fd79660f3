package corpus

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Format is how a source's bytes become documents.
type Format uint8

const (
	FormatText  Format = iota // .txt .text .md .markdown and unknown text: one document, the bytes as they are
	FormatHTML                // .html .htm: one document, the visible text
	FormatJSONL               // .jsonl .ndjson: one document per line
	FormatTar                 // .tar (.tar.gz .tgz .tar.zst .tar.xz .txz .tar.bz2 .tbz2): every member, by its own extension
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
	// Compression is "", "gzip", "zstd", "xz" or "bzip2".
	Compression string

	// file is the input opened by PrefetchOpen, for Read to read from
	// (and close); nil when Read opens Path itself.
	file *os.File
}

// Release closes the file PrefetchOpen left open for a Source that will
// not be read after all. Read releases what it reads.
func (s Source) Release() {
	if s.file != nil {
		s.file.Close()
	}
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
	// Line is the 1-based line of a JSONL record in its file; 0 for other
	// documents. Records of one file arrive in line order.
	Line int
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
	// SkipDir, when non-nil, is asked about every folder met inside a
	// folder (not the arguments), after Skip; true leaves it out silently
	// (used for earlier HTML reports).
	SkipDir func(path string) bool
	// Exclude and Include are glob patterns (path.Match syntax) for what
	// Walk meets inside a folder; arguments are always read. A pattern
	// without a slash matches a file or folder name at any depth ("*.csv",
	// "drafts"); one with a slash matches the slash-separated path relative
	// to the scanned folder ("2019/*.txt"). A file or folder that matches
	// an Exclude pattern is left out (a folder with everything in it).
	// When Include is not empty, only files that match one of its patterns
	// are read; folders are still walked. CheckPatterns validates them.
	Exclude, Include []string
	// Encoding names the encoding of text inputs that are not valid UTF-8
	// (a WHATWG label: "latin1", "windows-1252", "iso-8859-2",
	// "windows-1251", "shift_jis", ...; "utf-8" keeps their bytes). ""
	// guesses windows-1252 and reports ErrEncodingGuessed. UTF-8 and UTF-16
	// with a byte order mark are always recognised. LookupEncoding
	// validates it.
	Encoding string
	// IDRoot, when not "", names a folder that ids count from: a file
	// inside it, met in a folder or named directly, has the
	// slash-separated path relative to IDRoot as its id (what a walk of
	// IDRoot itself would give it), instead of the path relative to the
	// argument. Files outside it keep the usual ids. An archive index
	// gives its documents ids relative to its root this way, whichever
	// folder of the archive a later addition names.
	IDRoot string
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

// Error returns "path: problem" or "path:line: problem". The problem is
// the wrapped error's message, less this package's "corpus: " prefix:
// the message is for the person whose file it is.
func (e *Error) Error() string {
	msg := strings.TrimPrefix(e.Err.Error(), "corpus: ")
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// IsNotice reports whether err, reported by Walk or Read (or by a caller
// about a document), is a notice: the input was read, but the person
// should know how (ErrEncodingGuessed: its encoding was guessed;
// ErrDuplicateID: its id was taken and it was renamed). Every other
// problem left an input, or part of one, out; callers count those as
// skipped.
func IsNotice(err error) bool {
	return errors.Is(err, ErrEncodingGuessed) || errors.Is(err, ErrDuplicateID)
}
