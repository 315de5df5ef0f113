package platform

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// maxReturnComment limits one per-indicator return comment, in characters.
const maxReturnComment = 2000

// TransitionRequest asks for a submission's next state.
type TransitionRequest struct {
	// Version is the submission version the caller read.
	Version int             `json:"version"`
	To      SubmissionState `json:"to"`
	// Reason is required for a return.
	Reason string `json:"reason,omitempty"`
	// Comments are a return's per-indicator comments (leaf codes).
	Comments []IndicatorComment `json:"comments,omitempty"`
}

// TransitionAction is the Authorize action of a move to state to:
// submission.submit, submission.return, submission.forward,
// submission.accept.
func TransitionAction(to SubmissionState) string {
	switch to {
	case SubmissionSubmitted:
		return "submission.submit"
	case SubmissionReturned:
		return "submission.return"
	case SubmissionForwarded:
		return "submission.forward"
	case SubmissionAccepted:
		return "submission.accept"
	}
	return "submission.transition." + string(to)
}

// returnCommentsFor validates a return's per-indicator comments: only a
// return carries them, each on a leaf of the cycle's framework, once, with
// a non-empty comment of at most maxReturnComment characters. They are
// returned trimmed and in code order.
func (s *Service) returnCommentsFor(c Cycle, to SubmissionState, in []IndicatorComment) ([]IndicatorComment, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if to != SubmissionReturned {
		return nil, invalidField("comments", CodeBadValue, "per-indicator comments go with a return, not with %s", to)
	}
	p, err := s.plan(c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		return nil, err
	}
	out := make([]IndicatorComment, 0, len(in))
	seen := map[string]bool{}
	for _, cm := range in {
		code, text := strings.TrimSpace(cm.Code), strings.TrimSpace(cm.Comment)
		if _, ok := p.index[code]; !ok {
			return nil, invalidField("comments", CodeUnknownIndicator, "comment on %q: not a leaf indicator of framework %s", code, c.FrameworkID)
		}
		if seen[code] {
			return nil, invalidField("comments", CodeDuplicate, "indicator %s has two comments", code)
		}
		seen[code] = true
		if text == "" || utf8.RuneCountInString(text) > maxReturnComment {
			return nil, invalidField("comments", CodeOutOfRange, "comment on indicator %s must have 1 to %d characters", code, maxReturnComment)
		}
		out = append(out, IndicatorComment{Code: code, Comment: text})
	}
	slices.SortFunc(out, func(a, b IndicatorComment) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}
