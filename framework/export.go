package framework

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// exportFramework is the file shape Export writes: the framework with every
// default resolved, so that what a reader sees is what the engine uses.
type exportFramework struct {
	ID         string             `json:"id" yaml:"id"`
	Version    string             `json:"version" yaml:"version"`
	Name       Text               `json:"name" yaml:"name"`
	Source     Text               `json:"source,omitzero" yaml:"source,omitempty"`
	Notes      Text               `json:"notes,omitzero" yaml:"notes,omitempty"`
	Levels     []Text             `json:"levels,omitempty" yaml:"levels,omitempty"`
	Indicators []*exportIndicator `json:"indicators" yaml:"indicators"`
}

type exportIndicator struct {
	Code       string             `json:"code" yaml:"code"`
	Name       Text               `json:"name" yaml:"name"`
	Definition Text               `json:"definition" yaml:"definition"`
	Weight     float64            `json:"weight" yaml:"weight"`
	Kind       Kind               `json:"kind,omitempty" yaml:"kind,omitempty"`
	Unit       string             `json:"unit,omitempty" yaml:"unit,omitempty"`
	Direction  int                `json:"direction,omitempty" yaml:"direction,omitempty"`
	Goalposts  *Goalposts         `json:"goalposts,omitempty" yaml:"goalposts,omitempty"`
	Target     *float64           `json:"target,omitempty" yaml:"target,omitempty"`
	Valid      *ValidRange        `json:"valid,omitempty" yaml:"valid,omitempty"`
	Rubric     []RubricLevel      `json:"rubric,omitempty" yaml:"rubric,omitempty"`
	Defaults   []string           `json:"defaults,omitempty" yaml:"defaults,omitempty"`
	Children   []*exportIndicator `json:"children,omitempty" yaml:"children,omitempty"`
}

// Resolved returns a deep copy of f with every implicit value made
// explicit: each indicator's weight is its resolved sibling weight
// (SiblingWeights) and each leaf's direction is 1 or -1.
func (f *Framework) Resolved() *Framework {
	out := f.Clone()
	var resolve func(list []*Indicator)
	resolve = func(list []*Indicator) {
		for i, w := range SiblingWeights(list) {
			list[i].Weight = &w
			if list[i].IsLeaf() {
				list[i].Direction = int(list[i].Sign())
			}
			resolve(list[i].Children)
		}
	}
	resolve(out.Indicators)
	return out
}

func toExport(f *Framework) *exportFramework {
	r := f.Resolved()
	var conv func(list []*Indicator) []*exportIndicator
	conv = func(list []*Indicator) []*exportIndicator {
		var out []*exportIndicator
		for _, ind := range list {
			out = append(out, &exportIndicator{
				Code: ind.Code, Name: ind.Name, Definition: ind.Definition, Weight: *ind.Weight,
				Kind: ind.Kind, Unit: ind.Unit, Direction: ind.Direction, Goalposts: ind.Goalposts,
				Target: ind.Target, Valid: ind.Valid, Rubric: ind.Rubric, Defaults: ind.Defaults, Children: conv(ind.Children),
			})
		}
		return out
	}
	return &exportFramework{ID: r.ID, Version: r.Version, Name: r.Name, Source: r.Source, Notes: r.Notes,
		Levels: r.Levels, Indicators: conv(r.Indicators)}
}

// ExportJSON writes f in the file format as JSON (2-space indent, no HTML
// escaping, so Chinese text and '<' stay readable) with every weight and
// direction resolved; reading the output back yields the same framework.
func ExportJSON(w io.Writer, f *Framework) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(toExport(f)); err != nil {
		return fmt.Errorf("export framework %s as JSON: %w", f.ID, err)
	}
	return nil
}

// ExportYAML writes f in the file format as YAML (2-space indent) with
// every weight and direction resolved. yaml.v3 quotes strings whose leading
// or trailing spaces would otherwise be lost, so texts survive byte for byte.
func ExportYAML(w io.Writer, f *Framework) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(toExport(f)); err != nil {
		return fmt.Errorf("export framework %s as YAML: %w", f.ID, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("export framework %s as YAML: %w", f.ID, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("export framework %s as YAML: %w", f.ID, err)
	}
	return nil
}

// Export writes f as "json" or "yaml".
func Export(w io.Writer, f *Framework, format string) error {
	switch format {
	case "json":
		return ExportJSON(w, f)
	case "yaml", "yml":
		return ExportYAML(w, f)
	}
	return fmt.Errorf("export framework %s: unknown format %q (want json or yaml)", f.ID, format)
}
