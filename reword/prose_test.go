package reword

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestProse(t *testing.T) {
	for _, c := range []struct {
		text   string
		tokens int
		want   bool
	}{
		{"", 0, false},
		{"One. Two", 2, true},
		{"One. two", 2, false},         // no upper-case letter after the stop
		{"One.Two", 2, false},          // no white space
		{"One. Two", 101, false},       // one end for 101 tokens
		{"One. Two! Three", 101, true}, // two
		{"One?\n\n\tÉmile", 2, true},   // any white space, any upper-case letter
		{"x = a.b; y = c.D", 8, false}, // code
		{"End.", 1, false},             // nothing follows
		{"One.  \n", 1, false},         // white space only
		{"One . . Two", 2, true},       // the second stop counts
		{"A.\xff. B", 2, true},         // invalid UTF-8 is no letter
	} {
		if got := Prose([]byte(c.text), c.tokens); got != c.want {
			t.Errorf("Prose(%q, %d) = %v, want %v", c.text, c.tokens, got, c.want)
		}
	}
}

// proseReference is Prose by a regular expression: each match starts
// where the previous one's last character is, so that a stop right
// after white space counts too.
func proseReference(text []byte, tokens int) bool {
	if tokens == 0 {
		return false
	}
	ends := 0
	for pos := 0; ; {
		m := proseEnd.FindSubmatchIndex(text[pos:])
		if m == nil {
			break
		}
		if r, _ := utf8.DecodeRune(text[pos+m[2]:]); unicode.IsUpper(r) {
			ends++
		}
		pos += m[2]
	}
	return ends*ProseTokens >= tokens
}

var proseEnd = regexp.MustCompile(`[.!?][ \n\t\r\f\v]+([^ \n\t\r\f\v])`)

func FuzzProse(f *testing.F) {
	f.Add("He left. She stayed! Did he? Yes.", 7)
	f.Add("int x = 1; /* a. b */ return x.Y;", 9)
	f.Add(strings.Repeat("word ", 150)+". Then", 152)
	f.Fuzz(func(t *testing.T, text string, tokens int) {
		if tokens < 0 || tokens > 1<<20 {
			return
		}
		if got, want := Prose([]byte(text), tokens), proseReference([]byte(text), tokens); got != want {
			t.Fatalf("Prose(%q, %d) = %v, reference %v", text, tokens, got, want)
		}
	})
}
