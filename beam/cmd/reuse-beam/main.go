// Command reuse-beam runs a reuse scan as an Apache Beam pipeline: on
// Prism (the default runner, in process, offline), on Flink or Spark
// through their job servers (--runner flink|spark --endpoint HOST:PORT),
// or on Google Cloud Dataflow (--runner dataflow --project --region
// --temp_location). Its result is the reuse.scan/v1 JSON of `reuse scan`
// (or JSONL, for an output ending in .jsonl); with --exact, that of
// `reuse scan --exact`; with --reworded, that of `reuse scan --reworded`;
// with --pairs FILE, that of `reuse scan --pairs FILE` (PAN mode).
//
//	reuse-beam --input ../testdata/corpus --output result.json
//	reuse-beam --input gs://bucket/archive/ --output gs://bucket/result.json \
//	    --runner dataflow --project P --region R --temp_location gs://bucket/tmp
//	reuse-beam --input /data/archive --output /data/result.json \
//	    --runner flink --endpoint localhost:8099 --environment_type LOOPBACK
//
// Exit status: 0 done, 1 the pipeline failed, 2 bad flags.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	reusebeam "github.com/reuse-tool/reuse/beam"
	"github.com/reuse-tool/reuse/eval"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, strings.Split(v, ",")...); return nil }

func main() {
	var (
		inputs, exclude, include listFlag
		cfg                      reusebeam.Config
		pairs                    string
	)
	flag.Var(&inputs, "input", "a folder, file or object prefix to scan (repeatable, or comma-separated): local, gs:// or s3://")
	flag.StringVar(&cfg.Output, "output", "", "where the result goes: a `file` ending in .json (reuse.scan/v1) or .jsonl")
	flag.IntVar(&cfg.Settings.Shingle, "shingle", 0, "tokens per shingle (default 5)")
	flag.IntVar(&cfg.Settings.Window, "window", 0, "winnowing window in shingles (default 5)")
	flag.IntVar(&cfg.Settings.MinWords, "min-words", 0, "least evidence of a passage, in words (default 9)")
	flag.Float64Var(&cfg.Settings.Threshold, "threshold", 0, "least overlap of near-duplicates, 0..1 (default 0.8)")
	flag.IntVar(&cfg.Settings.MaxDF, "max-df", 0, "documents above which a fingerprint is boilerplate (default 100)")
	flag.BoolVar(&cfg.Settings.Exact, "exact", false, "find exact passages only, not the reworded text around them (reuse scan --exact)")
	flag.BoolVar(&cfg.Settings.Reworded, "reworded", false, "also pair documents by keys of their sentences' words, to find reworded text with no exact run (reuse scan --reworded)")
	flag.StringVar(&pairs, "pairs", "", "compare only the pairs of documents listed in `file` (a local file), each whole: two document ids a line (reuse scan --pairs, PAN's pairs files)")
	flag.BoolVar(&cfg.Settings.PassageText, "passage-text", false, "put each passage's text, on both sides, into the JSON result (jsonl always holds it)")
	flag.StringVar(&cfg.Settings.IDField, "id-field", "", "JSONL id field (default id)")
	flag.StringVar(&cfg.Settings.TextField, "text-field", "", "JSONL text field (default text)")
	flag.StringVar(&cfg.Settings.DateField, "date-field", "", "JSONL date field (default date)")
	flag.StringVar(&cfg.Settings.Encoding, "encoding", "", "encoding of text that is not UTF-8 (default: windows-1252, with a warning)")
	flag.Int64Var(&cfg.Settings.MaxBytes, "max-bytes", 0, "cap on one input's expanded size (default 1 GiB)")
	flag.Var(&exclude, "exclude", "leave out files and folders matching `glob` (repeatable)")
	flag.Var(&include, "include", "read only files matching `glob` (repeatable)")
	flag.Int64Var(&cfg.PartBytes, "part-bytes", 0, "cut JSONL inputs into parts of about this many `bytes` (default 64 MiB; -1: never)")
	flag.IntVar(&cfg.Rounds, "cc-rounds", 0, "rounds of label propagation in connected components (default 6)")
	flag.IntVar(&cfg.Partitions, "partitions", 0, "partitions of fingerprint hashes in the shuffle: each is one worker's load (default 64)")
	flag.IntVar(&cfg.BlockDocs, "block-docs", 0, "documents keyed together wherever the pipeline joins by document (default 64)")
	flag.IntVar(&cfg.Shards, "shards", 0, "write a .jsonl output as `n` files written by different workers, OUTPUT-00000-of-0000n.jsonl... (default 0: one file)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: reuse-beam --input PATH --output FILE.json [flags]\n\n"+
			"Runs a reuse scan as an Apache Beam pipeline. The default runner is Prism, in\n"+
			"process; --runner flink|spark|dataflow, with their flags, runs it elsewhere.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	cfg.Inputs, cfg.Settings.Exclude, cfg.Settings.Include = inputs, exclude, include
	if len(cfg.Inputs) == 0 || cfg.Output == "" {
		fmt.Fprintln(os.Stderr, "reuse-beam: --input and --output are required")
		flag.Usage()
		os.Exit(2)
	}
	if cfg.Shards < 0 || cfg.Shards > 0 && !strings.HasSuffix(cfg.Output, ".jsonl") {
		fmt.Fprintln(os.Stderr, "reuse-beam: --shards needs a positive count and an --output ending in .jsonl (a .json result is one document)")
		os.Exit(2)
	}
	if pairs != "" {
		var err error
		if cfg.Settings.Pairs, err = eval.ReadPairs(pairs); err != nil {
			fmt.Fprintln(os.Stderr, "reuse-beam:", err)
			os.Exit(2)
		}
	}
	if err := cfg.Settings.Check(); err != nil {
		fmt.Fprintln(os.Stderr, "reuse-beam:", err)
		os.Exit(2)
	}
	if flag.Lookup("runner").Value.String() == "" || flag.Lookup("runner").Value.String() == "direct" {
		flag.Set("runner", "prism")
	}
	beam.Init()
	restore, err := reusebeam.ScratchTemp()
	if err != nil {
		fmt.Fprintln(os.Stderr, "reuse-beam:", err)
		os.Exit(1)
	}
	p, s := beam.NewPipelineWithRoot()
	reusebeam.Build(s, cfg)
	err = beamx.Run(context.Background(), p)
	restore()
	if err != nil {
		fmt.Fprintln(os.Stderr, "reuse-beam:", err)
		os.Exit(1)
	}
}
