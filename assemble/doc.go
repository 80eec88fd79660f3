// Package assemble is the last step of a scan: from the aligned pairs
// (package pairs) and the boilerplate, the reuse families and
// near-duplicate groups (package cluster), the overlap percentages, and
// the Result (package result) in the order of its contract, handed to a
// result.Sink piece by piece.
//
// Boilerplate occurrences are widened to the text their family shares
// (cluster.Widen) for the members' offsets, the excerpts and the reused
// words; the families are made of the occurrences as found, so that
// widening never joins two. Token ranges become byte offsets by the seeds
// stage 1 spooled (package index); a cluster's excerpt and, with Options.PassageText, every
// passage's text are read again (index.Index.Text). Near-duplicate groups
// join the pairs covering Threshold of both documents and the documents
// whose MinHash signatures collide under LSH (index.Index.Buckets),
// verified by aligning each with the first document of its bucket.
//
// A check of new documents against an archive may serve, from the
// archive's own scan (Keep), the clusters of boilerplate its new
// documents leave as they were (Options.Kept, KeptClusters): listed whole
// with the archived documents the round did not read.
//
// Memory: the families and groups, and a batch of clusters at a time;
// documents and pairs are converted one at a time, so that no Result is
// built unless the sink builds it. Clusters and groups are computed on
// Options.Workers goroutines; the output does not depend on their number.
package assemble
