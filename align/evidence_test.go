package align

import (
	"testing"

	"github.com/reuse-tool/reuse/candidate"
)

// TestEvidenceKeep: the rules of Evidence.Keep, one case each, for
// documents 0 (A) and 1 (B) with MinWords 9 and shingles of 5 tokens.
// Document 0's tokens [100, 110) are boilerplate in every case that says
// so (widened by 2 tokens: [98, 112)).
func TestEvidenceKeep(t *testing.T) {
	span := func(start, end int32) Span {
		return Span{AStart: start, AEnd: end, BStart: start + 500, BEnd: end + 500, Matched: end - start}
	}
	tests := []struct {
		name   string
		sp     Span
		boil   bool
		rareA  []candidate.RareEntry // document 0's rare fingerprints
		shared []candidate.Anchor    // the fingerprints the pair shares
		want   bool
	}{
		{"long passage", span(0, 18), false, nil, nil, true},
		{"short passage, no rare fingerprint", span(0, 12), false, nil, nil, false},
		{"short passage, a fingerprint of 6 documents (12/2)", span(0, 12), false, []candidate.RareEntry{{Pos: 3, DF: 6}}, nil, true},
		{"short passage, a fingerprint of 7 documents", span(0, 12), false, []candidate.RareEntry{{Pos: 3, DF: 7}}, nil, false},
		{"short passage, the rare shingle reaching past it", span(0, 12), false, []candidate.RareEntry{{Pos: 8, DF: 2}}, nil, false},
		{"long passage, 9 words outside boilerplate", span(89, 112), true, nil, nil, true},
		{"long passage, 8 words outside boilerplate", span(90, 112), true, nil, nil, false},
		// Beside boilerplate with a shared fingerprint of the pair alone,
		// wholly outside it on both sides ([93, 98) and [593, 598)).
		{"beside boilerplate: a fingerprint of the pair alone outside it", span(90, 112), true, nil, []candidate.Anchor{{PosA: 93, PosB: 593, DF: 2}}, true},
		{"beside boilerplate: a shared fingerprint of 3 documents", span(90, 112), true, nil, []candidate.Anchor{{PosA: 93, PosB: 593, DF: 3}}, false},
		{"beside boilerplate: the pair's fingerprint reaching into it", span(90, 112), true, nil, []candidate.Anchor{{PosA: 94, PosB: 594, DF: 2}}, false},
		{"beside boilerplate: the pair's fingerprint outside the passage", span(90, 112), true, nil, []candidate.Anchor{{PosA: 80, PosB: 580, DF: 2}}, false},
		{"beside boilerplate: the pair's fingerprint at a repeated place", span(90, 112), true, nil, []candidate.Anchor{{PosA: 93 | candidate.Repeated, PosB: 593, DF: 2}}, false},
		{"beside boilerplate: a rare fingerprint of A alone is not the pair's", span(93, 112), true, []candidate.RareEntry{{Pos: 93, DF: 2}}, nil, false},
	}
	for _, tt := range tests {
		e := Evidence{MinWords: 9, Shingle: 5, Rare: candidate.RareOf([][]candidate.RareEntry{tt.rareA, nil})}
		if tt.boil {
			e.AddBoilerplate(0, Range{Start: 100, End: 110}, 2)
			e.AddBoilerplate(1, Range{Start: 600, End: 610}, 2)
		}
		got := len(e.Keep(0, 1, []Span{tt.sp}, tt.shared)) == 1
		if got != tt.want {
			t.Errorf("%s: kept %v, want %v", tt.name, got, tt.want)
		}
	}
}
