package corpus

// Prefetch asks the operating system to start reading the file of src
// into its page cache, so that reading it later does not wait for the
// disk. It returns without waiting for the data, holds no memory of its
// own, and ignores errors (the read that follows reports them); it
// does nothing for standard input and on systems without the hint
// (Linux's POSIX_FADV_WILLNEED).
//
// Why: a corpus of many small files that is not in the page cache is read
// at the disk's latency, one file at a time per reader. A few goroutines
// calling Prefetch ahead of the readers keep many reads in flight, which a
// solid-state disk serves in parallel: cold, 157,056 files read by two
// cat processes took 15.9 s, 121,621 by sixteen 4.75 s (2.6 times the
// files a second; docs/benchmarks.md, "Session 8"). At most
// PrefetchBytes of a file are asked for: a larger file is read in order,
// and the kernel's own read-ahead serves it.
func Prefetch(src Source) {
	if src.Path == "" || src.Path == "-" {
		return
	}
	prefetch(src.Path)
}

// PrefetchBytes is the most of one file Prefetch asks for.
const PrefetchBytes = 1 << 20
