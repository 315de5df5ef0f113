package engine

import (
	"fmt"
	"strings"

	"github.com/sceval/sceval/engine/weight"
	"go.yaml.in/yaml/v3"
)

// PairwiseJudgements holds, per parent code ("" or the framework id for the
// top level), the experts' pairwise comparison matrices over the parent's
// children, in the framework's order of children.
//
// In a scheme file each entry is a number or a fraction as people write
// them ("1/3", 0.3333; see weight.ParseJudgement), and a parent judged by one
// expert may give the matrix itself rather than a list of one matrix:
//
//	weighting:
//	  method: ahp
//	  ahp:
//	    "1":                  # one expert: a matrix
//	      - [1,   3,   5]
//	      - [1/3, 1,   3]
//	      - [1/5, 1/3, 1]
//	    "1.1":                # two experts: a list of matrices
//	      - [[1, 2], [1/2, 1]]
//	      - [[1, 3], [1/3, 1]]
type PairwiseJudgements map[string][][][]float64

// UnmarshalYAML reads the layout above, reporting every entry that is not
// a judgement with its line.
func (p *PairwiseJudgements) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: weighting.ahp: want matrices by parent code", n.Line)}}
	}
	out := make(PairwiseJudgements, len(n.Content)/2)
	var errs []string
	for k := 0; k+1 < len(n.Content); k += 2 {
		code, v := n.Content[k].Value, n.Content[k+1]
		field := "weighting.ahp." + code
		experts := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode && len(v.Content) > 0 && v.Content[0].Kind == yaml.SequenceNode &&
			len(v.Content[0].Content) > 0 && v.Content[0].Content[0].Kind == yaml.SequenceNode {
			experts = v.Content // a list of matrices
		}
		ms := make([][][]float64, 0, len(experts))
		for e, en := range experts {
			m, merr := judgementMatrix(en, fmt.Sprintf("%s: expert %d", field, e+1))
			errs = append(errs, merr...)
			ms = append(ms, m)
		}
		out[code] = ms
	}
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	*p = out
	return nil
}

// judgementMatrix reads one matrix: a sequence of rows, each a sequence of
// judgements.
func judgementMatrix(n *yaml.Node, where string) ([][]float64, []string) {
	if n.Kind != yaml.SequenceNode {
		return nil, []string{fmt.Sprintf("line %d: %s: want a matrix, a list of rows such as [1, 1/3]", n.Line, where)}
	}
	if len(n.Content) == 0 {
		// An empty matrix would be written back as [[]] (one expert's
		// matrix), which reads as one empty row: refuse it here, where the
		// line is known (found by FuzzParseScheme).
		return nil, []string{fmt.Sprintf("line %d: %s: empty matrix: give one row and one column per child indicator", n.Line, where)}
	}
	var errs []string
	m := make([][]float64, len(n.Content))
	for i, row := range n.Content {
		if row.Kind != yaml.SequenceNode {
			errs = append(errs, fmt.Sprintf("line %d: %s: row %d: want a list of entries such as [1, 1/3]", row.Line, where, i+1))
			continue
		}
		m[i] = make([]float64, len(row.Content))
		for j, c := range row.Content {
			v, err := weight.ParseJudgement(c.Value)
			if c.Kind != yaml.ScalarNode || err != nil {
				msg := "want a number or a fraction such as 1/3"
				if err != nil && c.Kind == yaml.ScalarNode {
					msg = strings.TrimPrefix(err.Error(), weight.ErrJudgement.Error()+": ")
				}
				errs = append(errs, fmt.Sprintf("line %d: %s: row %d, column %d: %s", c.Line, where, i+1, j+1, msg))
				continue
			}
			m[i][j] = v
		}
	}
	return m, errs
}
