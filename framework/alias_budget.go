package framework

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// MaxExpandedNodes bounds the number of YAML nodes a framework file may
// describe once its aliases are followed. The parser walks yaml.Node trees
// itself, so yaml.v3's own alias limit (which applies only to Unmarshal into
// Go values) never runs: without this bound a 2.7 KB "billion laughs" file
// of nested aliases expands to ~10⁹ nodes and exhausts memory. The built-in
// MOHURD framework has about 1,500 nodes; a framework with 10,000 indicators
// and shared rubrics stays far below a million.
const MaxExpandedNodes = 1_000_000

// aliasBudgetError reports the line of the alias that crossed the limit.
type aliasBudgetError struct{ at position }

func (e *aliasBudgetError) Error() string {
	return fmt.Sprintf("aliases expand this file to more than %d YAML nodes (the limit that guards against "+
		"\"billion laughs\" files); write the repeated parts out instead of nesting aliases", MaxExpandedNodes)
}

// checkAliasExpansion counts the nodes of doc as the decoder will see them,
// each alias counted as the full size of what it refers to. Sizes are
// memoised per node, so the walk is linear in the file's own nodes however
// large the expansion; it stops as soon as the count passes the limit.
func checkAliasExpansion(doc *yaml.Node) *aliasBudgetError {
	sizes := map[*yaml.Node]int{}
	var size func(n *yaml.Node) (int, *aliasBudgetError)
	size = func(n *yaml.Node) (int, *aliasBudgetError) {
		if s, ok := sizes[n]; ok {
			if s < 0 { // an alias inside what it refers to: no finite size
				return 0, &aliasBudgetError{at: nodePos(n)}
			}
			return s, nil
		}
		sizes[n] = -1
		total := 1
		children := n.Content
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			children = []*yaml.Node{n.Alias}
		}
		for _, c := range children {
			s, err := size(c)
			if err != nil {
				return 0, err
			}
			total += s
			if total > MaxExpandedNodes {
				return 0, &aliasBudgetError{at: nodePos(n)}
			}
		}
		sizes[n] = total
		return total, nil
	}
	_, err := size(doc)
	return err
}
