package platform

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
)

// Scoring modes of a cycle (Scoring.Mode).
const (
	// ScoringAbsolute: every pilot is scored against fixed references
	// (goalposts, rubric scores, expert scores), so its score and stars do
	// not depend on which other pilots are in the cycle.
	ScoringAbsolute = "absolute"
	// ScoringRelative: some step of the scheme uses the cohort (min-max,
	// z-score, rank, imputation from other pilots, data-driven weights…).
	ScoringRelative = "relative"
)

// Scoring says how a cycle's scheme scores and, when relative, which steps
// make it so.
type Scoring struct {
	Mode string `json:"mode" enum:"absolute,relative"`
	// Relative lists the steps that depend on the cohort (empty when absolute).
	Relative []string `json:"relative,omitempty"`
}

// AbsoluteScheme is the default scheme of a cycle (DESIGN §3: cycles score
// absolutely): quantitative leaves against their framework goalposts
// (engine "goalposts": 100·(x−low)/(high−low), clipped), rubric leaves by
// their rubric, expert leaves as given; framework weights, weighted
// arithmetic mean renormalised over present children; no imputation and no
// outlier treatment, both of which would borrow from the other pilots.
func AbsoluteScheme() *engine.Scheme {
	s := engine.DefaultScheme()
	s.Name = "absolute"
	s.Normalisation = engine.Normalisation{Method: engine.NormGoalposts}
	return s
}

// relativeNormalisations are the normalisations computed from the cohort.
// "target" is one too: its worst end is the lowest observed value (COINr
// n_dist2targ).
var relativeNormalisations = []string{engine.NormMinMax, engine.NormZScore, engine.NormRank, engine.NormPercentile, engine.NormTarget}

// ScoringOf classifies a parsed scheme: absolute unless a step uses the
// cohort. Normalisations that apply only to rubric or expert leaves (their
// own methods) do not count.
func ScoringOf(s *engine.Scheme) Scoring {
	var rel []string
	if slices.Contains(relativeNormalisations, s.Normalisation.Method) {
		rel = append(rel, "normalisation: "+s.Normalisation.Method)
	}
	for i, o := range s.Overrides {
		if o.Normalisation != nil && slices.Contains(relativeNormalisations, o.Normalisation.Method) {
			rel = append(rel, fmt.Sprintf("overrides[%d].normalisation: %s", i, o.Normalisation.Method))
		}
		if o.Aggregation != nil && o.Aggregation.Method == engine.AggTOPSIS {
			rel = append(rel, fmt.Sprintf("overrides[%d].aggregation: topsis", i))
		}
	}
	if m := s.Imputation.Method; m != "" && m != engine.ImputeNone {
		rel = append(rel, "imputation: "+m)
	}
	if s.Outliers.Method == engine.OutliersWinsorise {
		rel = append(rel, "outliers: winsorise")
	}
	switch s.Weighting.Method {
	case engine.WeightEntropy, engine.WeightCRITIC, engine.WeightPCA:
		rel = append(rel, "weighting: "+s.Weighting.Method)
	}
	if s.Aggregation.Method == engine.AggTOPSIS {
		rel = append(rel, "aggregation: topsis")
	}
	if len(rel) > 0 {
		return Scoring{Mode: ScoringRelative, Relative: rel}
	}
	return Scoring{Mode: ScoringAbsolute}
}

// scoringOfStored classifies a stored scheme (absolute when unreadable, which
// never happens for a scheme the service validated).
func scoringOfStored(raw json.RawMessage) Scoring {
	s, err := engine.ParseScheme("scheme", raw)
	if err != nil {
		return Scoring{}
	}
	return ScoringOf(s)
}

// leavesWithoutGoalposts lists the quantitative leaves that the scheme
// normalises by goalposts but whose framework gives none: absolute scoring
// cannot score them.
func leavesWithoutGoalposts(fw *framework.Framework, s *engine.Scheme) []string {
	if s.Normalisation.Method != engine.NormGoalposts {
		return nil
	}
	overridden := map[string]bool{}
	for _, o := range s.Overrides {
		if o.Normalisation != nil {
			for _, c := range o.Codes {
				overridden[c] = true
			}
		}
	}
	var out []string
	for _, l := range fw.Leaves() {
		if (l.Kind == framework.Quantitative || l.Kind == "") && l.Goalposts == nil && !overridden[l.Code] {
			out = append(out, l.Code)
		}
	}
	return out
}

// joinCodes lists codes for a message, eliding after max.
func joinCodes(codes []string, max int) string {
	if len(codes) <= max {
		return strings.Join(codes, ", ")
	}
	return fmt.Sprintf("%s … (%d in all)", strings.Join(codes[:max], ", "), len(codes))
}
