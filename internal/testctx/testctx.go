// Package testctx holds contexts for tests of code that looks at its
// context: how often it looks, and what it does when a look finds the
// context done.
package testctx

import "context"

// DoneAfter is a context that counts the calls of its Err and reports
// itself done (context.Canceled) from the N-th call on; with N 0 it is
// never done. Done and the rest are its embedded Context's. It is NOT
// safe for concurrent use.
type DoneAfter struct {
	context.Context
	N     int // the first call of Err that reports done; 0: none
	Calls int // the calls of Err so far
}

// NewDoneAfter returns a DoneAfter of context.Background, done from the
// n-th call of Err on (never with n 0).
func NewDoneAfter(n int) *DoneAfter {
	return &DoneAfter{Context: context.Background(), N: n}
}

// Err counts the call and reports context.Canceled from the N-th on.
func (c *DoneAfter) Err() error {
	if c.Calls++; c.N > 0 && c.Calls >= c.N {
		return context.Canceled
	}
	return nil
}
