package result

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TrimQuotes cuts a piece of text at its unbalanced quotation marks, so
// that an excerpt does not show a quote closed that it never opened, or
// one opened and never closed: the part before a closing mark that
// nothing opened, and the part after an opening mark that nothing closes,
// are kept; punctuation and white space left at either end are dropped.
// Double marks (" “ ” „ « ») are counted; a straight " opens where a letter
// or digit follows it and none precedes it, and closes otherwise. Text
// without unbalanced marks is returned as it is, and so is text where a
// cut at a straight mark would leave less than half of it: straight
// marks also delimit a program's strings, and a passage of code starts
// inside one as often as not (a device tree's `okay";` and `vbat";`
// made the excerpts "okay" and "vbat" of clusters of 1,739 and 386
// files; docs/benchmarks.md, "How much of a cluster holds its text").
func TrimQuotes(text string) string {
	type mark struct {
		at, size int
		r        rune
	}
	var stack []mark // open marks
	cut := -1        // the first closing mark nothing opened
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		open, isMark := false, true
		switch r {
		case '“': // opens in English, closes a German „
			open = len(stack) == 0 || stack[len(stack)-1].r != '„'
		case '„', '«':
			open = true
		case '”', '»':
		case '"':
			before, _ := utf8.DecodeLastRuneInString(text[:i])
			after, _ := utf8.DecodeRuneInString(text[i+n:])
			open = (i == 0 || !isWord(before)) && isWord(after)
		default:
			isMark = false
		}
		if isMark {
			switch {
			case open:
				stack = append(stack, mark{i, n, r})
			case len(stack) > 0:
				stack = stack[:len(stack)-1]
			case cut < 0:
				cut = i
			}
		}
		i += n
	}
	if cut < 0 && len(stack) == 0 {
		return text
	}
	from, to := 0, len(text)
	straight := false // whether a straight mark made a cut
	if cut >= 0 {
		straight = text[cut] == '"'
		// The text before the cut, and what it left open.
		to = cut
		stack = stack[:0]
		for i := 0; i < to; {
			r, n := utf8.DecodeRuneInString(text[i:])
			switch {
			case r == '“' && len(stack) > 0 && stack[len(stack)-1].r == '„':
				stack = stack[:len(stack)-1]
			case r == '“' || r == '„' || r == '«' || r == '"' && isOpeningStraight(text, i, n):
				stack = append(stack, mark{i, n, r})
			case (r == '”' || r == '»' || r == '"') && len(stack) > 0:
				stack = stack[:len(stack)-1]
			}
			i += n
		}
	}
	if len(stack) > 0 {
		last := stack[len(stack)-1]
		from = last.at + last.size
		straight = straight || last.r == '"'
	}
	if from >= to {
		return text
	}
	out := strings.TrimFunc(text[from:to], func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '.' && r != '!' && r != '?' })
	if out == "" || straight && 2*len(out) < len(text) {
		return text
	}
	return out
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isOpeningStraight(text string, i, n int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[i+n:])
	return (i == 0 || !isWord(before)) && isWord(after)
}
