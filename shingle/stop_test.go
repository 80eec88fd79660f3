package shingle

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSentenceStop(t *testing.T) {
	for _, tt := range []struct {
		text string // the token ends at '|', which is removed
		want int
	}{
		{"in 2015|. Next", 1},
		{"in 2015|.", 1},
		{"in 2015|.\nNext", 1},
		{"it rained|! Then", 1},
		{"did it|? No", 1},
		{`"the children|." He`, 2},
		{"(see below|.) Then", 2},
		{"“the children|.” He", 4},
		{"the children|.’ He", 4},
		{"the children|.”", 4},
		{"the children|, he said", 0},
		{"rose 3|.5 percent", 0},
		{"example|.com", 0},
		{"and so|... on", 0},
		{"the end|", 0},
		{"the end| .", 0},
		{"“quoted|.”x", 0},
		{"in 2015|.\u00a0Next", 1}, // no-break space is white space
	} {
		i := strings.IndexByte(tt.text, '|')
		text := []byte(tt.text[:i] + tt.text[i+1:])
		if got := SentenceStop(text, i); got != tt.want {
			t.Errorf("SentenceStop(%q, %d) = %d, want %d", text, i, got, tt.want)
		}
		if got := StopBytes(StopCode(tt.want)); got != tt.want {
			t.Errorf("StopBytes(StopCode(%d)) = %d", tt.want, got)
		}
	}
}

// FuzzSentenceStop: any text and position give 0, 1, 2 or 4 bytes lying
// inside the text, starting with a sentence mark, never a panic.
func FuzzSentenceStop(f *testing.F) {
	for _, s := range []string{"end. Next", "end.” Next", "3.5", "x.\"", "", "é.’"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, end int) {
		n := SentenceStop([]byte(s), end)
		switch n {
		case 0:
			return
		case 1, 2, 4:
		default:
			t.Fatalf("SentenceStop(%q, %d) = %d", s, end, n)
		}
		if end+n > len(s) || !strings.ContainsRune(".!?", rune(s[end])) || !utf8.ValidString(s[end+1:end+n]) {
			t.Fatalf("SentenceStop(%q, %d) = %d: not a sentence's end", s, end, n)
		}
	})
}
