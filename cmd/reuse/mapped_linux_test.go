package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestResidentMapped: the pages of a mapped file, once read, count in
// residentMapped, and no longer once unmapped.
func TestResidentMapped(t *testing.T) {
	const size = 16 << 20
	name := filepath.Join(t.TempDir(), "mapped")
	if err := os.WriteFile(name, make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	before := residentMapped()
	if before <= 0 {
		t.Fatalf("residentMapped() = %d before the mapping is read: the executable's pages at least", before)
	}
	sum := 0
	for i := 0; i < size; i += os.Getpagesize() {
		sum += int(m[i])
	}
	read := residentMapped()
	if err := syscall.Munmap(m); err != nil {
		t.Fatal(err)
	}
	after := residentMapped()
	if read-before < size/2 || read-after < size/2 {
		t.Errorf("residentMapped() = %d before reading a %d-byte mapping, %d after, %d once unmapped: want the mapping's pages counted while mapped (sum %d)", before, size, read, after, sum)
	}
}
