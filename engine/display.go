package engine

import (
	"math"
	"strconv"
)

// ScoreDecimals is the precision at which scores are displayed (tables,
// pages, reports: "75.00") and at which the engine decides everything
// derived from a score: star thresholds, ranks and ties (DESIGN §3, "stars,
// ranks and ties agree with the score as displayed").
const ScoreDecimals = 2

// DisplayScore returns the score a person reads when v is printed with
// ScoreDecimals decimals, as a float64: the decimal nearest to v with two
// decimals, exactly as strconv.FormatFloat(v, 'f', 2, 64) and fmt's %.2f
// round it (correct rounding of v's exact binary value; an exact half goes
// to the even neighbour). So 74.99999999999994 → 75 and 60.004999 → 60.
// Stars compare DisplayScore(score) with their thresholds, and ranks and
// ties compare DisplayScore of the scores, so a score shown as 75.00 is never
// rated below a threshold of 75 nor ranked below another 75.00.
//
// Magnitudes of 10¹³ and more (far outside the 0–100 scale) are returned
// unchanged; NaN stays NaN.
func DisplayScore(v float64) float64 {
	if !(math.Abs(v) < 1e13) {
		return v
	}
	// An integer over 100 is the float64 nearest to the two-decimal number,
	// which is what parsing its printed form gives.
	return displayCents(v) / 100
}

// displayCents returns 100·DisplayScore(v), an integer, for |v| < 10¹³
// (v·100 beyond: ordered alike, as ranking needs, and far from any score);
// the ranker compares it, which spares a division per score.
func displayCents(v float64) float64 {
	x := v * 100
	if !(math.Abs(v) < 1e13) {
		return x
	}
	// v·100 is within half an ulp (< 10⁻³ for |x| < 10¹⁵) of the exact
	// product, so unless its fraction is within 10⁻⁶ of ½ it rounds as the
	// exact value does; near a half the formatter decides exactly.
	if f := math.Abs(x - math.Trunc(x)); math.Abs(f-0.5) < 1e-6 {
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', ScoreDecimals, 64), 64)
		return math.Round(r * 100)
	}
	return roundHalfAway(x)
}

// Stars returns the rating of an overall score under the thresholds: the
// most stars whose Min the displayed score (DisplayScore) reaches, 0 below
// every threshold, -1 when the score is missing (NaN).
func (r Rating) Stars(score float64) int {
	if score != score {
		return -1
	}
	shown, out := DisplayScore(score), 0
	for _, t := range r.Thresholds {
		if shown >= t.Min && t.Stars > out {
			out = t.Stars
		}
	}
	return out
}
