package corpus

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Magic numbers at the start of a compressed stream.
var (
	gzipMagic  = []byte{0x1f, 0x8b}
	zstdMagic  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	xzMagic    = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	bzip2Magic = []byte("BZh")
)

// decompress returns a reader of what rd holds compressed with comp
// ("gzip", "zstd", "xz" or "bzip2"), after checking the stream's magic
// number. Reading more than
// max expanded bytes fails with ErrTooLarge; a corrupt or truncated stream
// fails with ErrCorrupt and the reason.
func decompress(rd io.Reader, comp string, max int64) (io.ReadCloser, error) {
	br := bufio.NewReader(rd)
	head, _ := br.Peek(6)
	var (
		dec io.Reader
		cl  func()
	)
	switch comp {
	case "gzip":
		if !bytes.HasPrefix(head, gzipMagic) {
			return nil, fmt.Errorf("%w: not gzip data", ErrCorrupt)
		}
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, corrupt(comp, err)
		}
		zr.Multistream(false)
		dec, cl = &gzipStreams{zr: zr, br: br}, func() { zr.Close() }
	case "zstd":
		if !bytes.HasPrefix(head, zstdMagic) && !isZstdSkippable(head[:min(len(head), 4)]) {
			return nil, fmt.Errorf("%w: not zstd data", ErrCorrupt)
		}
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, corrupt(comp, err)
		}
		dec, cl = zr, zr.Close
	case "xz":
		if !bytes.HasPrefix(head, xzMagic) {
			return nil, fmt.Errorf("%w: not xz data", ErrCorrupt)
		}
		// Concatenated streams are read, as xz -d reads them; a single
		// stream's dictionary (up to 64 MiB at xz -9) is its memory.
		zr, err := xz.NewReader(br)
		if err != nil {
			return nil, corrupt(comp, err)
		}
		dec, cl = zr, func() {}
	case "bzip2":
		if !bytes.HasPrefix(head, bzip2Magic) {
			return nil, fmt.Errorf("%w: not bzip2 data", ErrCorrupt)
		}
		dec, cl = bzip2.NewReader(br), func() {}
	default:
		return nil, fmt.Errorf("corpus: unknown compression %q", comp)
	}
	return &expandReader{r: dec, comp: comp, left: max, max: max, close: cl}, nil
}

// gzipStreams reads concatenated gzip members, as gzip -d does, and like
// it ignores trailing bytes that do not start another member (tape or
// transfer padding).
type gzipStreams struct {
	zr *gzip.Reader
	br *bufio.Reader
}

func (g *gzipStreams) Read(p []byte) (int, error) {
	for {
		n, err := g.zr.Read(p)
		if err != io.EOF {
			return n, err
		}
		if head, _ := g.br.Peek(2); !bytes.Equal(head, gzipMagic) {
			return n, io.EOF
		}
		if err := g.zr.Reset(g.br); err != nil {
			return n, err
		}
		g.zr.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}

// isZstdSkippable reports a zstd skippable frame, magic 0x184D2A5?.
func isZstdSkippable(head []byte) bool {
	return len(head) == 4 && head[0]&0xf0 == 0x50 && head[1] == 0x2a && head[2] == 0x4d && head[3] == 0x18
}

// corrupt wraps err, from the reader of a comp ("gzip", "tar" ...) stream,
// as ErrCorrupt: "corpus: corrupt input: gzip: unexpected EOF". Errors that
// are already ErrCorrupt or ErrTooLarge are returned as they are.
func corrupt(comp string, err error) error {
	if errors.Is(err, ErrCorrupt) || errors.Is(err, ErrTooLarge) {
		return err
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if strings.HasPrefix(err.Error(), comp+":") || strings.HasPrefix(err.Error(), "archive/"+comp+":") {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrCorrupt, comp, err)
}

// expandReader caps a decompressor's output and turns its errors into
// ErrCorrupt.
type expandReader struct {
	r         io.Reader
	comp      string
	left, max int64
	close     func()
	err       error // the first error other than io.EOF
}

func (e *expandReader) Read(p []byte) (int, error) {
	if e.left <= 0 {
		// Only fail if there is more: a stream of exactly max bytes is fine.
		var one [1]byte
		n, err := e.r.Read(one[:])
		if n > 0 {
			e.err = &limitError{what: "expanded size", max: e.max}
			return 0, e.err
		}
		return 0, e.wrap(err)
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	return n, e.wrap(err)
}

func (e *expandReader) wrap(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	if e.err == nil {
		e.err = corrupt(e.comp, err)
	}
	return e.err
}

func (e *expandReader) Close() error {
	e.close()
	return nil
}
