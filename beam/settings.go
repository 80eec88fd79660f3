package reusebeam

import (
	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/shingle"
)

// Settings are the scan's options as the pipeline's workers receive them:
// plain fields, serialized with the DoFns. The zero value gives the
// defaults of reuse.Options.
type Settings struct {
	Shingle, Window, MinWords int
	Threshold                 float64
	MaxDF                     int
	// PassageText puts each passage's text, on both sides, into the result
	// (reuse.Options.PassageText; always for JSONL output, as reuse scan).
	PassageText bool
	// Exact finds exact passages only (reuse.Options.Exact): documents are
	// not analyzed for reworded reuse.
	Exact bool
	// Reworded analyzes every document and pairs documents by their
	// reworded keys too (reuse.Options.Reworded): a second shuffle, of
	// the keys, whose candidates join the fingerprints' (candidate.Merge).
	Reworded bool
	// Pairs, when not nil, lists the only pairs of documents to compare,
	// by id, each aligned whole (reuse.Options.Pairs: PAN's text
	// alignment task); every document is analyzed for reworded reuse,
	// and no reworded keys are made.
	Pairs [][2]string

	// Corpus options (corpus.Options, less its functions).
	IDField, TextField, DateField string
	MaxBytes                      int64
	Exclude, Include              []string
	Encoding                      string
}

// scanOptions returns the scan's options, as given.
func (s Settings) scanOptions() reuse.Options {
	return reuse.Options{
		Shingle: s.Shingle, Window: s.Window, MinWords: s.MinWords,
		Threshold: s.Threshold, MaxDF: s.MaxDF, Workers: 1, Memory: 1 << 20,
		PassageText: s.PassageText, Corpus: s.corpus(), Exact: s.Exact, Reworded: s.Reworded, Pairs: s.Pairs,
	}
}

// options returns the scan's options, defaults filled in
// (reuse.Options.WithDefaults). The settings are checked when the
// pipeline is built (Check), so that workers do not fail on them.
func (s Settings) options() reuse.Options {
	opt, err := s.scanOptions().WithDefaults()
	if err != nil {
		panic(err)
	}
	return opt
}

// indexOptions are stage 1's options, as reuse.Scan gives them to
// index.Build: the analyzer's (reuse.Options.AnalyzerOptions: the
// aligner's seed tokens and the signature size are the scan's) and the
// threshold that cuts signatures into LSH bands (index.Options.Bands).
func (s Settings) indexOptions() index.Options {
	opt := s.options()
	return index.Options{
		Analyzer:  shingle.NewAnalyzer(opt.AnalyzerOptions()).Options(),
		Threshold: opt.Threshold,
	}
}

// rules are the pairing rules of stage 2.
func (s Settings) rules() candidate.Rules {
	opt := s.options()
	return candidate.RulesFor(opt.MinWords, opt.Shingle, opt.MaxDF)
}

func (s Settings) corpus() corpus.Options {
	return corpus.Options{
		IDField: s.IDField, TextField: s.TextField, DateField: s.DateField,
		MaxBytes: s.MaxBytes, Exclude: s.Exclude, Include: s.Include, Encoding: s.Encoding,
	}
}

// Check reports settings out of range, as reuse.Scan would.
func (s Settings) Check() error {
	if _, err := s.scanOptions().WithDefaults(); err != nil {
		return err
	}
	if err := corpus.CheckPatterns(s.Exclude); err != nil {
		return err
	}
	if err := corpus.CheckPatterns(s.Include); err != nil {
		return err
	}
	if s.Encoding != "" {
		if _, err := corpus.LookupEncoding(s.Encoding); err != nil {
			return err
		}
	}
	return nil
}
