package result

import (
	"math"
	"unicode"
	"unicode/utf8"
)

// excerptSlack is how far past its budget an excerpt may run to end on a
// word boundary.
const excerptSlack = 40

// Excerpt returns text shortened for display: every run of white space
// (unicode.IsSpace) collapsed to one space and dropped at both ends,
// invalid UTF-8 replaced by U+FFFD, and, when budget >= 0, cut near budget
// bytes: after the first word that brings the excerpt to budget bytes or
// more. A word that runs on for more than 40 bytes past the budget (a URL,
// a script written without spaces) is cut inside it, between two
// characters. A cut excerpt ends in "…", which at most budget+44 bytes
// precede; an excerpt that was not cut has no "…". With budget < 0 the
// text is never cut.
//
// The reports shorten text with it. The scan cuts Cluster.Text at 300 bytes
// with its own copy of this rule, which counts only ' ', \t, \n, \r and
// U+00A0 as white space. Excerpt allocates the result only.
func Excerpt(text []byte, budget int) string {
	cut := budget >= 0
	long := budget + excerptSlack // the longest excerpt inside a word
	if long < budget {
		long = math.MaxInt
	}
	size := len(text)
	if cut && budget < size {
		size = long + utf8.UTFMax
	}
	out := make([]byte, 0, size+len("…"))
	space := false
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		i += n
		if unicode.IsSpace(r) {
			space = len(out) > 0
			continue
		}
		if space {
			if cut && len(out) >= budget {
				return string(out) + "…"
			}
			out = append(out, ' ')
			space = false
		} else if cut && len(out) > long {
			return string(out) + "…" // inside one long word
		}
		out = utf8.AppendRune(out, r) // RuneError appends U+FFFD
	}
	return string(out)
}
