package html

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/result"
)

// familiesResult makes a Result of lone pairs (two documents each),
// triangles (three documents, all pairs) and a few larger families
// (stars of size sizes[i]).
func familiesResult(lonePairs, triangles int, sizes ...int) *result.Result {
	r := &result.Result{}
	doc := func() string {
		id := fmt.Sprintf("archive/2024/long-file-name-of-document-%05d.txt", len(r.Documents))
		r.Documents = append(r.Documents, result.Document{ID: id, Words: 100, ReusedWords: 50, ReusedPct: 50})
		return id
	}
	pair := func(a, b string, shared int) {
		if a > b {
			a, b = b, a
		}
		r.Pairs = append(r.Pairs, result.Pair{A: a, B: b, SharedWords: shared, Passages: []result.Passage{{Words: shared, Similarity: 1}}})
	}
	for range lonePairs {
		pair(doc(), doc(), 20)
	}
	for range triangles {
		a, b, c := doc(), doc(), doc()
		pair(a, b, 30)
		pair(b, c, 30)
		pair(a, c, 30)
	}
	for _, n := range sizes {
		hub := doc()
		for range n - 1 {
			pair(hub, doc(), 15)
		}
	}
	return r
}

func indexOf(t *testing.T, r *result.Result, opt Options) string {
	t.Helper()
	s := newSite(r, func(string) ([]byte, error) { return nil, nil }, opt)
	var sb strings.Builder
	if err := s.writeIndex(&sb); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

// TestNetworkFamilies: the network draws the largest families (three or
// more documents joined by shared text), largest first, at most
// maxFamilies of them; hundreds of lone pairs are not drawn as specks but
// sent to the pairs table.
func TestNetworkFamilies(t *testing.T) {
	tests := []struct {
		name      string
		r         *result.Result
		circles   int    // documents drawn
		caption   string // in the caption
		noNetwork bool
	}{
		{"lone pairs", familiesResult(300, 0), 0, "Each document that shares text shares it with one other only: the pairs table lists them.", true},
		{"a few lone pairs", familiesResult(3, 0), 6, "Each document that shares text shares it with one other only.", false},
		{"triangles and families", familiesResult(300, 100, 12, 8, 5), 25 + 21*3, "The 24 largest of 103 families of three or more documents are drawn; 300 pairs of documents share text with no third", false},
		{"one big family", familiesResult(0, 0, 400), 300, "The one family of three or more documents is drawn, in part", false},
	}
	for _, tt := range tests {
		idx := indexOf(t, tt.r, Options{})
		if n := strings.Count(idx, "<circle "); n != tt.circles {
			t.Errorf("%s: %d documents drawn, want %d", tt.name, n, tt.circles)
		}
		if !strings.Contains(idx, tt.caption) {
			_, cap, _ := strings.Cut(idx, "<figcaption><h2>Largest")
			t.Errorf("%s: index lacks %q\n%.600s", tt.name, tt.caption, cap)
		}
		if tt.noNetwork == strings.Contains(idx, `<svg class="net"`) {
			t.Errorf("%s: network drawn = %v, want %v", tt.name, !tt.noNetwork, !tt.noNetwork)
		}
	}
	// Largest first: the 12-document family is drawn whole.
	idx := indexOf(t, familiesResult(0, 30, 12), Options{})
	if !strings.Contains(idx, "long-file-name-of-document-00090.txt:") {
		t.Errorf("the hub of the largest family is not drawn")
	}
}

// TestNetworkLabels: labels are names cut at their end (never in the
// middle), and the drawing's box holds every label, so none is clipped.
func TestNetworkLabels(t *testing.T) {
	idx := indexOf(t, familiesResult(0, 4, 6), Options{})
	vb := regexp.MustCompile(`<svg class="net" viewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)"`).FindStringSubmatch(idx)
	if vb == nil {
		t.Fatal("no network drawn")
	}
	f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	x0, w := f(vb[1]), f(vb[3])
	labels := regexp.MustCompile(`<text x="([\d.-]+)" y="[\d.-]+">([^<]*)</text>`).FindAllStringSubmatch(idx, -1)
	if len(labels) != 18 {
		t.Fatalf("%d labels, want 18", len(labels))
	}
	for _, l := range labels {
		x, name := f(l[1]), l[2]
		half := labelCharWidth * float64(utf8.RuneCountInString(name)) / 2
		if x-half < x0 || x+half > x0+w {
			t.Errorf("label %q at x=%.0f (±%.0f) sticks out of the box [%.0f, %.0f]", name, x, half, x0, x0+w)
		}
		if !strings.HasPrefix(name, "long-file-name-of") || strings.Contains(name[:len(name)-len("…")], "…") {
			t.Errorf("label %q: want the name's start, cut at its end", name)
		}
	}
}

func TestShortName(t *testing.T) {
	tests := []struct {
		id   string
		n    int
		want string
	}{
		{"a/b/short.txt", 26, "short"},
		{"chronicle/2024-03-13-kessing-bridge.md", 26, "2024-03-13-kessing-bridge"},
		{"courier/2024-03-12-kessing-bridge-closed.html", 26, "2024-03-12-kessing-bridge…"},
		{"x/averyveryveryveryverylongnamewithoutbreaks.txt", 20, "averyveryveryveryve…"},
		{"vps-2024-03-15-library", 26, "vps-2024-03-15-library"},
		{"data.csv", 26, "data.csv"},
	}
	for _, tt := range tests {
		if got := shortName(tt.id, tt.n); got != tt.want {
			t.Errorf("shortName(%q, %d) = %q, want %q", tt.id, tt.n, got, tt.want)
		}
	}
}
