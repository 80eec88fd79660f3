package shingle

// Mix64 is the SplitMix64 finalizer: it spreads every input bit over the
// whole output, so that hash bits can be used as independent samples. It
// is the one mixer of the project: token and shingle hashes, MinHash
// seeds and LSH band keys all go through it.
func Mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
