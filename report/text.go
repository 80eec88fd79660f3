package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/reuse-tool/reuse/result"
)

// TextOptions tune WriteText.
type TextOptions struct {
	// Top is the most rows listed in each section: 0 means 10, a negative
	// value means no limit.
	Top int
	// Heading, when not "", is a line written first (reuse check names
	// the index there).
	Heading string
}

// termExcerptWidth is the most terminal columns a cluster excerpt takes,
// ellipsis included.
const termExcerptWidth = 60

// WriteText writes a summary of r for a person at a terminal: a headline with
// the corpus totals, then, in aligned columns, the pairs that share the most
// words, the documents by share of reused words (those with none last, and
// counted when the list is cut), the clusters
// found in the most documents (with the earliest member and an excerpt of the
// text) and the largest groups of near-duplicate documents. A section that
// would be empty is left out; when r holds no pairs, clusters or groups the
// summary says "no reuse found". Percentages have one decimal.
//
// Document IDs holding control characters or invalid UTF-8 are shown quoted
// in Go syntax, so that no file name can move the cursor or break the
// columns. Columns are aligned by counting runes; IDs in wide scripts may
// push a row out of line.
func WriteText(w io.Writer, r *result.Result, opt TextOptions) error {
	top := opt.Top
	switch {
	case top == 0:
		top = 10
	case top < 0:
		top = math.MaxInt
	}
	bw := bufio.NewWriter(w)
	// Rows begin with two spaces and have no trailing tab, so lines carry no
	// trailing blanks.
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	st := &r.Stats

	if opt.Heading != "" {
		fmt.Fprintln(tw, opt.Heading)
	}
	skipped := termSkipped(st.Skipped)
	if len(r.Pairs) == 0 && len(r.Clusters) == 0 && len(r.Groups) == 0 {
		fmt.Fprintf(tw, "no reuse found: %s, %s%s\n",
			termPlural(st.Documents, "document"), termPlural(st.Words, "word"), skipped)
		if err := tw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	reused := 0.0
	if st.Words > 0 {
		reused = 100 * float64(st.ReusedWords) / float64(st.Words)
	}
	fmt.Fprintf(tw, "%s, %s, %s reused%s\n",
		termPlural(st.Documents, "document"), termPlural(st.Words, "word"), termPct(reused), skipped)
	fmt.Fprintf(tw, "%s, %s, %s, %s\n",
		termPlural(st.Pairs, "pair"), termPlural(st.Passages, "passage"),
		termPlural(st.Clusters, "cluster"), termPlural(st.Groups, "group"))
	if st.ClustersIncomplete {
		open, openGroups := 0, 0
		for _, c := range r.Clusters {
			if c.Incomplete {
				open++
			}
		}
		for _, g := range r.Groups {
			if g.Incomplete {
				openGroups++
			}
		}
		fmt.Fprintf(tw, "%s of the clusters and %s of the groups not followed through the whole archive (--follow-limit): they may lack archived members\n",
			termCount(open), termCount(openGroups))
	}

	if len(r.Pairs) > 0 {
		ps := termSorted(r.Pairs, func(a, b *result.Pair) int {
			return cmp.Or(
				cmp.Compare(b.SharedWords, a.SharedWords),
				cmp.Compare(a.A, b.A),
				cmp.Compare(a.B, b.B))
		})
		fmt.Fprintf(tw, "\nPairs sharing the most words\n")
		fmt.Fprintf(tw, "  A\tB\tSHARED\tA%%\tB%%\tPASSAGES\n")
		for _, p := range ps[:min(top, len(ps))] {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n",
				termID(p.A), termID(p.B), termCount(p.SharedWords),
				termPct(p.APct), termPct(p.BPct), termCount(len(p.Passages)))
		}
		termMore(tw, len(ps)-top)
	}

	// Every document, the most reused first: those with no reuse come
	// last, so that --top 0 lists them too and a cut list counts them.
	docs := make([]*result.Document, 0, len(r.Documents))
	unreused := 0
	for i := range r.Documents {
		docs = append(docs, &r.Documents[i])
		if r.Documents[i].ReusedWords == 0 {
			unreused++
		}
	}
	if len(docs) > 0 {
		slices.SortStableFunc(docs, func(a, b *result.Document) int {
			return cmp.Or(
				cmp.Compare(b.ReusedPct, a.ReusedPct),
				cmp.Compare(b.ReusedWords, a.ReusedWords),
				cmp.Compare(a.ID, b.ID))
		})
		fmt.Fprintf(tw, "\nMost reused documents\n")
		fmt.Fprintf(tw, "  DOCUMENT\tDATE\tWORDS\tREUSED\tREUSED%%\n")
		shown := docs[:min(top, len(docs))]
		for _, d := range shown {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n",
				termID(d.ID), termDash(d.Date), termCount(d.Words), termCount(d.ReusedWords), termPct(d.ReusedPct))
		}
		if left := len(docs) - len(shown); left > 0 {
			hidden := unreused
			for _, d := range shown {
				if d.ReusedWords == 0 {
					hidden--
				}
			}
			note := ""
			switch {
			case hidden == left && left == 1:
				note = ", with no reuse"
			case hidden == left:
				note = ", all with no reuse"
			case hidden > 0:
				note = fmt.Sprintf(", %s with no reuse", termCount(hidden))
			}
			fmt.Fprintf(tw, "  … and %s more%s\n", termCount(left), note)
		}
	}

	if len(r.Clusters) > 0 {
		cs := termSorted(r.Clusters, func(a, b *result.Cluster) int {
			return cmp.Or(
				cmp.Compare(len(b.Documents), len(a.Documents)),
				cmp.Compare(len(b.Members), len(a.Members)),
				cmp.Compare(a.ID, b.ID))
		})
		fmt.Fprintf(tw, "\nLargest clusters\n")
		fmt.Fprintf(tw, "  ID\tDOCS\tEARLIEST DATED\tTEXT\n")
		for _, c := range cs[:min(top, len(cs))] {
			text := `"` + termExcerpt(c.Text, termExcerptWidth) + `"`
			if c.Boilerplate {
				text += " (boilerplate)"
			}
			if c.Incomplete {
				text += " (incomplete)"
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n",
				c.ID, termCount(len(c.Documents)), termDash(termID(c.Earliest)), text)
		}
		termMore(tw, len(cs)-top)
	}

	if len(r.Groups) > 0 {
		gs := termSorted(r.Groups, func(a, b *result.Group) int {
			return cmp.Or(
				cmp.Compare(len(b.Documents), len(a.Documents)),
				cmp.Compare(a.ID, b.ID))
		})
		fmt.Fprintf(tw, "\nGroups of near-duplicate documents\n")
		fmt.Fprintf(tw, "  ID\tDOCS\tMIN%%\tDOCUMENTS\n")
		for _, g := range gs[:min(top, len(gs))] {
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n",
				g.ID, termCount(len(g.Documents)), termPct(g.MinPct), termIDList(g.Documents, 4))
		}
		termMore(tw, len(gs)-top)
	}

	// Write errors stick in bw, so the first one is what both Flushes
	// return.
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// termSorted returns pointers to the elements of s, sorted by cmp; s itself
// is not reordered.
func termSorted[T any](s []T, cmp func(a, b *T) int) []*T {
	ps := make([]*T, len(s))
	for i := range s {
		ps[i] = &s[i]
	}
	slices.SortStableFunc(ps, cmp)
	return ps
}

// termMore notes, under a section, how many rows it left out.
func termMore(w io.Writer, n int) {
	if n > 0 {
		fmt.Fprintf(w, "  … and %s more\n", termCount(n))
	}
}

// termSkipped is the headline's note of skipped inputs: " (2 inputs
// skipped)", or "" for none.
func termSkipped(n int) string {
	if n == 0 {
		return ""
	}
	return " (" + termPlural(n, "input") + " skipped)"
}

// termPct formats a percentage with one decimal: 18.9%.
func termPct(p float64) string {
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// termPlural formats n and a noun: "1 document", "1,234 documents".
func termPlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return termCount(n) + " " + noun + "s"
}

// termCount formats n with commas between groups of three digits: 1,234,567.
func termCount(n int) string {
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return neg + s
	}
	var b strings.Builder
	b.WriteString(neg)
	head := len(s) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(s[:head])
	for i := head; i < len(s); i += 3 {
		b.WriteByte(',')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func termDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// termIDList lists up to max IDs, separated by commas, and counts the rest.
func termIDList(ids []string, max int) string {
	var b strings.Builder
	for i, id := range ids {
		if i == max {
			fmt.Fprintf(&b, ", … and %s more", termCount(len(ids)-max))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(termID(id))
	}
	return b.String()
}

// termID returns id unchanged if it is valid UTF-8 free of control
// characters, and otherwise quoted in Go syntax ("a\tb.txt"), so that it can
// neither drive the terminal nor split a tabwriter column.
func termID(id string) string {
	if !utf8.ValidString(id) || strings.IndexFunc(id, unicode.IsControl) >= 0 {
		return strconv.Quote(id)
	}
	return id
}

// termExcerpt returns text with white space collapsed as result.Excerpt
// collapses it and control characters or invalid UTF-8 replaced by U+FFFD,
// cut to at most width terminal columns (wide East Asian characters count
// two). A cut text ends in "…", and is cut after a word when a word
// boundary falls in the last third; otherwise, as in scripts written
// without spaces, it is cut between two grapheme clusters (never inside a
// character or between a letter and its accents).
func termExcerpt(text string, width int) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, result.Excerpt([]byte(text), -1))
	if uniseg.StringWidth(s) <= width {
		return s
	}

	// Take whole grapheme clusters while they fit, leaving a column for the
	// ellipsis; remember the last word boundary.
	cut, wordCut, used := 0, 0, 0
	rest, state := s, -1
	for len(rest) > 0 {
		var g string
		var w int
		g, rest, w, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if used+w > width-1 {
			break
		}
		if g == " " {
			wordCut = cut
		}
		used += w
		cut += len(g)
	}
	if wordCut > 0 && wordCut >= cut*2/3 {
		cut = wordCut
	}
	t := strings.TrimRightFunc(s[:cut], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:&-–—", r)
	})
	return t + "…"
}
