package platform

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// AssignResult is what AssignExperts did: the assignments it created and
// the plan with the experts' loads and any submission left short.
type AssignResult struct {
	Created []Assignment `json:"created"`
	Plan    AssignPlan   `json:"plan"`
}

// reviewableStates are the submissions that get experts: those the province
// has forwarded to the ministry, and those already accepted.
var reviewableStates = []SubmissionState{SubmissionForwarded, SubmissionAccepted}

// AssignExperts gives every forwarded or accepted submission of the cycle
// the cycle's k experts (PlanAssignments: conflict-free, load-balanced,
// reproducible for the cycle's seed, each choice explained). Submissions
// keep the experts they have; running it again only fills what is missing.
func (s *Service) AssignExperts(ctx context.Context, cycleID int64) (AssignResult, error) {
	if err := authorize(ctx, "assignment.create", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return AssignResult{}, err
	}
	rs, err := s.reviewSettings(ctx, cycleID)
	if err != nil {
		return AssignResult{}, err
	}
	existing, err := collectAll(func(limit, offset int) ([]Assignment, int, error) {
		return s.store.ListAssignments(ctx, AssignmentFilter{CycleID: cycleID, Limit: limit, Offset: offset})
	})
	if err != nil {
		return AssignResult{}, err
	}
	experts, err := collectAll(func(limit, offset int) ([]Expert, int, error) {
		return s.store.ListExperts(ctx, ExpertFilter{ActiveOnly: true, Limit: limit, Offset: offset})
	})
	if err != nil {
		return AssignResult{}, err
	}
	subs, err := s.assignableSubmissions(ctx, cycleID, existing)
	if err != nil {
		return AssignResult{}, err
	}
	load := map[int64]int{}
	for _, a := range existing {
		load[a.ExpertID]++
	}
	plan := PlanAssignments(subs, experts, load, rs.ExpertsPerSubmission, rs.Seed)
	now := s.now()
	as := make([]Assignment, len(plan.Choices))
	for i, c := range plan.Choices {
		as[i] = Assignment{CycleID: cycleID, SubmissionID: c.SubmissionID, ExpertID: c.ExpertID,
			Pseudonym: Pseudonym(rs.Seed, cycleID, c.SubmissionID), Explanation: c.Explanation,
			State: ReviewDraft, Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	created, err := s.store.CreateAssignments(ctx, as)
	if err != nil {
		return AssignResult{}, fmt.Errorf("assign experts in cycle %d: %w", cycleID, err)
	}
	return AssignResult{Created: created, Plan: plan}, nil
}

// assignableSubmissions lists the cycle's forwarded and accepted
// submissions with their pilots' provinces and the experts they have.
func (s *Service) assignableSubmissions(ctx context.Context, cycleID int64, existing []Assignment) ([]AssignSubmission, error) {
	have := map[int64][]int64{}
	for _, a := range existing {
		have[a.SubmissionID] = append(have[a.SubmissionID], a.ExpertID)
	}
	var out []AssignSubmission
	for _, st := range reviewableStates {
		subs, err := collectAll(func(limit, offset int) ([]Submission, int, error) {
			return s.store.ListSubmissions(ctx, SubmissionFilter{CycleID: cycleID, State: string(st), Limit: limit, Offset: offset})
		})
		if err != nil {
			return nil, err
		}
		for _, sub := range subs {
			p, err := s.store.GetPilot(ctx, sub.PilotID)
			if err != nil {
				return nil, fmt.Errorf("pilot of submission %d: %w", sub.ID, err)
			}
			out = append(out, AssignSubmission{SubmissionID: sub.ID, PilotID: p.ID, ProvinceCode: p.ProvinceCode, Assigned: have[sub.ID]})
		}
	}
	return out, nil
}

// collectAll reads every page of a list.
func collectAll[T any](list func(limit, offset int) ([]T, int, error)) ([]T, error) {
	var out []T
	for {
		items, total, err := list(1000, len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// ListAssignments returns a page of assignments (the ministry's view, with
// the explanations) and the total.
func (s *Service) ListAssignments(ctx context.Context, f AssignmentFilter) ([]Assignment, int, error) {
	if err := authorize(ctx, "assignment.list", fmt.Sprintf("cycle/%d", f.CycleID)); err != nil {
		return nil, 0, err
	}
	if f.State != "" && f.State != string(ReviewDraft) && f.State != string(ReviewSubmitted) {
		return nil, 0, invalidField("state", CodeBadValue, "review state %q is not draft or submitted", f.State)
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.ListAssignments(ctx, f)
}

// OverrideAssignment gives assignment id to another expert, for a reason
// (the ministry's override of one automatic choice). The new expert must be
// free of conflicts with the submission and not already on its panel; a
// submitted review cannot be reassigned (reopen it first); the previous
// expert's draft scores are dropped.
func (s *Service) OverrideAssignment(ctx context.Context, id int64, version int, expertID int64, reason string) (Assignment, error) {
	if err := authorize(ctx, "assignment.override", fmt.Sprintf("assignment/%d", id)); err != nil {
		return Assignment{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 2000 {
		return Assignment{}, invalidField("reason", CodeReasonRequired, "overriding assignment %d needs a reason (at most 2000 characters)", id)
	}
	a, err := s.store.GetAssignment(ctx, id)
	if err != nil {
		return Assignment{}, err
	}
	if version != a.Version {
		return Assignment{}, StaleVersion("assignment", id, version, a.Version, a)
	}
	if a.State != ReviewDraft {
		return Assignment{}, &Error{Kind: Conflict, Code: CodeNotEditable, Current: a,
			Message: fmt.Sprintf("assignment %d has a submitted review: reopen it before giving it to another expert", id)}
	}
	e, err := s.store.GetExpert(ctx, expertID)
	if err != nil {
		return Assignment{}, invalidField("expert_id", CodeBadValue, "%v", err)
	}
	sub, _, err := s.store.SubmissionScope(ctx, a.SubmissionID)
	if err != nil {
		return Assignment{}, err
	}
	p, err := s.store.GetPilot(ctx, sub.PilotID)
	if err != nil {
		return Assignment{}, err
	}
	if why := conflictOf(e, AssignSubmission{SubmissionID: sub.ID, PilotID: p.ID, ProvinceCode: p.ProvinceCode}); why != "" {
		return Assignment{}, invalidField("expert_id", "conflict_of_interest", "expert %d cannot review submission %d: %s", e.ID, sub.ID, why)
	}
	out, err := s.store.OverrideAssignment(ctx, AssignmentOverride{AssignmentID: id, Version: version, ExpertID: expertID, Reason: reason,
		Explanation: fmt.Sprintf("overridden by %s from expert %d: %s", actor(ctx), a.ExpertID, reason), At: s.now()})
	if err != nil {
		return Assignment{}, fmt.Errorf("override assignment %d: %w", id, err)
	}
	return out, nil
}
