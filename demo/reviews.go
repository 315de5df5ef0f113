package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// demoExpert is a FICTIONAL expert of the demo panels.
type demoExpert struct {
	name, province, organisation, username string
	// bias shifts every score the expert gives (points); one expert is far
	// off so that the agreement view shows an outlier.
	bias float64
}

// demoExperts are fictional people at real kinds of institutions, in
// provinces other than most pilots', each linked to a user name
// (demo-expert-1…): `serve --demo` creates the accounts demo-expert-1 to
// demo-expert-3, who see their reviews when they sign in.
var demoExperts = []demoExpert{
	{"【演示】周明远", "32", "东南大学建筑学院", "demo-expert-1", 0},
	{"【演示】陈思齐", "33", "浙江大学公共管理学院", "demo-expert-2", 3},
	{"【演示】刘嘉禾", "44", "中山大学城市规划系", "demo-expert-3", -2},
	{"【演示】赵一鸣", "51", "西南交通大学信息学院", "demo-expert-4", 1},
	{"【演示】孙若愚", "61", "西安建筑科技大学", "demo-expert-5", -1},
	{"【演示】钱博文", "42", "武汉大学测绘学院", "demo-expert-6", 18},
}

// reviewComments are the (fictional) comments the experts attach.
var reviewComments = []string{
	"【演示】材料齐全，数据来源清楚。",
	"【演示】建议补充近三年趋势数据。",
	"【演示】与规划目标相比仍有差距。",
	"",
}

// seedReviews runs a blind expert round on the demo cycle: the demo
// experts, the cycle's review settings (k = 3, median, expert total, blind),
// the automatic assignment, and every review scored and submitted. Each
// score is the pilot's own level or a middling value, moved by the
// expert's bias and noise from rng. It returns the number of reviews.
func seedReviews(ctx context.Context, svc *platform.Service, fw *framework.Framework, cycleID int64, rng *rand.Rand) (int, error) {
	users := map[int64]string{}
	for _, d := range demoExperts {
		e, err := svc.CreateExpert(ctx, platform.Expert{Name: d.name, ProvinceCode: d.province, Organisation: d.organisation,
			Username: d.username, Active: true})
		if err != nil {
			return 0, fmt.Errorf("create demo expert %s: %w", d.name, err)
		}
		users[e.ID] = d.username
	}
	rs := platform.DefaultReviewSettings(cycleID)
	rs.ExpertsPerSubmission, rs.Combine, rs.ExpertMode, rs.Blind, rs.Seed = 3, platform.CombineMedian, platform.ExpertTotal, true, DefaultSeed
	if _, err := svc.PutReviewSettings(ctx, rs); err != nil {
		return 0, fmt.Errorf("demo review settings: %w", err)
	}
	res, err := svc.AssignExperts(ctx, cycleID)
	if err != nil {
		return 0, fmt.Errorf("assign demo experts: %w", err)
	}
	subs, err := submissionsByID(ctx, svc, cycleID)
	if err != nil {
		return 0, err
	}
	bias := map[string]float64{}
	for _, d := range demoExperts {
		bias[d.username] = d.bias
	}
	for _, a := range res.Created {
		user := users[a.ExpertID]
		ectx := platform.WithIdentity(ctx, platform.Identity{User: user, Roles: []string{"expert"}})
		scores := expertScores(fw, subs[a.SubmissionID], bias[user], rng)
		saved, err := svc.SaveReview(ectx, a.ID, a.Version, scores)
		if err != nil {
			return 0, fmt.Errorf("demo review %d: %w", a.ID, err)
		}
		if _, err := svc.SubmitReview(ectx, a.ID, saved.Version); err != nil {
			return 0, fmt.Errorf("submit demo review %d: %w", a.ID, err)
		}
	}
	return len(res.Created), nil
}

// submissionsByID reads the cycle's submissions with their entries, by
// submission ID.
func submissionsByID(ctx context.Context, svc *platform.Service, cycleID int64) (map[int64]platform.Submission, error) {
	return fullSubmissions(ctx, svc, cycleID, func(s platform.Submission) int64 { return s.ID })
}

// expertScores is one expert's form on a submission: per leaf, the rubric
// score of the pilot's level (60 when it has none) plus bias and noise
// (σ = 6 points), clipped to 0–100 and rounded to whole points.
func expertScores(fw *framework.Framework, sub platform.Submission, bias float64, rng *rand.Rand) []platform.ReviewScore {
	levels := map[string]int{}
	for _, e := range sub.Entries {
		if e.Level != nil {
			levels[e.Code] = *e.Level
		}
	}
	var out []platform.ReviewScore
	for _, l := range fw.Leaves() {
		base := 60.0
		if lv, ok := levels[l.Code]; ok && lv >= 1 && lv <= len(l.Rubric) {
			base = l.Rubric[lv-1].Score
		}
		v := math.Round(min(100, max(0, base+bias+6*rng.NormFloat64())))
		out = append(out, platform.ReviewScore{Code: l.Code, Score: &v, Comment: reviewComments[rng.IntN(len(reviewComments))]})
	}
	return out
}
