package archive

import (
	"math/rand/v2"
	"testing"
)

// TestCounts: the table against a map, on keys drawn from a small range
// (repeats) and from the whole range, key 0 included, through growth.
func TestCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var c counts
	type want struct{ news, archive int32 }
	ref := map[uint64]want{}
	key := func() uint64 {
		switch r.IntN(3) {
		case 0:
			return uint64(r.IntN(50)) // 0 among them
		case 1:
			return r.Uint64()
		}
		return uint64(r.IntN(5000)) << 40
	}
	for i := range 20000 {
		k := key()
		switch r.IntN(3) {
		case 0:
			c.slot(k).news++
			w, ok := ref[k]
			if !ok {
				w.archive = -1
			}
			w.news++
			ref[k] = w
		case 1:
			a := int32(r.IntN(9))
			c.slot(k).archive = a
			w, ok := ref[k]
			if !ok {
				w = want{}
			}
			w.archive = a
			ref[k] = w
		default:
			s := c.get(k)
			w, ok := ref[k]
			if (s != nil) != ok || ok && (s.news != w.news || s.archive != w.archive) {
				t.Fatalf("step %d: get(%#x) = %+v, want %+v (held: %v)", i, k, s, w, ok)
			}
			if got, want := c.df(k), int(w.news)+int(max(w.archive, 0)); got != want {
				t.Fatalf("step %d: df(%#x) = %d, want %d", i, k, got, want)
			}
			// A block of keys, held or not, against the reference.
			ks := make([]uint64, r.IntN(70))
			for j := range ks {
				ks[j] = key()
			}
			got := make([]int, len(ks))
			c.dfs(ks, got)
			for j, k := range ks {
				w := ref[k]
				if want := int(w.news) + int(max(w.archive, 0)); got[j] != want {
					t.Fatalf("step %d: dfs(%#x)[%d] = %d, want %d", i, ks, j, got[j], want)
				}
			}
		}
	}
	if _, ok := ref[0]; !ok {
		t.Fatal("key 0 never drawn")
	}
	if len(c.slots) < 2*c.n {
		t.Fatalf("%d keys in %d slots: more than half full", c.n, len(c.slots))
	}
}
