package engine

import (
	"testing"

	"github.com/sceval/sceval/framework"
)

// The built-in frameworks score their own synthetic data under every
// aggregation, with 4/11/57 nodes for the MOHURD 2012 seed.
func TestBuiltinFrameworks(t *testing.T) {
	for _, id := range framework.BuiltinIDs() {
		fw, ok := framework.Builtin(id)
		if !ok {
			t.Fatalf("builtin %s missing", id)
		}
		d := Synthetic(fw, 500, 1)
		for _, m := range aggregationMethods {
			s := DefaultScheme()
			s.Normalisation = Normalisation{Method: NormMinMax, Low: 1, High: 100}
			s.Aggregation.Method = m
			r, err := Score(fw, d, s)
			if err != nil {
				t.Fatalf("%s/%s: %v", id, m, err)
			}
			levels := map[int]int{}
			for _, nd := range r.Nodes {
				levels[nd.Level]++
			}
			if id == "mohurd-2012" && (levels[1] != 4 || levels[2] != 11 || levels[3] != 57) {
				t.Fatalf("%s: nodes per level %v, want 4/11/57", id, levels)
			}
			if st := r.Stars[0]; st < -1 || st > 3 {
				t.Fatalf("%s/%s: stars %d", id, m, st)
			}
		}
	}
}
