package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/reuse-tool/reuse/result"
)

// TextFunc returns the text of a document by its id: the bytes that the
// Result's offsets count.
type TextFunc func(id string) ([]byte, error)

// compareExcerptWidth is the most terminal columns of a passage's excerpt
// in WriteComparison, quotes not counted.
const compareExcerptWidth = 64

// WriteComparison writes what two documents share, for a person at a
// terminal: a headline (as WriteText's, which Sniff recognises), the two
// documents with the share of each that the other holds, then every
// passage of their pair in the order of A: its number, length in words,
// similarity and cluster, and for each side its byte offsets (start-end,
// end exclusive) and a short excerpt. r holds the two documents of reuse
// compare; with other Results it shows the first pair. text gives the
// excerpts; a text that cannot be read is named in place of its excerpts.
func WriteComparison(w io.Writer, r *result.Result, text TextFunc) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	st := &r.Stats
	skipped := termSkipped(st.Skipped)
	var p *result.Pair
	if len(r.Pairs) > 0 {
		p = &r.Pairs[0]
	}
	if p == nil {
		fmt.Fprintf(tw, "no reuse found: %s, %s%s\n", termPlural(st.Documents, "document"), termPlural(st.Words, "word"), skipped)
	} else {
		fmt.Fprintf(tw, "%s, %s, %s shared in %s%s\n", termPlural(st.Documents, "document"), termPlural(st.Words, "word"),
			termCount(p.SharedWords), termPlural(len(p.Passages), "passage"), skipped)
	}
	for i := range r.Documents {
		if i == 2 {
			break
		}
		d := &r.Documents[i]
		side, other := "A", "B"
		if i == 1 {
			side, other = "B", "A"
		}
		share := "0.0%"
		if p != nil && d.ID == p.A {
			share = termPct(p.APct)
		} else if p != nil {
			share = termPct(p.BPct)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s shared with %s\n", side, termID(d.ID), termDash(d.Date),
			termPlural(d.Words, "word"), share, other)
	}
	if len(r.Groups) > 0 {
		fmt.Fprintf(tw, "  near-duplicates: each holds at least %s of the other\n", termPct(r.Groups[0].MinPct))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if p != nil {
		ta, ea := text(p.A)
		tb, eb := text(p.B)
		for k, pg := range p.Passages {
			cluster := ""
			if pg.Cluster > 0 {
				cluster = ", cluster " + strconv.Itoa(pg.Cluster)
			}
			kind := ""
			if pg.Kind != "" {
				kind = ", " + pg.Kind
			}
			fmt.Fprintf(bw, "\nPassage %d: %s%s, similarity %.2f%s\n", k+1, termPlural(pg.Words, "word"), kind, pg.Similarity, cluster)
			tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "  A\tbytes %d-%d\t%s\n", pg.AStart, pg.AEnd, passageExcerpt(ta, ea, pg.AStart, pg.AEnd))
			fmt.Fprintf(tw, "  B\tbytes %d-%d\t%s\n", pg.BStart, pg.BEnd, passageExcerpt(tb, eb, pg.BStart, pg.BEnd))
			if err := tw.Flush(); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// passageExcerpt is the quoted start of text[s:e], or why there is none.
func passageExcerpt(text []byte, err error, s, e int) string {
	switch {
	case err != nil:
		return "(text unreadable: " + err.Error() + ")"
	case s < 0 || e > len(text) || s >= e:
		return "(outside the text: it changed since the scan)"
	}
	return `"` + termExcerpt(string(text[s:e]), compareExcerptWidth) + `"`
}
