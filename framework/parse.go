package framework

import (
	"bytes"
	"cmp"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// position is a 1-based line and column in a file.
type position struct{ line, column int }

// locations remembers where each framework field and indicator came from,
// so that validation can point at the offending line. A nil *locations (a
// framework built in code) yields zero positions.
type locations struct {
	framework  map[string]position // "" is the top-level mapping
	indicators map[*Indicator]*fieldPositions
}

type fieldPositions struct {
	at     position
	fields map[string]position
}

func (l *locations) top(field string) position {
	if l == nil {
		return position{}
	}
	if p, ok := l.framework[field]; ok {
		return p
	}
	return l.framework[""]
}

func (l *locations) of(ind *Indicator, field string) position {
	if l == nil {
		return position{}
	}
	fp := l.indicators[ind]
	if fp == nil {
		return position{}
	}
	if p, ok := fp.fields[field]; ok {
		return p
	}
	return fp.at
}

// Parse reads a framework file. The format follows the file name's
// extension (.json is JSON; .yaml and .yml are YAML); otherwise a document
// starting with '{' is JSON and anything else YAML. A UTF-8 byte order mark
// is ignored. Both the nested form (children lists) and the flat form
// (entries naming their parent) are accepted; see docs/framework-format.md.
//
// Parse reports every problem it finds, not only the first: syntax errors,
// unknown or mistyped fields, and all of Validate's checks, each with the
// line and column it concerns. The returned framework is nil only when the
// file is not readable as JSON or YAML at all; callers must check
// Diagnostics.HasErrors before using it.
func Parse(filename string, data []byte) (*Framework, Diagnostics) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &parser{file: filename, locs: &locations{
		framework:  map[string]position{},
		indicators: map[*Indicator]*fieldPositions{},
	}}
	doc, ok := p.document(filename, data)
	if !ok {
		return nil, p.diags
	}
	f := p.decodeFramework(doc)
	p.assembleFlat(f)
	p.diags = append(p.diags, validate(f, p.locs, filename)...)
	slices.SortStableFunc(p.diags, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return f, p.diags
}

// isJSON decides the format from the extension, or failing that by sniffing.
func isJSON(filename string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".json":
		return true
	case ".yaml", ".yml":
		return false
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	return len(trimmed) > 0 && trimmed[0] == '{'
}

// yamlLine matches the position prefix of yaml.v3's errors. It is compiled
// on first use, not at program start: every sceval command links this
// package, and only a YAML syntax error needs it.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): `) })

// TabIndentedLine returns the 1-based number of the first line whose
// indentation contains a tab, or 0. YAML forbids tabs in indentation and
// yaml.v3 reports them only as "found character that cannot start any
// token", so callers add this line to that message.
func TabIndentedLine(data []byte) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
		if bytes.IndexByte(indent, '\t') >= 0 && len(bytes.TrimSpace(line)) > 0 {
			return i + 1
		}
	}
	return 0
}

// document parses the bytes into a node tree, reporting syntax errors.
func (p *parser) document(filename string, data []byte) (*yaml.Node, bool) {
	var doc *yaml.Node
	if isJSON(filename, data) {
		n, err := jsonToNode(data)
		if err != nil {
			if syn, ok := err.(*jsonSyntaxError); ok {
				p.add(position{syn.line, syn.column}, "", "", Error, "JSON syntax error: "+syn.msg)
			} else {
				p.add(position{}, "", "", Error, "JSON: "+err.Error())
			}
			return nil, false
		}
		doc = n
	} else {
		doc = &yaml.Node{}
		if err := yaml.Unmarshal(data, doc); err != nil {
			msg, pos := err.Error(), position{}
			if m := yamlLine().FindStringSubmatch(msg); m != nil {
				pos.line, _ = strconv.Atoi(m[1])
				msg = strings.TrimPrefix(msg, m[0])
			}
			msg = "YAML syntax error: " + strings.TrimPrefix(msg, "yaml: ")
			if ln := TabIndentedLine(data); ln > 0 {
				msg += fmt.Sprintf(" (line %d is indented with a tab: YAML indents with spaces only)", ln)
			}
			p.add(pos, "", "", Error, msg)
			return nil, false
		}
		if err := checkAliasExpansion(doc); err != nil {
			p.add(err.at, "", "", Error, err.Error())
			return nil, false
		}
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind == 0 || (doc.Kind == yaml.ScalarNode && doc.Tag == "!!null") {
		p.add(position{1, 1}, "", "", Error, "empty file: want a framework with id, version, name and indicators")
		return nil, false
	}
	if doc.Kind != yaml.MappingNode {
		p.add(position{doc.Line, doc.Column}, "", "", Error,
			"want a mapping with id, version, name and indicators, got a "+kindName(doc))
		return nil, false
	}
	return doc, true
}

// parser accumulates diagnostics and positions while decoding one file.
type parser struct {
	file  string
	diags Diagnostics
	locs  *locations
	// flat holds the parent references of flat-form entries, in file order.
	flat []flatEntry
}

type flatEntry struct {
	ind    *Indicator
	parent string
	at     position
}

func (p *parser) add(at position, code, field string, sev Severity, msg string) {
	p.diags = append(p.diags, Diagnostic{File: p.file, Line: at.line, Column: at.column,
		Code: code, Field: field, Severity: sev, Message: msg})
}

func (p *parser) addNodeErr(err *nodeError, code, field string) {
	p.add(position{err.line, err.column}, code, field, Error, err.msg)
}

func nodePos(n *yaml.Node) position { return position{n.Line, n.Column} }

var frameworkFields = []string{"id", "version", "name", "source", "notes", "levels", "indicators"}

// decodeFramework decodes the top-level mapping.
func (p *parser) decodeFramework(n *yaml.Node) *Framework {
	f := &Framework{}
	p.locs.framework[""] = nodePos(n)
	for _, kv := range p.fields(n, "", frameworkFields) {
		key, val := kv[0], kv[1]
		p.locs.framework[key.Value] = nodePos(val)
		switch key.Value {
		case "id":
			f.ID = p.scalar(val, "", "id")
		case "version":
			f.Version = p.scalar(val, "", "version")
		case "name", "source", "notes":
			t, err := decodeText(val)
			if err != nil {
				p.addNodeErr(err, "", key.Value)
			}
			switch key.Value {
			case "name":
				f.Name = t
			case "source":
				f.Source = t
			default:
				f.Notes = t
			}
		case "levels":
			for _, item := range p.list(val, "", "levels") {
				t, err := decodeText(item)
				if err != nil {
					p.addNodeErr(err, "", "levels")
				}
				f.Levels = append(f.Levels, t)
			}
		case "indicators":
			f.Indicators = p.indicatorList(val, "", true)
		}
	}
	return f
}

// fields returns the key/value pairs of a mapping node, reporting unknown
// and duplicate keys (with a suggestion for likely typos).
func (p *parser) fields(n *yaml.Node, code string, known []string) [][2]*yaml.Node {
	var out [][2]*yaml.Node
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], resolveAlias(n.Content[i+1])
		if prev, dup := seen[key.Value]; dup {
			p.add(nodePos(key), code, key.Value, Error, "duplicate field (also at line "+strconv.Itoa(prev)+")")
			continue
		}
		seen[key.Value] = key.Line
		if !slices.Contains(known, key.Value) {
			msg := "unknown field " + strconv.Quote(key.Value)
			if s := Suggest(key.Value, known); s != "" {
				msg += " (did you mean " + strconv.Quote(s) + "?)"
			}
			p.add(nodePos(key), code, "", Error, msg)
			continue
		}
		out = append(out, [2]*yaml.Node{key, val})
	}
	return out
}

// scalar returns a scalar's text ("" for null), reporting other node kinds.
func (p *parser) scalar(n *yaml.Node, code, field string) string {
	if n.Kind != yaml.ScalarNode {
		p.add(nodePos(n), code, field, Error, "want a string, got a "+kindName(n))
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// list returns a sequence's items (none for null), reporting other kinds.
func (p *parser) list(n *yaml.Node, code, field string) []*yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.add(nodePos(n), code, field, Error, "want a list, got a "+kindName(n))
		return nil
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, item := range n.Content {
		items[i] = resolveAlias(item)
	}
	return items
}

// Suggest returns the known name closest to name by edit distance, if it
// is close enough to be a plausible typo (distance <= 2), else "". The
// scheme parser uses it too, so "did you mean" reads alike everywhere.
func Suggest(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (in runes).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, sub)
		}
		prev = cur
	}
	return prev[len(rb)]
}
