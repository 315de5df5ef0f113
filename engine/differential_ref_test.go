package engine_test

import (
	"math"
	"sort"
	"strconv"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
)

// This file is the reference implementation of the differential test: the
// scoring pipeline written as plainly as possible, unit by unit and node by
// node, from the formulas in docs/methods.md, sharing no code with the
// engine (only its exported types and method names). Slow and obvious on
// purpose.

// refNode is one node of the reference tree.
type refNode struct {
	code     string
	ind      *framework.Indicator // nil at the root
	children []*refNode
	parent   *refNode
}

// refResult holds per-node scores, coverage and ranks, by code.
type refResult struct {
	score map[string][]float64
	cover map[string][]float64
	rank  map[string][]int32
	stars []int
}

func refTree(fw *framework.Framework) *refNode {
	root := &refNode{code: fw.ID}
	var add func(p *refNode, list []*framework.Indicator)
	add = func(p *refNode, list []*framework.Indicator) {
		for _, ind := range list {
			n := &refNode{code: ind.Code, ind: ind, parent: p}
			p.children = append(p.children, n)
			add(n, ind.Children)
		}
	}
	add(root, fw.Indicators)
	return root
}

// refScore scores data d under a scheme whose imputation and outliers are
// none, weighting the framework's (every weight given), one normalisation
// for every leaf and one aggregation at every parent.
func refScore(fw *framework.Framework, d *engine.Data, norm engine.Normalisation, agg engine.Aggregation, th []engine.StarThreshold) *refResult {
	n := len(d.Units)
	res := &refResult{score: map[string][]float64{}, cover: map[string][]float64{}, rank: map[string][]int32{}}
	lowerRaw := map[string]bool{}
	var walk func(nd *refNode)
	walk = func(nd *refNode) {
		if len(nd.children) == 0 {
			col := make([]float64, n)
			cov := make([]float64, n)
			j := -1
			for k, c := range d.Codes {
				if c == nd.code {
					j = k
				}
			}
			for u := range col {
				col[u] = math.NaN()
				if j >= 0 {
					col[u] = d.Values[u*len(d.Codes)+j]
				}
				if !math.IsNaN(col[u]) {
					cov[u] = 1
				}
			}
			m := norm
			if m.Method == "" {
				if agg.Method == engine.AggTOPSIS {
					m.Method = "raw"
					lowerRaw[nd.code] = nd.ind.Direction < 0
				} else {
					m = engine.Normalisation{Method: engine.NormMinMax, Low: 0, High: 100}
				}
			}
			res.score[nd.code] = refNormalise(col, m, nd.ind)
			res.cover[nd.code] = cov
			return
		}
		for _, c := range nd.children {
			walk(c)
		}
		w := make([]float64, len(nd.children))
		sum := 0.0
		for k, c := range nd.children {
			w[k] = *c.ind.Weight
			sum += w[k]
		}
		for k := range w {
			w[k] /= sum
		}
		cov := make([]float64, n)
		for u := range cov {
			for k, c := range nd.children {
				cov[u] += w[k] * res.cover[c.code][u]
			}
		}
		res.cover[nd.code] = cov
		cols := make([][]float64, len(nd.children))
		lower := make([]bool, len(nd.children))
		for k, c := range nd.children {
			cols[k] = res.score[c.code]
			lower[k] = lowerRaw[c.code]
		}
		var out []float64
		switch agg.Method {
		case engine.AggTOPSIS:
			out = refTopsis(cols, w, lower)
		case engine.AggFuzzy:
			out = refFuzzy(cols, w)
		default:
			out = make([]float64, n)
			for u := range out {
				x := make([]float64, len(cols))
				for k := range cols {
					x[k] = cols[k][u]
				}
				out[u] = refMean(agg.Method, x, w)
			}
		}
		if agg.Missing == engine.MissingThreshold {
			for u := range out {
				if cov[u] < agg.MinCoverage {
					out[u] = math.NaN()
				}
			}
		}
		res.score[nd.code] = out
	}
	root := refTree(fw)
	walk(root)
	for code, s := range res.score {
		res.rank[code] = refRanks(s, lowerRaw[code])
	}
	res.stars = make([]int, n)
	for u, v := range res.score[fw.ID] {
		if math.IsNaN(v) {
			res.stars[u] = -1
			continue
		}
		for _, t := range th {
			if shown(v) >= t.Min && t.Stars > res.stars[u] {
				res.stars[u] = t.Stars
			}
		}
	}
	return res
}

// shown is the score as printed with two decimals.
func shown(v float64) float64 {
	s, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 2, 64), 64)
	return s
}

// refRanks: 1 + the number of units whose displayed score is better; 0
// when missing. Raw values of a lower-is-better leaf rank lowest first.
func refRanks(s []float64, lowerBetter bool) []int32 {
	r := make([]int32, len(s))
	for u, v := range s {
		if math.IsNaN(v) {
			continue
		}
		r[u] = 1
		for _, w := range s {
			if math.IsNaN(w) {
				continue
			}
			if (!lowerBetter && shown(w) > shown(v)) || (lowerBetter && shown(w) < shown(v)) {
				r[u]++
			}
		}
	}
	return r
}

func present(x []float64) []float64 {
	var p []float64
	for _, v := range x {
		if !math.IsNaN(v) {
			p = append(p, v)
		}
	}
	return p
}

func refNormalise(x []float64, m engine.Normalisation, ind *framework.Indicator) []float64 {
	s := 1.0
	if ind.Direction < 0 {
		s = -1
	}
	p := present(x)
	out := make([]float64, len(x))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range p {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	mean, sd := 0.0, 0.0
	for _, v := range p {
		mean += v
	}
	mean /= float64(len(p))
	for _, v := range p {
		sd += (v - mean) * (v - mean)
	}
	if len(p) > 1 {
		sd = math.Sqrt(sd / float64(len(p)-1))
	}
	for u, v := range x {
		if math.IsNaN(v) {
			out[u] = math.NaN()
			continue
		}
		switch m.Method {
		case engine.NormMinMax:
			switch {
			case hi == lo:
				out[u] = (m.Low + m.High) / 2
			case s > 0:
				out[u] = m.Low + (m.High-m.Low)*(v-lo)/(hi-lo)
			default:
				out[u] = m.Low + (m.High-m.Low)*(hi-v)/(hi-lo)
			}
		case engine.NormZScore:
			mu, sigma := m.Mean, m.SD
			if sigma == 0 {
				mu, sigma = 0, 1
			}
			if sd == 0 {
				out[u] = mu
			} else {
				out[u] = mu + sigma*s*(v-mean)/sd
			}
		case engine.NormRank, engine.NormPercentile:
			if len(p) == 1 {
				out[u] = 50
				continue
			}
			below, equal := 0, 0
			for _, w := range p {
				switch {
				case s*w < s*v:
					below++
				case w == v:
					equal++
				}
			}
			r := float64(below+1) + float64(equal-1)/2 // average rank
			if m.Method == engine.NormPercentile {
				r = float64(below + 1) // minimum rank
			}
			out[u] = 100 * (r - 1) / float64(len(p)-1)
		case engine.NormTarget:
			worst := lo
			if s < 0 {
				worst = hi
			}
			den := *ind.Target - worst
			if den == 0 || (den < 0) != (s < 0) {
				out[u] = 100
			} else {
				out[u] = math.Max(0, math.Min(100, 100*(v-worst)/den))
			}
		case engine.NormGoalposts:
			g := ind.Goalposts
			if s > 0 {
				out[u] = math.Max(0, math.Min(100, 100*(v-g.Low)/(g.High-g.Low)))
			} else {
				out[u] = math.Max(0, math.Min(100, 100*(g.High-v)/(g.High-g.Low)))
			}
		default: // passthrough, raw
			out[u] = v
		}
	}
	return out
}

// refMean is the weighted arithmetic, geometric or harmonic mean of the
// present x, weights renormalised over them; 0 counts as 0.01 in the
// geometric and harmonic means.
func refMean(method string, x, w []float64) float64 {
	ws, acc := 0.0, 0.0
	for k, v := range x {
		if math.IsNaN(v) {
			continue
		}
		ws += w[k]
	}
	if ws == 0 {
		return math.NaN()
	}
	for k, v := range x {
		if math.IsNaN(v) {
			continue
		}
		if v == 0 && method != engine.AggArithmetic {
			v = 0.01
		}
		switch method {
		case engine.AggArithmetic:
			acc += w[k] / ws * v
		case engine.AggGeometric:
			acc += w[k] / ws * math.Log(v)
		case engine.AggHarmonic:
			acc += w[k] / ws / v
		}
	}
	switch method {
	case engine.AggGeometric:
		return math.Exp(acc)
	case engine.AggHarmonic:
		return 1 / acc
	}
	return acc
}

// refTopsis is TOPSIS (Hwang & Yoon 1981) over the units, missing values
// left out of the norms and of the distances.
func refTopsis(cols [][]float64, w []float64, lower []bool) []float64 {
	n := len(cols[0])
	dp, dm := make([]float64, n), make([]float64, n)
	any := make([]bool, n)
	for k, c := range cols {
		p := present(c)
		if len(p) == 0 {
			continue
		}
		norm := 0.0
		for _, v := range p {
			norm += v * v
		}
		norm = math.Sqrt(norm)
		v := func(x float64) float64 {
			if norm == 0 {
				return 0
			}
			return w[k] * x / norm
		}
		best, worst := math.Inf(-1), math.Inf(1)
		for _, x := range p {
			best, worst = math.Max(best, v(x)), math.Min(worst, v(x))
		}
		if lower[k] {
			best, worst = worst, best
		}
		for u, x := range c {
			if math.IsNaN(x) {
				continue
			}
			any[u] = true
			dp[u] += (v(x) - best) * (v(x) - best)
			dm[u] += (v(x) - worst) * (v(x) - worst)
		}
	}
	out := make([]float64, n)
	for u := range out {
		p, m := math.Sqrt(dp[u]), math.Sqrt(dm[u])
		switch {
		case !any[u]:
			out[u] = math.NaN()
		case p+m == 0:
			out[u] = 50
		default:
			out[u] = 100 * m / (p + m)
		}
	}
	return out
}

// refFuzzy is fuzzy comprehensive evaluation with the default grades
// (docs/methods.md §7): trapezoidal memberships, each row normalised, B =
// Σ w·r over present children, normalised, defuzzified by the grade values.
func refFuzzy(cols [][]float64, w []float64) []float64 {
	type grade struct{ a, b, c, d, value float64 }
	gs := []grade{{0, 0, 55, 65, 30}, {55, 65, 70, 80, 67.5}, {70, 80, 85, 95, 82.5}, {85, 95, 100, 100, 95}}
	member := func(x float64, g grade, first, last bool) float64 {
		switch {
		case x < g.b && first:
			return 1
		case x < g.b && x <= g.a:
			return 0
		case x < g.b:
			return (x - g.a) / (g.b - g.a)
		case x <= g.c || last:
			return 1
		case x >= g.d:
			return 0
		}
		return (g.d - x) / (g.d - g.c)
	}
	n := len(cols[0])
	out := make([]float64, n)
	for u := range out {
		b := make([]float64, len(gs))
		for k, c := range cols {
			x := c[u]
			if math.IsNaN(x) {
				continue
			}
			row := make([]float64, len(gs))
			sum := 0.0
			for g := range gs {
				row[g] = member(x, gs[g], g == 0, g == len(gs)-1)
				sum += row[g]
			}
			for g := range gs {
				if sum > 0 {
					b[g] += w[k] * row[g] / sum
				}
			}
		}
		tot, crisp := 0.0, 0.0
		for g := range gs {
			tot += b[g]
			crisp += b[g] * gs[g].value
		}
		out[u] = math.NaN()
		if tot > 0 {
			out[u] = crisp / tot
		}
	}
	return out
}

// sortedCopy is used by the test to describe columns in failure messages.
func sortedCopy(x []float64) []float64 {
	c := append([]float64(nil), x...)
	sort.Float64s(c)
	return c
}
