package result

import (
	"strings"
	"testing"
)

func TestTrimQuotes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no quotes at all", "no quotes at all"},
		{`he said "yes" and left`, `he said "yes" and left`},
		{`Jeff, you had your chance & you blew it", Trump`, `Jeff, you had your chance & you blew it`},
		{`It protected the rule of law & resulted in your exoneration", Sessions`, `It protected the rule of law & resulted in your exoneration`},
		{`required by law,” Sessions wrote. “I did my duty & you’re damn fortunate I did. It protected`, `required by law`},
		{`Sessions wrote: “I did my duty`, `I did my duty`},
		{`Trump wrote, "Jeff, you had your chance`, `Jeff, you had your chance`},
		{`“balanced” and “also balanced”`, `“balanced” and “also balanced”`},
		{`„Wir müssen jetzt handeln“ sagte er`, `„Wir müssen jetzt handeln“ sagte er`},
		{`end of it.” Then a new “start`, `end of it.`},
		{`Trump wrote to him: "Jeff`, `Trump wrote to him: "Jeff`},
		{"okay\";\n};\n\n&i2c1 {\n\tstatus = \"okay", "okay\";\n};\n\n&i2c1 {\n\tstatus = \"okay"},
		{`ti,am335x-bone-black", "ti,am335x-bone", "ti,am33xx";`, `ti,am335x-bone-black", "ti,am335x-bone", "ti,am33xx";`},
		{`the quote kept more than half of the text", he said`, `the quote kept more than half of the text`},
		{`a quote that ended", said the minister on Monday`, `a quote that ended", said the minister on Monday`},
		{`a quote that ended,” said the minister on Monday`, `a quote that ended`},
		{`"`, `"`},
		{``, ``},
	}
	for _, tt := range tests {
		if got := TrimQuotes(tt.in); got != tt.want {
			t.Errorf("TrimQuotes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzTrimQuotes: the result is always a part of the text, and text
// without quotation marks comes back whole.
func FuzzTrimQuotes(f *testing.F) {
	for _, s := range []string{`a "b" c`, `x", y`, `„a“ b`, `“a” “b`, `"`, "\xff\"a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := TrimQuotes(s)
		if !strings.Contains(s, got) {
			t.Fatalf("TrimQuotes(%q) = %q, not a part of it", s, got)
		}
		if !strings.ContainsAny(s, "\"“”„«»") && got != s {
			t.Fatalf("TrimQuotes(%q) = %q, want it whole (no marks)", s, got)
		}
	})
}
