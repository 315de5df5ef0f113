package dataset

import "bytes"

// csvScanner splits delimited text into records without copying: fields
// are slices of the input, except quoted fields holding doubled quotes or
// CRLF line ends, which are unescaped into fresh slices. On the national
// data file it is about twice as fast as encoding/csv and allocates
// nothing per record (BENCHMARKS.md, "CSV scanner").
//
// Its dialect is encoding/csv's with FieldsPerRecord = -1 and LazyQuotes
// for unquoted fields only: RFC 4180 quoting; CRLF read as LF, also inside
// quoted fields; a CR before EOF dropped; a lone CR elsewhere is data;
// empty lines skipped; a quote inside an unquoted field is data (a'b"c),
// while a quoted field must be closed and followed by a separator or a
// line end. FuzzCSVScanner checks that on every input it accepts it
// returns exactly encoding/csv's records. Files whose lines end in CR
// only (old Mac spreadsheets) are converted to LF first by
// normaliseLineEnds.
type csvScanner struct {
	data   []byte
	pos    int
	comma  byte
	row    int // spreadsheet row number of the last record returned
	fields [][]byte
	err    string // syntax error at row, if any
	// maxFields bounds the cells of one record (0: no bound); a longer
	// record stops the scan with wide set, so that a line of millions of
	// separators costs no more memory than the bound.
	maxFields int
	wide      bool
}

// normaliseLineEnds converts the line ends of a file whose first line
// ends in a lone CR (as "CSV (Macintosh)" from old Mac spreadsheets, which
// encoding/csv cannot read) to LF, outside quoted fields only: a line break
// typed inside a cell is kept. Other files are returned as they are.
func normaliseLineEnds(b []byte) []byte {
	if !crLineEnds(b) {
		return b
	}
	out := bytes.Clone(b)
	in := false
	for i, c := range out {
		switch {
		case c == '"':
			in = !in // a doubled quote toggles twice
		case c == '\r' && !in && (i+1 == len(out) || out[i+1] != '\n'):
			out[i] = '\n'
		}
	}
	return out
}

// crLineEnds reports whether the first line end outside quotes is a lone CR.
func crLineEnds(b []byte) bool {
	in := false
	for i, c := range b {
		switch {
		case c == '"':
			in = !in
		case in:
		case c == '\n':
			return false
		case c == '\r':
			return i+1 == len(b) || b[i+1] != '\n'
		}
	}
	return false
}

// add appends one field, or stops the scan when the record has maxFields.
func (s *csvScanner) add(field []byte) bool {
	if s.maxFields > 0 && len(s.fields) >= s.maxFields {
		s.wide = true
		s.err = "too many cells"
		return false
	}
	s.fields = append(s.fields, field)
	return true
}

// next returns the next non-empty record, reusing its slice between calls.
// It returns false at the end of the input or on a syntax error (err set).
func (s *csvScanner) next() ([][]byte, bool) {
	for s.pos < len(s.data) && s.err == "" {
		s.row++
		s.fields = s.fields[:0]
		if s.emptyLine() {
			continue
		}
		s.record()
		if s.err != "" {
			return nil, false
		}
		return s.fields, true
	}
	return nil, false
}

// emptyLine skips an empty line ("\n", "\r\n", or "\r" at the end of the
// input) at s.pos and reports whether there was one.
func (s *csvScanner) emptyLine() bool {
	rest := s.data[s.pos:]
	switch {
	case rest[0] == '\n':
		s.pos++
	case rest[0] == '\r' && (len(rest) == 1 || rest[1] == '\n'):
		s.pos += min(2, len(rest))
	default:
		return false
	}
	return true
}

// record scans one record starting at s.pos, leaving s.pos after its line end.
func (s *csvScanner) record() {
	data := s.data
	for {
		if s.pos < len(data) && data[s.pos] == '"' {
			if !s.quoted() {
				return
			}
		} else {
			start := s.pos
			i := start
			for i < len(data) && data[i] != s.comma && data[i] != '\n' {
				i++
			}
			end := i
			if end > start && data[end-1] == '\r' && (i == len(data) || data[i] == '\n') {
				end-- // CRLF, or CR before EOF
			}
			if !s.add(data[start:end:end]) {
				return
			}
			s.pos = i
		}
		if s.pos >= len(data) {
			return
		}
		switch data[s.pos] {
		case s.comma:
			s.pos++
		case '\n':
			s.pos++
			return
		}
	}
}

// quoted scans a quoted field at s.pos and leaves s.pos on the character
// after its closing quote, which must end the field.
func (s *csvScanner) quoted() bool {
	data := s.data
	start := s.pos + 1
	var out []byte // only allocated when the field holds "" or CRLF
	i := start
	for {
		if i >= len(data) {
			s.err = "quoted field not closed (a \" is missing)"
			return false
		}
		switch c := data[i]; {
		case c == '\r' && i+1 < len(data) && data[i+1] == '\n':
			out = append(out, data[start:i]...) // CRLF inside quotes reads as LF
			i++
			start = i
			continue
		case c != '"':
			i++
			continue
		}
		if i+1 < len(data) && data[i+1] == '"' {
			out = append(out, data[start:i+1]...)
			i += 2
			start = i
			continue
		}
		break
	}
	if out != nil {
		out = append(out, data[start:i]...)
	} else {
		out = data[start:i:i]
	}
	if !s.add(out) {
		return false
	}
	s.pos = i + 1
	if s.pos < len(data) {
		switch c := data[s.pos]; {
		case c == s.comma || c == '\n':
		case c == '\r' && (s.pos+1 == len(data) || data[s.pos+1] == '\n'):
			s.pos++ // CRLF, or CR before EOF
		default:
			s.err = "unexpected text after a closing quote (write a \" inside a quoted field as \"\")"
			return false
		}
	}
	return true
}
