package index

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// TestFrequencies checks the pre-pass against counting by hand: every
// shingle of every file of a folder (one of them a JSON Lines file of
// two records, one file unreadable) counted once a document, with one
// worker or three.
func TestFrequencies(t *testing.T) {
	dir := t.TempDir()
	texts := map[string]string{
		"a.txt": "the harbour board said that the port will close on monday",
		"b.txt": "the harbour board said that the port will open again, and then the harbour board said that",
		"c.md":  "# Notes\n\nships were sold to new owners last year, the harbour board said that",
	}
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	records := []string{"the port will close on monday and reopen", "new owners of the port will close it"}
	jsonl := `{"id":"r1","text":"` + records[0] + `"}` + "\n" + `{"id":"r2","text":"` + records[1] + `"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "d.jsonl"), []byte(jsonl), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.gz"), []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}

	z := shingle.NewAnalyzer(shingle.AnalyzerOptions{})
	docs := append([]string{texts["a.txt"], texts["b.txt"], texts["c.md"]}, records...)
	want := map[uint64]int{}
	for _, d := range docs {
		seen := map[uint64]bool{}
		for _, h := range z.ShingleHashes(nil, []byte(d), 0) {
			if !seen[h] {
				seen[h] = true
				want[h]++
			}
		}
	}
	if want[z.ShingleHashes(nil, []byte("the harbour board said that"), 0)[0]] != 3 {
		t.Fatal("the reference does not count documents") // a check of the test
	}
	for _, workers := range []int{1, 3} {
		f, err := Frequencies(context.Background(), []string{dir}, Options{Workers: workers})
		if err != nil {
			t.Fatalf("workers %d: Frequencies = %v", workers, err)
		}
		for h, n := range want {
			if got := f.Count(h); got != n {
				t.Errorf("workers %d: Count(%x) = %d, want %d", workers, h, got, n)
			}
		}
	}
}

func TestFrequenciesCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Frequencies(ctx, []string{exampleCorpus}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Frequencies with a canceled context = %v, want context.Canceled", err)
	}
}

// TestFrequenciesSlots: the table is sized by the text the inputs hold,
// a compressed input's taken as compressedText times its bytes: 1 MB of
// text as a gzip file gets at least the table the plain text gets, not
// one sized for the compressed bytes (whose slots several shingles
// would share).
func TestFrequenciesSlots(t *testing.T) {
	var text bytes.Buffer
	r := rand.New(rand.NewPCG(5, 6))
	for text.Len() < 1<<20 {
		for range 3 + r.IntN(8) {
			text.WriteByte(byte('a' + r.IntN(26)))
		}
		text.WriteByte(' ')
	}
	plain, packed := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(plain, "a.txt"), text.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(text.Bytes())
	zw.Close()
	if err := os.WriteFile(filepath.Join(packed, "a.txt.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	slots := func(dir string) int {
		f, err := Frequencies(context.Background(), []string{dir}, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		return f.Slots()
	}
	p, z := slots(plain), slots(packed)
	if want := text.Len() / bytesPerShingle; p < want || z < want || z > 8*p {
		t.Errorf("slots: %d for %d bytes of text, %d for them as %d bytes of gzip; want both at least %d, and the latter at most 8 times the former", p, text.Len(), z, gz.Len(), want)
	}
}
