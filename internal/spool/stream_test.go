package spool

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// TestStream: records come back in order, whole, from the start each
// time a reader is made; an empty stream reads as none.
func TestStream(t *testing.T) {
	s := NewStream("reuse-test-*")
	defer s.Close()
	var want [][]byte
	for i := range 3000 {
		rec := bytes.Repeat([]byte{byte(i)}, i%700)
		want = append(want, rec)
		if err := s.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	for round := range 2 {
		r, err := s.Reader()
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want {
			got, err := r.Next()
			if err != nil || !bytes.Equal(got, w) {
				t.Fatalf("round %d, record %d: %d bytes, %v; want %d bytes", round, i, len(got), err, len(w))
			}
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("round %d: after the last record: %v, want io.EOF", round, err)
		}
	}
	if err := s.Append([]byte("late")); err == nil {
		t.Errorf("Append after Reader: no error")
	}
	empty := NewStream("reuse-test-*")
	r, err := empty.Reader()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("empty stream: %v, want io.EOF", fmt.Sprint(err))
	}
}
