// Package report writes scan results: the JSON contract (Result), JSONL,
// CSV, a terminal summary, and HTML reports.
//
// Report computes nothing about detection: it formats a Result. Every writer
// is deterministic (the same Result gives the same bytes) and reports the
// first write error. Writers are safe for concurrent use on distinct Results.
package report
