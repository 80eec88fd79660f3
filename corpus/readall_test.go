package corpus

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// zeros reads as n zero bytes, a few at a time.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n == 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n, 1<<20)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

// TestReadAll: readAll reads what there is whatever the hint says, fails
// past max, and takes a true hint's size at once: a text of 90 MB
// (past the first allocation's 64 MiB) is read into one buffer of its
// size, not grown by doubling.
func TestReadAll(t *testing.T) {
	const big = 90 << 20
	for _, tc := range []struct {
		size, hint, max int64
		err             bool
		cap             int // of the buffer read, about; 0: any
	}{
		{0, 0, 10, false, 1},
		{5, 5, 10, false, 6},
		{5, -1, 10, false, 0},
		{5, 2, 10, false, 0},    // more than the hint
		{5, 1000, 10, false, 0}, // less than the hint
		{11, 11, 10, true, 0},   // past max
		{11, -1, 10, true, 0},   // past max, no hint
		{big, big, 1 << 30, false, big + 1},
		{big, -1, 1 << 30, false, 0},
	} {
		got, err := readAll(&zeros{tc.size}, tc.max, tc.hint)
		var le *limitError
		if tc.err {
			if !errors.As(err, &le) {
				t.Errorf("readAll(%d bytes, max %d, hint %d) = %v, want a limit error", tc.size, tc.max, tc.hint, err)
			}
			continue
		}
		if err != nil || int64(len(got)) != tc.size || !bytes.Equal(got[:min(len(got), 16)], make([]byte, min(len(got), 16))) {
			t.Errorf("readAll(%d bytes, max %d, hint %d) = %d bytes, %v", tc.size, tc.max, tc.hint, len(got), err)
		}
		if tc.cap != 0 && (cap(got) < tc.cap || cap(got) > tc.cap+tc.cap/64) { // rounded to a size class
			t.Errorf("readAll(%d bytes, hint %d): a buffer of %d bytes, want %d", tc.size, tc.hint, cap(got), tc.cap)
		}
	}
}
