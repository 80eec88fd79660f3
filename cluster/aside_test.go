package cluster

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/testctx"
)

// asideGroups returns groups of the given sizes over one array, laid out
// as Boilerplate lays them out, with occurrences no field of which
// repeats another's.
func asideGroups(sizes ...int) [][]Occurrence {
	total := 0
	for _, n := range sizes {
		total += n
	}
	flat := make([]Occurrence, total)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range flat {
		start := r.Int32N(1 << 30)
		flat[i] = Occurrence{Doc: r.Uint32(), Start: start, End: start + 1 + r.Int32N(1<<20)}
	}
	groups := make([][]Occurrence, len(sizes))
	at := 0
	for g, n := range sizes {
		groups[g] = flat[at : at+n : at+n]
		at += n
	}
	if len(groups) > 0 {
		groups[0] = flat[:sizes[0]]
	}
	return groups
}

func TestAside(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sizes []int
	}{
		{"none", nil},
		{"one", []int{1}},
		{"several", []int{3, 1, 7, 2}},
		{"more than a piece", []int{5, asidePiece + 3, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			groups := asideGroups(tc.sizes...)
			a, err := PutAside(context.Background(), groups)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			for range 2 { // Load may be called again
				got, err := a.Load(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(groups) {
					t.Fatalf("%d groups back, want %d", len(got), len(groups))
				}
				for g := range groups {
					if !slices.Equal(got[g], groups[g]) {
						t.Fatalf("group %d differs", g)
					}
				}
				// Laid out as Boilerplate's, so that Families reads them
				// in place.
				if flat := flatten(got); len(flat) > 0 && &flat[0] != &got[0][0] {
					t.Error("the groups are not one array that the first one's capacity spans")
				}
			}
		})
	}
}

func TestAsideCancelled(t *testing.T) {
	groups := asideGroups(2*asidePiece + 1)
	ctx := testctx.NewDoneAfter(2)
	if _, err := PutAside(ctx, groups); !errors.Is(err, context.Canceled) {
		t.Errorf("PutAside: %v, want context.Canceled", err)
	}
	a, err := PutAside(context.Background(), groups)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Load(testctx.NewDoneAfter(2)); !errors.Is(err, context.Canceled) {
		t.Errorf("Load: %v, want context.Canceled", err)
	}
}

func TestAsideClosed(t *testing.T) {
	a, err := PutAside(context.Background(), asideGroups(3))
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := a.Load(context.Background()); err == nil {
		t.Error("Load after Close: no error")
	}
}
