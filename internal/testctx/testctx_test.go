package testctx

import (
	"context"
	"testing"
)

func TestDoneAfter(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		c := NewDoneAfter(n)
		for call := 1; call <= 5; call++ {
			err := c.Err()
			if want := n > 0 && call >= n; (err == context.Canceled) != want || (err != nil && !want) {
				t.Errorf("NewDoneAfter(%d): call %d of Err = %v, want done %v", n, call, err, want)
			}
		}
		if c.Calls != 5 {
			t.Errorf("NewDoneAfter(%d): Calls = %d after 5 calls", n, c.Calls)
		}
	}
}
