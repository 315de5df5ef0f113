package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// draftShare is the share of indicators a draft submission has filled in.
const draftShare = 0.6

// generateEntries draws one entry per leaf: a rubric level 1–5 or a value
// between the leaf's goalposts, near the pilot's quality, with a narrative
// that says it is fictional and never names the pilot (the blind expert
// round shows narratives to experts). Heating (2.2.6) is marked not applicable
// south of the Huai River (the demo cycle allows it), as the framework's
// notes suggest: excluded, not scored zero.
func generateEntries(rng *rand.Rand, fw *framework.Framework, p seededPilot, quality float64, year int) []platform.Entry {
	var out []platform.Entry
	for _, leaf := range fw.Leaves() {
		x := clamp(quality+rng.NormFloat64()*0.15, 0.02, 1)
		if leaf.Code == "2.2.6" && !northern(p.Province) {
			out = append(out, platform.Entry{Code: leaf.Code, NotApplicable: true,
				Narrative: "【演示数据，虚构】地处秦岭—淮河以南，无集中供热。"})
			continue
		}
		e := platform.Entry{Code: leaf.Code}
		switch {
		case leaf.Kind == framework.Rubric && len(leaf.Rubric) > 0:
			level := int(math.Round(1 + x*float64(len(leaf.Rubric)-1)))
			e.Level = &level
			e.Narrative = fmt.Sprintf("【演示数据，虚构】%d 年：%s", year, leaf.Rubric[level-1].Description.Zh)
		case leaf.Goalposts != nil:
			lo, hi := leaf.Goalposts.Low, leaf.Goalposts.High
			v := math.Round((lo+(hi-lo)*x)*10) / 10
			e.Value, e.Unit = &v, leaf.Unit
			e.Narrative = fmt.Sprintf("【演示数据，虚构】%d 年%s监测值 %.1f%s。", year, leaf.Name.Zh, v, leaf.Unit)
		default:
			v := math.Round(x*1000) / 10
			e.Value = &v
			e.Narrative = fmt.Sprintf("【演示数据，虚构】%d 年：%s。", year, leaf.Name.Zh)
		}
		out = append(out, e)
	}
	return out
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// chartValues are the scores of a submission's first quantitative entries,
// drawn as bars.
func chartValues(sub platform.Submission, fw *framework.Framework) []float64 {
	var out []float64
	for _, e := range sub.Entries {
		leaf := fw.Lookup(e.Code)
		if e.Value == nil || leaf == nil || leaf.Goalposts == nil || len(out) == 8 {
			continue
		}
		lo, hi := leaf.Goalposts.Low, leaf.Goalposts.High
		out = append(out, clamp((*e.Value-lo)/(hi-lo)*100, 0, 100))
	}
	return out
}

// submissionsByPilot reads the cycle's submissions with their entries, by
// pilot ID.
func submissionsByPilot(ctx context.Context, svc *platform.Service, cycleID int64) (map[int64]platform.Submission, error) {
	return fullSubmissions(ctx, svc, cycleID, func(s platform.Submission) int64 { return s.PilotID })
}

// fullSubmissions reads the cycle's submissions with their entries, keyed
// by key.
func fullSubmissions(ctx context.Context, svc *platform.Service, cycleID int64, key func(platform.Submission) int64) (map[int64]platform.Submission, error) {
	list, _, err := svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: cycleID, Limit: 1000})
	if err != nil {
		return nil, fmt.Errorf("list demo submissions: %w", err)
	}
	out := make(map[int64]platform.Submission, len(list))
	for _, s := range list {
		full, err := svc.GetSubmission(ctx, s.ID)
		if err != nil {
			return nil, fmt.Errorf("get demo submission %d: %w", s.ID, err)
		}
		out[key(full)] = full
	}
	return out, nil
}

// returnComments are the (fictional) per-indicator comments of the i-th
// return: on the indicator its reason names, and on the monitoring chart
// (1.2.1), which every pilot has as evidence.
func returnComments(i int) []platform.IndicatorComment {
	comments := []platform.IndicatorComment{
		{Code: "1.1.1", Comment: "【演示】请附规划纲要的专家评审意见。"},
		{Code: "3.1.3", Comment: "【演示】请说明网上办事比例的统计口径。"},
		{Code: "2.2.5", Comment: "【演示】请补充统计部门的数据来源说明。"},
	}
	return []platform.IndicatorComment{comments[i%len(comments)],
		{Code: "1.2.1", Comment: "【演示】无线网络覆盖图请注明数据截止日期。"}}
}

// returnReason is the reviewers' (fictional) reason for the i-th return.
func returnReason(i int) string {
	reasons := []string{
		"【演示】1.1.1 规划纲要未附专家评审意见，请补充后重新提交。",
		"【演示】3.1.3 网上办事比例与上年监测数据差异较大，请核实并说明口径。",
		"【演示】2.2.5 生活垃圾无害化处理率缺少统计部门出具的数据来源说明。",
	}
	return reasons[i%len(reasons)]
}

// moveSubmissions takes every draft to its planned state.
func moveSubmissions(ctx context.Context, svc *platform.Service, cycleID int64, pilots []seededPilot, plan []platform.SubmissionState) error {
	subs, _, err := svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: cycleID, Limit: 1000})
	if err != nil {
		return fmt.Errorf("list demo submissions: %w", err)
	}
	byPilot := make(map[int64]platform.Submission, len(subs))
	for _, s := range subs {
		byPilot[s.PilotID] = s
	}
	returned := 0
	for i, p := range pilots {
		var steps []platform.SubmissionState
		switch plan[i] {
		case platform.SubmissionSubmitted:
			steps = []platform.SubmissionState{platform.SubmissionSubmitted}
		case platform.SubmissionReturned:
			steps = []platform.SubmissionState{platform.SubmissionSubmitted, platform.SubmissionReturned}
		case platform.SubmissionForwarded:
			steps = []platform.SubmissionState{platform.SubmissionSubmitted, platform.SubmissionForwarded}
		case platform.SubmissionAccepted:
			steps = []platform.SubmissionState{platform.SubmissionSubmitted, platform.SubmissionForwarded, platform.SubmissionAccepted}
		}
		sub := byPilot[p.ID]
		for _, to := range steps {
			req := platform.TransitionRequest{Version: sub.Version, To: to}
			if to == platform.SubmissionReturned {
				req.Reason, req.Comments = returnReason(returned), returnComments(returned)
				returned++
			}
			if sub, err = svc.ReviewSubmission(ctx, sub.ID, req); err != nil {
				return fmt.Errorf("move demo submission of %s to %s: %w", p.Name, to, err)
			}
		}
	}
	return nil
}
