// Package agreement measures how far the experts of a review panel agree:
// Kendall's coefficient of concordance W, intraclass correlation
// coefficients (Shrout & Fleiss 1979) and the detection of outlying
// raters.
//
// Every function takes scores [][]float64 with scores[i][j] the score
// rater i gave item j (m raters × n items; items are the units or
// indicators under review). Kendall's W and the ICCs need a complete
// design and reject NaN; OutlierRaters skips missing scores. The package
// does no I/O.
package agreement

import (
	"fmt"
	"math"
)

// checkComplete validates an m×n score matrix with no missing values and
// at least minRaters raters and minItems items.
func checkComplete(scores [][]float64, minRaters, minItems int) (m, n int, err error) {
	m = len(scores)
	if m < minRaters {
		return 0, 0, fmt.Errorf("%d raters, need at least %d", m, minRaters)
	}
	n = len(scores[0])
	if n < minItems {
		return 0, 0, fmt.Errorf("%d items, need at least %d", n, minItems)
	}
	for i, row := range scores {
		if len(row) != n {
			return 0, 0, fmt.Errorf("rater %d scored %d items, rater 1 scored %d", i+1, len(row), n)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("rater %d, item %d: score %v (a complete, finite design is needed)", i+1, j+1, v)
			}
		}
	}
	return m, n, nil
}
