package index

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// TestHintTexts: the files of the texts are asked for in the order
// given, and never for a text the index keeps itself (HTML, JSON Lines);
// the window is work.Ahead's (TestAhead).
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
	var mu sync.Mutex
	var got []string
	h := x.hintTexts(docs, 4, 1, func(path string) {
		mu.Lock()
		got = append(got, path)
		mu.Unlock()
	})
	for range docs {
		h.Done()
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= len(want) {
			break
		}
	}
	h.Stop()
	if !slices.Equal(got, want) {
		t.Errorf("hinted %q,\nwant the plain files in the order given, %q", got, want)
	}
}
