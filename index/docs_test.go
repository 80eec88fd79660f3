package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/testctx"
	"github.com/reuse-tool/reuse/shingle"
)

// docsOf returns every document of x as a Doc.
func docsOf(t *testing.T, x *Index) []Doc {
	t.Helper()
	docs := make([]Doc, x.Len())
	for d := range docs {
		if err := x.Doc(uint32(d), &docs[d]); err != nil {
			t.Fatalf("Doc(%d) = %v", d, err)
		}
	}
	return docs
}

// TestFromDocs: an Index made of the Docs of another holds the same
// documents, in the same order, with the same texts, signatures, seeds,
// fingerprints, analyses for reworded reuse, postings and buckets,
// whatever order the Docs come in.
func TestFromDocs(t *testing.T) {
	x := build(t, Options{KeepFingerprints: true, Reword: true, ProseOnly: true}, exampleCorpus)
	docs := docsOf(t, x)
	repeated, analyzed := 0, 0
	for _, d := range docs {
		if len(d.Reworded) > 0 {
			analyzed++
		}
		if len(d.Fingerprints) < d.Distinct || d.Plain == (d.Text != nil) {
			t.Fatalf("Doc %q: %d fingerprints for %d distinct, plain %v with %d bytes of text", d.ID, len(d.Fingerprints), d.Distinct, d.Plain, len(d.Text))
		}
		if want := shingle.Repeats(nil, d.Fingerprints); !slices.Equal(d.Repeats, want) {
			t.Fatalf("Doc %q: Repeats %v, want %v (shingle.Repeats of its fingerprints)", d.ID, d.Repeats, want)
		}
		repeated += min(len(d.Repeats), 1)
	}
	if repeated == 0 {
		t.Fatal("no document holds a fingerprint twice: the test checks no Repeats")
	}
	if analyzed == 0 {
		t.Fatal("no document analyzed for reworded reuse: the test checks no Reworded")
	}
	slices.Reverse(docs)
	fromDocs, err := FromDocs(context.Background(), docs, Options{Reword: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fromDocs.Close()
	// FromDocsFunc, every Doc decoded into the one before it.
	var one Doc
	fromFunc, err := FromDocsFunc(context.Background(), func(yield func(*Doc) error) error {
		for d := x.Len() - 1; d >= 0; d-- {
			if err := x.Doc(uint32(d), &one); err != nil {
				return err
			}
			if err := yield(&one); err != nil {
				return err
			}
		}
		return nil
	}, Options{Reword: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fromFunc.Close()
	// Read once: reading them consumes them.
	ps := sortedPostings(loads(t, x, 1<<30, 2))
	bs, err := x.Buckets(context.Background(), 1<<20, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range []*Index{fromDocs, fromFunc} {
		fromIndex(t, x, y, ps, bs)
	}
}

// fromIndex compares y, made of x's Docs, with x, whose postings (sorted)
// and buckets are ps and bs.
func fromIndex(t *testing.T, x, y *Index, ps []postings.Posting, bs [][]uint32) {
	t.Helper()
	if y.Len() != x.Len() {
		t.Fatalf("FromDocs: %d documents, want %d", y.Len(), x.Len())
	}
	rx, ry := x.NewSeedReader(), y.NewSeedReader()
	for d := range uint32(x.Len()) {
		var a, b Doc
		if err := x.Doc(d, &a); err != nil {
			t.Fatal(err)
		}
		if err := y.Doc(d, &b); err != nil {
			t.Fatal(err)
		}
		if a.ID != b.ID || a.Path != b.Path || a.Date != b.Date || a.Bytes != b.Bytes || a.Words != b.Words ||
			a.Header != b.Header || a.Line != b.Line || a.Distinct != b.Distinct || a.Plain != b.Plain || a.CRC != b.CRC ||
			!slices.Equal(a.Seeds, b.Seeds) || !slices.Equal(a.Repeats, b.Repeats) || !slices.Equal(a.Fingerprints, b.Fingerprints) ||
			!slices.Equal(a.Signature, b.Signature) || string(a.Text) != string(b.Text) || !bytes.Equal(a.Reworded, b.Reworded) {
			t.Errorf("document %d (%s): Doc of FromDocs differs from the Doc it was made of", d, a.ID)
		}
		tx, errx := x.Text(d, nil)
		ty, erry := y.Text(d, nil)
		if errx != nil || erry != nil || string(tx) != string(ty) {
			t.Errorf("Text(%d): %v, %v, or the texts differ", d, errx, erry)
		}
		vx, _ := rx.View(d)
		tokx, _ := vx.Tokens(nil)
		vy, _ := ry.View(d)
		toky, _ := vy.Tokens(nil)
		if !slices.Equal(tokx, toky) {
			t.Errorf("document %d: tokens differ", d)
		}
	}
	if b := sortedPostings(loads(t, y, 1<<30, 2)); !slices.Equal(ps, b) {
		t.Errorf("postings differ: %d and %d", len(ps), len(b))
	}
	by, err := y.Buckets(context.Background(), 1<<20, 2)
	if err != nil || !slices.EqualFunc(bs, by, slices.Equal) {
		t.Errorf("buckets %v (%v), want %v", by, err, bs)
	}
}

// TestFromDocsBad: a Doc whose parts disagree is an error naming it,
// never a panic.
func TestFromDocsBad(t *testing.T) {
	x := build(t, Options{KeepFingerprints: true}, exampleCorpus)
	good := docsOf(t, x)[0]
	for _, tt := range []struct {
		name string
		mod  func(d *Doc)
	}{
		{"short seeds", func(d *Doc) { d.Seeds = d.Seeds[:len(d.Seeds)/2] }},
		{"more words", func(d *Doc) { d.Words += 100 }},
		{"signature", func(d *Doc) { d.Signature = d.Signature[:3] }},
		{"fingerprint order", func(d *Doc) { d.Fingerprints[0], d.Fingerprints[1] = d.Fingerprints[1], d.Fingerprints[0] }},
		{"fingerprint past the end", func(d *Doc) {
			d.Fingerprints = append(d.Fingerprints, shingle.Fingerprint{Pos: uint32(d.Words + 5)})
		}},
		{"text", func(d *Doc) { d.Plain, d.Text = false, []byte("short") }},
		{"negative", func(d *Doc) { d.Bytes = -1 }},
		{"repeats unpaired", func(d *Doc) { d.Repeats = []uint32{1} }},
		{"repeat past the end", func(d *Doc) { d.Repeats = []uint32{1, uint32(d.Words)} }},
		{"repeats out of order", func(d *Doc) { d.Repeats = []uint32{2, 3, 1, 3} }},
		{"repeat before its first", func(d *Doc) { d.Repeats = []uint32{2, 1} }},
	} {
		d := good
		d.Seeds = slices.Clone(good.Seeds)
		d.Fingerprints = slices.Clone(good.Fingerprints)
		d.Signature = slices.Clone(good.Signature)
		tt.mod(&d)
		y, err := FromDocs(context.Background(), []Doc{d}, Options{})
		if err == nil {
			y.Close()
		}
		if !errors.Is(err, ErrDoc) {
			t.Errorf("%s: FromDocs = %v, want ErrDoc", tt.name, err)
		}
	}
}

// FuzzDecodeFingerprints: a damaged record is an error, never a panic,
// and a record read back is written the same.
func FuzzDecodeFingerprints(f *testing.F) {
	f.Add(appendFingerprints(nil, []shingle.Fingerprint{{Pos: 3, Hash: 7}, {Pos: 300, Hash: 1 << 63}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, rec []byte) {
		fps, err := decodeFingerprints(nil, rec)
		if err != nil {
			return
		}
		if back, _ := decodeFingerprints(nil, appendFingerprints(nil, fps)); !slices.Equal(back, fps) && slices.IsSortedFunc(fps, func(a, b shingle.Fingerprint) int { return int(a.Pos) - int(b.Pos) }) {
			t.Errorf("round trip of %v gave %v", fps, back)
		}
	})
}

// TestPostingPlaces: a fingerprint's posting is flagged postings.Quoted
// where its whole shingle (5 tokens) lies inside one quotation, and a
// place past postings.Quoted is written as one the rules do not know.
func TestPostingPlaces(t *testing.T) {
	quotes := [][2]int32{{10, 20}, {30, 33}, {40, 60}}
	tests := []struct {
		pos  uint32
		want uint32
	}{
		{0, 0},
		{9, 9}, // starts before the quotation
		{10, 10 | postings.Quoted},
		{15, 15 | postings.Quoted}, // [15, 20): the quotation's last 5 tokens
		{16, 16},                   // reaches past it
		{30, 30},                   // a quotation of 3 tokens holds no shingle
		{41, 41 | postings.Quoted},
		{56, 56},
		{postings.Quoted + 7, postings.Quoted + 7 | 1<<31},
	}
	var fps []shingle.Fingerprint
	for _, tt := range tests {
		fps = append(fps, shingle.Fingerprint{Pos: tt.pos})
	}
	got := PostingPlaces(nil, fps, quotes, 5)
	for i, tt := range tests {
		if got[i] != tt.want {
			t.Errorf("PostingPlaces at %d = %#x, want %#x", tt.pos, got[i], tt.want)
		}
	}
}

// TestAddPostingsContext: adding a large document's postings looks at
// the context every 1<<18 of them, and gives up at the look that finds
// it done.
func TestAddPostingsContext(t *testing.T) {
	fps := make([]shingle.Fingerprint, 2<<18+5)
	for i := range fps {
		fps[i] = shingle.Fingerprint{Hash: uint64(i) * 0x9e3779b97f4a7c15, Pos: uint32(i)}
	}
	for _, tc := range []struct {
		n, looks int
		err      error
	}{
		{0, 2, nil},
		{2, 2, context.Canceled},
	} {
		ctx := testctx.NewDoneAfter(tc.n)
		err := addPostings(ctx, spool.NewPostings(0).NewWriter(), 0, fps, nil, len(fps)+4, len(fps)+4, 5, 3, &postingScratch{})
		if !errors.Is(err, tc.err) || ctx.Calls != tc.looks {
			t.Errorf("addPostings of %d, done from look %d = %v after %d looks, want %v after %d", len(fps), tc.n, err, ctx.Calls, tc.err, tc.looks)
		}
	}
}

// TestPostingArounds: each fingerprint's posting carries the digest of
// the words around its shingle (postings.Around) of its document's seeds,
// from Build and from FromDocs alike (TestFromDocs compares the two).
func TestPostingArounds(t *testing.T) {
	x := build(t, Options{}, exampleCorpus)
	seeds := map[uint32][]uint32{}
	for d := range uint32(x.Len()) {
		var doc Doc
		if err := x.Doc(d, &doc); err != nil {
			t.Fatal(err)
		}
		v, err := spool.NewSeedView(doc.Seeds, spool.SeedCount(doc.Words, x.SeedTokens()), doc.Words)
		if err != nil {
			t.Fatal(err)
		}
		seeds[d] = slices.Clone(v.Seeds(nil))
	}
	checked := 0
	for _, p := range sortedPostings(loads(t, x, 1<<30, 2)) {
		want := postings.Around(seeds[p.Doc], int(p.Pos&^postings.Quoted), x.ShingleTokens(), x.SeedTokens())
		if p.Around != want {
			t.Fatalf("posting %+v: Around %08x, want %08x", p, p.Around, want)
		}
		if want != 0 {
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no posting has words around it: the test checks nothing")
	}
}

// TestEachAhead: the Docs each hands its yield reach use in order, as
// copies, after check; the first error of each, check or use is
// returned, and use is not called after one.
func TestEachAhead(t *testing.T) {
	errEach, errCheck, errUse := errors.New("each"), errors.New("check"), errors.New("use")
	for _, tt := range []struct {
		name                         string
		eachFails, checkFails, fails int // at that document (-1: never)
		want                         error
	}{
		{"all", -1, -1, -1, nil},
		{"each fails", 30, -1, -1, errEach},
		{"check fails", -1, 17, -1, errCheck},
		{"use fails", -1, -1, 5, errUse},
		{"use fails first", 40, -1, 3, errUse},
	} {
		const n = 100
		each := func(yield func(d *Doc) error) error {
			var d Doc // one Doc, changed for each: use must get copies
			for i := range n {
				if i == tt.eachFails {
					return errEach
				}
				d.ID, d.Words, d.Seeds = fmt.Sprintf("d%03d", i), i, append(d.Seeds[:0], byte(i))
				if err := yield(&d); err != nil {
					return err
				}
			}
			return nil
		}
		check := func(d *Doc) error {
			if d.Words == tt.checkFails {
				return errCheck
			}
			return nil
		}
		var got []int
		use := func(d *Doc) error {
			if d.ID != fmt.Sprintf("d%03d", d.Words) || len(d.Seeds) != 1 || int(d.Seeds[0]) != d.Words {
				t.Fatalf("%s: document %d handed as %+v", tt.name, d.Words, d)
			}
			got = append(got, d.Words)
			if d.Words == tt.fails {
				return errUse
			}
			return nil
		}
		err := eachAhead(context.Background(), each, check, use)
		stop := n // the documents used
		for _, at := range []int{tt.eachFails, tt.checkFails, tt.fails} {
			if at == tt.fails && at >= 0 {
				at++ // used, then failed
			}
			if at >= 0 && at < stop {
				stop = at
			}
		}
		if !errors.Is(err, tt.want) || len(got) != stop || !slices.IsSorted(got) || len(got) > 0 && got[len(got)-1] != stop-1 {
			t.Errorf("%s: %v, used %d documents %v; want %v, the first %d in order", tt.name, err, len(got), got, tt.want, stop)
		}
	}
}
