package grow

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// The room Slice gives is not touched until written: 64 MiB of capacity
// of which 8 MiB are written fault in about 2,048 pages, where
// slices.Grow faults in all 16,384 (the reason for this package). Each
// is measured in a process of its own, whose heap is fresh: memory the
// heap had used before is cleared by the runtime either way. The race
// detector's shadow memory adds pages to both: they are compared.
func TestSliceTouchesWrittenPages(t *testing.T) {
	if os.Getenv("GROW_PAGES") != "" {
		return // the child's own run of this test
	}
	touched := func(how string) int64 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPagesChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GROW_PAGES="+how)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child %s: %v\n%s", how, err, out)
		}
		for line := range strings.Lines(string(out)) {
			if v, ok := strings.CutPrefix(line, "faults "); ok {
				n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
		}
		t.Fatalf("child %s printed no count:\n%s", how, out)
		return 0
	}
	got, ref := touched("Slice"), touched("slices.Grow")
	t.Logf("pages faulted in: Slice %d, slices.Grow %d", got, ref)
	if 4*got > ref {
		t.Errorf("Slice: %d pages faulted in for 2,048 written, slices.Grow %d: want at most a quarter", got, ref)
	}
}

// TestPagesChild is the child of TestSliceTouchesWrittenPages.
func TestPagesChild(t *testing.T) {
	how := os.Getenv("GROW_PAGES")
	if how == "" {
		t.Skip("run by TestSliceTouchesWrittenPages")
	}
	grow := Slice[[]uint64]
	if how == "slices.Grow" {
		grow = slices.Grow[[]uint64]
	}
	const room = 64 << 20 / 8 // uint64s
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	before := ru.Minflt
	s := grow(nil, room)
	for i := range room / 8 {
		s = append(s, uint64(i))
	}
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("faults %d\n", ru.Minflt-before)
	if len(s) != room/8 {
		t.Fatal("lost elements")
	}
}
