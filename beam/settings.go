package reusebeam

import (
	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/corpus"
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

	// Corpus options (corpus.Options, less its functions).
	IDField, TextField, DateField string
	MaxBytes                      int64
	Exclude, Include              []string
	Encoding                      string
}

// options returns the scan's options.
func (s Settings) options() reuse.Options {
	return reuse.Options{
		Shingle: s.Shingle, Window: s.Window, MinWords: s.MinWords,
		Threshold: s.Threshold, MaxDF: s.MaxDF, Workers: 1, Memory: 1 << 20,
		Corpus: s.corpus(),
	}
}

func (s Settings) corpus() corpus.Options {
	return corpus.Options{
		IDField: s.IDField, TextField: s.TextField, DateField: s.DateField,
		MaxBytes: s.MaxBytes, Exclude: s.Exclude, Include: s.Include, Encoding: s.Encoding,
	}
}

// stages returns the scan's stages for s; the settings are checked when
// the pipeline is built, so that workers do not fail on them.
func (s Settings) stages() *reuse.Stages {
	st, err := reuse.NewStages(s.options())
	if err != nil {
		panic(err)
	}
	return st
}

// Check reports settings out of range, as reuse.Scan would.
func (s Settings) Check() error {
	if _, err := reuse.NewStages(s.options()); err != nil {
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
