package engine

import "slices"

// Method names used in schemes, on the command line and in stored results.
const (
	ImputeNone      = "none"
	ImputeMean      = "mean"
	ImputeMedian    = "median"
	ImputeGroupMean = "group_mean"

	OutliersNone      = "none"
	OutliersWinsorise = "winsorise"

	NormMinMax      = "minmax"
	NormZScore      = "zscore"
	NormRank        = "rank"
	NormPercentile  = "percentile"
	NormTarget      = "target"
	NormGoalposts   = "goalposts"
	NormRubric      = "rubric"
	NormPassthrough = "passthrough"

	WeightFramework = "framework"
	WeightEqual     = "equal"
	WeightManual    = "manual"
	WeightAHP       = "ahp"
	WeightEntropy   = "entropy"
	WeightCRITIC    = "critic"
	WeightPCA       = "pca"

	AggArithmetic = "amean"
	AggGeometric  = "gmean"
	AggHarmonic   = "hmean"
	AggTOPSIS     = "topsis"
	AggFuzzy      = "fuzzy"

	MissingRenormalise = "renormalise"
	MissingThreshold   = "threshold"
)

// Known method names, in documentation order.
var (
	imputationMethods    = []string{ImputeNone, ImputeMean, ImputeMedian, ImputeGroupMean}
	outlierMethods       = []string{OutliersNone, OutliersWinsorise}
	normalisationMethods = []string{NormMinMax, NormZScore, NormRank, NormPercentile, NormTarget, NormGoalposts, NormRubric, NormPassthrough}
	weightingMethods     = []string{WeightFramework, WeightEqual, WeightManual, WeightAHP, WeightEntropy, WeightCRITIC, WeightPCA}
	aggregationMethods   = []string{AggArithmetic, AggGeometric, AggHarmonic, AggTOPSIS, AggFuzzy}
	missingRules         = []string{MissingRenormalise, MissingThreshold}
)

// Scheme is a complete scoring recipe: imputation → outlier treatment →
// normalisation → weighting → aggregation → rating. The zero value of each
// step means its default (see DefaultScheme); Overrides change the
// normalisation of chosen leaves or the aggregation of chosen parents.
type Scheme struct {
	Name          string        `json:"name,omitempty" yaml:"name,omitempty"`
	Imputation    Imputation    `json:"imputation" yaml:"imputation"`
	Outliers      Outliers      `json:"outliers" yaml:"outliers"`
	Normalisation Normalisation `json:"normalisation" yaml:"normalisation"`
	Weighting     Weighting     `json:"weighting" yaml:"weighting"`
	Aggregation   Aggregation   `json:"aggregation" yaml:"aggregation"`
	Rating        Rating        `json:"rating" yaml:"rating"`
	Overrides     []Override    `json:"overrides,omitempty" yaml:"overrides,omitempty"`
}

// Imputation fills missing raw values of a leaf before normalisation.
// Method is "none" (default), "mean", "median" or "group_mean"; Group names
// the Data attribute (e.g. "province") that defines the groups.
type Imputation struct {
	Method string `json:"method,omitempty" yaml:"method,omitempty"`
	Group  string `json:"group,omitempty" yaml:"group,omitempty"`
}

// Outliers configures outlier treatment of quantitative leaves, after
// COINr's qTreat and the OECD–JRC Handbook (2008): while |skewness| >
// SkewLimit and kurtosis > KurtLimit, the most extreme point on the skewed
// side is winsorised, up to MaxPoints distinct points (units); when the column is still
// skewed and Log is set, the original column is log-transformed instead.
type Outliers struct {
	Method    string  `json:"method,omitempty" yaml:"method,omitempty"`
	MaxPoints int     `json:"max_points,omitempty" yaml:"max_points,omitempty"` // default 5
	SkewLimit float64 `json:"skew_limit,omitempty" yaml:"skew_limit,omitempty"` // default 2
	KurtLimit float64 `json:"kurt_limit,omitempty" yaml:"kurt_limit,omitempty"` // default 3.5
	Log       bool    `json:"log,omitempty" yaml:"log,omitempty"`               // log-transform when winsorising is not enough
}

// Normalisation maps a leaf's raw values onto a common scale where higher is
// better. Low and High give the min-max range (both zero → [0,100]); Mean and
// SD rescale z-scores as Mean + SD·z (SD zero → plain z-scores).
//
// A scheme that does not set its normalisation (Method "") gets min-max to
// [0,100], except for the quantitative leaves whose parent aggregates by
// TOPSIS: they enter TOPSIS with their raw values and their direction, as
// in the textbook method (Hwang & Yoon 1981), which vector-normalises the
// raw values itself (see aggTopsis). A scheme that uses TOPSIS keeps an
// unset normalisation unset in its canonical form.
type Normalisation struct {
	Method string  `json:"method,omitempty" yaml:"method,omitempty"`
	Low    float64 `json:"low,omitempty" yaml:"low,omitempty"`
	High   float64 `json:"high,omitempty" yaml:"high,omitempty"`
	Mean   float64 `json:"mean,omitempty" yaml:"mean,omitempty"`
	SD     float64 `json:"sd,omitempty" yaml:"sd,omitempty"`
}

// Weighting chooses the sibling weights used at every parent. Method is
// "framework" (default: the weights in the framework file), "equal",
// "manual" (Weights by code; siblings without one keep the framework's),
// "ahp" (AHP holds, per parent code, the experts' pairwise comparison
// matrices over its children; "" is the top level), or a data-driven
// method computed from the children's scores across units: "entropy",
// "critic" or "pca".
type Weighting struct {
	Method  string             `json:"method,omitempty" yaml:"method,omitempty"`
	Weights map[string]float64 `json:"weights,omitempty" yaml:"weights,omitempty"`
	AHP     PairwiseJudgements `json:"ahp,omitempty" yaml:"ahp,omitempty"`
	// Variant options of the data-driven methods (see engine/weight).
	Entropy EntropyVariant `json:"entropy,omitempty" yaml:"entropy,omitempty"`
	CRITIC  CRITICVariant  `json:"critic,omitempty" yaml:"critic,omitempty"`
	PCA     PCAVariant     `json:"pca,omitempty" yaml:"pca,omitempty"`
}

// EntropyVariant selects the entropy weight variant: Preprocess "minmax"
// (default) or "proportion"; Shift is added before proportions are taken
// (0 = the convention 0·ln 0 = 0).
type EntropyVariant struct {
	Preprocess string  `json:"preprocess,omitempty" yaml:"preprocess,omitempty"`
	Shift      float64 `json:"shift,omitempty" yaml:"shift,omitempty"`
}

// CRITICVariant selects the standard deviation of CRITIC: "sample"
// (default) or "population".
type CRITICVariant struct {
	SD string `json:"sd,omitempty" yaml:"sd,omitempty"`
}

// PCAVariant selects the PCA weighting: Components forces the number of
// components (0 = OECD–JRC rule); NoRotation skips the varimax rotation.
type PCAVariant struct {
	Components int  `json:"components,omitempty" yaml:"components,omitempty"`
	NoRotation bool `json:"no_rotation,omitempty" yaml:"no_rotation,omitempty"`
}

// Aggregation combines children's scores into their parent's. Method is
// "amean" (default), "gmean", "hmean", "topsis" or "fuzzy". Missing is
// "renormalise" (default: weights renormalised over present children) or
// "threshold" (as renormalise, but the parent is missing when its coverage
// is below MinCoverage). Grades configure fuzzy comprehensive evaluation
// (nil → DefaultGrades).
type Aggregation struct {
	Method      string       `json:"method,omitempty" yaml:"method,omitempty"`
	Missing     string       `json:"missing,omitempty" yaml:"missing,omitempty"`
	MinCoverage float64      `json:"min_coverage,omitempty" yaml:"min_coverage,omitempty"`
	Grades      []FuzzyGrade `json:"grades,omitempty" yaml:"grades,omitempty"`
}

// FuzzyGrade is one evaluation grade of fuzzy comprehensive evaluation. Its
// membership function is the trapezoid (A, B, C, D) on the 0–100 score
// scale: 0 up to A, rising linearly to 1 at B, 1 up to C, falling to 0 at D
// (A = B or C = D give a vertical shoulder). Value is the grade's crisp
// score used to defuzzify.
type FuzzyGrade struct {
	Name  string  `json:"name" yaml:"name"`
	A     float64 `json:"a" yaml:"a"`
	B     float64 `json:"b" yaml:"b"`
	C     float64 `json:"c" yaml:"c"`
	D     float64 `json:"d" yaml:"d"`
	Value float64 `json:"value" yaml:"value"`
}

// Rating turns the overall score into stars. A unit gets the largest Stars
// whose Min its score reaches; 0 when below every threshold.
type Rating struct {
	Thresholds []StarThreshold `json:"thresholds,omitempty" yaml:"thresholds,omitempty"`
}

// StarThreshold is the minimum overall score for a number of stars.
type StarThreshold struct {
	Stars int     `json:"stars" yaml:"stars"`
	Min   float64 `json:"min" yaml:"min"`
}

// Override changes the normalisation of some leaves or the aggregation of
// some parents. When Codes is non-empty it applies to those indicators;
// otherwise it applies to every node at Level (0 = the root, whose
// aggregation gives the overall score; 1 = top-level indicators…). A
// normalisation override by code applies to a leaf of any kind; by level it
// applies to the quantitative leaves at that level. Later overrides win.
type Override struct {
	Codes         []string       `json:"codes,omitempty" yaml:"codes,omitempty"`
	Level         int            `json:"level,omitempty" yaml:"level,omitempty"`
	Normalisation *Normalisation `json:"normalisation,omitempty" yaml:"normalisation,omitempty"`
	Aggregation   *Aggregation   `json:"aggregation,omitempty" yaml:"aggregation,omitempty"`
}

// DefaultStarThresholds are sceval's own assumption (the 2012 programme did
// not publish its thresholds): 1★ ≥ 60, 2★ ≥ 75, 3★ ≥ 90.
func DefaultStarThresholds() []StarThreshold {
	return []StarThreshold{{Stars: 1, Min: 60}, {Stars: 2, Min: 75}, {Stars: 3, Min: 90}}
}

// DefaultGrades are sceval's default fuzzy grades 差/中/良/优 with the
// intervals [0,60), [60,75), [75,90), [90,100], each boundary blurred by
// ±5 points so that the memberships of any score sum to 1; each grade's
// Value is its interval's midpoint.
func DefaultGrades() []FuzzyGrade {
	return []FuzzyGrade{
		{Name: "差", A: 0, B: 0, C: 55, D: 65, Value: 30},
		{Name: "中", A: 55, B: 65, C: 70, D: 80, Value: 67.5},
		{Name: "良", A: 70, B: 80, C: 85, D: 95, Value: 82.5},
		{Name: "优", A: 85, B: 95, C: 100, D: 100, Value: 95},
	}
}

// DefaultScheme returns sceval's default scheme (DESIGN §3, an assumption):
// no imputation, no outlier treatment, min-max to [0,100] (the unset
// normalisation, so that the raw values of TOPSIS's textbook form apply when
// the aggregation is changed to topsis), the framework's
// weights (equal among siblings unless the file says otherwise), weighted
// arithmetic mean with weights renormalised over present children, and the
// default star thresholds.
func DefaultScheme() *Scheme {
	return &Scheme{
		Name:        "default",
		Imputation:  Imputation{Method: ImputeNone},
		Outliers:    Outliers{Method: OutliersNone},
		Weighting:   Weighting{Method: WeightFramework},
		Aggregation: Aggregation{Method: AggArithmetic, Missing: MissingRenormalise},
		Rating:      Rating{Thresholds: DefaultStarThresholds()},
	}
}

// OverrideAll forces a normalisation (of every quantitative leaf) and/or an
// aggregation (at every parent, the root included), as the CLI's
// --normalise and --aggregate do: the scheme's own setting is replaced and
// overrides of the same kind are dropped. A nil argument leaves that step
// alone.
func (s *Scheme) OverrideAll(n *Normalisation, a *Aggregation) {
	if n != nil {
		s.Normalisation = *n
	}
	if a != nil {
		s.Aggregation = *a
	}
	kept := s.Overrides[:0:0]
	for _, o := range s.Overrides {
		if n != nil {
			o.Normalisation = nil
		}
		if a != nil {
			o.Aggregation = nil
		}
		if o.Normalisation != nil || o.Aggregation != nil {
			kept = append(kept, o)
		}
	}
	s.Overrides = kept
}

// Clone returns a deep copy of the scheme.
func (s *Scheme) Clone() *Scheme {
	c := *s
	c.Weighting.Weights = cloneMap(s.Weighting.Weights)
	if s.Weighting.AHP != nil {
		c.Weighting.AHP = make(PairwiseJudgements, len(s.Weighting.AHP))
		for k, v := range s.Weighting.AHP {
			c.Weighting.AHP[k] = v // matrices are read-only to the engine
		}
	}
	c.Aggregation.Grades = slices.Clone(s.Aggregation.Grades)
	c.Rating.Thresholds = slices.Clone(s.Rating.Thresholds)
	c.Overrides = make([]Override, len(s.Overrides))
	for i, o := range s.Overrides {
		o.Codes = slices.Clone(o.Codes)
		if o.Normalisation != nil {
			n := *o.Normalisation
			o.Normalisation = &n
		}
		if o.Aggregation != nil {
			a := *o.Aggregation
			a.Grades = slices.Clone(a.Grades)
			o.Aggregation = &a
		}
		c.Overrides[i] = o
	}
	if len(c.Overrides) == 0 {
		c.Overrides = nil
	}
	return &c
}

func cloneMap(m map[string]float64) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
