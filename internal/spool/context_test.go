package spool

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/reuse-tool/reuse/internal/testctx"
	"github.com/reuse-tool/reuse/shingle"
)

// TestWriteAtContext: a write of several pieces looks at its context
// between two, and gives up at the look that finds it done, with the
// pieces before it written.
func TestWriteAtContext(t *testing.T) {
	b := bytes.Repeat([]byte("0123456789abcdef"), (3*writePiece+5)/16+1)
	for _, tc := range []struct {
		n         int   // done from the n-th look
		looks     int   // want
		err       error // want
		unwritten int   // bytes of b not written, want
	}{
		{0, 3, nil, 0},
		{1, 1, context.Canceled, len(b) - writePiece},
		{3, 3, context.Canceled, len(b) - 3*writePiece},
	} {
		f := file{pattern: "reuse-test-*"}
		ctx := testctx.NewDoneAfter(tc.n)
		err := f.writeAtContext(ctx, b, 0)
		fi, serr := f.current().Stat()
		if serr != nil {
			t.Fatal(serr)
		}
		if !errors.Is(err, tc.err) || ctx.Calls != tc.looks || int(fi.Size()) != len(b)-tc.unwritten {
			t.Errorf("writeAtContext of %d bytes, done from look %d = %v after %d looks, %d bytes written; want %v, %d, %d",
				len(b), tc.n, err, ctx.Calls, fi.Size(), tc.err, tc.looks, len(b)-tc.unwritten)
		}
		f.current().Close()
	}
}

// TestPutWithContext: making a large document's record looks at the
// context every checkTokens tokens (its varints' size, seeds, word
// classes, offsets), and
// a record given up is not written; with a context never done the
// record is AppendSeedRecord's.
func TestPutWithContext(t *testing.T) {
	const n = 2*checkTokens + 3
	toks := make([]shingle.Token, n)
	for i := range toks {
		toks[i] = shingle.Token{Start: uint32(2 * i), End: uint32(2*i + 1)}
	}
	seeds := seeds32(toks, 3)
	want := AppendSeedRecord(nil, nil, toks, seeds, nil)
	for _, tc := range []struct {
		n, looks int
		err      error
	}{
		{0, 8, nil}, // every checkTokens, in the varints' size, the seeds, the word classes and the offsets
		{2, 2, context.Canceled},
	} {
		st := NewSeeds()
		sw := st.NewWriter()
		ctx := testctx.NewDoneAfter(tc.n)
		r, err := sw.PutWith(ctx, nil, toks, seeds, nil, []byte("extra"))
		if !errors.Is(err, tc.err) || ctx.Calls != tc.looks {
			t.Errorf("PutWith of %d tokens, done from look %d = %v after %d looks, want %v after %d", n, tc.n, err, ctx.Calls, tc.err, tc.looks)
		}
		if err == nil && !bytes.Equal(sw.Last(r), want) {
			t.Errorf("PutWith of %d tokens: not AppendSeedRecord's record", n)
		}
		if err != nil && st.size.Load() != 0 {
			t.Errorf("PutWith given up wrote %d bytes", st.size.Load())
		}
	}
}

// TestPutWithExtraContext: a record's extra of hundreds of MB is copied
// into it a writePiece at a time, with a look between two pieces (2
// looks here), before the record is written the same way (2 more).
func TestPutWithExtraContext(t *testing.T) {
	toks := []shingle.Token{{Start: 0, End: 1}, {Start: 2, End: 3}, {Start: 4, End: 5}}
	seeds := seeds32(toks, 3)
	extra := bytes.Repeat([]byte("x"), 2*writePiece+3)
	ctx := testctx.NewDoneAfter(0)
	r, err := NewSeeds().NewWriter().PutWith(ctx, nil, toks, seeds, nil, extra)
	if err != nil || ctx.Calls != 4 || r.Bytes == 0 {
		t.Errorf("PutWith with %d bytes of extra = %v after %d looks, want nil after 4", len(extra), err, ctx.Calls)
	}
	st := NewSeeds()
	ctx = testctx.NewDoneAfter(2)
	if _, err := st.NewWriter().PutWith(ctx, nil, toks, seeds, nil, extra); !errors.Is(err, context.Canceled) || ctx.Calls != 2 || st.size.Load() != 0 {
		t.Errorf("PutWith, done at look 2 = %v after %d looks, %d bytes written; want context.Canceled after 2, none", err, ctx.Calls, st.size.Load())
	}
}
