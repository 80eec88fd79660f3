package reword

import (
	"errors"
	"slices"
	"testing"
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
	f.Fuzz(func(t *testing.T, rec []byte) {
		d, err := ReadDoc(Doc{}, rec)
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
