package reusebeam

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/shingle"
)

// Source is one input found by the walk, or one part of a large JSONL
// input: Start..End (bytes of the file) from line Line on, or Data (lines
// of a decompressed file) from line Line on.
type Source struct {
	Index       uint32 // in the order of the walk
	Path, ID    string
	Format      uint8 // corpus.Format
	Compression string
	Remote      bool // read through Beam's file systems (gs://, s3://)
	Part        bool
	Start, End  int64
	Line        int64
	Data        []byte
}

func (s *Source) corpus() corpus.Source {
	return corpus.Source{Path: s.Path, ID: s.ID, Format: corpus.Format(s.Format), Compression: s.Compression}
}

// Warning is a problem with one input (Skipped) or a notice, as
// reuse.Options.Warn receives them.
type Warning struct {
	Message string
	Skipped bool
}

func warning(err error) Warning {
	return Warning{Message: err.Error(), Skipped: !corpus.IsNotice(err)}
}

// remote reports whether path names a file of a file system other than
// the local one (scheme://...).
func remote(p string) bool { return strings.Contains(p, "://") }

// walkFn enumerates the inputs: local ones with corpus.Walk, as a scan
// does; remote ones by listing everything under them (Beam's file
// systems), hidden names left out, in lexical order.
type walkFn struct {
	Inputs   []string
	Settings Settings
}

func (f *walkFn) ProcessElement(ctx context.Context, _ []byte, emit func(Source), warn func(Warning)) error {
	opts := f.Settings.corpus()
	var n uint32
	for _, in := range f.Inputs {
		if remote(in) {
			if err := walkRemote(ctx, in, &opts, &n, emit, warn); err != nil {
				return err
			}
			continue
		}
		err := corpus.Walk(ctx, []string{in}, &opts, func(s corpus.Source) error {
			emit(Source{Index: n, Path: s.Path, ID: s.ID, Format: uint8(s.Format), Compression: s.Compression})
			n++
			return nil
		}, func(err error) { warn(warning(err)) })
		if err != nil {
			return err
		}
	}
	return nil
}

// walkRemote lists the objects under prefix (a folder: the objects whose
// names start with it and a slash; else the object itself).
func walkRemote(ctx context.Context, in string, opts *corpus.Options, n *uint32, emit func(Source), warn func(Warning)) error {
	fs, err := filesystem.New(ctx, in)
	if err != nil {
		return err
	}
	defer fs.Close()
	dir := strings.TrimSuffix(in, "/") + "/"
	names, err := fs.List(ctx, dir+"**")
	if err != nil {
		warn(warning(&corpus.Error{Path: in, Err: err}))
		return nil
	}
	if len(names) == 0 && !strings.HasSuffix(in, "/") {
		names, dir = []string{in}, ""
	}
	sort.Strings(names)
	for _, name := range names {
		rel := strings.TrimPrefix(name, dir)
		if dir == "" {
			rel = name
		} else if hidden(rel) || excluded(opts, rel) {
			continue
		}
		format, comp := corpus.FormatOf(name)
		emit(Source{Index: *n, Path: name, ID: rel, Format: uint8(format), Compression: comp, Remote: true})
		*n++
	}
	return nil
}

func hidden(rel string) bool {
	for part := range strings.SplitSeq(rel, "/") {
		if strings.HasPrefix(part, ".") || part == "" {
			return true
		}
	}
	return false
}

// excluded applies --exclude and --include to an object's relative path
// (every folder above it, and its name, as corpus.Walk does).
func excluded(opts *corpus.Options, rel string) bool {
	parts := strings.Split(rel, "/")
	for i := range parts {
		sub := strings.Join(parts[:i+1], "/")
		if corpus.Match(opts.Exclude, parts[i], sub) {
			return true
		}
	}
	return len(opts.Include) > 0 && !corpus.Match(opts.Include, parts[len(parts)-1], rel)
}

// splitFn cuts large JSONL inputs into parts of about PartBytes, so that
// one big file is not one worker's job. An uncompressed file is scanned
// for line ends (to number the lines), and each part is then read by
// byte range; a gzip-compressed one is decompressed here, its lines
// handed on in parts. Other inputs pass unchanged.
type splitFn struct {
	PartBytes int64
	Settings  Settings
}

func (f *splitFn) ProcessElement(ctx context.Context, s Source, emit func(Source), warn func(Warning)) error {
	if corpus.Format(s.Format) != corpus.FormatJSONL || f.PartBytes <= 0 || s.Path == "-" ||
		(s.Compression != "" && s.Compression != "gzip") {
		emit(s)
		return nil
	}
	rc, size, err := open(ctx, &s)
	if err != nil || (s.Compression == "" && size <= f.PartBytes) {
		if rc != nil {
			rc.Close()
		}
		emit(s) // the reader reports the error
		return nil
	}
	defer rc.Close()
	var rd io.Reader = rc
	if s.Compression == "gzip" {
		zr, err := gzip.NewReader(rc)
		if err != nil {
			emit(s)
			return nil
		}
		rd = zr
	}
	br := bufio.NewReaderSize(rd, 1<<20)
	head, _ := br.Peek(8 << 10)
	if !corpus.Splittable(head) {
		emit(s)
		return nil
	}
	maxBytes := f.Settings.MaxBytes
	if maxBytes <= 0 {
		maxBytes = corpus.DefaultMaxBytes
	}
	// Parts of whole lines: [start, at) from line first.
	var (
		data         []byte
		start, at    int64
		line, first  int64 = 1, 1
		keepData           = s.Compression != ""
		part         Source
		expandedOver bool
	)
	flush := func() {
		if at == start {
			return
		}
		part = s
		part.Part, part.Start, part.End, part.Line = true, start, at, first
		if keepData {
			part.Data, data = data, nil
		}
		emit(part)
		start, first = at, line
	}
	for {
		chunk, err := br.ReadSlice('\n')
		if s.Compression != "" && at+int64(len(chunk)) > maxBytes {
			expandedOver = true
			break
		}
		if keepData {
			data = append(data, chunk...)
		}
		at += int64(len(chunk))
		if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
			line++
			if at-start >= f.PartBytes {
				flush()
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			flush()
			warn(warning(&corpus.Error{Path: s.Path, Line: int(line), Err: err}))
			return nil
		}
	}
	if expandedOver {
		// As a scan: the records before the line that crosses the cap.
		flush()
		warn(warning(&corpus.Error{Path: s.Path, Line: int(line), Err: fmt.Errorf("%w: expanded size exceeds %d bytes (raise --max-bytes)", corpus.ErrTooLarge, maxBytes)}))
		return nil
	}
	flush()
	return nil
}

// open opens a source's file, local or remote, and tells its size.
func open(ctx context.Context, s *Source) (io.ReadCloser, int64, error) {
	if !s.Remote {
		f, err := os.Open(s.Path)
		if err != nil {
			return nil, 0, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		return f, fi.Size(), nil
	}
	fs, err := filesystem.New(ctx, s.Path)
	if err != nil {
		return nil, 0, err
	}
	size, err := fs.Size(ctx, s.Path)
	if err != nil {
		fs.Close()
		return nil, 0, err
	}
	rc, err := fs.OpenRead(ctx, s.Path)
	if err != nil {
		fs.Close()
		return nil, 0, err
	}
	return &closers{rc, fs}, size, nil
}

type closers struct {
	io.ReadCloser
	fs filesystem.Interface
}

func (c *closers) Close() error { return errors.Join(c.ReadCloser.Close(), c.fs.Close()) }

// Text is one document read: its text and what numbering it needs. Key
// is unique: the source's index and the document's line (JSONL) or
// order in the source.
type Text struct {
	Key            uint64
	ID, Path, Date string
	Header, Line   int
	CRC            uint64
	Text           []byte
}

// readFn reads the documents of a source (or part), as corpus.Read does.
type readFn struct {
	Settings Settings
}

func (f *readFn) ProcessElement(ctx context.Context, s Source, emit func(Text), warn func(Warning)) error {
	opts := f.Settings.corpus()
	var n uint32
	visit := func(d corpus.Doc) error {
		if len(d.Text) > shingle.MaxText {
			warn(warning(&corpus.Error{Path: d.Path, Err: fmt.Errorf("text of %q longer than %d bytes", d.ID, shingle.MaxText)}))
			return nil
		}
		sub := n
		if s.Part {
			sub = uint32(d.Line)
		}
		n++
		emit(Text{
			Key: uint64(s.Index)<<32 | uint64(sub), ID: d.ID, Path: d.Path, Date: d.Date,
			Header: d.Header, Line: d.Line, CRC: index.Checksum(d.Text), Text: d.Text,
		})
		return nil
	}
	warnf := func(err error) { warn(warning(err)) }
	var err error
	switch {
	case s.Part && s.Data != nil:
		err = corpus.ReadJSONL(ctx, s.corpus(), bytes.NewReader(s.Data), int(s.Line), &opts, visit, warnf)
	case s.Part:
		var rc io.ReadCloser
		if rc, _, err = open(ctx, &s); err == nil {
			err = readRange(ctx, rc, &s, &opts, visit, warnf)
			rc.Close()
		} else {
			err = &corpus.Error{Path: s.Path, Err: err}
		}
	case s.Remote:
		var rc io.ReadCloser
		var size int64
		if rc, size, err = open(ctx, &s); err == nil {
			err = corpus.ReadFrom(ctx, s.corpus(), rc, size, &opts, visit, warnf)
			rc.Close()
		} else {
			err = &corpus.Error{Path: s.Path, Err: err}
		}
	default:
		err = corpus.Read(ctx, s.corpus(), &opts, visit, warnf)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		warn(warning(err))
	}
	return nil
}

// readRange reads the records of bytes Start..End of a JSONL file.
func readRange(ctx context.Context, rc io.ReadCloser, s *Source, opts *corpus.Options, visit func(corpus.Doc) error, warn corpus.ErrorFunc) error {
	if sk, ok := rc.(io.Seeker); ok {
		if _, err := sk.Seek(s.Start, io.SeekStart); err != nil {
			return err
		}
	} else if _, err := io.CopyN(io.Discard, rc, s.Start); err != nil {
		return err
	}
	return corpus.ReadJSONL(ctx, s.corpus(), io.LimitReader(rc, s.End-s.Start), int(s.Line), opts, visit, warn)
}
