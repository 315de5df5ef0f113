package dataset

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// xmlTag is one start, end or empty-element tag found by xmlScanner.
type xmlTag struct {
	name        []byte // local name, namespace prefix removed
	attrs       []byte // raw attribute text
	closing     bool   // </name>
	selfClosing bool   // <name/>
}

// is reports whether the tag's local name is name (no allocation).
func (t xmlTag) is(name string) bool { return string(t.name) == name }

// opens reports whether the tag is a start tag with content to follow.
func (t xmlTag) opens() bool { return !t.closing && !t.selfClosing }

// attr returns the value of an unprefixed attribute, or nil.
func (t xmlTag) attr(name string) []byte {
	a := t.attrs
	for len(a) > 0 {
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return nil
		}
		key := bytes.TrimSpace(a[:eq])
		a = bytes.TrimLeft(a[eq+1:], " \t\r\n")
		if len(a) == 0 || (a[0] != '"' && a[0] != '\'') {
			return nil
		}
		end := bytes.IndexByte(a[1:], a[0])
		if end < 0 {
			return nil
		}
		if string(key) == name {
			return a[1 : 1+end]
		}
		a = a[end+2:]
	}
	return nil
}

// xmlScanner walks the tags of an XML document held in memory. It is a
// deliberately small scanner for the machine-written parts of an XLSX
// package, about twenty times faster than encoding/xml's token stream; it
// reports CDATA sections as unsupported so that the caller can fall back
// to a full parser.
type xmlScanner struct {
	b   []byte
	i   int
	err error
}

// next returns the next tag, skipping the XML declaration, processing
// instructions, comments and the doctype.
func (s *xmlScanner) next() (xmlTag, bool) {
	for {
		j := bytes.IndexByte(s.b[s.i:], '<')
		if j < 0 || s.i+j+1 >= len(s.b) {
			return xmlTag{}, false
		}
		s.i += j + 1
		switch c := s.b[s.i]; {
		case c == '?':
			s.skipPast("?>")
			continue
		case bytes.HasPrefix(s.b[s.i:], []byte("!--")):
			s.skipPast("-->")
			continue
		case bytes.HasPrefix(s.b[s.i:], []byte("![CDATA[")):
			s.err = errUnsupportedXLSX
			return xmlTag{}, false
		case c == '!':
			s.skipPast(">")
			continue
		}
		return s.tag()
	}
}

// tag reads the tag starting at s.i (just after '<').
func (s *xmlScanner) tag() (xmlTag, bool) {
	var t xmlTag
	if s.b[s.i] == '/' {
		t.closing = true
		s.i++
	}
	end := bytes.IndexByte(s.b[s.i:], '>')
	if end < 0 {
		s.err = errUnsupportedXLSX
		return t, false
	}
	inner := s.b[s.i : s.i+end]
	s.i += end + 1
	if n := len(inner); n > 0 && inner[n-1] == '/' {
		t.selfClosing = true
		inner = inner[:n-1]
	}
	k := 0
	for k < len(inner) && inner[k] != ' ' && inner[k] != '\t' && inner[k] != '\r' && inner[k] != '\n' {
		k++
	}
	t.name, t.attrs = inner[:k], inner[k:]
	if c := bytes.IndexByte(t.name, ':'); c >= 0 {
		t.name = t.name[c+1:]
	}
	return t, true
}

func (s *xmlScanner) skipPast(marker string) {
	j := bytes.Index(s.b[s.i:], []byte(marker))
	if j < 0 {
		s.i = len(s.b)
		return
	}
	s.i += j + len(marker)
}

// text returns the character data from the current position to the next
// tag, with entity and character references replaced.
func (s *xmlScanner) text() ([]byte, error) {
	j := bytes.IndexByte(s.b[s.i:], '<')
	if j < 0 {
		return nil, errUnsupportedXLSX
	}
	if bytes.HasPrefix(s.b[s.i+j:], []byte("<![CDATA[")) {
		return nil, errUnsupportedXLSX
	}
	raw := s.b[s.i : s.i+j]
	if bytes.IndexByte(raw, '\r') >= 0 {
		// XML 1.0 §2.11: a parser reads CRLF and a lone CR as LF.
		raw = bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	}
	if bytes.IndexByte(raw, '&') < 0 {
		return raw, nil
	}
	return unescapeXML(raw)
}

// unescapeXML replaces the five predefined entities and numeric character
// references.
func unescapeXML(raw []byte) ([]byte, error) {
	out := make([]byte, 0, len(raw))
	for len(raw) > 0 {
		amp := bytes.IndexByte(raw, '&')
		if amp < 0 {
			return append(out, raw...), nil
		}
		out = append(out, raw[:amp]...)
		semi := bytes.IndexByte(raw[amp:], ';')
		if semi < 0 {
			return nil, errUnsupportedXLSX
		}
		ref := string(raw[amp+1 : amp+semi])
		raw = raw[amp+semi+1:]
		switch ref {
		case "amp":
			out = append(out, '&')
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			r, err := charRef(ref)
			if err != nil {
				return nil, err
			}
			out = utf8.AppendRune(out, r)
		}
	}
	return out, nil
}

// charRef decodes "#65" or "#x41".
func charRef(ref string) (rune, error) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, errUnsupportedXLSX
	}
	base, digits := 10, ref[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, errUnsupportedXLSX
	}
	return rune(n), nil
}
