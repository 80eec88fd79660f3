package pairs

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/index"
)

// TestUnitDone: after a work unit, an Aligner with a tight heap keeps the
// buffers that unit needed (a pair of large documents, aligned again in
// the next unit) and lets go of those it did not; what it aligns next is
// what a fresh Aligner aligns. With room in the heap it keeps them all.
func TestUnitDone(t *testing.T) {
	x, id := releaseCorpus(t)
	l := NewAligner(x, minWords)
	tight := true
	l.tight = func() bool { return tight }
	align := func(l *Aligner, a, b string) int { return alignUnitOf(t, l, id, a, b) }
	if n := align(l, "big.txt", "edited.txt"); n != 1 {
		t.Fatalf("big.txt against edited.txt: %d passages, want 1 (one word changed)", n)
	}
	if held := largestBuffer(reflect.ValueOf(l)); held <= keptScratch {
		t.Fatalf("after the large pair the largest buffer holds %d bytes; the test needs more than %d", held, keptScratch)
	}
	if n := align(l, "big.txt", "edited.txt"); n != 1 {
		t.Fatalf("big.txt against edited.txt again: %d passages, want 1", n)
	}
	if held := largestBuffer(reflect.ValueOf(l)); held <= keptScratch {
		t.Errorf("after a second unit of the large pair the largest buffer holds %d bytes: let go of what the unit needed", held)
	}

	tight = false
	if n := align(l, "small1.txt", "small2.txt"); n != 1 {
		t.Fatalf("small1.txt against small2.txt: %d passages, want 1", n)
	}
	if held := largestBuffer(reflect.ValueOf(l)); held <= keptScratch {
		t.Errorf("with room in the heap, a unit of small documents let go of the large buffers (largest %d bytes)", held)
	}
	tight = true
	if n := align(l, "small1.txt", "small2.txt"); n != 1 {
		t.Fatalf("small1.txt against small2.txt: %d passages, want 1", n)
	}
	if held := largestBuffer(reflect.ValueOf(l)); held > keptScratch {
		t.Errorf("after a unit of small documents the largest buffer holds %d bytes, want at most %d", held, keptScratch)
	}
	alignsAsFresh(t, x, l, id, "small1.txt", "small2.txt", "after Release")
}

// TestPartDone: between two parts, an Aligner with a tight heap lets go
// of every buffer above keptScratch, those its last unit needed too, and
// aligns as a fresh Aligner after; with room in the heap it keeps them.
func TestPartDone(t *testing.T) {
	x, id := releaseCorpus(t)
	l := NewAligner(x, minWords)
	tight := true
	l.tight = func() bool { return tight }
	if n := alignUnitOf(t, l, id, "big.txt", "edited.txt"); n != 1 {
		t.Fatalf("big.txt against edited.txt: %d passages, want 1 (one word changed)", n)
	}
	if held := largestBuffer(reflect.ValueOf(l)); held <= keptScratch {
		t.Fatalf("after the large pair the largest buffer holds %d bytes; the test needs more than %d", held, keptScratch)
	}
	tight = false
	l.partDone()
	if held := largestBuffer(reflect.ValueOf(l)); held <= keptScratch {
		t.Errorf("with room in the heap, partDone let go of the large buffers (largest %d bytes)", held)
	}
	tight = true
	l.partDone()
	if held := largestBuffer(reflect.ValueOf(l)); held > keptScratch {
		t.Errorf("after partDone with a tight heap the largest buffer holds %d bytes, want at most %d", held, keptScratch)
	}
	if n := alignUnitOf(t, l, id, "big.txt", "edited.txt"); n != 1 {
		t.Errorf("big.txt against edited.txt after partDone: %d passages, want 1", n)
	}
	alignsAsFresh(t, x, l, id, "big.txt", "edited.txt", "after partDone")
}

// releaseCorpus indexes two large documents a word apart (big.txt,
// edited.txt: aligning them grows an Aligner's buffers past keptScratch)
// and two small ones sharing a passage (small1.txt, small2.txt), and
// returns the index and the documents by file name.
func releaseCorpus(t *testing.T) (*index.Index, map[string]uint32) {
	t.Helper()
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(5, 6))
	words := func(n int) []string {
		w := make([]string, n)
		for i := range w {
			w[i] = fmt.Sprintf("w%d", r.IntN(1<<30))
		}
		return w
	}
	big := words(keptScratch/8 + 20000) // buffers of 8 bytes a token
	edited := slices.Clone(big)
	edited[len(edited)/2] = "changed"
	passage := strings.Join(words(60), " ")
	for name, text := range map[string]string{
		"big.txt":    strings.Join(big, " "),
		"edited.txt": strings.Join(edited, " "),
		"small1.txt": strings.Join(words(200), " ") + " " + passage,
		"small2.txt": passage + " " + strings.Join(words(300), " "),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	x, _, _ := stages(t, dir)
	id := make(map[string]uint32)
	for d := range uint32(x.Len()) {
		id[filepath.Base(x.Path(d))] = d
	}
	return x, id
}

// alignsAsFresh checks that l aligns document a against b (file names,
// id) as a fresh Aligner of x does; when names the moment checked.
func alignsAsFresh(t *testing.T, x *index.Index, l *Aligner, id map[string]uint32, a, b, when string) {
	t.Helper()
	ctx := context.Background()
	fresh := NewAligner(x, minWords)
	if err := fresh.SetA(id[a]); err != nil {
		t.Fatal(err)
	}
	want, err := fresh.Align(ctx, id[b], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetA(id[a]); err != nil {
		t.Fatal(err)
	}
	got, err := l.Align(ctx, id[b], nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: %v, a fresh Aligner: %v", when, got, want)
	}
}

// alignUnitOf aligns document a against b (file names, id) as a work
// unit of l, ends the unit (unitDone) and returns the passages found.
func alignUnitOf(t *testing.T, l *Aligner, id map[string]uint32, a, b string) int {
	t.Helper()
	if err := l.SetA(id[a]); err != nil {
		t.Fatal(err)
	}
	spans, err := l.Align(context.Background(), id[b], nil)
	if err != nil {
		t.Fatal(err)
	}
	n := len(spans)
	l.unitDone()
	return n
}

// TestHeapTight: the heap is tight under a memory limit the live heap
// nearly fills, and not without a limit.
func TestHeapTight(t *testing.T) {
	prev := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(prev)
	if heapTight() {
		t.Error("tight without a memory limit")
	}
	debug.SetMemoryLimit(1)
	tight := heapTight()
	debug.SetMemoryLimit(math.MaxInt64)
	if !tight {
		t.Error("not tight under a limit of 1 byte")
	}
}

// largestBuffer is the largest capacity, in bytes, of a slice reachable
// from v through pointers, structs and arrays: an Aligner's buffers and
// its aligners' and readers'. The Index (the readers' spools) and the
// twin cache (shared by the workers) are not followed.
func largestBuffer(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || v.Type() == reflect.TypeFor[*index.Index]() || v.Type() == reflect.TypeFor[*twinCache]() {
			return 0
		}
		return largestBuffer(v.Elem())
	case reflect.Slice:
		return v.Cap() * int(v.Type().Elem().Size())
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			n = max(n, largestBuffer(v.Field(i)))
		}
		return n
	case reflect.Array:
		n := 0
		for i := range v.Len() {
			n = max(n, largestBuffer(v.Index(i)))
		}
		return n
	}
	return 0
}
