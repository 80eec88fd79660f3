// Package corpus finds and reads the documents of a scan: folders walked
// recursively, single files, stdin, archives (.zip, .tar), each file as plain
// text, HTML (visible text) or JSONL (one document per line), optionally
// compressed with gzip, zstd, xz or bzip2.
//
// Walk enumerates inputs cheaply and in a deterministic order; Read turns one
// input into documents. Problems with one input are reported through an
// ErrorFunc as *Error values naming the file (and line) and never stop the
// rest. Both are safe for concurrent use; Read holds one input's text at a
// time.
//
// # Walking
//
// Arguments are walked in the order given; inside a folder, in the lexical
// order of the slash-separated relative paths. A Source's ID is that
// relative path ("corpus" → "b/002.txt"), or the cleaned, slash-separated
// argument for a file named directly, or "-" for stdin. Hidden names (".x")
// inside a folder, paths for which Options.Skip is true, and what
// Options.SkipDir, Options.Exclude and Options.Include leave out are left
// out silently. Symlinks are followed, except those leading into the
// folder walked to a place the walk reads under its own path (read once);
// a folder met again below itself is a symlink loop (ErrSymlinkLoop),
// warned once where met. FIFOs, sockets and
// devices are not regular files (ErrNotRegular). Walk stats but reads
// nothing.
//
// # Formats
//
// The name decides, ignoring case, after .gz, .zst, .xz or .bz2 is stripped
// (and checked against the stream's magic number):
//
//	.txt .text .md .markdown .rst, other or no extension  FormatText
//	.html .htm .xhtml                                     FormatHTML
//	.jsonl .ndjson                                        FormatJSONL
//	.tar .tgz .tar.gz .tar.zst .txz .tar.xz .tbz2 .tar.bz2 FormatTar
//	.zip                                                  FormatZip
//
// Text is kept byte for byte (BOM, CRLF), except UTF-16 with a BOM and
// legacy 8-bit text, which are decoded to UTF-8 (see encoding.go: text that
// is not UTF-8 is read as Options.Encoding, or as windows-1252 with an
// ErrEncodingGuessed notice); Doc.Plain is true when Text is exactly the
// file's bytes, so a caller may drop Text and read the file again. Notices
// (IsNotice) go to the ErrorFunc like problems, but the input was read. A text input
// whose first 8 KiB hold a NUL byte or more than 5% control bytes is binary
// (ErrBinary) and skipped; valid UTF-8 only with NULs in more than 1% of
// them or control bytes in more than a quarter. A PostScript or RTF file
// (by its first bytes) is text whose words are its markup: ErrFormat,
// skipped. A date stamp opening a text (" date: 2020-05-23
// ...") or a front matter date: field gives Doc.Date. HTML becomes its
// visible text with paragraphs kept (see ExtractHTML). A JSONL line is a
// JSON object with id, text and date fields (Options names them); bad lines
// are warned with their line number. Archive members are read by their own
// names (nested compressed files too, nested archives not), into memory only: a
// member's path never touches the file system. A member's Doc.ID is
// "<archive id>/<member path>" and its *Error.Path "<archive path>/<member
// path>". ParseDate lists the date forms understood.
//
// # Limits and cost
//
// Options.MaxBytes (default 1 GiB) caps what is held at once: a text or
// HTML input, a JSONL line, an archive member, and the expanded size of a
// compressed input held whole (text, HTML, zip: decompression bombs).
// Exceeding it is ErrTooLarge. JSONL and tar are streamed, compressed or
// not, so they may be larger than the cap: each line or member is capped.
// Read allocates about the size of one document's text, twice for HTML
// (page and extracted text); zstd is decoded without extra goroutines; an xz
// stream holds its dictionary (up to 64 MiB at xz -9). xz and bzip2 decode
// on one core, at about 30–60 MB/s of expanded text (pure Go): a .tar.xz
// is read at that pace, while a folder's files are read in parallel.
package corpus
