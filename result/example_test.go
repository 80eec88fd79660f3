package result_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/reuse-tool/reuse/result"
)

// A scan of two documents that share one passage.
func ExampleWriteJSON() {
	r := &result.Result{
		Stats: result.Stats{Documents: 2, Words: 120, ReusedWords: 24, Pairs: 1, Passages: 1, Clusters: 1},
		Documents: []result.Document{
			{ID: "a.txt", Path: "news/a.txt", Bytes: 380, Words: 60, ReusedWords: 12, ReusedPct: 20},
			{ID: "b.txt", Path: "news/b.txt", Bytes: 390, Words: 60, ReusedWords: 12, ReusedPct: 20},
		},
		Pairs: []result.Pair{{A: "a.txt", B: "b.txt", APct: 20, BPct: 20, SharedWords: 12, Jaccard: 0.1,
			Passages: []result.Passage{{AStart: 10, AEnd: 80, BStart: 200, BEnd: 270, Words: 12, Similarity: 1, Cluster: 1}}}},
		Clusters: []result.Cluster{{ID: 1, Documents: 2, Text: "the bridge will stay closed to cars & trucks until May",
			Members: []result.Member{{Doc: "a.txt", Start: 10, End: 80}, {Doc: "b.txt", Start: 200, End: 270}}}},
	}
	if err := result.WriteJSON(os.Stdout, r); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "schema": "reuse.scan/v1",
	//   "params": {
	//     "shingle": 0,
	//     "window": 0,
	//     "min_words": 0,
	//     "threshold": 0,
	//     "max_df": 0
	//   },
	//   "stats": {
	//     "documents": 2,
	//     "words": 120,
	//     "reused_words": 24,
	//     "pairs": 1,
	//     "passages": 1,
	//     "clusters": 1,
	//     "groups": 0,
	//     "skipped": 0
	//   },
	//   "documents": [
	//     {
	//       "id": "a.txt",
	//       "path": "news/a.txt",
	//       "bytes": 380,
	//       "words": 60,
	//       "reused_words": 12,
	//       "reused_pct": 20
	//     },
	//     {
	//       "id": "b.txt",
	//       "path": "news/b.txt",
	//       "bytes": 390,
	//       "words": 60,
	//       "reused_words": 12,
	//       "reused_pct": 20
	//     }
	//   ],
	//   "pairs": [
	//     {
	//       "a": "a.txt",
	//       "b": "b.txt",
	//       "a_pct": 20,
	//       "b_pct": 20,
	//       "shared_words": 12,
	//       "jaccard": 0.1,
	//       "passages": [
	//         {
	//           "a_start": 10,
	//           "a_end": 80,
	//           "b_start": 200,
	//           "b_end": 270,
	//           "words": 12,
	//           "similarity": 1,
	//           "cluster": 1
	//         }
	//       ]
	//     }
	//   ],
	//   "clusters": [
	//     {
	//       "id": 1,
	//       "documents": 2,
	//       "text": "the bridge will stay closed to cars & trucks until May",
	//       "members": [
	//         {
	//           "doc": "a.txt",
	//           "start": 10,
	//           "end": 80
	//         },
	//         {
	//           "doc": "b.txt",
	//           "start": 200,
	//           "end": 270
	//         }
	//       ]
	//     }
	//   ],
	//   "groups": []
	// }
}

func ExampleReadJSON() {
	const scan = `{"schema": "reuse.scan/v1", "pairs": [{"a": "a.txt", "b": "b.txt", "a_pct": 20, "b_pct": 18.5,
		"passages": [{"a_start": 10, "a_end": 80, "b_start": 200, "b_end": 270}]}]}`
	r, err := result.ReadJSON(strings.NewReader(scan))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Pairs {
		fmt.Printf("%s ~ %s: %.1f%% / %.1f%%, %d passage(s)\n", p.A, p.B, p.APct, p.BPct, len(p.Passages))
	}
	_, err = result.ReadJSON(strings.NewReader(`{"schema": "reuse.scan/v0"}`))
	fmt.Println(err)
	// Output:
	// a.txt ~ b.txt: 20.0% / 18.5%, 1 passage(s)
	// result: wrong schema "reuse.scan/v0", want "reuse.scan/v1"
}
