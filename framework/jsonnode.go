package framework

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// lineIndex converts byte offsets of a file into 1-based line and column
// numbers; columns count characters (runes), like yaml.v3 does.
type lineIndex struct {
	data   []byte
	starts []int
}

func newLineIndex(data []byte) lineIndex {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{data: data, starts: starts}
}

func (li lineIndex) position(offset int) (line, column int) {
	offset = max(0, min(offset, len(li.data)))
	lo, hi := 0, len(li.starts)-1
	for lo < hi { // last line start <= offset
		mid := (lo + hi + 1) / 2
		if li.starts[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, utf8.RuneCount(li.data[li.starts[lo]:offset]) + 1
}

// jsonSyntaxError is a JSON syntax error at a line and column.
type jsonSyntaxError struct {
	line, column int
	msg          string
}

func (e *jsonSyntaxError) Error() string {
	return fmt.Sprintf("line %d column %d: %s", e.line, e.column, e.msg)
}

// jsonToNode reads one JSON document into a yaml.Node tree with the line and
// column of every value, so that JSON and YAML files share one decoder and
// one set of positioned diagnostics. encoding/json does the syntax checking.
func jsonToNode(data []byte) (*yaml.Node, error) {
	// encoding/json's scanner reports the offset just past the bad byte.
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		li := newLineIndex(data)
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end"):
			line, col := li.position(len(data))
			return nil, &jsonSyntaxError{line, col, syn.Error()}
		case errors.As(err, &syn):
			line, col := li.position(int(syn.Offset) - 1)
			return nil, &jsonSyntaxError{line, col, syn.Error()}
		}
		return nil, err
	}
	r := &jsonReader{data: data, lines: newLineIndex(data), dec: json.NewDecoder(bytes.NewReader(data))}
	r.dec.UseNumber()
	root, err := r.value()
	if err == nil {
		if _, extra := r.dec.Token(); extra != io.EOF {
			line, col := r.lines.position(r.next())
			err = &jsonSyntaxError{line, col, "unexpected data after the top-level value"}
		}
	}
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// Offset counts the bytes read up to and including the bad one.
			line, col := r.lines.position(int(syn.Offset) - 1)
			return nil, &jsonSyntaxError{line, col, syn.Error()}
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			line, col := r.lines.position(len(data))
			return nil, &jsonSyntaxError{line, col, "unexpected end of JSON input"}
		}
		return nil, err
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1, Content: []*yaml.Node{root}}, nil
}

type jsonReader struct {
	data  []byte
	lines lineIndex
	dec   *json.Decoder
}

// next returns the offset of the start of the next token: InputOffset is
// the end of the previous one, followed by blanks and separators.
func (r *jsonReader) next() int {
	off := int(r.dec.InputOffset())
	for off < len(r.data) && strings.IndexByte(" \t\r\n,:", r.data[off]) >= 0 {
		off++
	}
	return off
}

func (r *jsonReader) value() (*yaml.Node, error) {
	line, col := r.lines.position(r.next())
	tok, err := r.dec.Token()
	if err != nil {
		return nil, err
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
			return n, r.members(n)
		}
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		return n, r.elements(n)
	case string:
		n.Tag, n.Value = "!!str", v
	case json.Number:
		n.Tag, n.Value = "!!float", v.String()
		if !strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!int"
		}
	case bool:
		n.Tag, n.Value = "!!bool", fmt.Sprint(v)
	case nil:
		n.Tag, n.Value = "!!null", "null"
	}
	return n, nil
}

func (r *jsonReader) members(n *yaml.Node) error {
	for r.dec.More() {
		key, err := r.value()
		if err != nil {
			return err
		}
		val, err := r.value()
		if err != nil {
			return err
		}
		n.Content = append(n.Content, key, val)
	}
	_, err := r.dec.Token() // '}'
	return err
}

func (r *jsonReader) elements(n *yaml.Node) error {
	for r.dec.More() {
		val, err := r.value()
		if err != nil {
			return err
		}
		n.Content = append(n.Content, val)
	}
	_, err := r.dec.Token() // ']'
	return err
}
