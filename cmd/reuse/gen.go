package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse/eval/gen"
)

const genUsage = `usage: reuse gen [flags] --out DIR

Generate a corpus of English-like news text with planted reuse of known
classes (verbatim, reformatted, light and heavy edits, remixes, short
quotes, syndicated copies) and its ground truth, for reuse eval and for
benchmarks. The same seed gives the same bytes on every machine.

Writes DIR/corpus/{src,sus,syn}/*.txt and DIR/truth.json; DIR/corpus must
be empty or absent. Documents are streamed to disk: memory stays small at
any size (about 10 MB/s, so 1 GB takes a couple of minutes).

Examples:
  reuse gen --out /tmp/g                           200 documents, seed 1
  reuse gen --seed 7 --docs 500 --out /tmp/g
  reuse gen --seed 1 --size 1GB --out /tmp/big     about 1 GB, for benchmarks
  reuse scan /tmp/g/corpus --format json -o r.json
  reuse eval --truth /tmp/g/truth.json r.json

Flags:
`

// genFlags are the flags of reuse gen.
type genFlags struct {
	seed  uint64
	docs  int
	size  string
	out   string
	quiet bool
}

// AddFlags registers the flags on fs.
func (f *genFlags) AddFlags(fs *pflag.FlagSet) {
	fs.Uint64Var(&f.seed, "seed", 1, "`seed` of the generator: the same seed gives the same corpus")
	fs.IntVar(&f.docs, "docs", 0, "number of `documents` (default 200)")
	fs.StringVar(&f.size, "size", "", "about this much text instead of --docs (`size`, e.g. 10MB, 1GB, 512MiB)")
	fs.StringVar(&f.out, "out", "", "write the corpus and truth.json to `folder` (required)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on success")
}

// config checks the flags and returns the generator's configuration.
func (f *genFlags) config(args []string) (gen.Config, error) {
	cfg := gen.Config{Seed: f.seed}
	switch {
	case len(args) > 0:
		return cfg, fmt.Errorf("%w: gen takes no arguments, got %q (did you mean --out %s?)", errUsage, args[0], args[0])
	case f.out == "":
		return cfg, fmt.Errorf("%w: gen needs --out DIR (try reuse gen --help)", errUsage)
	case f.docs < 0:
		return cfg, fmt.Errorf("%w: --docs %d: want a positive number", errUsage, f.docs)
	case f.docs > 0 && f.size != "":
		return cfg, fmt.Errorf("%w: --docs and --size both given; choose one", errUsage)
	}
	cfg.Docs = f.docs
	if f.size != "" {
		n, err := parseSize(f.size)
		if err != nil {
			return cfg, fmt.Errorf("%w: --size: %v", errUsage, err)
		}
		cfg.Size = n
	}
	return cfg, nil
}

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	var f genFlags
	flags := newFlagSet("gen", genUsage, stdout)
	f.AddFlags(flags)
	if err := parseFlags(flags, args); err != nil {
		return false, err
	}
	cfg, err := f.config(flags.Args())
	if err != nil {
		return false, err
	}
	root := filepath.Join(f.out, "corpus")
	notEmpty := fmt.Errorf("%w: --out %s: %s already holds files; remove it or choose another folder",
		errUsage, f.out, root)
	if ents, err := os.ReadDir(root); err == nil && len(ents) > 0 {
		return false, notEmpty
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	start := time.Now()
	truth, err := gen.Generate(ctx, f.out, cfg)
	if errors.Is(err, gen.ErrNotEmpty) {
		return false, notEmpty
	}
	if err != nil {
		// Generate leaves a partial corpus and no truth: remove what it
		// wrote (the folder was empty or absent), so that a later run can
		// use it.
		os.RemoveAll(root)
		os.Remove(filepath.Join(f.out, "truth.json"))
		return false, err
	}
	if f.quiet {
		return false, nil
	}
	var bytes int64
	for _, d := range truth.Documents {
		bytes += int64(d.Bytes)
	}
	_, err = fmt.Fprintf(stdout, "reuse gen: %d documents, %.1f MB, %d cases, %d groups in %.1fs\n  corpus %s\n  truth  %s\n",
		len(truth.Documents), float64(bytes)/1e6, len(truth.Cases), len(truth.Groups),
		time.Since(start).Seconds(), root, filepath.Join(f.out, "truth.json"))
	return false, err
}
