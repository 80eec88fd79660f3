package corpus

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// Encodings of text inputs.
//
// Text is UTF-8 unless it says otherwise (a UTF-16 byte order mark) or
// cannot be UTF-8. Text that is not valid UTF-8 is decoded as follows:
//
//   - When most of its bytes above 0x7F form valid UTF-8 sequences, it is
//     UTF-8 with a few damaged bytes, kept byte for byte: the damaged bytes
//     match as separators. (A legacy 8-bit text almost never holds a valid
//     multi-byte UTF-8 sequence: é in Latin-1 is one byte, 0xE9, which
//     UTF-8 reads only as the start of a three-byte sequence.)
//   - Otherwise it is a legacy encoding: Options.Encoding when given, else
//     windows-1252, the WHATWG Encoding Standard's fallback for text with
//     no declared encoding in Western locales (it covers ISO-8859-1, which
//     the standard maps to it, and adds the typographic quotes and dashes
//     of 0x80–0x9F). A guess is reported as a notice (ErrEncodingGuessed).
//
// Decoding with golang.org/x/text's tables allocates the decoded text once.

// ErrEncodingGuessed is the notice for an input that was not UTF-8 and was
// decoded by guess. The input was read: IsNotice reports it as a notice.
var ErrEncodingGuessed = errors.New("corpus: not UTF-8, encoding guessed")

// ErrEncoding reports an encoding name that LookupEncoding does not know.
var ErrEncoding = errors.New("corpus: unknown encoding")

// guessed is ErrEncodingGuessed with the encoding chosen in its message.
type guessed struct {
	name     string
	nonLatin bool // most of the non-ASCII bytes stand in runs, as in a non-Latin script
}

func (g *guessed) Error() string {
	msg := "corpus: not UTF-8; read as " + g.name + " (a guess: if accented letters look wrong, name the encoding with --encoding"
	if g.nonLatin {
		msg += "; the text looks like a non-Latin script, e.g. --encoding windows-1251, koi8-r, shift_jis or gbk"
	}
	return msg + ")"
}

func (g *guessed) Is(target error) bool { return target == ErrEncodingGuessed }

// LookupEncoding returns the encoding named by label, any label of the
// WHATWG Encoding Standard, ignoring case: "utf-8", "latin1" and
// "iso-8859-1" (both windows-1252, as the standard says), "windows-1250",
// "iso-8859-2", "windows-1251", "koi8-r", "shift_jis", "gbk", .... UTF-8
// gives a nil Encoding: text is kept as it is.
func LookupEncoding(label string) (encoding.Encoding, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	if l == "" || l == "utf-8" || l == "utf8" {
		return nil, nil
	}
	e, err := htmlindex.Get(l)
	if err != nil {
		return nil, fmt.Errorf("%w %q (want a name such as utf-8, latin1, windows-1252, iso-8859-2, windows-1251 or shift_jis)", ErrEncoding, label)
	}
	if name, _ := htmlindex.Name(e); name == "utf-8" {
		return nil, nil
	}
	return e, nil
}

// mostlyUTF8 reports whether most of the bytes of data above 0x7F belong
// to valid multi-byte UTF-8 sequences.
func mostlyUTF8(data []byte) bool {
	good, bad := 0, 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		} else {
			good += n
		}
		i += n
	}
	return good > bad
}

// nonLatinRuns reports whether most of the bytes above 0x7F of data stand
// in runs of three or more, as the letters of a word in a Cyrillic, Greek
// or East Asian legacy encoding do; in Western text they are accented
// letters between ASCII ones.
func nonLatinRuns(data []byte) bool {
	high, inRuns, run := 0, 0, 0
	for i := 0; i <= len(data); i++ {
		if i < len(data) && data[i] >= utf8.RuneSelf {
			high++
			run++
			continue
		}
		if run >= 3 {
			inRuns += run
		}
		run = 0
	}
	return high > 0 && inRuns*2 > high
}

// decodeLegacy decodes data that is not valid UTF-8, as the rules above
// say. It reports whether it decoded (else d is data), and returns a
// notice (nil when none) to report for the input.
func (r *reader) decodeLegacy(data []byte) (d []byte, decoded bool, notice error) {
	if utf8.Valid(data) {
		return data, false, nil
	}
	enc := r.enc
	if !r.encSet {
		if mostlyUTF8(data) {
			return data, false, nil
		}
		enc = charmap.Windows1252
		notice = &guessed{name: "windows-1252", nonLatin: nonLatinRuns(data)}
	}
	if enc == nil { // --encoding utf-8: keep the bytes
		return data, false, nil
	}
	d, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return data, false, nil
	}
	return d, true, notice
}
