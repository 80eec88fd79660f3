package shingle

import (
	"unicode"
	"unicode/utf8"
)

// SentenceStop returns the number of bytes of the punctuation that ends
// a sentence right after a token ending at byte end of text: a full stop,
// exclamation or question mark, with a closing quotation mark or
// parenthesis after it (", ', ), ” or ’), followed by white space or the
// end of the text. It returns 0 when none does: a decimal point ("3.5"),
// a dot inside a name ("example.com") or an ellipsis does not end a
// sentence. The result is 0, 1, 2 or 4 (a mark and a three-byte closing
// quotation mark), so that it fits in two bits (see StopBytes).
//
// A passage that ends a sentence is reported with the sentence's closing
// punctuation, as a reader would mark it and as benchmarks' truth holds
// it.
func SentenceStop(text []byte, end int) int {
	if end < 0 || end >= len(text) {
		return 0
	}
	switch text[end] {
	case '.', '!', '?':
	default:
		return 0
	}
	after := func(n int) bool { // whether text[end:end+n] is followed by white space or the end
		if end+n == len(text) {
			return true
		}
		r, _ := utf8.DecodeRune(text[end+n:])
		return unicode.IsSpace(r)
	}
	if end+1 < len(text) {
		switch c := text[end+1]; {
		case c == '"' || c == '\'' || c == ')':
			if after(2) {
				return 2
			}
		case c >= utf8.RuneSelf:
			if r, size := utf8.DecodeRune(text[end+1:]); (r == '”' || r == '’') && size == 3 && after(4) {
				return 4
			}
		}
	}
	if after(1) {
		return 1
	}
	return 0
}

// StopCode packs a SentenceStop result (0, 1, 2 or 4 bytes) into two bits;
// StopBytes unpacks it.
func StopCode(n int) uint8 {
	switch n {
	case 1:
		return 1
	case 2:
		return 2
	case 4:
		return 3
	}
	return 0
}

// StopBytes returns the number of bytes of a StopCode.
func StopBytes(code uint8) int { return [4]int{0, 1, 2, 4}[code&3] }
