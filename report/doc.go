// Package report writes a scan's result.Result for people and tools: a
// terminal summary (WriteText), one row per passage (WriteCSV) and one JSON
// object per line (WriteJSONL). Sniff recognises any output of reuse by its
// first bytes. The JSON contract itself is package result's, and the HTML
// report is package report/html.
//
// Report computes nothing about detection: it formats a Result. Every writer
// is deterministic (the same Result gives the same bytes), leaves the
// Result as it was, and returns the first write error; writers wrap their
// io.Writer in bufio.NewWriter, which reuses a large enough *bufio.Writer.
// Writers are safe for concurrent use.
package report
