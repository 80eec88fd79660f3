package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse/archive"
)

const indexStatsUsage = `usage: reuse index stats [flags] IDX

Show what the index IDX holds: documents and words, removed documents not
yet reclaimed, segments, size on disk, the root documents' paths count
from, and the settings it was made with.

Examples:
  reuse index stats news.idx
  reuse index stats news.idx --format json

Flags:
`

// indexStatsJSON is the JSON of reuse index stats --format json.
type indexStatsJSON struct {
	Index        string                 `json:"index"`
	Format       int                    `json:"format"`
	Root         string                 `json:"root"`
	Documents    int                    `json:"documents"`
	Words        int64                  `json:"words"`
	Removed      int                    `json:"removed"`
	Bytes        int64                  `json:"bytes"`
	Fingerprints int64                  `json:"fingerprints"`
	RewordedKeys int64                  `json:"reworded_keys,omitempty"`
	Generation   int64                  `json:"generation"`
	Params       archive.Params         `json:"params"`
	Segments     []archive.SegmentStats `json:"segments"`
	// Alignments kept beside the index (reuse index align), if any.
	Alignments *archive.AlignmentsStats `json:"alignments,omitempty"`
}

func runIndexStats(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	format := "text"
	idx, err := openIndexArg("stats", indexStatsUsage, exitIndexHelp, args, stdout, func(fs *pflag.FlagSet) {
		fs.StringVar(&format, "format", "text", "output `format`: text or json")
	})
	if err != nil {
		return false, err
	}
	if format != "text" && format != "json" {
		return false, fmt.Errorf("%w: unknown --format %q (want text or json)", errUsage, format)
	}
	ix, err := archive.Open(idx, archive.Options{})
	if err != nil {
		return false, err
	}
	defer ix.Close()
	st, p := ix.Stats(), ix.Params()
	aln, kept, err := ix.KeptAlignments()
	if err != nil {
		return false, err
	}
	var alnJSON *archive.AlignmentsStats
	if kept {
		alnJSON = &aln
	}
	return false, emit("", stdout, func(w io.Writer) error {
		if format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(indexStatsJSON{
				Index: idx, Format: archive.FormatVersion, Root: ix.Root(), Documents: st.Documents, Words: st.Words,
				Removed: st.Removed, Bytes: st.Bytes, Fingerprints: st.Fingerprints, RewordedKeys: st.RewordedKeys, Generation: st.Generation,
				Params: p, Segments: ix.Segments(), Alignments: alnJSON,
			})
		}
		fmt.Fprintf(w, "index      %s (format %d, generation %d)\n", idx, archive.FormatVersion, st.Generation)
		fmt.Fprintf(w, "root       %s\n", ix.Root())
		fmt.Fprintf(w, "documents  %s, %s words", count(int64(st.Documents)), count(st.Words))
		if st.Removed > 0 {
			fmt.Fprintf(w, "; %s removed, reclaimed by reuse index compact", count(int64(st.Removed)))
		}
		fmt.Fprintf(w, "\non disk    %s in %s", megabytes(st.Bytes), plural(int64(st.Segments), "segment"))
		var segs []string
		for _, s := range ix.Segments() {
			seg := fmt.Sprintf("%s %s (%s)", s.Name, plural(int64(s.Docs-s.Removed), "document"), megabytes(s.Bytes))
			segs = append(segs, seg)
		}
		if len(segs) > 0 {
			fmt.Fprintf(w, ": %s", strings.Join(segs, ", "))
		}
		fmt.Fprintf(w, "\npostings   %s of fingerprints (%s a word)", count(st.Fingerprints), ratio(float64(st.Fingerprints), float64(st.Words)))
		if p.Reworded {
			fmt.Fprintf(w, ", %s of keys of reworded sentences (%s a word)", count(st.RewordedKeys), ratio(float64(st.RewordedKeys), float64(st.Words)))
		}
		fmt.Fprintln(w)
		reworded := ""
		if p.Reworded {
			reworded = "; reworded reuse (every document analyzed, keys of reworded sentences kept)"
		}
		fmt.Fprintf(w, "settings   shingle %d, window %d, threshold %g (LSH %d bands × %d rows), seeds of %d words, signatures of %d values%s\n",
			p.Shingle, p.Window, p.Threshold, p.Bands, p.Rows, p.Seed, p.Signature, reworded)
		if !kept && ix.EarlierAlignments() {
			_, err := fmt.Fprintln(w, "alignments kept by an earlier reuse, which this one does not read: checks go without them (reuse index align makes them again)")
			return err
		}
		if !kept {
			joins := ""
			if settings, held := ix.KeptJoinsSettings(); held {
				joins = fmt.Sprintf("; the boilerplate's joins for checks with %s kept", settings)
			}
			_, err := fmt.Fprintf(w, "alignments none kept for this generation (reuse index align)%s\n", joins)
			return err
		}
		fmt.Fprintf(w, "alignments kept for checks with %s (%s with the clusters of the boilerplate, and its joins for checks with %s)", aln.Settings, megabytes(aln.Bytes), aln.JoinsSettings)
		var since []string
		if aln.Added > 0 {
			since = append(since, fmt.Sprintf("lack the %s added since", plural(int64(aln.Added), "document")))
		}
		if aln.Removed > 0 {
			since = append(since, fmt.Sprintf("predate the removal of %s", plural(int64(aln.Removed), "document")))
		}
		switch {
		case since != nil && joinsCurrent(aln):
			fmt.Fprintf(w, "; made at generation %d, they %s, and %s; the joins, brought up to date at generation %d, serve (reuse index align brings the rest up to date)", aln.Generation, strings.Join(since, " and "), clustersServing(aln, "the"), aln.JoinsGrown)
		case since != nil:
			fmt.Fprintf(w, "; made at generation %d, they %s, and the joins no longer serve (reuse index align brings them up to date)", aln.Generation, strings.Join(since, " and "))
		}
		_, err := fmt.Fprintln(w)
		return err
	})
}

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}
