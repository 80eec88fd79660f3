package report_test

import (
	"fmt"
	"os"

	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/result"
)

// exampleResult is a scan of three news stories: a wire story and a paper
// that printed it with small edits, and a blog that quoted one sentence.
func exampleResult() *result.Result {
	return &result.Result{
		Schema: result.Schema,
		Stats: result.Stats{Documents: 3, Words: 1180, ReusedWords: 743,
			Pairs: 2, Passages: 3, Clusters: 2, Groups: 1},
		Documents: []result.Document{
			{ID: "blog/reaction.md", Words: 380, ReusedWords: 21, ReusedPct: 5.5},
			{ID: "paper/2024-03-02, p.4.txt", Words: 390, Date: "2024-03-02", ReusedWords: 361, ReusedPct: 92.6},
			{ID: "wire/0301.txt", Words: 410, Date: "2024-03-01", ReusedWords: 361, ReusedPct: 88},
		},
		Pairs: []result.Pair{
			{A: "blog/reaction.md", B: "wire/0301.txt", APct: 5.5, BPct: 5.1, SharedWords: 21,
				Passages: []result.Passage{
					{AStart: 812, AEnd: 930, BStart: 1204, BEnd: 1322, Words: 21, Similarity: 1, Cluster: 1},
				}},
			{A: "paper/2024-03-02, p.4.txt", B: "wire/0301.txt", APct: 92.6, BPct: 88, SharedWords: 361,
				Passages: []result.Passage{
					{AStart: 0, AEnd: 1190, BStart: 0, BEnd: 1200, Words: 200, Similarity: 0.96, Cluster: 2},
					{AStart: 1190, AEnd: 2101, BStart: 1204, BEnd: 2140, Words: 161, Similarity: 0.988, Cluster: 1},
				}},
		},
		Clusters: []result.Cluster{
			{ID: 1, Documents: []string{"blog/reaction.md", "paper/2024-03-02, p.4.txt", "wire/0301.txt"}, Earliest: "wire/0301.txt",
				Text: "The minister said the plan would “pay for itself within a decade”, a claim economists disputed."},
			{ID: 2, Documents: []string{"paper/2024-03-02, p.4.txt", "wire/0301.txt"}, Earliest: "wire/0301.txt",
				Text: "Rail fares will rise by 4.9% in April."},
		},
		Groups: []result.Group{
			{ID: 1, Documents: []string{"paper/2024-03-02, p.4.txt", "wire/0301.txt"}, MinPct: 88},
		},
	}
}

func ExampleWriteCSV() {
	if err := report.WriteCSV(os.Stdout, exampleResult()); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	// Output:
	// a,b,a_start,a_end,b_start,b_end,words,similarity,cluster,a_pct,b_pct,a_text,b_text,kind
	// blog/reaction.md,wire/0301.txt,812,930,1204,1322,21,1,1,5.5,5.1,,,exact
	// "paper/2024-03-02, p.4.txt",wire/0301.txt,0,1190,0,1200,200,0.96,2,92.6,88,,,exact
	// "paper/2024-03-02, p.4.txt",wire/0301.txt,1190,2101,1204,2140,161,0.988,1,92.6,88,,,exact
}

func ExampleWriteText() {
	if err := report.WriteText(os.Stdout, exampleResult(), report.TextOptions{Top: 5}); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	// Output:
	// 3 documents, 1,180 words, 63.0% reused
	// 2 pairs, 3 passages, 2 clusters, 1 group
	//
	// Pairs sharing the most words
	//   A                          B              SHARED  A%     B%     PASSAGES
	//   paper/2024-03-02, p.4.txt  wire/0301.txt  361     92.6%  88.0%  2
	//   blog/reaction.md           wire/0301.txt  21      5.5%   5.1%   1
	//
	// Most reused documents
	//   DOCUMENT                   DATE        WORDS  REUSED  REUSED%
	//   paper/2024-03-02, p.4.txt  2024-03-02  390    361     92.6%
	//   wire/0301.txt              2024-03-01  410    361     88.0%
	//   blog/reaction.md           -           380    21      5.5%
	//
	// Largest clusters
	//   ID  DOCS  EARLIEST DATED  TEXT
	//   1   3     wire/0301.txt   "The minister said the plan would “pay for itself within a…"
	//   2   2     wire/0301.txt   "Rail fares will rise by 4.9% in April."
	//
	// Groups of near-duplicate documents
	//   ID  DOCS  MIN%   DOCUMENTS
	//   1   2     88.0%  paper/2024-03-02, p.4.txt, wire/0301.txt
}
