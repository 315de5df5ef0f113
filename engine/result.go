package engine

// Result holds the scores of every unit at every node of a framework, with
// ranks, coverage, contributions and star ratings, and the hash of the
// inputs that produced them.
type Result struct {
	// FrameworkID is the framework's ID (the root node's code).
	FrameworkID string
	// Units are the unit identifiers, as in the input Data.
	Units []string
	// Nodes[0] is the root (Code = framework ID, Level 0, Parent -1), then
	// every indicator in pre-order (file order).
	Nodes []Node
	// Score holds len(Units)*len(Nodes) values, row-major by unit; NaN is
	// missing. A leaf's score is its normalised value.
	Score []float64
	// Rank has the layout of Score: 1 is best, ties share the minimum rank
	// ("1, 2, 2, 4"), 0 is missing.
	Rank []int32
	// Coverage has the layout of Score: the share, by effective weight
	// within the node, of the node's leaves reported for the unit (before
	// imputation); 1 or 0 at a leaf.
	Coverage []float64
	// Contribution has the layout of Score: w'·x_child / x_parent with w'
	// the child's weight renormalised over present children; for the
	// arithmetic mean the present children's contributions sum to 1. NaN at
	// the root, for missing children and when the parent's score is 0.
	Contribution []float64
	// Stars holds each unit's star rating from its overall score: 0 below
	// the lowest threshold, -1 when the overall score is missing.
	Stars []int
	// Weights holds, per node, the sibling weight actually used (after any
	// data-driven weighting); 1 at the root.
	Weights []float64
	// EffectiveWeights holds, per node, the product of the sibling weights
	// on the path from the root.
	EffectiveWeights []float64
	// Warnings lists everything the caller should know: constant columns,
	// imputed and winsorised values, inconsistent AHP judgements…
	Warnings []string
	// Hash is the hex SHA-256 over the canonical framework JSON, the
	// scheme's Canonical form and the data (units, codes, value bits,
	// attributes).
	Hash string
}

// Node is one node of the scored tree.
type Node struct {
	Code     string
	Level    int
	Parent   int
	Children []int
	// Column is the leaf's column in Data; -1 for parents and for leaves
	// without a column in the data.
	Column int
}

// NodeIndex returns the index in Nodes of the node with the given code (the
// framework ID for the root), or -1.
func (r *Result) NodeIndex(code string) int {
	for i, n := range r.Nodes {
		if n.Code == code {
			return i
		}
	}
	return -1
}

// At returns the score of unit u at node n.
func (r *Result) At(unit, node int) float64 { return r.Score[unit*len(r.Nodes)+node] }

// RankAt returns the rank of unit u at node n (0 when missing).
func (r *Result) RankAt(unit, node int) int32 { return r.Rank[unit*len(r.Nodes)+node] }
