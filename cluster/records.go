package cluster

import (
	"context"

	"github.com/reuse-tool/reuse/internal/spool"
)

// records appends fixed-size records to a temporary file through a
// buffer of piece records (the caller appends to buf, then calls added),
// and reads them back in order, a piece at a time: the files of Aside,
// Runs and the families' members (memberFile).
type records struct {
	file        *spool.Array
	size, piece int
	buf         []byte
	n           int // records written
}

func newRecords(pattern string, size, piece int) records {
	return records{file: spool.NewArray(pattern, size), size: size, piece: piece}
}

// added writes the buffer out once it holds piece records.
func (r *records) added() error {
	if len(r.buf) >= r.piece*r.size {
		return r.flush()
	}
	return nil
}

// flush writes the buffered records.
func (r *records) flush() error {
	if err := r.file.PutRange(r.n, r.buf); err != nil {
		return err
	}
	r.n += len(r.buf) / r.size
	r.buf = r.buf[:0]
	return nil
}

// each calls fn with every record written, in order (rec is fn's until
// it returns), a piece at a time, and stops at fn's error, ctx's or the
// file's.
func (r *records) each(ctx context.Context, fn func(i int, rec []byte) error) error {
	var buf []byte
	for lo := 0; lo < r.n; lo += r.piece {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(r.piece, r.n-lo)
		var err error
		if buf, err = r.file.GetRange(lo, n, buf); err != nil {
			return err
		}
		for i := range n {
			if err := fn(lo+i, buf[i*r.size:(i+1)*r.size]); err != nil {
				return err
			}
		}
	}
	return nil
}
