package platform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// CycleTransitionOptions carry what some cycle transitions need: the
// reason of a retraction (published → closed) or of a publication override,
// and Override to publish although submissions still await a decision.
type CycleTransitionOptions struct {
	Reason   string `json:"reason,omitempty"`
	Override bool   `json:"override,omitempty"`
}

// TransitionCycleWith moves the cycle to state to if version is current and
// the machine allows it (draft → open → closed → published; closed → open;
// published → closed). Publishing needs results computed from the current
// accepted submissions and rules (else conflict "results_stale") and no
// submission awaiting a decision (else conflict "pending_decisions"), unless
// opts.Override with a reason, which is recorded. Retracting a publication
// (published → closed, action "cycle.retract") needs a reason, recorded; the
// cycle can then be corrected, recomputed and published again.
func (s *Service) TransitionCycleWith(ctx context.Context, id int64, version int, to CycleState, opts CycleTransitionOptions) (Cycle, error) {
	if err := authorize(ctx, "cycle.transition."+string(to), fmt.Sprintf("cycle/%d", id)); err != nil {
		return Cycle{}, err
	}
	cur, err := s.store.GetCycle(ctx, id)
	if err != nil {
		return Cycle{}, err
	}
	if version != cur.Version {
		return Cycle{}, StaleVersion("cycle", id, version, cur.Version, cur)
	}
	if !cur.State.CanTransition(to) {
		return Cycle{}, badTransition("cycle", id, string(cur.State), string(to), describeCycle(cur))
	}
	opts.Reason = strings.TrimSpace(opts.Reason)
	var ev *CycleEvent
	var stamp acceptedStamp
	switch {
	case to == CyclePublished:
		if ev, stamp, err = s.checkPublishable(ctx, cur, opts); err != nil {
			return Cycle{}, err
		}
	case cur.State == CyclePublished:
		if err := authorize(ctx, "cycle.retract", fmt.Sprintf("cycle/%d", id)); err != nil {
			return Cycle{}, err
		}
		if opts.Reason == "" {
			return Cycle{}, invalidField("reason", CodeReasonRequired, "retracting the publication of cycle %d needs a reason", id)
		}
		ev = &CycleEvent{Kind: EventRetract}
	}
	cur.State, cur.UpdatedAt = to, s.now()
	var out Cycle
	if ev != nil {
		ev.CycleID, ev.Actor, ev.At = id, actor(ctx), cur.UpdatedAt
		if ev.Reason == "" {
			ev.Reason = opts.Reason
		}
	}
	switch {
	case to == CyclePublished:
		// The store checks again, under the cycle's lock, that no
		// submission was accepted since the check above.
		out, err = s.store.PublishCycle(ctx, cur, ev, stamp.count, stamp.last)
	case ev != nil:
		out, err = s.store.UpdateCycleWithEvent(ctx, cur, *ev)
	default:
		out, err = s.store.UpdateCycle(ctx, cur)
	}
	if err != nil {
		return Cycle{}, fmt.Errorf("move cycle %d to %s: %w", id, to, err)
	}
	return describeCycle(out), nil
}

// checkPublishable refuses publishing cycle c unless its stored results are
// current and no submission awaits a decision; with an override (which
// needs a reason) pending submissions are allowed and the returned event
// records it.
func (s *Service) checkPublishable(ctx context.Context, c Cycle, opts CycleTransitionOptions) (*CycleEvent, acceptedStamp, error) {
	st, err := s.acceptedStampOf(ctx, c.ID)
	if err != nil {
		return nil, st, err
	}
	ev, err := s.publishCheck(ctx, c, st, opts)
	return ev, st, err
}

// publishCheck is checkPublishable given the accepted submissions' stamp.
func (s *Service) publishCheck(ctx context.Context, c Cycle, st acceptedStamp, opts CycleTransitionOptions) (*CycleEvent, error) {
	run, err := s.store.LatestRun(ctx, c.ID)
	if ErrorKindOf(err) == NotFound {
		return nil, &Error{Kind: Conflict, Code: CodeResultsStale, Current: describeCycle(c),
			Message: fmt.Sprintf("cycle %d has no computed results: compute them (POST /api/v1/cycles/%d/results) before publishing", c.ID, c.ID)}
	}
	if err != nil {
		return nil, err
	}
	basis, err := resultBasisFrom(c, st)
	if err != nil {
		return nil, err
	}
	if basis != run.Basis {
		return nil, &Error{Kind: Conflict, Code: CodeResultsStale, Current: run,
			Message: fmt.Sprintf("the results of cycle %d were computed at %s, before a submission was accepted or the cycle's "+
				"scheme, thresholds or rules changed: compute them again before publishing", c.ID, run.ComputedAt.Format("2006-01-02 15:04:05 MST"))}
	}
	// Awaiting a decision: submitted (the province's) or forwarded (the
	// ministry's).
	var pending []Submission
	n := 0
	for _, st := range []SubmissionState{SubmissionSubmitted, SubmissionForwarded} {
		page, k, err := s.store.ListSubmissions(ctx, SubmissionFilter{CycleID: c.ID, State: string(st), Limit: 10})
		if err != nil {
			return nil, fmt.Errorf("submissions awaiting a decision in cycle %d: %w", c.ID, err)
		}
		pending, n = append(pending, page...), n+k
	}
	if n == 0 {
		return nil, nil
	}
	if !opts.Override {
		ids := make([]string, len(pending))
		for i, p := range pending {
			ids[i] = fmt.Sprint(p.ID)
		}
		return nil, &Error{Kind: Conflict, Code: CodePendingDecisions, Current: describeCycle(c),
			Message: fmt.Sprintf("%d submissions of cycle %d await a decision (%s): accept or return them, "+
				"or publish with override and a reason", n, c.ID, joinCodes(ids, 10))}
	}
	if opts.Reason == "" {
		return nil, invalidField("reason", CodeReasonRequired, "publishing cycle %d over %d pending submissions needs a reason", c.ID, n)
	}
	return &CycleEvent{Kind: EventPublishOverride, Reason: fmt.Sprintf("%s (%d submissions awaiting a decision)", opts.Reason, n)}, nil
}

// resultBasis digests what a result run of cycle c depends on: the
// framework, the canonical scheme, the star thresholds, the coverage
// threshold and the leaves allowed to be not applicable, plus the number
// of accepted submissions and the last time one changed. Accepted is a
// final state, so the set of accepted submissions changes only by growing,
// which the count and time capture; a stored run with another basis is
// stale.
func (s *Service) resultBasis(ctx context.Context, c Cycle) (string, error) {
	st, err := s.acceptedStampOf(ctx, c.ID)
	if err != nil {
		return "", err
	}
	return resultBasisFrom(c, st)
}

// resultBasisFrom is resultBasis for a given acceptedStamp.
func resultBasisFrom(c Cycle, st acceptedStamp) (string, error) {
	n, last := st.count, st.last
	rules, err := json.Marshal(struct {
		Framework string
		Scheme    json.RawMessage
		Stars     any
		Coverage  float64
		NA        []string
	}{c.FrameworkID + "@" + c.FrameworkVersion, c.Scheme, c.StarThresholds, coverageThreshold(c), c.NotApplicable})
	if err != nil {
		return "", fmt.Errorf("cycle %d: encode rules: %w", c.ID, err)
	}
	sum := sha256.Sum256(rules)
	return fmt.Sprintf("%s/%d/%d", hex.EncodeToString(sum[:12]), n, last), nil
}

// CycleEvents returns the recorded decisions on a cycle (publication
// overrides, retractions, extensions), oldest first.
func (s *Service) CycleEvents(ctx context.Context, cycleID int64) ([]CycleEvent, error) {
	if err := authorize(ctx, "cycle.events.read", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return nil, err
	}
	if _, err := s.store.GetCycle(ctx, cycleID); err != nil {
		return nil, err
	}
	return s.store.CycleEvents(ctx, cycleID)
}

// acceptedStamp is the number of a cycle's accepted submissions and the
// last time one changed (microseconds).
type acceptedStamp struct {
	count int
	last  int64
}

// acceptedStampOf reads the cycle's acceptedStamp.
func (s *Service) acceptedStampOf(ctx context.Context, cycleID int64) (acceptedStamp, error) {
	n, last, err := s.store.AcceptedStamp(ctx, cycleID)
	return acceptedStamp{n, last}, err
}

// StaleResults returns the conflict (code "results_stale") for publishing
// cycle c whose accepted submissions changed after its results were
// computed; stores return it when they check inside the write.
func StaleResults(c Cycle) *Error {
	return &Error{Kind: Conflict, Code: CodeResultsStale, Current: c,
		Message: fmt.Sprintf("a submission of cycle %d was accepted after its results were computed: compute them again before publishing", c.ID)}
}
