package grow

import (
	"slices"
	"testing"
)

// Slice keeps the elements and gives the room asked for, as slices.Grow:
// every length, capacity and count up to small bounds, and a slice
// copied in several pieces.
func TestSlice(t *testing.T) {
	for l := range 6 {
		for c := l; c < 10; c++ {
			for n := range 20 {
				s := make([]int, l, c)
				for i := range s {
					s[i] = i + 1
				}
				g := Slice(s, n)
				if len(g) != l || cap(g)-len(g) < n || !slices.Equal(g, s) {
					t.Fatalf("Slice(len %d cap %d, %d) = len %d cap %d %v", l, c, n, len(g), cap(g), g)
				}
				if c > 0 && c-l >= n && &g[:1][0] != &s[:1][0] {
					t.Fatalf("Slice(len %d cap %d, %d) moved a slice with room", l, c, n)
				}
			}
		}
	}
	big := make([]uint64, 3*piece/8+5)
	for i := range big {
		big[i] = uint64(i) * 7
	}
	g := Slice(big, 1)
	if !slices.Equal(g, big) || cap(g) < len(big)+1 {
		t.Fatalf("Slice of %d elements: len %d cap %d, elements equal %v", len(big), len(g), cap(g), slices.Equal(g, big))
	}
}

// Growing one element at a time costs amortized constant copies, as
// append does: few reallocations for many elements.
func TestSliceAmortized(t *testing.T) {
	var s []byte
	grows := 0
	for i := range 1 << 20 {
		if len(s) == cap(s) {
			grows++
		}
		s = Slice(s, 1)
		s = append(s, byte(i))
	}
	if grows > 60 {
		t.Errorf("%d reallocations for 1 MiB appended a byte at a time, want at most 60", grows)
	}
}

func TestSliceNegative(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Slice(s, -1) did not panic")
		}
	}()
	Slice([]int{1}, -1)
}

// countYields makes yield count its calls into *n for the rest of the
// test.
func countYields(t *testing.T, n *int) {
	old := yield
	yield = func() { *n++ }
	t.Cleanup(func() { yield = old })
}

// pieces is the number of pieces of size bytes each that n elements of
// size bytes are copied or cleared in.
func pieces(n, size int) int { return (n*size + piece - 1) / piece }

func TestCopy(t *testing.T) {
	type pair struct{ a, b uint32 }
	var yields int
	countYields(t, &yields)
	for _, n := range []int{0, 1, piece/8 - 1, piece / 8, piece/8 + 1, 2*piece/8 + 3} {
		src := make([]pair, n)
		for i := range src {
			src[i] = pair{uint32(i), uint32(3 * i)}
		}
		for _, m := range []int{n, n / 2, n + 2} {
			dst := make([]pair, m)
			yields = 0
			if got := Copy(dst, src); got != min(n, m) || !slices.Equal(dst[:got], src[:got]) {
				t.Fatalf("Copy(%d into %d) = %d, equal %v", n, m, got, slices.Equal(dst[:got], src[:got]))
			}
			// The goroutine yields between two pieces: the runtime's copy
			// cannot be preempted.
			if want := max(pieces(min(n, m), 8)-1, 0); yields != want {
				t.Fatalf("Copy(%d into %d) yielded %d times, want %d", n, m, yields, want)
			}
		}
	}
	var zero []struct{}
	if got := Copy(make([]struct{}, 3), append(zero, struct{}{}, struct{}{})); got != 2 {
		t.Errorf("Copy of zero-size elements = %d, want 2", got)
	}
}

func TestClear(t *testing.T) {
	var yields int
	countYields(t, &yields)
	for _, n := range []int{0, 1, piece/4 - 1, piece / 4, 2*piece/4 + 7} {
		s := make([]int32, n)
		for i := range s {
			s[i] = int32(i) + 1
		}
		yields = 0
		Clear(s)
		if i := slices.IndexFunc(s, func(v int32) bool { return v != 0 }); i >= 0 {
			t.Fatalf("Clear of %d elements left s[%d] = %d", n, i, s[i])
		}
		if want := max(pieces(n, 4)-1, 0); yields != want {
			t.Fatalf("Clear of %d elements yielded %d times, want %d", n, yields, want)
		}
	}
	Clear(make([]struct{}, 3)) // zero-size elements
}

func TestAppend(t *testing.T) {
	src := make([]uint32, piece/4+9) // copied in two pieces
	for i := range src {
		src[i] = uint32(i) * 3
	}
	for _, head := range [][]uint32{nil, {1, 2}, make([]uint32, 2, len(src)+5)} {
		want := append(slices.Clone(head), src...)
		if got := Append(head, src...); !slices.Equal(got, want) {
			t.Fatalf("Append(%d elements, %d) differs from append", len(head), len(src))
		}
	}
}

func TestDrop(t *testing.T) {
	for _, tc := range []struct {
		name     string
		capacity int // of a []uint32
		maxBytes int
		dropped  bool
	}{
		{"empty", 0, 0, false},
		{"at the limit", 4, 16, false},
		{"one element over", 5, 16, true},
		{"no room allowed", 1, 0, true},
		{"large", 1 << 20, 1 << 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := make([]uint32, 0, tc.capacity)
			Drop(&s, tc.maxBytes)
			if got := s == nil && tc.capacity > 0; got != tc.dropped {
				t.Errorf("Drop(cap %d, %d bytes): dropped %v, want %v", tc.capacity, tc.maxBytes, got, tc.dropped)
			}
			if !tc.dropped && cap(s) != tc.capacity {
				t.Errorf("kept slice has cap %d, want %d", cap(s), tc.capacity)
			}
		})
	}
}
