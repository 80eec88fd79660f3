package corpus

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/internal/grow"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// Errors wrapped in the *Error values that Walk and Read report; compare
// with errors.Is.
var (
	ErrTooLarge    = errors.New("corpus: input too large")
	ErrBinary      = errors.New("corpus: binary file, skipped")
	ErrDuplicateID = errors.New("corpus: duplicate id")
	ErrCorrupt     = errors.New("corpus: corrupt input")
	ErrNotRegular  = errors.New("corpus: not a regular file")
	ErrSymlinkLoop = errors.New("corpus: symlink loop")
	ErrBadRecord   = errors.New("corpus: bad record")
	ErrNested      = errors.New("corpus: nested archive, skipped")
	// ErrFormat is a text file in a document format whose words are not
	// its text (PostScript, RTF): its text must be extracted first.
	ErrFormat = errors.New("corpus: document format, skipped")
)

// limitError is ErrTooLarge with the limit in its message.
type limitError struct {
	what string // "size", "expanded size", "line"
	max  int64
}

func (e *limitError) Error() string {
	return fmt.Sprintf("corpus: %s exceeds %d bytes (raise --max-bytes)", e.what, e.max)
}

func (e *limitError) Is(target error) bool { return target == ErrTooLarge }

// stdin is what Read reads for the path "-"; tests replace it.
var stdin io.Reader = os.Stdin

// binarySniff is how much of a text input's start is checked for binary
// content.
const binarySniff = 8 << 10

// Read reads one Source and calls visit for each document in it (one for
// text/HTML, one per line for JSONL, one per member for archives); a
// Source from PrefetchOpen is read from the file it holds, which Read
// closes whatever happens. Problems
// with a whole input are returned as *Error (e.g. unreadable, corrupt gzip,
// too large, binary); problems with one record/member go to warn (as *Error
// with Line for JSONL) and reading goes on. Returns an error from visit
// unchanged, and ctx.Err() when ctx is done.
//
// Text inputs keep their bytes (a UTF-8 BOM, invalid UTF-8, CRLF), except
// UTF-16 with a BOM, which is decoded to UTF-8. An input is binary, and
// skipped, when its first 8 KiB (after decompression) hold a NUL byte or
// more than 5% control bytes other than \t \n \v \f \r and ESC.
//
// opts.MaxBytes caps what is held in memory at once: a whole text or HTML
// input, one JSONL line, one archive member, and the expanded size of a
// compressed input as a whole.
func Read(ctx context.Context, src Source, opts *Options, visit func(Doc) error, warn ErrorFunc) error {
	r, err := newReader(ctx, src, opts, visit, warn)
	if err != nil {
		src.Release()
		return err
	}
	return r.done(r.read())
}

// newReader sets up one Read.
func newReader(ctx context.Context, src Source, opts *Options, visit func(Doc) error, warn ErrorFunc) (*reader, error) {
	r := &reader{ctx: ctx, src: src, visit: visit, warn: warn}
	if opts != nil {
		r.opts = *opts
	}
	if r.opts.MaxBytes <= 0 {
		r.opts.MaxBytes = DefaultMaxBytes
	}
	if r.warn == nil {
		r.warn = func(error) {}
	}
	if r.opts.Encoding != "" {
		enc, err := LookupEncoding(r.opts.Encoding)
		if err != nil {
			return nil, &Error{Path: src.Path, Err: err}
		}
		r.enc, r.encSet = enc, true
	}
	return r, nil
}

// done is what a Read returns after reading ended with err.
func (r *reader) done(err error) error {
	if r.stop != nil {
		return r.stop
	}
	if ctxErr := r.ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		return ctxErr
	}
	return err
}

// reader is the state of one Read.
type reader struct {
	ctx   context.Context
	src   Source
	opts  Options
	visit func(Doc) error
	warn  ErrorFunc
	// stop is the error visit returned; it ends the Read as it is.
	stop error
	// enc decodes text that is not UTF-8 when encSet (Options.Encoding);
	// nil keeps the bytes.
	enc    encoding.Encoding
	encSet bool
}

func (r *reader) emit(d Doc) error {
	if err := r.visit(d); err != nil {
		r.stop = err
		return err
	}
	return nil
}

// item is one input to turn into documents: a file, stdin or an archive
// member.
type item struct {
	id, path string // Doc.ID and Doc.Path
	errPath  string // the name in *Error
	format   Format
	comp     string
	size     int64 // bytes before decompression, or -1 when unknown
	file     bool  // a file on disk: Text may be Plain
}

func (r *reader) read() error {
	src := r.src
	it := item{id: src.ID, path: src.Path, errPath: src.Path, format: src.Format, comp: src.Compression, size: -1}
	if src.Path == "-" {
		switch src.Format {
		case FormatZip:
			return r.zip(it, stdin)
		case FormatTar:
			return r.tar(it, stdin)
		}
		return r.docs(it, stdin)
	}
	f := src.file
	if f == nil {
		var err error
		if f, err = os.OpenFile(src.Path, openFlags, 0); err != nil {
			return &Error{Path: src.Path, Err: unwrapPathError(err)}
		}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return &Error{Path: src.Path, Err: unwrapPathError(err)}
	}
	if !fi.Mode().IsRegular() {
		return &Error{Path: src.Path, Err: ErrNotRegular}
	}
	it.size, it.file = fi.Size(), true
	switch src.Format {
	case FormatZip:
		return r.zip(it, f)
	case FormatTar:
		return r.tar(it, f)
	}
	return r.docs(it, f)
}

// docs turns the text, HTML or JSONL input it, read from rd, into documents.
func (r *reader) docs(it item, rd io.Reader) error {
	max := r.opts.MaxBytes
	if it.comp != "" {
		expand := max
		if it.format == FormatJSONL {
			expand = math.MaxInt64 // streamed: each line is capped (jsonl)
		}
		d, err := decompress(rd, it.comp, expand)
		if err != nil {
			return &Error{Path: it.errPath, Err: err}
		}
		defer d.Close()
		rd = d
	}
	if it.format == FormatJSONL {
		return r.jsonl(it, rd)
	}
	if it.comp == "" && it.size > max {
		return &Error{Path: it.errPath, Err: &limitError{what: "size", max: max}}
	}
	hint := it.size
	if it.comp != "" {
		hint = -1
	}
	data, err := readAll(rd, max, hint)
	if err != nil {
		return &Error{Path: it.errPath, Err: unwrapPathError(err)}
	}
	plain := it.file && it.comp == ""
	if d, ok := decodeUTF16(data); ok {
		data, plain = d, false
	}
	if isBinary(data) {
		return &Error{Path: it.errPath, Err: binaryKind(it.errPath, data)}
	}
	if it.format != FormatHTML {
		if err := formatKind(data); err != nil {
			return &Error{Path: it.errPath, Err: err}
		}
	}
	doc := Doc{ID: it.id, Path: it.path}
	var notice error
	if it.format == FormatHTML {
		var page []byte
		page, notice = r.decodeHTMLPage(data)
		doc.Text, doc.Date = extractHTML(page)
	} else {
		var decoded bool
		if data, decoded, notice = r.decodeLegacy(data); decoded {
			plain = false
		}
		doc.Date, doc.Header = textDate(data)
		doc.Text, doc.Plain = data, plain
	}
	if notice != nil {
		r.warn(&Error{Path: it.errPath, Err: notice})
	}
	return r.emit(doc)
}

// ErrSizeChanged reports a file that no longer has the size ReadFileRange
// or OpenSized was told.
var ErrSizeChanged = errors.New("corpus: file size changed")

// ReadFileRange reads n bytes at offset off of the regular file at path,
// into buf when it has room, after checking that the file still holds
// size bytes (ErrSizeChanged otherwise).
func ReadFileRange(path string, size, off int64, n int, buf []byte) ([]byte, error) {
	f, err := OpenSized(path, size)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadRange(f, off, n, buf)
}

// OpenSized opens the regular file at path, as Read opens files, for
// ReadRange, after checking that it holds size bytes (ErrSizeChanged
// otherwise).
func OpenSized(path string, size int64) (*os.File, error) {
	f, fi, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() != size {
		f.Close()
		return nil, &os.PathError{Op: "read", Path: path, Err: ErrSizeChanged}
	}
	return f, nil
}

// ReadRange reads n bytes at offset off of f (OpenSized), into buf when
// it has room: ErrSizeChanged when the file ends before them.
func ReadRange(f *os.File, off int64, n int, buf []byte) ([]byte, error) {
	buf = slices.Grow(buf[:0], n)[:n]
	if _, err := f.ReadAt(buf, off); err != nil {
		if err == io.EOF {
			err = &os.PathError{Op: "read", Path: f.Name(), Err: ErrSizeChanged}
		}
		return nil, err
	}
	return buf, nil
}

// openRegular opens the file at path as Read opens files, and returns it
// with its information, or ErrNotRegular (closed) when it is not a
// regular file.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &os.PathError{Op: "read", Path: path, Err: ErrNotRegular}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// ReadFile reads the regular file at path, in buf when it has room: a
// plain document's text read again (for excerpts), opened as Read opens
// it, with fewer system calls than os.ReadFile.
func ReadFile(path string, buf []byte) ([]byte, error) {
	f, fi, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf = grow.Slice(buf[:0], int(min(fi.Size()+1, 64<<20)))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		k, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readAll reads rd to the end, failing with ErrTooLarge past max bytes.
// sizeHint, when not negative, is the expected size. (A decompressing reader
// reports its own, "expanded", ErrTooLarge first.)
func readAll(rd io.Reader, max, sizeHint int64) ([]byte, error) {
	n := int64(512)
	if sizeHint >= 0 && sizeHint < max {
		// +1 so that EOF needs no growth; at most 64 MiB, as an archive
		// header may lie.
		n = min(sizeHint+1, 64<<20)
	}
	buf := make([]byte, 0, n)
	for {
		if len(buf) == cap(buf) {
			if sizeHint >= int64(len(buf)) && sizeHint < max {
				// The text is as large as promised so far: take the rest
				// of the promise at once instead of doubling, which
				// copied a file of 400 MB three times.
				buf = append(make([]byte, 0, sizeHint+1), buf...)
			} else {
				// Doubled: room not yet written costs no memory
				// (grow.Slice), and a text of unknown size (compressed)
				// is copied about once in all, not four times.
				buf = grow.Slice(buf, cap(buf))
			}
		}
		k, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if int64(len(buf)) > max {
			return nil, &limitError{what: "size", max: max}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// decodeUTF16 decodes data to UTF-8 when it starts with a UTF-16 byte order
// mark.
func decodeUTF16(data []byte) ([]byte, bool) {
	var e unicode.Endianness
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		e = unicode.LittleEndian
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		e = unicode.BigEndian
	default:
		return nil, false
	}
	d, err := unicode.UTF16(e, unicode.ExpectBOM).NewDecoder().Bytes(data)
	if err != nil {
		return nil, false
	}
	return d, true
}

// isBinary reports whether data looks binary, from its first 8 KiB: a
// NUL byte, or more than 5% control bytes other than \t \n \v \f \r and
// ESC. Valid UTF-8 is held to looser bounds, NULs in more than 1% of it or
// control bytes (NUL included) in more than a quarter: binary formats are
// almost never valid UTF-8, while real text carries stray NULs and control
// bytes from broken conversions (12 of PAN-13's training documents, in 20
// of its listed verbatim pairs).
func isBinary(data []byte) bool {
	if len(data) > binarySniff {
		data = data[:binarySniff]
	}
	nul, ctrl := controls(data)
	if validUTF8Prefix(data) {
		return nul*100 > len(data) || (nul+ctrl)*4 > len(data)
	}
	return nul > 0 || ctrl*20 > len(data)
}

// controls counts the NUL bytes of data, and its other control bytes
// but for whitespace (tab, newline, vertical tab, form feed, carriage
// return) and escape.
func controls(data []byte) (nul, ctrl int) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for len(data) > 0 {
		// Eight bytes at a time while none is below 0x20 or 0x7f: text
		// is mostly such bytes, and then costs no branch a byte.
		for len(data) >= 8 {
			x := binary.LittleEndian.Uint64(data)
			y := x ^ 0x7f*ones
			if (x-0x20*ones)&^x&highs != 0 || (y-ones)&^y&highs != 0 {
				break
			}
			data = data[8:]
		}
		n := min(len(data), 8)
		for _, c := range data[:n] {
			switch {
			case c == 0:
				nul++
			case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1b:
			case c < 0x20 || c == 0x7f:
				ctrl++
			}
		}
		data = data[n:]
	}
	return nul, ctrl
}

// validUTF8Prefix reports whether data is valid UTF-8 but for a rune cut
// at its end (data is often the first bytes of a file).
func validUTF8Prefix(data []byte) bool {
	for cut := 0; cut < utf8.UTFMax && len(data) > 0; cut++ {
		if utf8.Valid(data) {
			return true
		}
		data = data[:len(data)-1]
	}
	return utf8.Valid(data)
}

// binaryError is ErrBinary, saying what the file is and how to get its
// text when its kind is known.
type binaryError struct {
	what string // "a PDF document"; "" when unknown
	hint string // how to get the text
}

func (e *binaryError) Error() string {
	if e.what == "" {
		return "corpus: binary file, skipped (reuse reads plain text, HTML and JSONL)"
	}
	return "corpus: binary file, skipped: " + e.what + "; " + e.hint
}

func (e *binaryError) Is(target error) bool { return target == ErrBinary }

// formatError is ErrFormat, saying what the file is and how to get its
// text.
type formatError struct{ what, hint string }

func (e *formatError) Error() string {
	return "corpus: " + e.what + ", skipped: " + e.hint
}

func (e *formatError) Is(target error) bool { return target == ErrFormat }

// formatKind returns an ErrFormat for a text input in a document format
// whose words are mostly its markup, by its first bytes: a PostScript
// manual compared as text pairs with every other by its printer's
// prologue, and the words of its prose are cut into pieces by the
// operators that place them. Nil for anything else.
func formatKind(data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte("%!PS-Adobe-")), bytes.HasPrefix(data, []byte("%!PS\n")), bytes.HasPrefix(data, []byte("%!PS\r\n")):
		return &formatError{"a PostScript document", "extract its text first, e.g. ps2ascii FILE FILE.txt (ghostscript)"}
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return &formatError{"an RTF document", "convert it to text first, e.g. pandoc -t plain FILE -o FILE.txt, or unrtf --text FILE"}
	}
	return nil
}

// binaryKind names the kind of a binary input by its first bytes and its
// name, and says how to get its text, as an ErrBinary.
func binaryKind(name string, data []byte) error {
	ext := strings.ToLower(name)
	for _, c := range []string{".gz", ".zst", ".xz", ".bz2"} {
		ext = strings.TrimSuffix(ext, c)
	}
	ext = path.Ext(ext)
	const office = "convert it to text first, e.g. pandoc -t plain FILE -o FILE.txt, or libreoffice --headless --convert-to txt FILE"
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return &binaryError{"a PDF document", "extract its text first, e.g. pdftotext FILE FILE.txt (poppler-utils)"}
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		switch ext {
		case ".docx", ".docm", ".dotx":
			return &binaryError{"a Word document (" + ext + ")", office}
		case ".odt", ".ott":
			return &binaryError{"an OpenDocument text (" + ext + ")", office}
		case ".pptx", ".xlsx", ".odp", ".ods":
			return &binaryError{"an office document (" + ext + ")", office}
		case ".epub":
			return &binaryError{"an EPUB book", "convert it to text first, e.g. pandoc -t plain FILE -o FILE.txt"}
		}
		return &binaryError{"a ZIP archive", "name it .zip to read the files inside it"}
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return &binaryError{"an old Office document (.doc, .xls or .ppt)", "convert it to text first, e.g. antiword FILE > FILE.txt, or libreoffice --headless --convert-to txt FILE"}
	case bytes.HasPrefix(data, []byte("\x89PNG")), bytes.HasPrefix(data, []byte("\xff\xd8\xff")),
		bytes.HasPrefix(data, []byte("GIF8")), bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return &binaryError{"an image", "to read the text in it, run OCR first, e.g. tesseract FILE out"}
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		return &binaryError{"a program", "it holds no text to compare"}
	}
	return &binaryError{}
}
