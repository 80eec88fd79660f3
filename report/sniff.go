package report

import "regexp"

// sniffStart matches the first bytes of every output of reuse: the JSON of
// result.WriteJSON (any schema version) and WriteJSONL's scan line (group
// 1 names the first key), WriteCSV's header (group 2), and the first line
// of WriteText (group 3).
var sniffStart = regexp.MustCompile(`^(?:\{\s*"(schema|type)"\s*:\s*"(?:reuse\.scan/|scan")` +
	`|(a,b,a_start,a_end,)|(no reuse found: |[\d,]+ documents?, [\d,]+ words?, ))`)

// Sniff names the format of an output of reuse from its first bytes (256
// are plenty): "json", "jsonl", "csv" or "text", the names of the --format
// flag, or "" when head begins like none of them. It looks only at the
// start: a truncated or damaged file is still recognised. Commands use it
// to tell an earlier result, which they may replace, from a document.
func Sniff(head []byte) string {
	m := sniffStart.FindSubmatchIndex(head)
	switch {
	case m == nil:
		return ""
	case m[2] >= 0 && head[m[2]] == 's':
		return "json"
	case m[2] >= 0:
		return "jsonl"
	case m[4] >= 0:
		return "csv"
	}
	return "text"
}
