package reword

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/reuse-tool/reuse/eval"
)

// TestPANRetrieval measures the LSH keys on PAN-13 training data: over all
// src and susp documents, the share of listed pairs with cases that
// collide on a key (per sub-corpus) and the number of colliding pairs in
// all (the candidate load), keys held by more than REWORD_LSH_MAXDF
// documents (default 50) skipped as boilerplate. It runs only with
// REWORD_LSH=1 (REWORD_OPT-like overrides in REWORD_KEYS, e.g.
// "Window=3,Threshold=0.25"):
//
//	REWORD_LSH=1 go test ./reword/ -run TestPANRetrieval -v
func TestPANRetrieval(t *testing.T) {
	if os.Getenv("REWORD_LSH") == "" {
		t.Skip("set REWORD_LSH=1 to measure LSH retrieval on PAN-13 training data")
	}
	havePAN(t)
	maxDF := 50
	if s := os.Getenv("REWORD_LSH_MAXDF"); s != "" {
		maxDF, _ = strconv.Atoi(s)
	}
	var opt KeyOptions
	envInto(t, &opt, os.Getenv("REWORD_KEYS"))
	k := NewKeyer(opt)
	b, r := k.Bands()
	r0 := newPanRunner(Options{})
	var names []string
	type posting struct {
		key uint64
		doc uint32
	}
	var posts []posting
	var keys []uint64
	totalKeys := 0
	tokens := 0
	for _, dir := range []string{"src", "susp"} {
		ents, err := os.ReadDir(filepath.Join(panDir, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			d, err := r0.load(filepath.Join(panDir, dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			keys = k.Keys(keys[:0], d.doc)
			id := uint32(len(names))
			names = append(names, e.Name())
			for _, x := range keys {
				posts = append(posts, posting{x, id})
			}
			totalKeys += len(keys)
			tokens += len(d.toks)
			delete(r0.docs, filepath.Join(panDir, dir, e.Name())) // memory
		}
	}
	slices.SortFunc(posts, func(x, y posting) int {
		if x.key != y.key {
			if x.key < y.key {
				return -1
			}
			return 1
		}
		return int(x.doc) - int(y.doc)
	})
	pairs := map[uint64]bool{}
	skipped := 0
	for lo := 0; lo < len(posts); {
		hi := lo + 1
		for hi < len(posts) && posts[hi].key == posts[lo].key {
			hi++
		}
		if hi-lo > maxDF {
			skipped++
		} else {
			for i := lo; i < hi; i++ {
				for j := i + 1; j < hi; j++ {
					x, y := posts[i].doc, posts[j].doc
					if x != y {
						pairs[uint64(min(x, y))<<32|uint64(max(x, y))] = true
					}
				}
			}
		}
		lo = hi
	}
	index := map[string]uint32{}
	for i, n := range names {
		index[n] = uint32(i)
	}
	fmt.Printf("keys: window %d sentences, %d bands x %d rows; %d documents, %d tokens, %.3f keys/token, %d keys over max df %d\n",
		opt.withDefaults().Window, b, r, len(names), tokens, float64(totalKeys)/float64(tokens), skipped, maxDF)
	fmt.Printf("colliding pairs %d of %d possible (%.4f%%)\n", len(pairs), len(names)*(len(names)-1)/2,
		100*float64(len(pairs))/float64(len(names)*(len(names)-1)/2))
	for _, sub := range panSubs {
		list, err := readPairs(sub)
		if err != nil {
			t.Fatal(err)
		}
		truth, err := eval.ReadPANTruth(filepath.Join(panDir, sub), panDir)
		if err != nil {
			t.Fatal(err)
		}
		withCase := map[[2]string]bool{}
		for _, c := range truth.Cases {
			withCase[[2]string{c.Target, c.Source}] = true
		}
		got, gotCase, nCase := 0, 0, 0
		for _, p := range list {
			x, y := index[p[0]], index[p[1]]
			hit := pairs[uint64(min(x, y))<<32|uint64(max(x, y))]
			if hit {
				got++
			}
			if withCase[p] {
				nCase++
				if hit {
					gotCase++
				}
			}
		}
		fmt.Printf("%-28s listed %4d retrieved %4d; with cases %4d retrieved %4d (%.3f)\n",
			sub, len(list), got, nCase, gotCase, float64(gotCase)/float64(max(nCase, 1)))
	}
}

// envInto sets fields of the struct *dst from "Field=value,..." (numbers).
func envInto(t testing.TB, dst any, spec string) {
	t.Helper()
	setFields(t, dst, spec)
}
