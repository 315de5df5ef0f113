package report

import (
	"math"
	"strconv"

	"github.com/sceval/sceval/engine"
)

// pilotRound is the score as displayed (engine.DisplayScore): the charts show
// the figures the tables print.
func pilotRound(x float64) float64 { return engine.DisplayScore(x) }

func pilotItoa(n int) string { return strconv.Itoa(n) }

// pilotScore prints a score with two decimals, or "–".
func pilotScore(x *float64) string {
	if x == nil || math.IsNaN(*x) {
		return "–"
	}
	return strconv.FormatFloat(*x, 'f', 2, 64)
}
