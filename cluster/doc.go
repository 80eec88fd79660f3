// Package cluster groups what alignment found: passages into reuse
// families, near-duplicate documents into groups, and boilerplate
// postings into families of their own. It reads none of the scanned
// files and formats nothing; BoilerplateAside keeps the boilerplate's
// families in a temporary file (Aside) until a scan's last step.
//
// Families builds a graph of passage occurrences (edges: the two sides of
// a passage, occurrences covering the same region of one document) and
// takes its connected components with a union-find (tests check it
// against gonum's topo.ConnectedComponents); a quote inside a longer
// copied passage is projected into that passage's source, and a family
// contained in another is merged into it. Boilerplate turns the postings
// of fingerprints held by too many documents into families in linear
// time, never pairs; its joins of fingerprints into families can be
// recorded from a whole archive (Joins) and given to a run over part of
// it with documents it lacks (Joining), which then joins them as a run
// over everything does, or says it cannot tell. Groups joins
// near-duplicate documents (connected components of their edges, by
// union-find too); Bands and Buckets give the MinHash LSH that finds them
// when no pair was formed.
//
// All functions are deterministic: the same input gives the same output,
// in the documented order.
package cluster
