package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/internal/atomicfile"
	"github.com/reuse-tool/reuse/result"
)

const evalUsage = `usage: reuse eval --truth TRUTH... [flags] RESULT.json
       reuse eval --truth TRUTH --simtext SIM.txt --corpus DIR [flags]

Score a scan's result (reuse scan --format json) against the ground truth
with the PAN text-alignment measures (Potthast et al. 2010): precision,
recall, granularity and plagdet, overall and per class of reuse, and the
precision, recall and F1 of document pairs and near-duplicate groups.

TRUTH is the truth.json written by reuse gen, or a folder of PAN XML files
(PAN-PC-09 to PAN 2013 text alignment; one <document reference=...> per
file). PAN offsets count characters, so --corpus must name the folder
holding the PAN texts (any subfolders). Truth documents are matched to the
result's ids by path suffix: "x.txt" matches "susp/x.txt", "src/1.txt"
matches "corpus/src/1.txt". Several --truth folders are scored as one.

A PAN folder's "pairs" file (one "suspicious source" pair a line, in the
folder or below it) lists the pairs PAN compares: as PAN's scorer does,
only detections in those pairs are scored, and the output says how many
of them hold a detection (for 01-no-plagiarism, every one is false).

--simtext scores the output of sim_text (Debian's similarity-tester) in
place of a result, so that both tools are measured alike. Run sim_text with
-n inside the corpus folder; each reported run of lines becomes a passage
from the start of its first line to the end of its last.

Examples:
  reuse gen --seed 1 --docs 500 --out /tmp/g
  reuse scan /tmp/g/corpus --format json -o r.json
  reuse eval --truth /tmp/g/truth.json r.json
  reuse eval --truth /tmp/g/truth.json r.json --format json
  reuse eval --truth pan13/03-random-obfuscation --corpus pan13 r.json
  reuse eval --truth pan13/02-no-obfuscation --truth pan13/03-random-obfuscation --corpus pan13 r.json
  (cd /tmp/g/corpus && find . -name '*.txt' | sim_text -i -n -s -T -r 9 -o /tmp/sim.txt)
  reuse eval --truth /tmp/g/truth.json --simtext /tmp/sim.txt --corpus /tmp/g/corpus

Flags:
`

// evalFlags are the flags of reuse eval.
type evalFlags struct {
	truths      []string
	corpus      string
	format      string
	output      string
	simText     string
	simTextJSON string
}

// AddFlags registers the flags on fs.
func (f *evalFlags) AddFlags(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.truths, "truth", nil, "ground truth: a truth.json `path` (reuse gen) or a folder of PAN XML files (required; repeat to score several as one)")
	fs.StringVar(&f.corpus, "corpus", "", "`folder` of the texts: PAN texts (for character offsets) or the corpus sim_text ran in")
	fs.StringVar(&f.format, "format", "text", "output `format`: text or json")
	fs.StringVarP(&f.output, "output", "o", "", "write the scores to `file` (atomically) instead of standard output")
	fs.StringVar(&f.simText, "simtext", "", "score sim_text's output `file` (sim_text -n) instead of a RESULT")
	fs.StringVar(&f.simTextJSON, "simtext-json", "", "with --simtext: also write the converted result as reuse JSON to `file`")
}

// check validates the flags and arguments.
func (f *evalFlags) check(args []string) error {
	switch {
	case len(f.truths) == 0:
		return fmt.Errorf("%w: eval needs --truth (a truth.json or a PAN XML folder; try reuse eval --help)", errUsage)
	case f.format != "text" && f.format != "json":
		return fmt.Errorf("%w: unknown --format %q (want text or json)", errUsage, f.format)
	case f.simText != "" && len(args) > 0:
		return fmt.Errorf("%w: give either --simtext or a RESULT, not both", errUsage)
	case f.simText != "" && f.corpus == "":
		return fmt.Errorf("%w: --simtext needs --corpus, the folder sim_text ran in", errUsage)
	case f.simText == "" && f.simTextJSON != "":
		return fmt.Errorf("%w: --simtext-json needs --simtext", errUsage)
	case f.simText == "" && len(args) != 1:
		return fmt.Errorf("%w: eval needs exactly one RESULT (reuse scan --format json), got %d", errUsage, len(args))
	}
	return nil
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	var f evalFlags
	flags := newFlagSet("eval", evalUsage, exitEvalHelp, stdout)
	f.AddFlags(flags)
	if err := parseFlags(flags, args); err != nil {
		return false, err
	}
	if err := f.check(flags.Args()); err != nil {
		return false, err
	}
	truth, err := f.readTruth()
	if err != nil {
		return false, err
	}
	var res *result.Result
	if f.simText != "" {
		if res, err = eval.ReadSimTextFile(f.simText, f.corpus); err != nil {
			return false, err
		}
		if f.simTextJSON != "" {
			if err := atomicfile.Write(f.simTextJSON, func(w io.Writer) error { return result.WriteJSON(w, res) }); err != nil {
				return false, err
			}
		}
	} else if res, err = readResult(flags.Arg(0)); err != nil {
		return false, err
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}

	if _, err := truth.MatchResult(res); err != nil {
		return false, fmt.Errorf("%w: %v", errUsage, err)
	}
	// A result that holds none of the truth's documents scores 0 on every
	// measure: that is a mistake of the command line (the wrong result,
	// or a scan of the wrong folder), not a score; exit 1 says so.
	none := len(truth.Cases) > 0 && !truthInResult(truth, res)
	if none {
		fmt.Fprintf(stderr, "reuse: warning: no document of the truth is in the result: every score is 0 (scan the corpus folder itself, e.g. reuse scan DIR/corpus)\n")
	}
	scores := eval.Score(truth, res)
	return none, emit(f.output, stdout, func(w io.Writer) error {
		if f.format == "json" {
			b, err := json.MarshalIndent(scores, "", "  ")
			if err != nil {
				return err
			}
			_, err = w.Write(append(b, '\n'))
			return err
		}
		return scores.WriteText(w)
	})
}

// readTruth reads the truths (truth.json files or PAN XML folders with
// their texts), merged into one.
func (f *evalFlags) readTruth() (*eval.Truth, error) {
	var all *eval.Truth
	for _, path := range f.truths {
		t, err := f.readOneTruth(path)
		if err != nil {
			return nil, err
		}
		if all == nil {
			all = t
		} else {
			all.Merge(t)
		}
	}
	return all, nil
}

// readOneTruth reads a truth.json, or a PAN XML folder with its texts.
func (f *evalFlags) readOneTruth(path string) (*eval.Truth, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return eval.ReadTruth(path)
	}
	if f.corpus == "" {
		return nil, fmt.Errorf("%w: --truth %s is a PAN XML folder: --corpus must name the folder of its texts (offsets count characters)", errUsage, path)
	}
	return eval.ReadPANTruth(path, f.corpus)
}

// readResult reads a scan's JSON result from a file or "-" (stdin).
func readResult(name string) (*result.Result, error) {
	var res *result.Result
	var err error
	if name == "-" {
		if res, err = result.ReadJSON(os.Stdin); err != nil {
			err = fmt.Errorf("%v: %w", name, err)
		}
	} else {
		res, err = result.ReadFile(name)
	}
	if errors.Is(err, result.ErrFormat) || errors.Is(err, result.ErrSchema) {
		err = fmt.Errorf("%w (write one with reuse scan --format json)", err)
	}
	return res, err
}

// truthInResult reports whether any document that the truth names (after
// MatchResult gave them the result's ids) is in the result.
func truthInResult(t *eval.Truth, r *result.Result) bool {
	ids := map[string]bool{}
	for _, d := range r.Documents {
		ids[d.ID] = true
	}
	for _, p := range r.Pairs {
		ids[p.A], ids[p.B] = true, true
	}
	for _, d := range t.Documents {
		if ids[d.ID] {
			return true
		}
	}
	for _, c := range t.Cases {
		if ids[c.Source] || ids[c.Target] {
			return true
		}
	}
	return false
}
