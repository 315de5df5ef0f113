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
// (demo-expert-1…): Seed creates the accounts demo-expert-1 to
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

// createExperts creates the demo's (fictional) experts and returns their
// user names by expert id.
func createExperts(ctx context.Context, svc *platform.Service) (map[int64]string, error) {
	out := map[int64]string{}
	for _, d := range demoExperts {
		e, err := svc.CreateExpert(ctx, platform.Expert{Name: d.name, ProvinceCode: d.province, Organisation: d.organisation,
			Username: d.username, Active: true})
		if err != nil {
			return nil, fmt.Errorf("create demo expert %s: %w", d.name, err)
		}
		out[e.ID] = d.username
	}
	return out, nil
}

// assign stores the cycle's review settings (k = 3, median, expert total,
// blind or not) and assigns the experts automatically to its forwarded and
// accepted submissions.
func assign(ctx context.Context, svc *platform.Service, cycleID int64, blind bool) ([]platform.Assignment, error) {
	rs := platform.DefaultReviewSettings(cycleID)
	rs.ExpertsPerSubmission, rs.Combine, rs.ExpertMode, rs.Blind, rs.Seed = 3, platform.CombineMedian, platform.ExpertTotal, blind, DefaultSeed
	if _, err := svc.PutReviewSettings(ctx, rs); err != nil {
		return nil, fmt.Errorf("review settings: %w", err)
	}
	res, err := svc.AssignExperts(ctx, cycleID)
	if err != nil {
		return nil, fmt.Errorf("assign experts: %w", err)
	}
	return res.Created, nil
}

// completeRound runs an open (not blind) expert round with every review
// scored and submitted; it returns the number of reviews.
func (s *seeder) completeRound(ctx context.Context, cycleID int64) (int, error) {
	created, err := assign(ctx, s.svc, cycleID, false)
	if err != nil {
		return 0, err
	}
	subs, err := submissionsByID(ctx, s.svc, cycleID)
	if err != nil {
		return 0, err
	}
	var jobs []func() error
	for _, a := range created {
		jobs = append(jobs, s.reviewJob(ctx, a, subs[a.SubmissionID], len(s.fw.Leaves()), true))
	}
	return len(created), parallel(reviewWorkers, jobs)
}

// roundInProgress runs a blind expert round half-way: of each expert's
// assignments (in id order) the first is left untouched, the second
// drafted (half the indicators scored), the third submitted, and so on. It
// returns the number of submitted reviews.
func (s *seeder) roundInProgress(ctx context.Context, cycleID int64) (int, error) {
	created, err := assign(ctx, s.svc, cycleID, true)
	if err != nil {
		return 0, err
	}
	subs, err := submissionsByID(ctx, s.svc, cycleID)
	if err != nil {
		return 0, err
	}
	seen := map[int64]int{}
	submitted := 0
	var jobs []func() error
	for _, a := range created {
		k := seen[a.ExpertID]
		seen[a.ExpertID]++
		switch k % 3 {
		case 1:
			jobs = append(jobs, s.reviewJob(ctx, a, subs[a.SubmissionID], len(s.fw.Leaves())/2, false))
		case 2:
			jobs = append(jobs, s.reviewJob(ctx, a, subs[a.SubmissionID], len(s.fw.Leaves()), true))
			submitted++
		}
	}
	return submitted, parallel(reviewWorkers, jobs)
}

// reviewWorkers is how many reviews are written at once: one, since most
// of a review's cost is its write and SQLite has one writer (two workers
// measured no faster under load; the scores are drawn beforehand anyway, so
// that the seed alone decides them).
const reviewWorkers = 1

// reviewJob draws the scores of the first n leaves of assignment a now
// (in order, so the seed decides them) and returns the job that saves them
// as its expert and, with submit, submits the review.
func (s *seeder) reviewJob(ctx context.Context, a platform.Assignment, sub platform.Submission, n int, submit bool) func() error {
	user := s.experts[a.ExpertID]
	ectx := platform.WithIdentity(ctx, platform.Identity{User: user, Roles: []string{string(platform.RoleExpert)}})
	scores := expertScores(s.fw, sub, biasOf(user), s.rng)[:n]
	return func() error {
		saved, err := s.svc.SaveReview(ectx, a.ID, a.Version, scores)
		if err != nil {
			return fmt.Errorf("demo review %d: %w", a.ID, err)
		}
		if submit {
			if _, err := s.svc.SubmitReview(ectx, a.ID, saved.Version); err != nil {
				return fmt.Errorf("submit demo review %d: %w", a.ID, err)
			}
		}
		return nil
	}
}

// biasOf is the demo expert's bias (points).
func biasOf(username string) float64 {
	for _, d := range demoExperts {
		if d.username == username {
			return d.bias
		}
	}
	return 0
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
