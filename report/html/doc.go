// Package html writes the HTML report of a scan: a folder of static pages
// (Write), or one self-contained page comparing two documents (WritePair).
//
// The pages work from file:// with no network: index.html (the summary, a
// histogram of reused shares, the reuse network, sortable tables), one page
// per document with reuse (d/NNNNN.html), per listed pair (p/NNNNN.html,
// the two texts side by side with word-level changes marked) and per listed
// cluster (c/NNNNN.html), and the shared report.css and report.js. Page
// names come from positions in the Result (document i is d/<i+1, five
// digits>.html), never from document IDs, so no ID can name a file.
//
// Document text and IDs are untrusted: they reach pages only as escaped
// text (html/template, or escape for highlighted text), and every page
// carries a Content-Security-Policy that allows only the report's own
// script.
//
// Text is shortened with result.Excerpt (cluster texts, passage excerpts,
// the other side of a change, the context of a cluster's occurrences). The
// word-level changes split and compare words exactly as detection does,
// with shingle.Tokenizer: what the report marks as changed is what
// detection saw as different.
//
// Cost: one pass over the Result to index it, then one page at a time;
// memory holds the Result, the page being written and a cache of recently
// read texts (64 MiB). The texts are read through TextFunc, from one
// goroutine at a time. Write and WritePair are safe for concurrent use on
// distinct targets.
package html
