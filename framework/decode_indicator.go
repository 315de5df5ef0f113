package framework

import (
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// indicatorFields are the keys an indicator mapping may carry; "parent" is
// only meaningful in the flat form (entries of the top-level list).
var indicatorFields = []string{"code", "name", "definition", "weight", "kind", "unit", "direction",
	"goalposts", "target", "rubric", "valid", "defaults", "children", "parent"}

// indicatorList decodes a list of indicator mappings. top says whether the
// list is the framework's top-level list, where flat-form entries may name
// their parent.
func (p *parser) indicatorList(n *yaml.Node, parentCode string, top bool) []*Indicator {
	var out []*Indicator
	field := "children"
	if top {
		field = "indicators"
	}
	for _, item := range p.list(n, parentCode, field) {
		if item.Kind != yaml.MappingNode {
			p.add(nodePos(item), parentCode, field, Error, "want an indicator mapping, got a "+kindName(item))
			continue
		}
		if ind := p.indicator(item, top); ind != nil {
			out = append(out, ind)
		}
	}
	return out
}

// indicator decodes one indicator mapping (and, recursively, its children).
// It returns nil for a flat-form entry, which assembleFlat attaches to its
// parent later.
func (p *parser) indicator(n *yaml.Node, top bool) *Indicator {
	ind := &Indicator{}
	fp := &fieldPositions{at: nodePos(n), fields: map[string]position{}}
	p.locs.indicators[ind] = fp
	// The code comes first so that messages about other fields can name it.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "code" && n.Content[i+1].Kind == yaml.ScalarNode {
			ind.Code = n.Content[i+1].Value
		}
	}
	isFlat := false
	for _, kv := range p.fields(n, ind.Code, indicatorFields) {
		key, val := kv[0], kv[1]
		fp.fields[key.Value] = nodePos(val)
		if key.Value == "parent" {
			if !top {
				p.add(nodePos(key), ind.Code, "parent", Error,
					"only entries of the top-level indicators list (the flat form) may name a parent; nested children already have one")
				continue
			}
			if code := p.scalar(val, ind.Code, "parent"); code != "" {
				p.flat = append(p.flat, flatEntry{ind: ind, parent: code, at: nodePos(val)})
				isFlat = true
			}
			continue
		}
		p.indicatorField(ind, key.Value, val)
	}
	if isFlat {
		return nil
	}
	return ind
}

// indicatorField decodes one field of an indicator.
func (p *parser) indicatorField(ind *Indicator, field string, val *yaml.Node) {
	code := ind.Code
	switch field {
	case "code":
		ind.Code = p.scalar(val, "", "code")
	case "name", "definition":
		t, err := decodeText(val)
		if err != nil {
			p.addNodeErr(err, code, field)
		}
		if field == "name" {
			ind.Name = t
		} else {
			ind.Definition = t
		}
	case "weight", "target":
		if x, ok := p.number(val, code, field); ok {
			if field == "weight" {
				ind.Weight = &x
			} else {
				ind.Target = &x
			}
		}
	case "kind":
		ind.Kind = Kind(p.scalar(val, code, field))
	case "unit":
		ind.Unit = p.scalar(val, code, field)
	case "direction":
		if x, ok := p.number(val, code, field); ok {
			if x != math.Trunc(x) || math.Abs(x) > 1e6 {
				p.add(nodePos(val), code, field, Error, "must be 1 or -1, got "+val.Value)
			} else {
				ind.Direction = int(x)
			}
		}
	case "goalposts":
		ind.Goalposts = p.goalposts(val, code)
	case "valid":
		ind.Valid = p.validRange(val, code)
	case "rubric":
		for _, item := range p.list(val, code, field) {
			if lvl, ok := p.rubricLevel(item, code); ok {
				ind.Rubric = append(ind.Rubric, lvl)
			}
		}
	case "defaults":
		for _, item := range p.list(val, code, field) {
			if s := p.scalar(item, code, field); s != "" {
				ind.Defaults = append(ind.Defaults, s)
			}
		}
	case "children":
		ind.Children = p.indicatorList(val, code, false)
	}
}

// number decodes a numeric scalar, including YAML's .nan and .inf so that
// validation can reject them with a clear message. Null means absent.
func (p *parser) number(n *yaml.Node, code, field string) (float64, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		p.add(nodePos(n), code, field, Error, "want a number, got "+describe(n))
		return 0, false
	}
	switch strings.ToLower(strings.TrimPrefix(n.Value, "+")) {
	case ".nan":
		return math.NaN(), true
	case ".inf":
		return math.Inf(1), true
	case "-.inf":
		return math.Inf(-1), true
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil {
		if i, ierr := strconv.ParseInt(n.Value, 0, 64); ierr == nil {
			return float64(i), true
		}
		p.add(nodePos(n), code, field, Error, "want a number, got "+strconv.Quote(n.Value))
		return 0, false
	}
	return x, true
}

// describe names a node's value for "want …, got …" messages.
func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return strconv.Quote(n.Value)
	}
	return "a " + kindName(n)
}

func (p *parser) goalposts(n *yaml.Node, code string) *Goalposts {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.add(nodePos(n), code, "goalposts", Error, "want a mapping {low: …, high: …}, got "+describe(n))
		return nil
	}
	g, low, high := &Goalposts{}, false, false
	for _, kv := range p.fields(n, code, []string{"low", "high"}) {
		x, ok := p.number(kv[1], code, "goalposts."+kv[0].Value)
		if kv[0].Value == "low" {
			g.Low, low = x, ok
		} else {
			g.High, high = x, ok
		}
	}
	if !low || !high {
		p.add(nodePos(n), code, "goalposts", Error, "want both low and high")
		return nil
	}
	return g
}

// validRange decodes a valid range {min: …, max: …}; either bound may be
// left out, not both.
func (p *parser) validRange(n *yaml.Node, code string) *ValidRange {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.add(nodePos(n), code, "valid", Error, "want a mapping {min: …, max: …}, got "+describe(n))
		return nil
	}
	r := &ValidRange{}
	for _, kv := range p.fields(n, code, []string{"min", "max"}) {
		x, ok := p.number(kv[1], code, "valid."+kv[0].Value)
		if !ok {
			continue
		}
		if kv[0].Value == "min" {
			r.Min = &x
		} else {
			r.Max = &x
		}
	}
	if r.Min == nil && r.Max == nil {
		p.add(nodePos(n), code, "valid", Error, "want min, max or both")
		return nil
	}
	return r
}

func (p *parser) rubricLevel(n *yaml.Node, code string) (RubricLevel, bool) {
	if n.Kind != yaml.MappingNode {
		p.add(nodePos(n), code, "rubric", Error, "want a level mapping {label, score, description}, got "+describe(n))
		return RubricLevel{}, false
	}
	var lvl RubricLevel
	hasScore := false
	for _, kv := range p.fields(n, code, []string{"label", "score", "description"}) {
		switch kv[0].Value {
		case "score":
			lvl.Score, hasScore = p.number(kv[1], code, "rubric.score")
		default:
			t, err := decodeText(kv[1])
			if err != nil {
				p.addNodeErr(err, code, "rubric."+kv[0].Value)
			}
			if kv[0].Value == "label" {
				lvl.Label = t
			} else {
				lvl.Description = t
			}
		}
	}
	if !hasScore {
		p.add(nodePos(n), code, "rubric.score", Error, "missing (every rubric level needs a 0–100 score)")
	}
	if lvl.Label.IsZero() {
		p.add(nodePos(n), code, "rubric.label", Error, "missing (every rubric level needs a label)")
	}
	return lvl, true
}
