package reuse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
)

// IndexOptions configure CreateIndex and AddToIndex.
type IndexOptions struct {
	// Options are stage 1's: Shingle, Window, Threshold and Reworded
	// (fixed when the index is created, the index's own afterwards:
	// setting others is an error), Workers, Memory, Corpus, Warn and
	// Progress. An index holds what a default check needs, the analyses
	// of prose for reworded reuse included; made with Reworded, what a
	// check needs to find what a scan with Reworded finds: every
	// document's analysis and the keys of reworded sentences
	// (archive.Params.Reworded). Exact is an error (ErrOptions).
	Options
	// Root is, for CreateIndex, the folder that documents' ids and paths
	// count from (default: the folder holding every input, the input
	// itself when it is one folder). A document inside it has the id a
	// scan of Root would give it, and its path is kept relative to Root,
	// so that the archive may move (archive.Options.Root).
	Root string
	// Replace makes AddToIndex replace the documents whose ids the index
	// holds; otherwise those new documents are left out, with a warning.
	Replace bool
}

// IndexResult counts what CreateIndex or AddToIndex did.
type IndexResult struct {
	Added    int // documents added (replacements included)
	Replaced int // documents of the index replaced
	// Skipped counts inputs that could not be read, and documents left
	// out because their id was taken.
	Skipped   int
	Documents int   // documents in the index afterwards
	Bytes     int64 // text added
	// Joins is what AddToIndex did to the joins of the boilerplate kept
	// beside the index (reuse index align): brought up to date with the
	// documents added, so that checks join by them.
	Joins JoinsGrown
}

// CreateIndex makes a new archive index in the folder dir (which must not
// exist, or be empty) of the documents named by inputs. If it fails, it
// leaves no index behind.
func CreateIndex(ctx context.Context, dir string, inputs []string, opt IndexOptions) (IndexResult, error) {
	if err := opt.Options.indexable(); err != nil {
		return IndexResult{}, err
	}
	o, err := opt.Options.WithDefaults()
	if err != nil {
		return IndexResult{}, err
	}
	root := opt.Root
	if root == "" {
		root = corpus.CommonFolder(inputs)
	}
	b, r := cluster.Bands(signatureSize, cluster.OverlapJaccard(o.Threshold))
	p := archive.Params{Shingle: o.Shingle, Window: o.Window, Seed: seedTokens, Signature: signatureSize, Threshold: o.Threshold, Bands: b, Rows: r, Reworded: o.Reworded}
	_, statErr := os.Stat(dir)
	w, err := archive.Create(dir, root, p)
	if err != nil {
		return IndexResult{}, err
	}
	res, err := addIndex(ctx, w, dir, inputs, o, opt.Replace)
	if err != nil {
		w.Close()
		removeIndex(dir, statErr != nil)
		return res, err
	}
	return res, w.Close()
}

// AddToIndex adds the documents named by inputs to the archive index in
// dir, as one new segment.
func AddToIndex(ctx context.Context, dir string, inputs []string, opt IndexOptions) (IndexResult, error) {
	if err := opt.Options.indexable(); err != nil {
		return IndexResult{}, err
	}
	w, err := archive.OpenWriter(dir)
	if err != nil {
		return IndexResult{}, err
	}
	defer w.Close()
	o, err := opt.Options.withIndex(w.Index().Params())
	if err != nil {
		return IndexResult{}, err
	}
	return addIndex(ctx, w, dir, inputs, o, opt.Replace)
}

// addIndex runs stage 1 on inputs and adds the documents through w. Files
// inside the index's folder are left out.
func addIndex(ctx context.Context, w *archive.Writer, dir string, inputs []string, o Options, replace bool) (IndexResult, error) {
	s := &scan{opt: o}
	s.opt.Corpus.IDRoot = w.Index().Root()
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return IndexResult{}, err
	}
	prev := s.opt.Corpus.Skip
	s.opt.Corpus.Skip = func(path string) bool {
		if abs, err := filepath.Abs(path); err == nil && corpus.Within(absDir, abs) {
			return true
		}
		return prev != nil && prev(path)
	}
	s.opt.Progress.setPhase(PhaseReading)
	x, err := index.Build(ctx, inputs, s.indexOptions(true))
	if err != nil {
		return IndexResult{}, err
	}
	defer x.Close()
	var bytes int64
	for d := range uint32(x.Len()) {
		bytes += int64(x.Bytes(d))
	}
	s.opt.Progress.setPhase(PhaseWriting)
	// The boilerplate's joins kept beside the index are brought up to
	// date before segments are merged, which carry them over.
	var joins JoinsGrown
	w.SetJoinsRenumber(renumberJoins)
	st, err := w.Add(ctx, x, archive.AddOptions{
		Replace: replace, LoadBytes: s.opt.loadBytes(), Workers: s.opt.Workers,
		Warn: s.warn,
		Added: func(w *archive.Writer) error {
			var err error
			if joins, err = growJoins(ctx, w, s.opt.Window); err != nil {
				return fmt.Errorf("reuse: documents added, but the joins of the boilerplate kept beside the index not brought up to date: %w", err)
			}
			return nil
		},
	})
	res := IndexResult{Added: st.Added, Replaced: st.Replaced, Skipped: s.skippedSoFar(), Documents: w.Index().Len(), Bytes: bytes, Joins: joins}
	if err != nil {
		return res, err
	}
	s.opt.Progress.setPhase(PhaseDone)
	return res, nil
}

// indexable refuses the options an archive index cannot honour: Exact
// (it holds what a default check needs, whatever a check asks later), and
// Weighted (it does not keep the table of shingle frequencies yet).
func (o Options) indexable() error {
	if o.Weighted {
		return fmt.Errorf("%w: weighted: an index does not keep the table of shingle frequencies yet", ErrOptions)
	}
	if o.Exact {
		return fmt.Errorf("%w: exact: an archive index holds what a default check needs; reuse check --exact finds exact passages only", ErrOptions)
	}
	return nil
}

// removeIndex removes what a failed CreateIndex made in dir: the folder
// itself when made, else its files.
func removeIndex(dir string, made bool) {
	if made {
		os.RemoveAll(dir)
		return
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// RemoveFromIndex removes the documents of ids from the archive index in
// dir (archive.Writer.Remove: they no longer appear in results or count
// in frequencies) and brings the boilerplate's joins kept beside it up
// to date (growJoins). It returns the ids the index does not hold.
func RemoveFromIndex(ctx context.Context, dir string, ids []string) (missing []string, joins JoinsGrown, err error) {
	w, err := archive.OpenWriter(dir)
	if err != nil {
		return nil, joins, err
	}
	defer w.Close()
	if missing, err = w.Remove(ids); err != nil {
		return missing, joins, err
	}
	if joins, err = growJoins(ctx, w, w.Index().Params().Window); err != nil {
		return missing, joins, fmt.Errorf("reuse: documents removed, but the joins of the boilerplate kept beside the index not brought up to date: %w", err)
	}
	return missing, joins, nil
}

// CompactIndex merges every segment of the archive index in dir into one
// (archive.Writer.Compact), reclaiming the space of removed documents,
// and carries the boilerplate's joins kept beside it over (they hold for
// its documents whatever its segments); the alignments and the clusters
// kept with them are left stale.
func CompactIndex(ctx context.Context, dir string) error {
	w, err := archive.OpenWriter(dir)
	if err != nil {
		return err
	}
	defer w.Close()
	w.SetJoinsRenumber(renumberJoins)
	return w.Compact(ctx)
}
