package html

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// hue returns the hue, in degrees, and the saturation (0..1, HSL) of a
// #rrggbb colour.
func hue(hex string) (h, s float64) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	r, g, b := float64(v>>16)/255, float64(v>>8&0xff)/255, float64(v&0xff)/255
	mx, mn := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	l, d := (mx+mn)/2, mx-mn
	if d == 0 {
		return 0, 0
	}
	s = d / (1 - math.Abs(2*l-1))
	switch mx {
	case r:
		h = math.Mod((g-b)/d, 6)
	case g:
		h = (b-r)/d + 2
	default:
		h = (r-g)/d + 4
	}
	h *= 60
	if h < 0 {
		h += 360
	}
	return h, s
}

func hueDistance(a, b float64) float64 {
	d := math.Abs(a - b)
	return math.Min(d, 360-d)
}

// TestPassageColoursAreNotChangeColours: on a pair page, the colours of
// passages (tint and marker) are far in hue from the colours of the word
// changes inside them (changed, only in A, only in B), so that no passage
// reads as a change.
func TestPassageColoursAreNotChangeColours(t *testing.T) {
	css := string(assetCSS())
	passage := regexp.MustCompile(`--p[ts]\d: (#[0-9a-f]{6})`).FindAllStringSubmatch(css, -1)
	if len(passage) < 8 {
		t.Fatalf("report.css defines %d pair-page passage colours (--pt0.. --ps0..), want 4 tints and 4 markers", len(passage))
	}
	var changes []string
	for _, class := range []string{".d-ins", ".d-del", ".d-sub"} {
		m := regexp.MustCompile(regexp.QuoteMeta(class) + ` \{[^}]*background: (#[0-9a-f]{6})`).FindStringSubmatch(css)
		if m == nil {
			t.Fatalf("report.css: no background colour for %s", class)
		}
		changes = append(changes, m[1])
	}
	for _, p := range passage {
		hp, sp := hue(p[1])
		for _, c := range changes {
			hc, _ := hue(c)
			if d := hueDistance(hp, hc); sp > 0.15 && d < 45 {
				t.Errorf("passage colour %s (hue %.0f) is %.0f° from the change colour %s (hue %.0f); want at least 45°", p[1], hp, d, c, hc)
			}
		}
	}
	// And the pair page uses those classes, not the partner palette.
	f := newFixture()
	var sb strings.Builder
	if err := WritePair(&sb, f.r, &f.r.Pairs[0], f.text, Options{}); err != nil {
		t.Fatal(err)
	}
	page := sb.String()
	if regexp.MustCompile(`class="hl pg c\d`).MatchString(page) || !strings.Contains(page, `class="hl pg p0 u0 first"`) {
		t.Errorf("pair page passages do not use the pair palette (pg p0 u0 …)")
	}
}
