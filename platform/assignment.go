package platform

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// AssignSubmission is a submission to be given experts.
type AssignSubmission struct {
	SubmissionID int64
	PilotID      int64
	ProvinceCode string
	// Assigned are the experts it already has (kept; they count towards k).
	Assigned []int64
}

// AssignChoice is one expert chosen for one submission, with why.
type AssignChoice struct {
	SubmissionID int64  `json:"submission_id"`
	ExpertID     int64  `json:"expert_id"`
	Explanation  string `json:"explanation"`
}

// AssignPlan is the outcome of PlanAssignments.
type AssignPlan struct {
	Choices []AssignChoice `json:"choices"`
	// Loads is each expert's number of submissions in the cycle afterwards.
	Loads map[int64]int `json:"loads"`
	// Short lists the submissions that could not get k experts, and why.
	Short []string `json:"short,omitempty"`
}

// conflictOf returns why expert e may not review submission s, or "".
// The rules: not a pilot of the expert's own province, not a pilot or a
// province the expert declared a conflict with, not an inactive expert.
func conflictOf(e Expert, s AssignSubmission) string {
	switch {
	case !e.Active:
		return "inactive"
	case e.ProvinceCode != "" && e.ProvinceCode == s.ProvinceCode:
		return fmt.Sprintf("same province %s as the pilot", s.ProvinceCode)
	case slices.Contains(e.ConflictPilots, s.PilotID):
		return fmt.Sprintf("declared a conflict with pilot %d", s.PilotID)
	case slices.Contains(e.ConflictProvinces, s.ProvinceCode):
		return fmt.Sprintf("declared a conflict with province %s", s.ProvinceCode)
	}
	return ""
}

// PlanAssignments gives every submission k experts, never one with a
// conflict (conflictOf), balancing the experts' loads, and explains each
// choice. It is deterministic for a seed: inputs are taken in ID order and
// every tie is broken by one seeded permutation of the experts.
//
// Method: greedy, most constrained submission first (fewest eligible
// experts; ties in seeded order), each taking the eligible experts with the
// lowest load (ties by the seeded permutation); then a repair pass moves a
// new assignment from the most to the least loaded expert while their loads
// differ by more than one and an eligible move exists. Loads therefore end
// within ±1 whenever single moves can reach that (always when conflicts
// leave every submission at least k eligible experts of each load level, as
// in practice); otherwise Short and the loads show what remains.
func PlanAssignments(subs []AssignSubmission, experts []Expert, load map[int64]int, k int, seed int64) AssignPlan {
	experts = slices.Clone(experts)
	slices.SortFunc(experts, func(a, b Expert) int { return cmp.Compare(a.ID, b.ID) })
	subs = slices.Clone(subs)
	slices.SortFunc(subs, func(a, b AssignSubmission) int { return cmp.Compare(a.SubmissionID, b.SubmissionID) })
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5ce7a1))
	tie := map[int64]int{}
	for i, p := range rng.Perm(len(experts)) {
		tie[experts[p].ID] = i
	}
	subOrder := rng.Perm(len(subs))
	loads := map[int64]int{}
	for _, e := range experts {
		loads[e.ID] = load[e.ID]
	}
	eligible := make([][]Expert, len(subs))
	for i, s := range subs {
		for _, e := range experts {
			if conflictOf(e, s) == "" && !slices.Contains(s.Assigned, e.ID) {
				eligible[i] = append(eligible[i], e)
			}
		}
	}
	order := make([]int, len(subs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(eligible[a]), len(eligible[b])), cmp.Compare(subOrder[a], subOrder[b]))
	})
	plan := AssignPlan{Loads: loads}
	for _, i := range order {
		plan.assignOne(subs[i], eligible[i], k, tie, seed)
	}
	plan.rebalance(subs, experts, tie)
	slices.SortFunc(plan.Choices, func(a, b AssignChoice) int {
		return cmp.Or(cmp.Compare(a.SubmissionID, b.SubmissionID), cmp.Compare(a.ExpertID, b.ExpertID))
	})
	return plan
}

// assignOne gives submission s its missing experts from cands.
func (p *AssignPlan) assignOne(s AssignSubmission, cands []Expert, k int, tie map[int64]int, seed int64) {
	need := k - len(s.Assigned)
	if need <= 0 {
		return
	}
	cands = slices.Clone(cands)
	slices.SortFunc(cands, func(a, b Expert) int {
		return cmp.Or(cmp.Compare(p.Loads[a.ID], p.Loads[b.ID]), cmp.Compare(tie[a.ID], tie[b.ID]))
	})
	if len(cands) < need {
		p.Short = append(p.Short, fmt.Sprintf("submission %d: %d eligible experts for %d places", s.SubmissionID, len(cands), need))
		need = len(cands)
	}
	for _, e := range cands[:need] {
		p.Choices = append(p.Choices, AssignChoice{SubmissionID: s.SubmissionID, ExpertID: e.ID,
			Explanation: fmt.Sprintf("eligible (province %s ≠ pilot's %s, no declared conflict); load %d when chosen, the lowest of %d eligible experts (ties broken by seed %d)",
				orDash(e.ProvinceCode), s.ProvinceCode, p.Loads[e.ID], len(cands), seed)})
		p.Loads[e.ID]++
	}
}

// rebalance moves new assignments from the most to the least loaded
// expert while their loads differ by more than one.
func (p *AssignPlan) rebalance(subs []AssignSubmission, experts []Expert, tie map[int64]int) {
	bySub := map[int64]AssignSubmission{}
	for _, s := range subs {
		bySub[s.SubmissionID] = s
	}
	for range len(p.Choices) + 1 {
		ids := make([]int64, 0, len(experts))
		for _, e := range experts {
			if e.Active {
				ids = append(ids, e.ID)
			}
		}
		slices.SortFunc(ids, func(a, b int64) int { return cmp.Or(cmp.Compare(p.Loads[a], p.Loads[b]), cmp.Compare(tie[a], tie[b])) })
		if len(ids) < 2 || p.Loads[ids[len(ids)-1]]-p.Loads[ids[0]] <= 1 || !p.moveOne(ids, bySub, experts) {
			return
		}
	}
}

// moveOne makes one move from a most-loaded to a least-loaded expert, or
// reports false when none is possible.
func (p *AssignPlan) moveOne(ids []int64, bySub map[int64]AssignSubmission, experts []Expert) bool {
	expert := map[int64]Expert{}
	for _, e := range experts {
		expert[e.ID] = e
	}
	lo, hi := p.Loads[ids[0]], p.Loads[ids[len(ids)-1]]
	taken := make(map[[2]int64]bool, len(p.Choices))
	for _, c := range p.Choices {
		taken[[2]int64{c.SubmissionID, c.ExpertID}] = true
	}
	for _, to := range ids {
		if p.Loads[to] != lo {
			break
		}
		for h := len(ids) - 1; h >= 0 && p.Loads[ids[h]] == hi; h-- {
			from := ids[h]
			for i, c := range p.Choices {
				s := bySub[c.SubmissionID]
				if c.ExpertID != from || conflictOf(expert[to], s) != "" || taken[[2]int64{c.SubmissionID, to}] || slices.Contains(s.Assigned, to) {
					continue
				}
				p.Choices[i].ExpertID = to
				p.Choices[i].Explanation = fmt.Sprintf("eligible (province %s ≠ pilot's %s, no declared conflict); moved from expert %d (load %d) to balance loads (load %d when chosen)",
					orDash(expert[to].ProvinceCode), s.ProvinceCode, from, hi, lo)
				p.Loads[from]--
				p.Loads[to]++
				return true
			}
		}
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Pseudonym returns the stable pseudonym of a submission in a blind cycle:
// "匿名-" and eight capital letters drawn from SHA-256 of the cycle's seed,
// the cycle and the submission. Letters only, so it can never contain, or
// be mistaken for, a region code or an ID.
func Pseudonym(seed, cycleID, submissionID int64) string {
	var b [24]byte
	binary.BigEndian.PutUint64(b[0:], uint64(seed))
	binary.BigEndian.PutUint64(b[8:], uint64(cycleID))
	binary.BigEndian.PutUint64(b[16:], uint64(submissionID))
	h := sha256.Sum256(b[:])
	var sb strings.Builder
	sb.WriteString("匿名-")
	for _, x := range h[:8] {
		sb.WriteByte('A' + x%26)
	}
	return sb.String()
}
