package reword

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/testctx"
)

func TestDocRoundTrip(t *testing.T) {
	for _, text := range []string{
		"",
		"One.",
		"The harbour board met on Tuesday. It approved the plans for a new pier, said the chairman.\n\nNothing else.",
		string(make([]byte, 0)) + "a b c d e f g h i j k l m n o p q r s t u v w x y z " + "word words wording worded " + "x",
	} {
		_, d := analyze(text)
		rec := AppendDoc(nil, d)
		got, err := ReadDoc(Doc{}, rec)
		if err != nil {
			t.Fatalf("ReadDoc(AppendDoc(%q)): %v", text, err)
		}
		if !slices.Equal(got.Terms, d.Terms) || !slices.Equal(got.Vocab, d.Vocab) || !slices.Equal(got.Sentences, d.Sentences) {
			t.Errorf("ReadDoc(AppendDoc(%q)) = %+v, want %+v", text, got, d)
		}
	}
	// Docs that break the invariants survive the trip too.
	odd := Doc{Terms: []uint32{0, 1 << 31, 300, 5}, Vocab: []uint32{7, 0, 7}, Sentences: []int32{3, -2, 1 << 30}}
	got, err := ReadDoc(Doc{}, AppendDoc(nil, odd))
	if err != nil || !slices.Equal(got.Terms, odd.Terms) || !slices.Equal(got.Vocab, odd.Vocab) || !slices.Equal(got.Sentences, odd.Sentences) {
		t.Errorf("ReadDoc(AppendDoc(%+v)) = %+v, %v", odd, got, err)
	}
}

func FuzzReadDoc(f *testing.F) {
	_, d := analyze("The harbour board met on Tuesday. It approved the plans, said the chairman.")
	f.Add(AppendDoc(nil, d))
	f.Add([]byte{1, 0, 0, 0})
	f.Add([]byte{1, 255, 255, 255, 255, 15, 0, 0})
	f.Add(AppendDoc(nil, Doc{Terms: []uint32{0, 127, 128, 300, 16383, 16384, 1<<32 - 1}, Vocab: []uint32{1}, Sentences: []int32{0}}))
	f.Add([]byte{1, 3, 0, 0, 0x80, 0x00, 0xff, 0x7f, 0x05}) // terms written in more bytes than needed
	f.Fuzz(func(t *testing.T, rec []byte) {
		d, err := ReadDoc(Doc{}, rec)
		if want, wantErr := readDocReference(rec); (err != nil) != (wantErr != nil) ||
			err == nil && (!slices.Equal(d.Terms, want.Terms) || !slices.Equal(d.Vocab, want.Vocab) || !slices.Equal(d.Sentences, want.Sentences)) {
			t.Fatalf("ReadDoc(%x) = %+v, %v; the reference decodes %+v, %v", rec, d, err, want, wantErr)
		}
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("ReadDoc: %v, want ErrCorrupt", err)
			}
			return
		}
		// What decodes survives a round trip, and is safe to use.
		again, err := ReadDoc(Doc{}, AppendDoc(nil, d))
		if err != nil || !slices.Equal(again.Terms, d.Terms) || !slices.Equal(again.Vocab, d.Vocab) ||
			!slices.Equal(again.Sentences, d.Sentences) {
			t.Fatalf("ReadDoc(AppendDoc(ReadDoc(%x))) = %+v, %v; want %+v", rec, again, err, d)
		}
		al := NewAligner(Options{})
		al.SetA(d)
		checkPassages(t, al.Align(nil, d), len(d.Terms), len(d.Terms))
		NewKeyer(KeyOptions{}).Keys(nil, d)
	})
}

// readDocReference is ReadDoc decoding every number with
// encoding/binary, as obviously as it can, for FuzzReadDoc.
func readDocReference(rec []byte) (Doc, error) {
	if len(rec) == 0 || rec[0] != docVersion {
		return Doc{}, ErrCorrupt
	}
	r := rec[1:]
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(r)
		if n <= 0 {
			return 0, false
		}
		r = r[n:]
		return v, true
	}
	tokens, ok1 := next()
	vocab, ok2 := next()
	sentences, ok3 := next()
	if !ok1 || !ok2 || !ok3 || vocab > uint64(len(r))/4 || tokens > uint64(len(r)) || sentences > uint64(len(r)) ||
		4*vocab+tokens+sentences > uint64(len(r)) || tokens > 1<<31 {
		return Doc{}, ErrCorrupt
	}
	var d Doc
	for range vocab {
		d.Vocab = append(d.Vocab, binary.LittleEndian.Uint32(r))
		r = r[4:]
	}
	prev := int64(0)
	for range sentences {
		v, n := binary.Varint(r)
		if n <= 0 {
			return Doc{}, ErrCorrupt
		}
		if prev += v; prev < -1<<31 || prev > 1<<31-1 {
			return Doc{}, ErrCorrupt
		}
		d.Sentences, r = append(d.Sentences, int32(prev)), r[n:]
	}
	for range tokens {
		v, ok := next()
		if !ok || v > 1<<32-1 {
			return Doc{}, ErrCorrupt
		}
		d.Terms = append(d.Terms, uint32(v))
	}
	if len(r) != 0 {
		return Doc{}, ErrCorrupt
	}
	return d, nil
}

// TestReadDocOrNone: an empty record is a document not analyzed, an
// empty Doc; any other is ReadDoc's.
func TestReadDocOrNone(t *testing.T) {
	_, d := analyze("The harbour board met on Tuesday. It approved the plans for a new pier.")
	got, err := ReadDocOrNone(d, nil)
	if err != nil || len(got.Terms)+len(got.Vocab)+len(got.Sentences) != 0 {
		t.Errorf("ReadDocOrNone(nil) = %+v, %v; want an empty Doc", got, err)
	}
	if got, err := ReadDocOrNone(Doc{}, AppendDoc(nil, d)); err != nil || !slices.Equal(got.Terms, d.Terms) {
		t.Errorf("ReadDocOrNone(a record) = %+v, %v; want %+v", got, err, d)
	}
	if _, err := ReadDocOrNone(Doc{}, []byte{0xff}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("ReadDocOrNone(a bad record) = %v, want ErrCorrupt", err)
	}
}

// TestCheckRecord: a record checks against its own document's number of
// tokens, not another's, and a damaged one does not.
func TestCheckRecord(t *testing.T) {
	toks, d := analyze("The harbour board met on Tuesday. It approved the plans for a new pier.")
	rec := AppendDoc(nil, d)
	if err := CheckRecord(rec, len(toks)); err != nil {
		t.Errorf("CheckRecord of its own document: %v", err)
	}
	if err := CheckRecord(rec, len(toks)+1); !errors.Is(err, ErrCorrupt) {
		t.Errorf("CheckRecord of another length: %v, want ErrCorrupt", err)
	}
	if err := CheckRecord(rec[:len(rec)-1], len(toks)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("CheckRecord of a cut record: %v, want ErrCorrupt", err)
	}
}

// FuzzReadDocNear: ReadDocNear reads what ReadDoc reads of the sentences
// within radius sentences of the tokens asked for, and every other token
// as ReadDoc does or as a stop word; it never panics.
func FuzzReadDocNear(f *testing.F) {
	_, d := analyze("The harbour board met on Tuesday. It approved the plans, said the chairman. " +
		"Nothing else was decided. The next meeting is in May, when the pier opens. Everyone came.")
	f.Add(AppendDoc(nil, d), int32(0), 0)
	f.Add(AppendDoc(nil, d), int32(14), 1)
	f.Add(AppendDoc(nil, d), int32(-3), 2)
	f.Add(AppendDoc(nil, Doc{Terms: []uint32{300, 1, 2, 70000, 3}, Vocab: []uint32{1, 2, 3}, Sentences: []int32{0, 2, 4}}), int32(2), 0)
	f.Fuzz(func(t *testing.T, rec []byte, at int32, radius int) {
		radius %= 64
		got, err := ReadDocNear(Doc{}, rec, []int32{at}, radius)
		want, wantErr := ReadDoc(Doc{}, rec)
		if wantErr != nil {
			return // ReadDocNear trusts what it skips: no promise but no panic
		}
		if err != nil {
			t.Fatalf("ReadDocNear: %v; ReadDoc reads it", err)
		}
		if !slices.Equal(got.Vocab, want.Vocab) || !slices.Equal(got.Sentences, want.Sentences) || len(got.Terms) != len(want.Terms) {
			t.Fatalf("ReadDocNear = %+v, ReadDoc = %+v", got, want)
		}
		for i, x := range got.Terms {
			if x != want.Terms[i] && x != NoTerm {
				t.Fatalf("term %d = %d, ReadDoc %d", i, x, want.Terms[i])
			}
		}
		// The sentence holding at, and those within radius of it, in full.
		held := -1
		for i := range want.Sentences {
			if from, _ := want.Sentence(i); from <= at && slices.IsSorted(want.Sentences) {
				held = i
			}
		}
		if held < 0 || !slices.IsSorted(want.Sentences) {
			return
		}
		for i := max(held-radius, 0); i <= min(held+radius, len(want.Sentences)-1); i++ {
			from, to := want.Sentence(i)
			if !slices.Equal(got.Terms[from:to], want.Terms[from:to]) {
				t.Fatalf("sentence %d (%d tokens from %d, radius %d): %v, ReadDoc %v", i, to-from, at, radius, got.Terms[from:to], want.Terms[from:to])
			}
		}
	})
}

// TestReadDocNearNoPlaces: with no tokens to read near, ReadDocNear
// reads the whole Doc, as ReadDoc.
func TestReadDocNearNoPlaces(t *testing.T) {
	_, d := analyze("The harbour board met on Tuesday. It approved the plans. Nothing else was decided. The pier opens in May.")
	got, err := ReadDocNear(Doc{}, AppendDoc(nil, d), nil, 0)
	if err != nil || !slices.Equal(got.Terms, d.Terms) || !slices.Equal(got.Sentences, d.Sentences) {
		t.Errorf("ReadDocNear(rec, no places) = %+v, %v; want %+v", got, err, d)
	}
}

// TestSkipVarints checks the skip of varints eight bytes at a time
// against one byte at a time.
func TestSkipVarints(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		var rec []byte
		for range r.IntN(40) {
			rec = binary.AppendUvarint(rec, r.Uint64N(1<<uint(r.IntN(36))))
		}
		if r.IntN(4) == 0 {
			rec = append(rec, 0x80|byte(r.IntN(128))) // a varint cut short
		}
		for pos := 0; pos <= len(rec); pos++ {
			for n := 0; n <= 45; n++ {
				want := pos
				for left := n; left > 0; want++ {
					if want == len(rec) {
						want = -1
						break
					}
					if rec[want] < 0x80 {
						left--
					}
				}
				if got := skipVarints(rec, pos, n); got != want {
					t.Fatalf("skipVarints(%x, %d, %d) = %d, want %d", rec, pos, n, got, want)
				}
			}
		}
	}
}

// TestAppendDocContext: the record of a large Doc looks at the context
// every checkTokens terms, gives up at the look that finds it done, and
// is otherwise a record ReadDoc reads back whole.
func TestAppendDocContext(t *testing.T) {
	const n = 2*checkTokens + 3
	d := Doc{Terms: make([]uint32, n), Vocab: make([]uint32, 300)}
	for i := range d.Vocab {
		d.Vocab[i] = uint32(7*i + 1)
	}
	for i := range d.Terms {
		d.Terms[i] = uint32(i % 301) // 0 (a stop word) to len(Vocab)
		if i%17 == 0 {
			d.Sentences = append(d.Sentences, int32(i))
		}
	}
	ctx := testctx.NewDoneAfter(0)
	rec, err := AppendDocContext(ctx, []byte("head"), d)
	if err != nil || ctx.Calls != 2 {
		t.Fatalf("AppendDocContext of %d terms = %v after %d looks, want nil after 2", n, err, ctx.Calls)
	}
	got, err := ReadDoc(Doc{}, rec[len("head"):])
	if err != nil || !slices.Equal(got.Terms, d.Terms) || !slices.Equal(got.Vocab, d.Vocab) || !slices.Equal(got.Sentences, d.Sentences) {
		t.Fatalf("ReadDoc of AppendDocContext's record: %v, or not the Doc given", err)
	}
	if string(rec[:len("head")]) != "head" {
		t.Errorf("AppendDocContext changed dst's bytes")
	}
	ctx = testctx.NewDoneAfter(2)
	if _, err := AppendDocContext(ctx, nil, d); !errors.Is(err, context.Canceled) || ctx.Calls != 2 {
		t.Errorf("AppendDocContext, done at look 2 = %v after %d looks, want context.Canceled after 2", err, ctx.Calls)
	}
}
