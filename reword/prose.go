package reword

import (
	"unicode"
	"unicode/utf8"
)

// ProseTokens is the number of tokens per sentence end a text must not
// exceed to read as prose (Prose).
const ProseTokens = 100

// Prose reports whether a text of the given number of tokens reads as
// prose: it holds at least one sentence end ('.', '!' or '?', white
// space, an upper-case letter) per ProseTokens tokens. Reworded reuse is
// a matter of sentences: source code, tables, lists of options and
// generated headers have few, and words replaced in them are not a
// rewording anyone makes. A default scan analyzes only prose
// (docs/benchmarks.md, "Reworded reuse at default settings"): code
// would cost more to analyze and align than its exact scan, for nothing.
//
// Cost: one pass over text at most, stopping as soon as enough sentence
// ends are seen; no allocation.
func Prose(text []byte, tokens int) bool {
	need := (tokens + ProseTokens - 1) / ProseTokens
	if need == 0 {
		return false
	}
	ends := 0
	for i := 0; i+2 < len(text); i++ {
		if c := text[i]; c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(text) && isSpace(text[j]) {
			j++
		}
		if j == i+1 || j == len(text) {
			continue
		}
		r := rune(text[j])
		if r >= utf8.RuneSelf {
			r, _ = utf8.DecodeRune(text[j:])
		}
		if unicode.IsUpper(r) {
			if ends++; ends >= need {
				return true
			}
		}
		i = j - 1
	}
	return false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}
