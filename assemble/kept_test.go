package assemble

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/cluster"
)

func keptSample() []KeptCluster {
	return []KeptCluster{
		{Family: 40, Members: []KeptMember{{Doc: 1 << 33, Start: 3, End: 9, ByteStart: 20, ByteEnd: 61}}},
		{Family: 7, Apart: true, HasRefs: true,
			References: [2]KeptReference{{Key: 99, Start: 4}, {Key: 1 << 60, Start: 0}},
			Members: []KeptMember{
				{Doc: 2, Start: 0, End: 5, ByteStart: 0, ByteEnd: 30},
				{Doc: 2, Start: 9, End: 14, ByteStart: 50, ByteEnd: 80, Derived: true},
				{Doc: 5, Start: 4, End: 9, ByteStart: 22, ByteEnd: 51},
			},
			Touching: [][2]uint64{{2, 5}, {2, 8}, {5, 1 << 40}},
		},
		// A passage joined: its sides are members, and the family's own
		// occurrences inside them are Found.
		{Family: 12,
			Members: []KeptMember{
				{Doc: 3, Start: 0, End: 20, ByteStart: 0, ByteEnd: 120, Joined: true},
				{Doc: 4, Start: 2, End: 7, ByteStart: 10, ByteEnd: 44},
				{Doc: 6, Start: 1, End: 30, ByteStart: 5, ByteEnd: 190, Joined: true},
			},
			Found:    []KeptMember{{Doc: 3, Start: 5, End: 9}, {Doc: 3, Start: 12, End: 18}},
			Touching: [][2]uint64{{3, 6}},
		},
		// Two families a passage joins: found by either.
		{Family: 20, Families: []int32{20, 45}, HasRefs: true,
			References: [2]KeptReference{{Key: 5, Start: 1}, {Key: 70, Start: 2}},
			Members: []KeptMember{
				{Doc: 8, Start: 0, End: 12, ByteStart: 0, ByteEnd: 70, Joined: true},
				{Doc: 9, Start: 3, End: 8, ByteStart: 15, ByteEnd: 40},
			},
			Found:    []KeptMember{{Doc: 8, Start: 0, End: 5}, {Doc: 8, Start: 7, End: 12}},
			Touching: [][2]uint64{{8, 9}},
		},
	}
}

// TestKeptRoundTrip: kept clusters encoded are found by family and
// decoded as they were.
func TestKeptRoundTrip(t *testing.T) {
	cs := keptSample()
	k, err := DecodeKept(EncodeKept(slices.Clone(cs)))
	if err != nil {
		t.Fatal(err)
	}
	if k.Len() != len(cs)+1 || k.Clusters() != len(cs) {
		t.Fatalf("Len = %d, Clusters = %d, want %d records of %d clusters", k.Len(), k.Clusters(), len(cs)+1, len(cs))
	}
	for _, want := range cs {
		for _, f := range append([]int32{want.Family}, want.Families...) {
			i, ok := k.Find(f)
			if !ok {
				t.Fatalf("Find(%d): not found", f)
			}
			got, err := k.Cluster(i)
			want.Family = f
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Cluster(%d) = %+v, %v\nwant %+v", i, got, err, want)
			}
			if h := k.Head(i); h.Family != f || !slices.Equal(h.Families, want.Families) || h.References != want.References {
				t.Errorf("Head(%d) = %+v, want family %d of %v, references %v", i, h, f, want.Families, want.References)
			}
		}
	}
	for _, f := range []int32{0, 8, 41} {
		if _, ok := k.Find(f); ok {
			t.Errorf("Find(%d): found, and no cluster is of it", f)
		}
	}
	if k, err := DecodeKept(EncodeKept(nil)); err != nil || k.Len() != 0 {
		t.Errorf("no clusters: %v, %v", k, err)
	}
}

// TestKeptDamaged: damaged encodings are refused (ErrKept), by DecodeKept
// or by Cluster.
func TestKeptDamaged(t *testing.T) {
	good := EncodeKept(keptSample())
	unsorted := keptSample()
	unsorted[1].Members[0], unsorted[1].Members[2] = unsorted[1].Members[2], unsorted[1].Members[0]
	empty := keptSample()
	empty[0].Members[0].End = empty[0].Members[0].Start
	touching := keptSample()
	touching[1].Touching[0], touching[1].Touching[1] = touching[1].Touching[1], touching[1].Touching[0]
	flags := slices.Clone(good)
	flags[4+12] = 9 // the first cluster's flags
	bit := slices.Clone(good)
	bit[len(bit)-1] ^= 1 // a touching passage's
	derivedJoined := keptSample()
	derivedJoined[2].Members[0].Derived = true
	foundUnsorted := keptSample()
	foundUnsorted[2].Found[0], foundUnsorted[2].Found[1] = foundUnsorted[2].Found[1], foundUnsorted[2].Found[0]
	onlyFound := keptSample()
	onlyFound[2].Members = nil
	oneOfSeveral := keptSample()
	oneOfSeveral[3].Families = []int32{20}
	// The record of family 45 (the last of the index) told apart from
	// its cluster's: another checksum, or other members.
	last := 4 + 5*keptIndexBytes
	sharedSum := slices.Clone(good)
	sharedSum[last-1] ^= 1
	sharedMembers := slices.Clone(good)
	sharedMembers[last-keptIndexBytes+9]++ // 256 more: past the end
	for name, data := range map[string][]byte{
		"empty":              nil,
		"cut":                good[:len(good)-3],
		"longer":             append(slices.Clone(good), 0),
		"count":              append([]byte{200, 0, 0, 0}, good[4:]...),
		"flags":              flags,
		"members unsorted":   EncodeKept(unsorted),
		"empty member":       EncodeKept(empty),
		"touching unsorted":  EncodeKept(touching),
		"checksum":           bit,
		"derived and joined": EncodeKept(derivedJoined),
		"found unsorted":     EncodeKept(foundUnsorted),
		"only found":         EncodeKept(onlyFound),
		"one of several":     EncodeKept(oneOfSeveral),
		"shared checksum":    sharedSum,
		"shared members":     sharedMembers,
	} {
		k, err := DecodeKept(data)
		for i := 0; err == nil && i < k.Len(); i++ {
			_, err = k.Cluster(i)
		}
		if !errors.Is(err, ErrKept) {
			t.Errorf("%s: %v, want ErrKept", name, err)
		}
	}
}

// FuzzDecodeKept: no encoding panics DecodeKept or Cluster, and what
// decodes encodes again to the same bytes.
func FuzzDecodeKept(f *testing.F) {
	f.Add(EncodeKept(keptSample()))
	f.Add(EncodeKept(nil))
	f.Add([]byte{1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := DecodeKept(data)
		if err != nil {
			return
		}
		var cs []KeptCluster
		for i := range k.Len() {
			c, err := k.Cluster(i)
			if err != nil {
				return
			}
			if len(c.Families) == 0 || c.Family == c.Families[0] {
				cs = append(cs, c) // a cluster of several families once
			}
		}
		if again := EncodeKept(cs); !slices.Equal(again, data) {
			t.Errorf("decoded %+v, encoded again %x, not %x", cs, again, data)
		}
	})
}

// TestSideIndexMeeting: the sides meeting a range are those a walk over
// all of them finds.
func TestSideIndexMeeting(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for iter := range 200 {
		n := 1 + rng.IntN(6)
		sides := make([][2]cluster.Occurrence, rng.IntN(40))
		occ := func() cluster.Occurrence {
			s := int32(rng.IntN(100))
			return cluster.Occurrence{Doc: uint32(rng.IntN(n)), Start: s, End: s + 1 + int32(rng.IntN(30))}
		}
		for i := range sides {
			sides[i] = [2]cluster.Occurrence{occ(), occ()}
		}
		si, err := newSideIndex(context.Background(), n, sides)
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			q := occ()
			got, ok := si.meeting(nil, q.Doc, q.Start, q.End)
			if !ok {
				t.Fatalf("%d: meeting %+v: walked too far among %d sides", iter, q, len(sides))
			}
			var want []uint32
			for _, sd := range sides {
				for k, o := range sd {
					if o.Doc == q.Doc && o.Start < q.End && o.End > q.Start {
						want = append(want, sd[1-k].Doc)
					}
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("%d: meeting %+v = %v, want %v", iter, q, got, want)
			}
		}
	}
}

// TestSideIndexMeetingBounded: a range under more sides than
// maxMeetingWalk is not walked whole.
func TestSideIndexMeetingBounded(t *testing.T) {
	sides := make([][2]cluster.Occurrence, maxMeetingWalk+10)
	for i := range sides {
		sides[i] = [2]cluster.Occurrence{{Doc: 0, Start: int32(i), End: 1 << 20}, {Doc: 1, Start: 0, End: 5}}
	}
	si, err := newSideIndex(context.Background(), 2, sides)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := si.meeting(nil, 0, 1<<19, 1<<19+5); ok {
		t.Error("a range under every side walked whole")
	}
	if got, ok := si.meeting(nil, 1, 0, 5); ok || len(got) > maxMeetingWalk {
		t.Errorf("the other document's range: %d sides, ok %v; want the walk cut", len(got), ok)
	}
}

// TestApartOf: a cluster is apart where no other cluster's occurrence
// starting at or before one of its members ends less than gap before
// it, as a walk over all pairs finds, whether it holds one family of
// boilerplate or several.
func TestApartOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	apart, near := 0, 0
	for iter := range 300 {
		n := 1 + rng.IntN(4)
		fams := make([]cluster.Family, 1+rng.IntN(5))
		boilerFamily := make([]int32, len(fams))
		for f := range fams {
			boilerFamily[f] = int32(f)
			for d := range uint32(n) {
				at := int32(rng.IntN(40))
				for range rng.IntN(3) {
					end := at + 1 + int32(rng.IntN(8))
					fams[f].Members = append(fams[f].Members, cluster.Occurrence{Doc: d, Start: at, End: end})
					at = end + int32(rng.IntN(30))
				}
			}
		}
		// A cluster of several families of boilerplate: its members
		// are one cluster's, whichever family they are of.
		if rng.IntN(2) == 0 {
			boilerFamily = append(boilerFamily, int32(rng.IntN(len(fams))))
		}
		const gap = 6
		bs := make([][]int, len(fams))
		for b, f := range boilerFamily {
			bs[f] = append(bs[f], b)
		}
		got, err := apartOf(context.Background(), n, fams, boilerFamily, bs, gap)
		if err != nil {
			t.Fatal(err)
		}
		for f, fam := range fams {
			want := true
			for _, o := range fam.Members {
				for g, other := range fams {
					for _, p := range other.Members {
						if g != f && p.Doc == o.Doc && p.Start <= o.Start && p.End > o.Start-gap {
							want = false
						}
					}
				}
			}
			if got[f] != want {
				t.Fatalf("%d: family %d apart %v, want %v (%+v)", iter, f, got[f], want, fams)
			}
			if want {
				apart++
			} else {
				near++
			}
		}
	}
	if apart == 0 || near == 0 {
		t.Errorf("%d families apart, %d not: the test checks too little", apart, near)
	}
}

// TestSameKept: a round's cluster is served as a kept cluster of several
// families only where its families of boilerplate are that cluster's,
// each of them, found and with their references unmoved.
func TestSameKept(t *testing.T) {
	one := KeptCluster{Family: 4}
	several := func(f int32) KeptCluster { return KeptCluster{Family: f, Families: []int32{3, 9}} }
	other := KeptCluster{Family: 9, Families: []int32{5, 9}}
	for _, tt := range []struct {
		name   string
		c      KeptCluster
		bs     []int
		looked map[int]lookedUp
		want   bool
	}{
		{"one family", one, []int{0}, map[int]lookedUp{0: {one, true, false}}, true},
		{"one family, two in the round", one, []int{0, 1}, map[int]lookedUp{0: {one, true, false}, 1: {several(9), true, false}}, false},
		{"both families", several(3), []int{0, 1}, map[int]lookedUp{0: {several(3), true, false}, 1: {several(9), true, false}}, true},
		{"one of two in the round", several(3), []int{0}, map[int]lookedUp{0: {several(3), true, false}}, false},
		{"the other not found", several(3), []int{0, 1}, map[int]lookedUp{0: {several(3), true, false}, 1: {}}, false},
		{"the other moved", several(3), []int{0, 1}, map[int]lookedUp{0: {several(3), true, false}, 1: {several(9), true, true}}, false},
		{"the other of another cluster", several(3), []int{0, 1}, map[int]lookedUp{0: {several(3), true, false}, 1: {other, true, false}}, false},
		{"the other of one family", several(3), []int{0, 1}, map[int]lookedUp{0: {several(3), true, false}, 1: {one, true, false}}, false},
	} {
		if got := sameKept(tt.c, tt.bs, tt.looked); got != tt.want {
			t.Errorf("%s: sameKept = %v, want %v", tt.name, got, tt.want)
		}
	}
}
