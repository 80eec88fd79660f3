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

// PrefetchOpen is Prefetch for a Source about to be read: the file it
// opens to ask for its data stays open, and Read reads it from there
// instead of opening it again: two system calls a file fewer, for
// corpora of many small files (docs/benchmarks.md, "Files opened once (session 11)").
// The caller must hand the Source it returns to Read, or Release it.
// Where Prefetch does nothing, it returns src as it is.
func PrefetchOpen(src Source) Source {
	if src.Path == "" || src.Path == "-" || src.file != nil {
		return src
	}
	src.file = prefetchOpen(src.Path)
	return src
}

// PrefetchBytes is the most of one file Prefetch asks for.
const PrefetchBytes = 1 << 20
