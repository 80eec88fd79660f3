package reuse

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/eval/gen"
)

// Benchmarks of the archive mode on the corpora of bench_test.go
// (REUSE_BENCH_SIZES, 1MB and 10MB by default):
//
//	IndexCreate  reuse index create of the whole corpus
//	IndexAdd     reuse index add of a 1 MB corpus (REUSE_BENCH_ADD to
//	             choose another size) to the index of the corpus
//	Check        reuse check of one document of about 1,000 words (850
//	             words of a corpus of another seed, then 150 words of one
//	             of the archive's documents) against the index of the
//	             corpus, opening the index each time as the command does
//
// The index of each corpus is made once, on first use, into
// os.TempDir()/reuse-bench-seed1-SIZE.idx and reused by later runs (remove
// it after changing the format). REUSE_BENCH_REWORDED=1 makes every index
// for reworded reuse (reuse index create --reworded; cached as
// SIZE-reworded.idx). For the figures of docs/benchmarks.md:
//
//	REUSE_BENCH_SIZES=1GB REUSE_BENCH_ADD=10MB go test -run '^$' -bench 'Check|IndexAdd' -count 3 -benchmem

// benchReworded reports whether the benchmarks' indexes are made for
// reworded reuse (REUSE_BENCH_REWORDED).
func benchReworded() bool { return os.Getenv("REUSE_BENCH_REWORDED") != "" }

// benchIndexOptions are the options of the benchmarks' indexes.
func benchIndexOptions() IndexOptions {
	return IndexOptions{Options: Options{Reworded: benchReworded()}}
}

// benchIndex returns the folder of the index of the corpus of the given
// size, making it if it is not cached yet.
func benchIndex(b *testing.B, size string) string {
	b.Helper()
	n, err := parseBenchSize(size)
	if err != nil {
		b.Fatal(err)
	}
	corpusDir := benchCorpusDir(b, size, n)
	name := "reuse-bench-seed1-" + size
	if benchReworded() {
		name += "-reworded"
	}
	idx := filepath.Join(os.TempDir(), name+".idx")
	if _, err := os.Stat(filepath.Join(idx, "MANIFEST")); err == nil {
		return idx
	}
	tmp := idx + ".tmp"
	os.RemoveAll(tmp)
	if _, err := CreateIndex(context.Background(), tmp, []string{corpusDir}, benchIndexOptions()); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, idx); err != nil {
		b.Fatal(err)
	}
	return idx
}

// benchNewDoc writes the document checked by BenchmarkCheck against the
// corpus at corpusDir, and returns its path.
func benchNewDoc(b *testing.B, corpusDir string) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "reuse-bench-seed7-40docs")
	if _, err := os.Stat(filepath.Join(dir, "truth.json")); err != nil {
		os.RemoveAll(dir)
		if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 7, Docs: 40}); err != nil {
			b.Fatal(err)
		}
	}
	text, err := os.ReadFile(filepath.Join(dir, "corpus", "sus", "00023.txt"))
	if err != nil {
		b.Fatal(err)
	}
	names, err := os.ReadDir(filepath.Join(corpusDir, "sus"))
	if err != nil || len(names) == 0 {
		b.Fatalf("no sus/ in %s: %v", corpusDir, err)
	}
	copied, err := os.ReadFile(filepath.Join(corpusDir, "sus", names[len(names)/2].Name()))
	if err != nil {
		b.Fatal(err)
	}
	text = append(append(text, '\n'), copied[100:min(1000, len(copied))]...)
	// At a fixed path: the document's id is its path, and its key
	// (cluster.DocKey) decides whether its occurrences of boilerplate
	// become references, and so which kept clusters a check serves.
	at := filepath.Join(os.TempDir(), "reuse-bench-check")
	if err := os.MkdirAll(at, 0o755); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(at, "new.txt")
	if err := os.WriteFile(path, text, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func BenchmarkIndexCreate(b *testing.B) {
	forEachSize(b, func(b *testing.B, s *benchState) {
		var bytes int64
		for b.Loop() {
			idx := filepath.Join(b.TempDir(), "idx")
			if _, err := CreateIndex(context.Background(), idx, []string{s.dir}, benchIndexOptions()); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			ix, err := archive.Open(idx, archive.Options{})
			if err != nil {
				b.Fatal(err)
			}
			bytes = ix.Stats().Bytes
			ix.Close()
			os.RemoveAll(idx)
			b.StartTimer()
		}
		b.ReportMetric(float64(bytes)/float64(s.bytes), "index-bytes/text-byte")
	})
}

func BenchmarkIndexAdd(b *testing.B) {
	add := os.Getenv("REUSE_BENCH_ADD")
	if add == "" {
		add = "1MB"
	}
	n, err := parseBenchSize(add)
	if err != nil {
		b.Fatal(err)
	}
	addDir := benchCorpusDir(b, add, n)
	for _, size := range benchSizes() {
		b.Run(size+"+"+add, func(b *testing.B) {
			if size == add {
				b.Skip("the corpus is in its index already")
			}
			idx := benchIndex(b, size)
			manifest := filepath.Join(idx, "MANIFEST")
			saved, err := os.ReadFile(manifest)
			if err != nil {
				b.Fatal(err)
			}
			// The files an addition writes (a segment, and grown joins
			// where the index has alignments kept) go after each run.
			before, _ := filepath.Glob(filepath.Join(idx, "*"))
			restore := func() {
				if err := os.WriteFile(manifest, saved, 0o644); err != nil {
					b.Fatal(err)
				}
				after, _ := filepath.Glob(filepath.Join(idx, "*"))
				for _, f := range after {
					if !slices.Contains(before, f) {
						os.Remove(f)
					}
				}
			}
			defer restore()
			b.SetBytes(n)
			b.ReportAllocs()
			for b.Loop() {
				res, err := AddToIndex(context.Background(), idx, []string{addDir}, benchIndexOptions())
				if err != nil || res.Added == 0 {
					b.Fatalf("AddToIndex = %+v, %v", res, err)
				}
				b.StopTimer()
				restore()
				b.StartTimer()
			}
		})
	}
}

func BenchmarkCheck(b *testing.B) {
	for _, size := range benchSizes() {
		b.Run(size, func(b *testing.B) {
			idx := benchIndex(b, size)
			n, _ := parseBenchSize(size)
			doc := benchNewDoc(b, benchCorpusDir(b, size, n))
			b.ReportAllocs()
			var pairs int
			for b.Loop() {
				ix, err := archive.Open(idx, archive.Options{})
				if err != nil {
					b.Fatal(err)
				}
				res, err := Check(context.Background(), ix, []string{doc}, Options{})
				if err != nil {
					b.Fatal(err)
				}
				ix.Close()
				pairs = len(res.Pairs)
			}
			b.ReportMetric(float64(pairs), "pairs")
		})
	}
}
