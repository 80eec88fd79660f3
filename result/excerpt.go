package result

import (
	"unicode"
	"unicode/utf8"
)

// excerptSlack is how far past its budget an excerpt may run to end on a
// word boundary.
const excerptSlack = 40

// Excerpt returns text shortened for display: every run of white space
// (unicode.IsSpace) collapsed to one space and dropped at both ends,
// invalid UTF-8 replaced by U+FFFD, and, when max >= 0, cut near max bytes:
// after the first word that brings the excerpt to max bytes or more. A
// word that runs on for more than 40 bytes past max (a URL, a script
// written without spaces) is cut inside it, between two characters. A cut
// excerpt ends in "…", which at most max+44 bytes precede; an excerpt that
// was not cut has no "…". With max < 0 the text is never cut.
//
// The reports shorten text with it. The scan cuts Cluster.Text at 300 bytes
// with its own copy of this rule, which counts only ' ', \t, \n, \r and
// U+00A0 as white space. Excerpt allocates the result only.
func Excerpt(text []byte, max int) string {
	n := len(text)
	if max >= 0 {
		n = min(n, max+excerptSlack+utf8.UTFMax)
	}
	out := make([]byte, 0, n+len("…"))
	space := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		if unicode.IsSpace(r) {
			space = len(out) > 0
			continue
		}
		if space {
			if max >= 0 && len(out) >= max {
				return string(out) + "…"
			}
			out = append(out, ' ')
			space = false
		} else if max >= 0 && len(out) > max+excerptSlack {
			return string(out) + "…" // inside one long word
		}
		out = utf8.AppendRune(out, r) // RuneError appends U+FFFD
	}
	return string(out)
}
