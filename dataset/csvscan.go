package dataset

// csvScanner splits delimited text into records without copying: fields
// are slices of the input, except quoted fields with doubled quotes, which
// are unescaped into fresh slices. It is several times faster than
// encoding/csv on large numeric files, which matters for national data sets
// (~41,000 units × 57 indicators).
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

// next returns the next non-blank record, reusing its slice between calls.
// It returns false at the end of the input or on a syntax error (err set).
func (s *csvScanner) next() ([][]byte, bool) {
	for s.pos < len(s.data) && s.err == "" {
		s.row++
		s.fields = s.fields[:0]
		s.record()
		if s.err != "" {
			return nil, false
		}
		if len(s.fields) == 1 && len(s.fields[0]) == 0 {
			continue // blank line
		}
		return s.fields, true
	}
	return nil, false
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
			for i < len(data) && data[i] != s.comma && data[i] != '\n' && data[i] != '\r' {
				i++
			}
			if !s.add(data[start:i:i]) {
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
		case '\r':
			s.pos++
			if s.pos < len(data) && data[s.pos] == '\n' {
				s.pos++
			}
			return
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
	var out []byte // only allocated when the field holds doubled quotes
	i := start
	for {
		if i >= len(data) {
			s.err = "quoted field not closed (a \" is missing)"
			return false
		}
		if data[i] != '"' {
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
		if c := data[s.pos]; c != s.comma && c != '\n' && c != '\r' {
			s.err = "unexpected text after a closing quote (write a \" inside a quoted field as \"\")"
			return false
		}
	}
	return true
}
