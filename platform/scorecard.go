package platform

import (
	"time"

	"github.com/sceval/sceval/framework"
)

// Scorecard is one pilot's result in one cycle, explained: its profile, its
// total with rank and stars, every indicator with value, score, peer median
// and contribution to the total, the largest gaps, its trend across the
// cycles of the same framework, coverage, the expert review's summary and
// the method. Service.Scorecard builds it; the scorecard page and the pilot
// report render it.
type Scorecard struct {
	Pilot Pilot     `json:"pilot"`
	Cycle Cycle     `json:"cycle"`
	Run   ResultRun `json:"run"`
	// FrameworkName is the cycle's framework's name.
	FrameworkName framework.Text `json:"framework_name"`
	// Total is the overall score (nil when missing).
	Total *float64 `json:"total"`
	// Rank is the rank among all ranked pilots of the cycle (nil when the
	// pilot is not ranked); Ranked is how many pilots are ranked.
	Rank   *int `json:"rank"`
	Ranked int  `json:"ranked"`
	// TypeRank is the rank among the ranked pilots of the same type
	// (TypeRanked of them), decided on the displayed score as the engine
	// ranks (engine.DisplayScore): ties share the smallest rank.
	TypeRank   *int `json:"type_rank"`
	TypeRanked int  `json:"type_ranked"`
	// Stars is the star rating (nil when the pilot is not rated); MostStars
	// is the cycle's highest rating.
	Stars     *int `json:"stars"`
	MostStars int  `json:"most_stars"`
	// Flagged is true when the pilot's coverage is below the cycle's
	// threshold: scored, but neither ranked nor rated.
	Flagged bool `json:"flagged"`
	// Coverage is the share of the pilot's applicable leaves with data;
	// Missing lists the applicable leaves without data and NotApplicable
	// the leaves the pilot marked not applicable.
	Coverage      float64  `json:"coverage"`
	Missing       []string `json:"missing,omitempty"`
	NotApplicable []string `json:"not_applicable,omitempty"`
	// Comparison is true when the caller may read the cycle's ranking: the
	// peer medians, the rank among the type and the gaps to the median are
	// set only then (a pilot reading its own result before publication
	// learns nothing about the others).
	Comparison bool `json:"comparison"`
	// Peers is the number of ranked pilots of the same type whose scores
	// give the peer medians.
	Peers int `json:"peers"`
	// Nodes are every indicator of the framework in pre-order (first level,
	// its second level, their leaves…), the root left out.
	Nodes []ScorecardNode `json:"nodes"`
	// Gaps are the leaves furthest below the peer median (weighted: points
	// of the total), largest first, then by the weighted gap to the maximum;
	// Strengths the leaves furthest above the median.
	Gaps      []ScorecardNode `json:"gaps"`
	Strengths []ScorecardNode `json:"strengths"`
	// Trend is the pilot's results in the cycles of the same framework that
	// the caller may read, oldest first (the scorecard's cycle included).
	Trend []TrendPoint `json:"trend"`
	// Experts summarises the expert review of the pilot's submission; nil
	// when no review was submitted.
	Experts *ExpertSummary `json:"experts,omitempty"`
	// Method describes how the scores were computed.
	Method MethodNote `json:"method"`
	// Demo is true when the cycle holds fictional demonstration data.
	Demo bool `json:"demo"`
}

// ScorecardNode is one indicator on a pilot's scorecard.
type ScorecardNode struct {
	Code   string         `json:"code"`
	Name   framework.Text `json:"name"`
	Level  int            `json:"level"`
	Parent string         `json:"parent,omitempty"`
	Leaf   bool           `json:"leaf"`
	Kind   string         `json:"kind,omitempty"`
	Unit   string         `json:"unit,omitempty"`
	// Weight is the indicator's weight among its siblings (framework);
	// EffectiveWeight the product of the weights on the path from the root,
	// each renormalised over the siblings the pilot has a score for — the
	// engine's weights under the default scheme.
	Weight          float64 `json:"weight"`
	EffectiveWeight float64 `json:"effective_weight"`
	// Value and RubricLevel are what the pilot reported (leaves);
	// RubricLabel names the level.
	Value         *float64       `json:"value,omitempty"`
	RubricLevel   *int           `json:"rubric_level,omitempty"`
	RubricLabel   framework.Text `json:"rubric_label"`
	NotApplicable bool           `json:"not_applicable,omitempty"`
	Score         *float64       `json:"score"`
	Rank          *int           `json:"rank"`
	Coverage      float64        `json:"coverage"`
	// PeerMedian is the median score of the ranked pilots of the same type
	// (nil without Scorecard.Comparison).
	PeerMedian *float64 `json:"peer_median"`
	// Share is the engine's contribution to the parent: w'·score / parent
	// score (w' the weight renormalised over present siblings).
	Share *float64 `json:"share"`
	// Contribution is the node's contribution to the total in points: the
	// total × the product of the shares on the path from the root, which
	// is effective weight × score under the arithmetic mean; the
	// contributions of the first-level indicators (and of all leaves) sum
	// to the total.
	Contribution *float64 `json:"contribution"`
	// GapMedian is EffectiveWeight × (PeerMedian − Score): the points of the
	// total the pilot is below (positive) or above (negative) the median;
	// GapMax is EffectiveWeight × (100 − Score), the points still to gain.
	GapMedian *float64 `json:"gap_median"`
	GapMax    *float64 `json:"gap_max"`
	// Expert is the combined expert score and comments of a leaf.
	Expert *ExpertLeaf `json:"expert,omitempty"`
}

// TrendPoint is the pilot's result in one cycle.
type TrendPoint struct {
	CycleID   int64    `json:"cycle_id"`
	CycleName string   `json:"cycle_name"`
	Year      int      `json:"year"`
	Total     *float64 `json:"total"`
	Rank      *int     `json:"rank"`
	Stars     *int     `json:"stars"`
	// First holds the first-level scores by code.
	First map[string]*float64 `json:"first"`
}

// ExpertSummary is the expert review of the pilot's submission.
type ExpertSummary struct {
	Reviews int           `json:"reviews"`
	Method  CombineMethod `json:"method"`
	Mode    ExpertMode    `json:"mode"`
	Blind   bool          `json:"blind"`
	// Masked is true when the experts are shown as 专家 1, 2… instead of
	// their names (a blind cycle seen by anyone but the ministry).
	Masked bool `json:"masked"`
	// Total is the expert total (expert mode "total").
	Total *float64 `json:"total,omitempty"`
	// Comments counts the comments on the pilot's leaves.
	Comments int `json:"comments"`
}

// ExpertLeaf is one leaf's combined expert score and comments.
type ExpertLeaf struct {
	Score    float64         `json:"score"`
	Experts  int             `json:"experts"`
	Comments []ExpertComment `json:"comments,omitempty"`
}

// ExpertComment is one expert's comment on a leaf.
type ExpertComment struct {
	// Expert is the expert's name, or "专家 N" / "Expert N" when masked
	// (Scorecard.Experts.Masked), numbered in assignment order.
	Expert  string `json:"expert"`
	Number  int    `json:"number"`
	Comment string `json:"comment"`
}

// MethodNote says how a cycle's scores were computed.
type MethodNote struct {
	Normalisation string  `json:"normalisation"`
	Weighting     string  `json:"weighting"`
	Aggregation   string  `json:"aggregation"`
	Scoring       Scoring `json:"scoring"`
	// Thresholds are the star thresholds, lowest first (stars, minimum).
	Thresholds []StarLine `json:"thresholds"`
	ComputedAt time.Time  `json:"computed_at"`
	InputHash  string     `json:"input_hash"`
	// DefaultWeights is true when the weights are the framework's
	// defaults (equal among siblings), sceval's assumption, not official.
	DefaultWeights bool `json:"default_weights"`
}

// StarLine is one star threshold.
type StarLine struct {
	Stars int     `json:"stars"`
	Min   float64 `json:"min"`
}

// PeerScores are some pilots' scores and ranks at every node of a stored
// run: Scores[code][k] is PilotIDs[k]'s score (NaN when missing),
// Ranks[code][k] its rank (0 when missing or not ranked).
type PeerScores struct {
	PilotIDs []int64
	Scores   map[string][]float64
	Ranks    map[string][]int32
}

// scorecardGapCount is how many gaps and strengths a scorecard lists.
const scorecardGapCount = 10

// Lead is how far the node is above the peer median in points of the
// total (−GapMedian); nil without a median.
func (n ScorecardNode) Lead() *float64 {
	if n.GapMedian == nil {
		return nil
	}
	v := -*n.GapMedian
	return &v
}
