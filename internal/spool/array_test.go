package spool

import (
	"encoding/binary"
	"sync"
	"testing"
)

// TestArray: records put by concurrent workers in any order read back by
// index, with pread and mapped.
func TestArray(t *testing.T) {
	a := NewArray("reuse-test-*", 24)
	defer a.Close()
	const n = 1000
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			rec := make([]byte, 24)
			for i := n - 1 - w; i >= 0; i -= 4 {
				binary.LittleEndian.PutUint64(rec, uint64(i)*7)
				binary.LittleEndian.PutUint64(rec[16:], uint64(i))
				if err := a.Put(i, rec); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	check := func(mode string) {
		var buf []byte
		for i := range n {
			rec, err := a.Get(i, buf)
			if err != nil || binary.LittleEndian.Uint64(rec) != uint64(i)*7 || binary.LittleEndian.Uint64(rec[16:]) != uint64(i) {
				t.Fatalf("%s: Get(%d) = %v, %v", mode, i, rec, err)
			}
		}
		if _, err := a.Get(n, buf); err == nil {
			t.Errorf("%s: Get(%d) of %d records: no error", mode, n, n)
		}
	}
	check("pread")
	a.Seal()
	check("mapped")
}
