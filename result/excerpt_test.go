package result_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/result"
)

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("x", 60)
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"", 10, ""},
		{"short", 10, "short"},
		{"  spaces \n\t collapse  ", 100, "spaces collapse"},
		{"no\u00a0break\u2003em\u3000ideographic\u0085next\fform\vtab", 100, "no break em ideographic next form tab"},
		{"bad \xff byte", 100, "bad \ufffd byte"},
		{"one two three four", 5, "one two…"},       // the word that reaches 5 bytes ends it
		{"one two three four", 7, "one two…"},       // exactly 7: cut at the next space
		{"one two three four", 8, "one two three…"}, // not yet 8 after "two"
		{"one two three four", 18, "one two three four"},
		{"one two   ", 7, "one two"}, // only white space left: nothing cut
		{"a " + long + " b", 3, "a " + long[:42] + "…"},
		{"a " + long, 3, "a " + long[:42] + "…"},
		{"a " + long[:41], 3, "a " + long[:41]}, // the whole word fits the slack
		{"市长表示我们必须立即采取行动并且不再拖延时间了", 10, "市长表示我们必须立即采取行动并且不…"}, // 17 characters: 51 bytes
		{"x y", 0, "x…"},
		{"x y", -1, "x y"},
		{"  " + strings.Repeat("word ", 1000), -1, strings.TrimSpace(strings.Repeat("word ", 1000))},
	}
	for _, tt := range tests {
		if got := result.Excerpt([]byte(tt.in), tt.max); got != tt.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// excerptSlow is the obvious version: split the text into words, then
// take words, and runes of a long last word, while the budget lasts.
func excerptSlow(text string, max int) string {
	words := strings.FieldsFunc(strings.ToValidUTF8(text, "\uFFFD"), unicode.IsSpace)
	var out []rune
	size := func() int { return len(string(out)) }
	for wi, w := range words {
		if wi > 0 {
			if max >= 0 && size() >= max {
				return string(out) + "…"
			}
			out = append(out, ' ')
		}
		for ri, r := range []rune(w) {
			if ri > 0 && max >= 0 && size() > max+40 {
				return string(out) + "…"
			}
			out = append(out, r)
		}
	}
	return string(out)
}

// TestExcerptAllCuts cuts mixed text at every budget and checks the result
// against excerptSlow and the documented bounds.
func TestExcerptAllCuts(t *testing.T) {
	for _, s := range []string{
		"Ångström e\u0301 👍🏽 日本語のテキスト and some words — with dashes,\u00a0non-breaking\u2009thin spaces",
		"  市长表示：“我们必须立即行动。” Der Bürgermeister sagte: „Wir müssen jetzt handeln, bevor es zu spät ist.“  ",
		"tabs\tand\r\nnewlines\n\nand " + strings.Repeat("supercalifragilistic", 4) + " end",
	} {
		full := result.Excerpt([]byte(s), -1)
		for max := 0; max <= len(full)+1; max++ {
			got := result.Excerpt([]byte(s), max)
			if want := excerptSlow(s, max); got != want {
				t.Fatalf("Excerpt(%q, %d) = %q, want %q", s, max, got, want)
			}
			body, cut := strings.CutSuffix(got, "…")
			if !utf8.ValidString(got) || !strings.HasPrefix(full, body) || (cut && len(body) > max+44) || cut == (body == full) {
				t.Errorf("Excerpt(%q, %d) = %q: invalid, not a prefix, too long, or wrongly marked", s, max, got)
			}
		}
	}
}

func ExampleExcerpt() {
	text := []byte("The council voted 7–2 to close the\n\told bridge   to cars and trucks.")
	fmt.Println(result.Excerpt(text, -1))
	fmt.Println(result.Excerpt(text, 20))
	// Output:
	// The council voted 7–2 to close the old bridge to cars and trucks.
	// The council voted 7–2…
}

// TestExcerptHugeBudget checks that budgets near the largest int neither
// overflow nor cut.
func TestExcerptHugeBudget(t *testing.T) {
	text := []byte("a few words \xff and an invalid byte")
	for _, budget := range []int{len(text), math.MaxInt - 41, math.MaxInt - 40, math.MaxInt} {
		if got, want := result.Excerpt(text, budget), result.Excerpt(text, -1); got != want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", text, budget, got, want)
		}
	}
}
