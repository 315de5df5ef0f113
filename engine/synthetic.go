package engine

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/sceval/sceval/framework"
)

// Synthetic returns deterministic synthetic data for fw, for benchmarks and
// demonstrations: units U000001…, attribute "province" (P01–P31), and per
// leaf a value driven by a unit's latent quality z ~ N(0,1) plus noise,
// v = 0.6·z + 0.8·ε (so leaves correlate at about 0.36), shaped by kind:
//
//	quantitative: 100·exp(0.5·v) (right-skewed, positive); the direction
//	              flips the latent sign for lower-is-better leaves
//	rubric:       level 1..n from the normal CDF of v
//	expert:       60 + 15·v clamped to [0,100]
//
// About 3% of values are missing (NaN). The same (fw, units, seed) always
// gives the same data.
func Synthetic(fw *framework.Framework, units int, seed uint64) *Data {
	leaves := fw.Leaves()
	codes := make([]string, len(leaves))
	for j, l := range leaves {
		codes[j] = l.Code
	}
	ids := make([]string, units)
	prov := make([]string, units)
	for u := range ids {
		ids[u] = fmt.Sprintf("U%06d", u+1)
	}
	d := NewData(ids, codes)
	rng := rand.New(rand.NewPCG(seed, 0x5ce7a1))
	for u := range units {
		prov[u] = fmt.Sprintf("P%02d", 1+rng.IntN(31))
		z := rng.NormFloat64()
		for j, l := range leaves {
			v := 0.6*z*l.Sign() + 0.8*rng.NormFloat64()
			if rng.Float64() < 0.03 {
				continue
			}
			d.Set(u, j, syntheticValue(l, v))
		}
	}
	d.Attrs = map[string][]string{"province": prov}
	return d
}

func syntheticValue(l *framework.Indicator, v float64) float64 {
	switch l.Kind {
	case framework.Rubric:
		n := max(len(l.Rubric), 1)
		p := 0.5 * math.Erfc(-v/math.Sqrt2)
		return float64(min(n, 1+int(p*float64(n))))
	case framework.Expert:
		return clamp(math.Round(60+15*v), 0, 100)
	}
	return math.Round(100*math.Exp(0.5*v)*100) / 100
}
