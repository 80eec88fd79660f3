package corpus

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"math"
	"path"
	"strings"
)

var errEncrypted = errors.New("corpus: encrypted member, skipped")

// tar reads every regular, not hidden member of a tar archive, after
// decompression, as a document of the format its name tells. Members are
// read in archive order, each into memory: no member path touches the file
// system.
func (r *reader) tar(it item, f io.Reader) error {
	var outer *expandReader
	if it.comp != "" {
		// Streamed: each member is capped (member), not the archive, so
		// that a compressed tarball larger than the cap is read whole, as
		// an uncompressed one is (the Linux source, 1.3 GB as .tar.xz).
		d, err := decompress(f, it.comp, math.MaxInt64)
		if err != nil {
			return &Error{Path: it.errPath, Err: err}
		}
		defer d.Close()
		outer = d.(*expandReader)
		f = outer
	}
	tr := tar.NewReader(f)
	for {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			return &Error{Path: it.errPath, Err: corrupt("tar", err)}
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		name, ok := memberName(hdr.Name)
		if !ok {
			continue
		}
		err = r.member(it, name, hdr.Size, &corruptReader{r: tr, what: "tar"})
		if r.stop != nil {
			return r.stop
		}
		if outer != nil && outer.err != nil {
			// The stream itself failed: the archive ends here.
			return &Error{Path: it.errPath, Err: outer.err}
		}
		if err != nil {
			if r.ctx.Err() != nil {
				return r.ctx.Err()
			}
			r.warn(err)
		}
	}
}

// zip reads every regular, not hidden member of a zip archive as a
// document of the format its name tells, in archive order. A zip that is
// compressed (.zip.gz) or not a file (stdin) is read into memory first.
func (r *reader) zip(it item, rd io.Reader) error {
	ra, ok := rd.(io.ReaderAt)
	size := it.size
	if it.comp != "" || !ok || size < 0 {
		if it.comp != "" {
			d, err := decompress(rd, it.comp, r.opts.MaxBytes)
			if err != nil {
				return &Error{Path: it.errPath, Err: err}
			}
			defer d.Close()
			rd = d
		}
		data, err := readAll(rd, r.opts.MaxBytes, -1)
		if err != nil {
			return &Error{Path: it.errPath, Err: err}
		}
		ra, size = bytes.NewReader(data), int64(len(data))
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return &Error{Path: it.errPath, Err: corrupt("zip", err)}
	}
	for _, zf := range zr.File {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if !zf.Mode().IsRegular() {
			continue
		}
		name, ok := memberName(zf.Name)
		if !ok {
			continue
		}
		if zf.Flags&0x1 != 0 {
			r.warn(&Error{Path: it.errPath + "/" + name, Err: errEncrypted})
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			r.warn(&Error{Path: it.errPath + "/" + name, Err: corrupt("zip", err)})
			continue
		}
		size := int64(min(zf.UncompressedSize64, math.MaxInt64))
		err = r.member(it, name, size, &corruptReader{r: rc, what: "zip"})
		rc.Close()
		if r.stop != nil {
			return r.stop
		}
		if err != nil {
			if r.ctx.Err() != nil {
				return r.ctx.Err()
			}
			r.warn(err)
		}
	}
	return nil
}

// member reads one archive member, name already cleaned, from rd.
func (r *reader) member(arch item, name string, size int64, rd io.Reader) error {
	format, comp := formatOf(name)
	m := item{
		id:      arch.id + "/" + name,
		path:    arch.path,
		errPath: arch.errPath + "/" + name,
		format:  format,
		comp:    comp,
		size:    size,
	}
	if format == FormatTar || format == FormatZip {
		return &Error{Path: m.errPath, Err: ErrNested}
	}
	return r.docs(m, rd)
}

// memberName cleans an archive member's path into a relative, slash
// separated one without ".." (so "../../etc/x" becomes "etc/x"), and
// reports false for a hidden member (a part starting with ".") or an empty
// name.
func memberName(name string) (string, bool) {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Clean("/" + name)[1:]
	if name == "" {
		return "", false
	}
	for part := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(part, ".") {
			return "", false
		}
	}
	return name, true
}

// corruptReader turns an archive reader's errors into ErrCorrupt.
type corruptReader struct {
	r    io.Reader
	what string
}

func (c *corruptReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		err = corrupt(c.what, err)
	}
	return n, err
}
