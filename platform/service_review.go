package platform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sceval/sceval/framework"
)

// maxReviewComment limits an expert's comment on one indicator.
const maxReviewComment = 2000

// GetReview returns review id with the submission's entries: masked in a
// blind cycle when the caller is an expert, who reaches only their own
// reviews.
func (s *Service) GetReview(ctx context.Context, id int64) (ReviewView, error) {
	if err := authorize(ctx, "review.read", fmt.Sprintf("review/%d", id)); err != nil {
		return ReviewView{}, err
	}
	a, rs, masked, err := s.reviewAccess(ctx, id)
	if err != nil {
		return ReviewView{}, err
	}
	return s.reviewView(ctx, a, rs, masked)
}

// reviewView builds the view of assignment a.
func (s *Service) reviewView(ctx context.Context, a Assignment, rs ReviewSettings, masked bool) (ReviewView, error) {
	sub, err := s.store.GetSubmission(ctx, a.SubmissionID)
	if err != nil {
		return ReviewView{}, fmt.Errorf("submission of review %d: %w", a.ID, err)
	}
	c, err := s.store.GetCycle(ctx, a.CycleID)
	if err != nil {
		return ReviewView{}, err
	}
	v := ReviewView{Review: a, Blind: rs.Blind, Masked: masked, Pseudonym: a.Pseudonym,
		FrameworkID: c.FrameworkID, FrameworkVersion: c.FrameworkVersion, Entries: sub.Entries}
	if v.Entries == nil {
		v.Entries = []Entry{}
	}
	p, err := s.store.GetPilot(ctx, sub.PilotID)
	if err != nil {
		return ReviewView{}, err
	}
	if !masked {
		v.Pilot = &p
		return v, nil
	}
	v.Review = maskAssignment(a)
	v.Entries = s.newPilotMask(p, a.Pseudonym).entries(sub.Entries)
	return v, nil
}

// ListMyReviews returns the caller's own reviews (as an expert), newest
// cycle first, masked where the cycle is blind.
func (s *Service) ListMyReviews(ctx context.Context, f AssignmentFilter) ([]Assignment, int, error) {
	if err := authorize(ctx, "review.list", "review"); err != nil {
		return nil, 0, err
	}
	e, _, err := s.callerExpert(ctx)
	if err != nil {
		return nil, 0, err
	}
	if e == nil {
		return []Assignment{}, 0, nil
	}
	f.ExpertID, f.SubmissionID = e.ID, 0
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	as, total, err := s.store.ListAssignments(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	blind := map[int64]bool{}
	for i, a := range as {
		b, ok := blind[a.CycleID]
		if !ok {
			rs, err := s.reviewSettings(ctx, a.CycleID)
			if err != nil {
				return nil, 0, err
			}
			b, blind[a.CycleID] = rs.Blind, rs.Blind
		}
		if b {
			as[i] = maskAssignment(a)
		}
	}
	return as, total, nil
}

// SaveReview replaces the draft review's scores (the whole form): per leaf
// a score 0–100 or a rubric level (stored with the rubric's score), and a
// comment. A submitted review is locked (conflict "not_editable").
func (s *Service) SaveReview(ctx context.Context, id int64, version int, scores []ReviewScore) (Assignment, error) {
	if err := authorize(ctx, "review.save", fmt.Sprintf("review/%d", id)); err != nil {
		return Assignment{}, err
	}
	a, _, masked, err := s.reviewAccess(ctx, id)
	if err != nil {
		return Assignment{}, err
	}
	p, err := s.cyclePlanByID(ctx, a.CycleID)
	if err != nil {
		return Assignment{}, err
	}
	clean, err := p.validateReviewScores(scores)
	if err != nil {
		return Assignment{}, err
	}
	out, err := s.store.WriteReview(ctx, ReviewWrite{AssignmentID: id, Version: version, From: ReviewDraft, To: ReviewDraft,
		Scores: clean, At: s.now(), Action: "review.save"})
	return s.reviewOut(out, masked, err)
}

// SubmitReview locks a draft review whose every leaf has a score.
func (s *Service) SubmitReview(ctx context.Context, id int64, version int) (Assignment, error) {
	if err := authorize(ctx, "review.submit", fmt.Sprintf("review/%d", id)); err != nil {
		return Assignment{}, err
	}
	a, _, masked, err := s.reviewAccess(ctx, id)
	if err != nil {
		return Assignment{}, err
	}
	p, err := s.cyclePlanByID(ctx, a.CycleID)
	if err != nil {
		return Assignment{}, err
	}
	scored := map[string]bool{}
	for _, sc := range a.Scores {
		scored[sc.Code] = sc.Score != nil
	}
	var missing []string
	for _, l := range p.leaves {
		if !scored[l.Code] {
			missing = append(missing, l.Code)
		}
	}
	if len(missing) > 0 {
		return Assignment{}, invalidField("scores", CodeRequired, "review %d cannot be submitted: %d indicators have no score (%s)",
			id, len(missing), strings.Join(missing[:min(len(missing), 5)], ", ")+ellipsis(len(missing) > 5))
	}
	out, err := s.store.WriteReview(ctx, ReviewWrite{AssignmentID: id, Version: version, From: ReviewDraft, To: ReviewSubmitted,
		At: s.now(), Action: "review.submit"})
	return s.reviewOut(out, masked, err)
}

// ReopenReview unlocks a submitted review, for a reason (the ministry).
func (s *Service) ReopenReview(ctx context.Context, id int64, version int, reason string) (Assignment, error) {
	if err := authorize(ctx, "review.reopen", fmt.Sprintf("review/%d", id)); err != nil {
		return Assignment{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 2000 {
		return Assignment{}, invalidField("reason", CodeReasonRequired, "reopening review %d needs a reason (at most 2000 characters)", id)
	}
	_, _, masked, err := s.reviewAccess(ctx, id)
	if err != nil {
		return Assignment{}, err
	}
	out, err := s.store.WriteReview(ctx, ReviewWrite{AssignmentID: id, Version: version, From: ReviewSubmitted, To: ReviewDraft,
		Reason: reason, At: s.now(), Action: "review.reopen"})
	return s.reviewOut(out, masked, err)
}

// OpenReviewEvidence opens one evidence file of the review's submission,
// under its masked name when the caller gets the blind view.
func (s *Service) OpenReviewEvidence(ctx context.Context, reviewID, evidenceID int64) (Evidence, io.ReadCloser, error) {
	if err := authorize(ctx, "review.evidence.read", fmt.Sprintf("review/%d", reviewID)); err != nil {
		return Evidence{}, nil, err
	}
	a, _, masked, err := s.reviewAccess(ctx, reviewID)
	if err != nil {
		return Evidence{}, nil, err
	}
	ev, err := s.store.GetEvidence(ctx, evidenceID)
	if err != nil || ev.SubmissionID != a.SubmissionID {
		return Evidence{}, nil, NotFoundf("evidence %d is not part of review %d", evidenceID, reviewID)
	}
	rc, err := s.blobs.Open(ctx, ev.SHA256)
	if err != nil {
		return Evidence{}, nil, fmt.Errorf("open evidence %d: %w", evidenceID, err)
	}
	if masked {
		ev = maskEvidence(ev)
	}
	return ev, rc, nil
}

// reviewOut masks a review returned to an expert in a blind cycle.
func (s *Service) reviewOut(a Assignment, masked bool, err error) (Assignment, error) {
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			return Assignment{}, expertError(pe, masked)
		}
		return Assignment{}, err
	}
	if masked {
		a = maskAssignment(a)
	}
	return a, nil
}

// cyclePlanByID returns the leaf plan of a cycle's framework.
func (s *Service) cyclePlanByID(ctx context.Context, cycleID int64) (*leafPlan, error) {
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	return s.plan(c.FrameworkID, c.FrameworkVersion)
}

// validateReviewScores checks an expert's form: each code a leaf, once; a
// score in [0, 100] or a level of the leaf's rubric (not both), turned into
// the rubric's score; a comment of at most maxReviewComment characters.
// The result is in code order.
func (p *leafPlan) validateReviewScores(in []ReviewScore) ([]ReviewScore, error) {
	out := make([]ReviewScore, 0, len(in))
	seen := map[string]bool{}
	for _, sc := range in {
		sc.Code, sc.Comment = strings.TrimSpace(sc.Code), strings.TrimSpace(sc.Comment)
		i, ok := p.index[sc.Code]
		if !ok {
			return nil, invalidField("scores", CodeUnknownIndicator, "score for %q: not a leaf indicator of framework %s", sc.Code, p.fw.ID)
		}
		if seen[sc.Code] {
			return nil, invalidField("scores", CodeDuplicate, "indicator %s is scored twice", sc.Code)
		}
		seen[sc.Code] = true
		if err := scoreLeaf(p.leaves[i], &sc); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(sc.Comment) > maxReviewComment {
			return nil, invalidField("scores", CodeOutOfRange, "indicator %s: comment has more than %d characters", sc.Code, maxReviewComment)
		}
		out = append(out, sc)
	}
	slices.SortFunc(out, func(a, b ReviewScore) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// scoreLeaf checks one score against its leaf and derives the score of a
// rubric level.
func scoreLeaf(leaf *framework.Indicator, sc *ReviewScore) error {
	switch {
	case sc.Score != nil && sc.Level != nil:
		return invalidField("scores", CodeBadValue, "indicator %s: give a score or a rubric level, not both", sc.Code)
	case sc.Level != nil:
		if n := len(leaf.Rubric); *sc.Level < 1 || *sc.Level > n {
			if n == 0 {
				return invalidField("scores", CodeBadValue, "indicator %s has no rubric: give a score 0–100", sc.Code)
			}
			return invalidField("scores", CodeOutOfRange, "indicator %s: rubric level %d is not between 1 and %d", sc.Code, *sc.Level, n)
		}
		v := leaf.Rubric[*sc.Level-1].Score
		sc.Score = &v
	case sc.Score != nil:
		if v := *sc.Score; math.IsNaN(v) || v < 0 || v > 100 {
			return invalidField("scores", CodeOutOfRange, "indicator %s: score %v is not between 0 and 100", sc.Code, v)
		}
	}
	return nil
}

func ellipsis(more bool) string {
	if more {
		return ", …"
	}
	return ""
}
