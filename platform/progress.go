package platform

import (
	"context"
	"fmt"
	"time"

	"github.com/sceval/sceval/framework"
)

// Progress is how far a submission has got by its cycle's rules: the
// leaves answered overall and under every indicator that has children,
// the leaves still missing, what the cycle requires to submit, and the
// pilot's due date. The data-entry pages show it as completeness meters
// and as the list of what is missing before a submit.
type Progress struct {
	// Answered counts the leaves with a complete entry (a value, a level,
	// or not applicable with a reason) of Leaves in the framework.
	Answered int `json:"answered"`
	Leaves   int `json:"leaves"`
	// Groups is the same count under each indicator with children, by code.
	Groups map[string]LeafCount `json:"groups"`
	// Missing are the leaves without a complete entry, in framework order.
	Missing []string `json:"missing"`
	// Required is the share of leaves the cycle requires before a submit.
	Required float64 `json:"required"`
	// NotApplicable are the leaves the cycle allows to be marked not
	// applicable.
	NotApplicable []string `json:"not_applicable_allowed"`
	// DueAt is the pilot's due date: its extension if it has one, else the
	// cycle's; nil when the cycle has none. Extended says which.
	DueAt    *time.Time `json:"due_at,omitempty"`
	Extended bool       `json:"extended,omitempty"`
}

// LeafCount is how many of the leaves under an indicator are answered.
type LeafCount struct {
	Answered int `json:"answered"`
	Leaves   int `json:"leaves"`
}

// Share is Answered / Leaves (0 without leaves).
func (c LeafCount) Share() float64 {
	if c.Leaves == 0 {
		return 0
	}
	return float64(c.Answered) / float64(c.Leaves)
}

// Share is the submission's completeness, answered leaves / leaves.
func (p Progress) Share() float64 { return LeafCount{p.Answered, p.Leaves}.Share() }

// Enough reports whether the completeness reaches the cycle's minimum, as
// a submit checks it.
func (p Progress) Enough() bool { return p.Share() >= p.Required-1e-9 }

// MayBeNotApplicable reports whether the cycle lets leaf code be marked
// not applicable.
func (p Progress) MayBeNotApplicable(code string) bool {
	for _, c := range p.NotApplicable {
		if c == code {
			return true
		}
	}
	return false
}

// SubmissionProgress returns the progress of sub (read with its entries by
// GetSubmission) in its cycle, whose framework, rules and due dates it
// applies; the caller must be allowed to read the submission.
func (s *Service) SubmissionProgress(ctx context.Context, sub Submission) (Progress, error) {
	if err := authorize(ctx, "submission.read", fmt.Sprintf("submission/%d", sub.ID)); err != nil {
		return Progress{}, err
	}
	c, err := s.store.GetCycle(ctx, sub.CycleID)
	if err != nil {
		return Progress{}, err
	}
	p, err := s.cyclePlan(c)
	if err != nil {
		return Progress{}, err
	}
	out := p.progress(sub.Entries)
	out.Required, out.NotApplicable = minCompleteness(c), c.NotApplicable
	if c.DueAt != nil {
		due := *c.DueAt
		ext, err := s.store.GetExtension(ctx, c.ID, sub.PilotID)
		if err != nil {
			return Progress{}, fmt.Errorf("extension of pilot %d in cycle %d: %w", sub.PilotID, c.ID, err)
		}
		if ext != nil {
			due, out.Extended = ext.DueAt, true
		}
		out.DueAt = &due
	}
	return out, nil
}

// progress counts the plan's leaves answered by entries, overall and under
// each indicator with children.
func (p *leafPlan) progress(entries []Entry) Progress {
	out := Progress{Leaves: len(p.leaves), Groups: map[string]LeafCount{}, Missing: p.missingLeaves(entries)}
	out.Answered = out.Leaves - len(out.Missing)
	missing := make(map[string]bool, len(out.Missing))
	for _, code := range out.Missing {
		missing[code] = true
	}
	var walk func(ind *framework.Indicator) LeafCount
	walk = func(ind *framework.Indicator) LeafCount {
		if len(ind.Children) == 0 {
			if missing[ind.Code] {
				return LeafCount{Leaves: 1}
			}
			return LeafCount{Answered: 1, Leaves: 1}
		}
		var n LeafCount
		for _, ch := range ind.Children {
			c := walk(ch)
			n.Answered += c.Answered
			n.Leaves += c.Leaves
		}
		out.Groups[ind.Code] = n
		return n
	}
	for _, ind := range p.fw.Indicators {
		walk(ind)
	}
	return out
}
