package cluster

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
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

// asideOf adds groups to a new Aside a member of each group in turn, as
// runs of several families add them, and flushes it.
func asideOf(groups [][]Occurrence) (*Aside, error) {
	a := newAside()
	for m := 0; ; m++ {
		added := false
		for g, grp := range groups {
			if m < len(grp) {
				if err := a.add(int32(g), grp[m]); err != nil {
					return nil, err
				}
				added = true
			}
		}
		if !added {
			return a, a.flush()
		}
	}
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
			a, err := asideOf(groups)
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
	a, err := asideOf(asideGroups(2*asidePiece + 1))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Load(testctx.NewDoneAfter(2)); !errors.Is(err, context.Canceled) {
		t.Errorf("Load: %v, want context.Canceled", err)
	}
}

// TestAsideCorrupt: records that do not match the groups' sizes (a file
// changed under the scan) are an error, not a panic.
func TestAsideCorrupt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(sizes []int32)
	}{
		{"a record more", func(s []int32) { s[0]-- }},
		{"a record less", func(s []int32) { s[1]++ }},
		{"a group overflows", func(s []int32) { s[0]--; s[1]++ }},
	} {
		a, err := asideOf(asideGroups(3, 2))
		if err != nil {
			t.Fatal(err)
		}
		tc.change(a.sizes)
		if _, err := a.Load(context.Background()); !errors.Is(err, spool.ErrCorrupt) {
			t.Errorf("%s: %v, want spool.ErrCorrupt", tc.name, err)
		}
		a.Close()
	}
}

func TestAsideClosed(t *testing.T) {
	a, err := asideOf(asideGroups(3))
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := a.Load(context.Background()); err == nil {
		t.Error("Load after Close: no error")
	}
}

// TestBoilerplateAsideCancelled: BoilerplateAside gives up with the
// context's error, and leaves no file.
func TestBoilerplateAsideCancelled(t *testing.T) {
	var ps []postings.Posting
	for d := range uint32(3 * 4096) { // more runs than a look at ctx's period
		ps = append(ps, postings.Posting{Hash: 7, Doc: d, Pos: 0}, postings.Posting{Hash: 9, Doc: d, Pos: 2})
	}
	numbered, ids := numberedOf(t, ps)
	for _, n := range []int{1, 5, 11, 15} { // the sort and the votes, the counts, the walk over the runs
		a, runs, _, err := BoilerplateAside(testctx.NewDoneAfter(n), Postings(slices.Clone(numbered)), ids, 3, 4, Joining{})
		if !errors.Is(err, context.Canceled) || a != nil || runs != nil {
			t.Errorf("cancelled at the %d-th look: %v, %v runs, %v; want context.Canceled", n, a, runs.Len(), err)
		}
	}
	a, runs, _, err := BoilerplateAside(context.Background(), Postings(numbered), ids, 3, 4, Joining{})
	if err != nil || runs.Len() != 3*4096 {
		t.Fatalf("not cancelled: %d runs, %v; want %d", runs.Len(), err, 3*4096)
	}
	a.Close()
	runs.Close()
}

// TestRunsCancelled: Runs.Each gives up with the context's error.
func TestRunsCancelled(t *testing.T) {
	rs := newRuns()
	defer rs.Close()
	for i := range int32(3 * runPiece) {
		if err := rs.add(Occurrence{Doc: uint32(i), Start: i, End: i + 1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rs.flush(); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := rs.Each(testctx.NewDoneAfter(2), func(Occurrence) { n++ }); !errors.Is(err, context.Canceled) || n != runPiece {
		t.Errorf("Each cancelled at its second look: %d runs, %v; want %d, context.Canceled", n, err, runPiece)
	}
	if got := runsOf(t, rs); len(got) != 3*runPiece || got[runPiece] != (Occurrence{Doc: runPiece, Start: runPiece, End: runPiece + 1}) {
		t.Errorf("Each after a cancelled one: %d runs, want %d", len(got), 3*runPiece)
	}
}
