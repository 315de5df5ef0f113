package framework

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// UnmarshalJSON accepts either a plain JSON string (the same text in both
// languages) or an object {"zh": …, "en": …}. Unknown keys are rejected so
// that a typo such as "ch" does not silently drop a translation.
func (t *Text) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*t = Text{}
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("text: %w", err)
		}
		*t = Text{Zh: s, En: s}
		return nil
	}
	type plain Text
	var p plain
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("text: want a string or {\"zh\": …, \"en\": …}: %w", err)
	}
	*t = Text(p)
	return nil
}

// UnmarshalYAML accepts either a plain scalar (the same text in both
// languages) or a mapping {zh: …, en: …}; see decodeText.
func (t *Text) UnmarshalYAML(node *yaml.Node) error {
	text, err := decodeText(node)
	if err != nil {
		return fmt.Errorf("line %d: %w", err.line, err)
	}
	*t = text
	return nil
}

// nodeError is a decoding problem at a position of the YAML node tree.
type nodeError struct {
	line, column int
	msg          string
}

func (e *nodeError) Error() string { return e.msg }

func errAt(n *yaml.Node, format string, args ...any) *nodeError {
	return &nodeError{line: n.Line, column: n.Column, msg: fmt.Sprintf(format, args...)}
}

// decodeText decodes a Text from a node: a scalar (both languages), null
// (empty) or a mapping with the keys zh and en only.
func decodeText(n *yaml.Node) (Text, *nodeError) {
	n = resolveAlias(n)
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return Text{}, nil
		}
		return Text{Zh: n.Value, En: n.Value}, nil
	case yaml.MappingNode:
		var t Text
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], resolveAlias(n.Content[i+1])
			if v.Kind != yaml.ScalarNode {
				return Text{}, errAt(v, "%s: want a string, got a %s", k.Value, kindName(v))
			}
			s := v.Value
			if v.Tag == "!!null" {
				s = ""
			}
			switch k.Value {
			case "zh":
				t.Zh = s
			case "en":
				t.En = s
			default:
				return Text{}, errAt(k, "unknown language key %q (want zh or en)", k.Value)
			}
		}
		return t, nil
	default:
		return Text{}, errAt(n, "want a string or {zh: …, en: …}, got a %s", kindName(n))
	}
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// kindName names a node kind the way a user reads it in an error message.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "scalar"
	default:
		return "node"
	}
}
