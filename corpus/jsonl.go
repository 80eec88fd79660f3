package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/text/encoding/unicode"
)

// jsonl reads one document per line of rd: a JSON object whose text field
// (opts.TextField, default "text") is the document's text, with an optional
// id (a string or a number) and date. Blank lines are skipped; a bad line
// goes to warn, as *Error with its line number, and reading goes on. Lines
// are read one at a time, each up to opts.MaxBytes.
func (r *reader) jsonl(it item, rd io.Reader) error { return r.jsonlFrom(it, rd, 1) }

// jsonlFrom is jsonl for the part of a file that starts at line first: the
// head is checked for UTF-16 and binary content only at line 1.
func (r *reader) jsonlFrom(it item, rd io.Reader, first int) error {
	idField, textField, dateField := r.opts.IDField, r.opts.TextField, r.opts.DateField
	if idField == "" {
		idField = "id"
	}
	if textField == "" {
		textField = "text"
	}
	if dateField == "" {
		dateField = "date"
	}

	br := bufio.NewReaderSize(rd, 64<<10)
	if first == 1 {
		head, _ := br.Peek(binarySniff)
		if utf16BOM(head) {
			// UTF-16: decode as a stream, the BOM tells the byte order.
			dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
			br = bufio.NewReaderSize(dec.Reader(br), 64<<10)
			head, _ = br.Peek(binarySniff)
		}
		if isBinary(head) {
			return &Error{Path: it.errPath, Err: binaryKind(it.errPath, head)}
		}
	}
	noticed := false // the encoding guess is reported once per file

	max := r.opts.MaxBytes
	var line []byte
	for n := first; ; n++ {
		if n%256 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
		}
		var tooLong bool
		var err error
		line, tooLong, err = readLine(br, line[:0], max)
		if err != nil && err != io.EOF {
			return &Error{Path: it.errPath, Line: n, Err: err}
		}
		if !tooLong {
			// A record that is not UTF-8 is decoded before its JSON is
			// read: the JSON decoder would drop its letters.
			var notice error
			if line, _, notice = r.decodeLegacy(line); notice != nil && !noticed {
				noticed = true
				r.warn(&Error{Path: it.errPath, Line: n, Err: notice})
			}
		}
		if tooLong {
			r.warn(&Error{Path: it.errPath, Line: n, Err: &limitError{what: "line", max: max}})
		} else if doc, rerr := record(line, n, it, idField, textField, dateField); rerr != nil {
			r.warn(&Error{Path: it.errPath, Line: n, Err: rerr})
		} else if doc != nil {
			if err := r.emit(*doc); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

func utf16BOM(head []byte) bool {
	return len(head) >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF)
}

// readLine appends the next line of br, without its end of line, to buf. A
// line longer than max is read through and dropped, with tooLong set. err is
// io.EOF at the end of the input.
func readLine(br *bufio.Reader, buf []byte, max int64) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if int64(len(buf)+len(chunk)) > max+2 { // +2 for "\r\n"
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		if int64(len(buf)) > max {
			tooLong, buf = true, buf[:0]
		}
		return buf, tooLong, err
	}
}

// record turns one JSONL line into a document; nil, nil for a blank line.
func record(line []byte, n int, it item, idField, textField, dateField string) (*Doc, error) {
	if n == 1 {
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil, nil
	}
	if line[0] != '{' {
		return nil, fmt.Errorf("%w: not a JSON object", ErrBadRecord)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%w: %v (at byte %d)", ErrBadRecord, err, se.Offset)
		}
		return nil, fmt.Errorf("%w: %v", ErrBadRecord, err)
	}

	raw, ok := fields[textField]
	if !ok || string(raw) == "null" {
		return nil, fmt.Errorf("%w: missing %q field", ErrBadRecord, textField)
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		return nil, fmt.Errorf("%w: %q field is not a string", ErrBadRecord, textField)
	}
	if text == "" {
		return nil, fmt.Errorf("%w: empty %q field", ErrBadRecord, textField)
	}

	doc := &Doc{Path: it.path, Text: []byte(text), Line: n}
	if raw, ok := fields[idField]; ok && string(raw) != "null" {
		switch raw[0] {
		case '"':
			var id string
			if err := json.Unmarshal(raw, &id); err == nil {
				doc.ID = id
			}
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			doc.ID = string(raw) // a number, as written
		default:
			return nil, fmt.Errorf("%w: %q field is not a string or a number", ErrBadRecord, idField)
		}
	}
	if doc.ID == "" {
		doc.ID = it.id + "#" + strconv.Itoa(n)
	}
	if raw, ok := fields[dateField]; ok {
		var date string
		if json.Unmarshal(raw, &date) == nil {
			doc.Date = ParseDate(date)
		}
	}
	return doc, nil
}
