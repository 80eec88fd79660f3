package html

import (
	"regexp"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
)

// sharedThree is a Result where one sentence of "a" is shared with "b"
// and "c" (one cluster), and "a" shares another sentence with "c" only.
func sharedThree() (*result.Result, TextFunc) {
	texts := map[string]string{
		"a": "Opening words of a. The same sentence is printed in three papers today. And a second sentence only c prints.",
		"b": "B starts here. The same sentence is printed in three papers today.",
		"c": "The same sentence is printed in three papers today. And a second sentence only c prints.",
	}
	r := &result.Result{
		Documents: []result.Document{
			{ID: "a", Date: "2024-03-02", Words: 20, ReusedWords: 18, ReusedPct: 90},
			{ID: "b", Date: "2024-03-01", Words: 12, ReusedWords: 9, ReusedPct: 75},
			{ID: "c", Words: 16, ReusedWords: 16, ReusedPct: 100},
		},
		Pairs: []result.Pair{
			{A: "a", B: "b", SharedWords: 9, APct: 45, BPct: 75, Passages: []result.Passage{{AStart: 20, AEnd: 69, BStart: 15, BEnd: 64, Words: 9, Similarity: 1, Cluster: 1}}},
			{A: "a", B: "c", SharedWords: 16, APct: 90, BPct: 100, Passages: []result.Passage{{AStart: 20, AEnd: 106, BStart: 0, BEnd: 86, Words: 16, Similarity: 1, Cluster: 1}}},
		},
		Clusters: []result.Cluster{{ID: 1, Documents: []string{"a", "b", "c", "d"}, Earliest: "b", Text: "The same sentence is printed in three papers today.",
			Members: []result.Member{{Doc: "a", Start: 20, End: 69}, {Doc: "b", Start: 15, End: 64}, {Doc: "c", Start: 0, End: 49}, {Doc: "d", Start: 0, End: 49}}}},
	}
	r.Documents = append(r.Documents, result.Document{ID: "d", Date: "2024-03-01", Words: 9})
	texts["d"] = "The same sentence is printed in three papers today."
	return r, func(id string) ([]byte, error) { return []byte(texts[id]), nil }
}

// TestDocPageSeveralPartners: text shared with several documents carries
// the number of each, not only of one.
func TestDocPageSeveralPartners(t *testing.T) {
	r, text := sharedThree()
	s := newSite(r, text, Options{})
	var sb strings.Builder
	if err := s.writeDoc(&sb, 0); err != nil {
		t.Fatal(err)
	}
	page := sb.String()
	_, body, _ := strings.Cut(page, `id="text"`)
	// The sentence shared with b and c: both markers, in their colours.
	markers := regexp.MustCompile(`<a class="(n[^"]*)" href="[^"]*">(\d)</a>`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range markers {
		got = append(got, m[2]+":"+m[1])
	}
	if strings.Join(got, " ") != "1:n 2:n also c1 u1" {
		t.Errorf("markers on a's page = %q, want partner 1 (c, the larger share) and partner 2 (b) at the shared sentence", got)
	}
	if !strings.Contains(page, "also in [2] b") {
		t.Errorf("a's page: the shared sentence's title does not name b")
	}
}

// TestClusterPage: the page's title carries the start of the cluster's
// text; the earliest dated occurrences are marked as such, ties marked as
// ties, and undated occurrences counted as possibly older.
func TestClusterPage(t *testing.T) {
	r, text := sharedThree()
	s := newSite(r, text, Options{})
	var sb strings.Builder
	if err := s.writeCluster(&sb, 0); err != nil {
		t.Fatal(err)
	}
	page := sb.String()
	for _, want := range []string{
		"<title>Cluster 1: “The same sentence is printed in three papers today.” · ",
		`<p class="lead">“The same sentence is printed in three papers today.”</p>`,
		"earliest dated, a tie of 2 on 2024-03-01: ",
		"1 undated occurrence, which may be older",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("cluster page lacks %q", want)
		}
	}
	if n := strings.Count(page, `<span class="badge">earliest dated (tie)</span>`); n != 2 {
		t.Errorf("cluster page: %d occurrences marked earliest dated (tie), want 2 (b and d)", n)
	}
	if strings.Contains(page, `<span class="badge">earliest</span>`) {
		t.Errorf("cluster page still says plain \"earliest\"")
	}
	// A check's cluster that may lack members says so, there and in the
	// index; a complete one does not.
	r.Groups = []result.Group{{ID: 1, Documents: []string{"a", "c"}, MinPct: 90}}
	for _, incomplete := range []bool{false, true} {
		r.Clusters[0].Incomplete = incomplete
		r.Groups[0].Incomplete = incomplete
		s = newSite(r, text, Options{})
		var cp, ip strings.Builder
		if err := s.writeCluster(&cp, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.writeIndex(&ip); err != nil {
			t.Fatal(err)
		}
		// a's page: its cluster's chip and its group.
		var dp strings.Builder
		if err := s.writeDoc(&dp, 0); err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]string{"cluster page": cp.String(), "index": ip.String(), "document page": dp.String()} {
			want := map[string]int{"cluster page": 1, "index": 2, "document page": 2}[name]
			if !incomplete {
				want = 0
			}
			if got := strings.Count(p, ">incomplete</span>"); got != want {
				t.Errorf("Incomplete %v: %s marks %d incomplete, want %d", incomplete, name, got, want)
			}
		}
		// The group on a's page names the other document, not a.
		_, group, _ := strings.Cut(dp.String(), "Near-duplicates")
		group, _, _ = strings.Cut(group, "</p>")
		if !strings.Contains(group, "Group 1, tied by pairs sharing at least 90.0%") || !strings.Contains(group, ">c</a>") || strings.Contains(group, ">a</a>") {
			t.Errorf("Incomplete %v: document page's group section = %q, want group 1 with c only", incomplete, group)
		}
	}
	var bp strings.Builder
	if err := s.writeDoc(&bp, 1); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(bp.String(), "Near-duplicates") {
		t.Errorf("b, in no group, has a section of near-duplicates")
	}
	r.Clusters[0].Incomplete, r.Groups = false, nil
	// Without ties: one "earliest dated", no "(tie)".
	r.Clusters[0].Members = r.Clusters[0].Members[:3]
	sb.Reset()
	s = newSite(r, text, Options{})
	s.writeCluster(&sb, 0)
	page = sb.String()
	if !strings.Contains(page, "earliest dated, 2024-03-01: ") || strings.Count(page, `<span class="badge">earliest dated</span>`) != 1 || strings.Contains(page, "(tie)") {
		t.Errorf("cluster page without a tie does not mark one earliest dated occurrence")
	}
}

// TestPairPageToolbar: one passage is "1 passage"; the passages table
// comes before the two columns, not below them.
func TestPairPageToolbar(t *testing.T) {
	r, text := sharedThree()
	var sb strings.Builder
	if err := WritePair(&sb, r, &r.Pairs[0], text, Options{}); err != nil {
		t.Fatal(err)
	}
	page := sb.String()
	if !strings.Contains(page, `aria-live="polite">1 passage</span>`) {
		t.Errorf("pair page with one passage does not say \"1 passage\"")
	}
	if t1, cols := strings.Index(page, `id="t-passages"`), strings.Index(page, `<div class="cols">`); t1 < 0 || cols < 0 || t1 > cols {
		t.Errorf("passages table at %d, columns at %d: want the table first", t1, cols)
	}
}
