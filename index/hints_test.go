package index

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// TestHintTexts: the files of the texts are asked for in the order
// given, never more than the window ahead of the reads, and never for a
// text the index keeps itself (HTML, JSON Lines); Stop returns whether or
// not every text was read.
func TestHintTexts(t *testing.T) {
	x := build(t, Options{}, exampleCorpus)
	docs := make([]uint32, x.Len())
	for i := range docs {
		docs[i] = uint32(len(docs) - 1 - i) // an order of the caller's, not the index's
	}
	var want []string // the files, in order
	for _, d := range docs {
		if !x.Extracted(d) {
			want = append(want, x.Path(d))
		}
	}
	if len(want) == len(docs) || len(want) < 8 {
		t.Fatalf("the example corpus has %d documents, %d of them plain files: want some of each", len(docs), len(want))
	}
	plainIn := func(docs []uint32) int {
		n := 0
		for _, d := range docs {
			if !x.Extracted(d) {
				n++
			}
		}
		return n
	}

	var mu sync.Mutex
	var got []string
	hinted := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
	// waitFor waits until n files were hinted, then a little longer for
	// any beyond.
	waitFor := func(n int) []string {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); len(hinted()) < n && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		return hinted()
	}

	const ahead = 4
	h := x.hintTexts(docs, ahead, 1, func(path string) {
		mu.Lock()
		got = append(got, path)
		mu.Unlock()
	})
	if g, n := waitFor(plainIn(docs[:ahead])), plainIn(docs[:ahead]); len(g) != n {
		t.Fatalf("before any read: %d files hinted, want the %d plain files of the first %d documents", len(g), n, ahead)
	}
	for range 3 {
		h.Read()
	}
	if g, n := waitFor(plainIn(docs[:ahead+3])), plainIn(docs[:ahead+3]); len(g) != n {
		t.Fatalf("after 3 reads: %d files hinted, want %d", len(g), n)
	}
	for range len(docs) - 3 {
		h.Read()
	}
	g := waitFor(len(want))
	h.Stop()
	if !slices.Equal(g, want) {
		t.Errorf("hinted %q,\nwant the plain files in the order given, %q", g, want)
	}

	// Stopped with reads outstanding: Stop returns, the hints end.
	got = nil
	h = x.hintTexts(docs, ahead, 3, func(string) {})
	done := make(chan struct{})
	go func() {
		h.Stop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not return with texts left unread")
	}
}
