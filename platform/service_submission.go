package platform

import (
	"context"
	"fmt"
	"strings"
)

// CreateSubmission starts the submission of a pilot in a cycle, in state
// draft. The cycle must be open; a pilot has one submission per cycle
// (conflict "duplicate").
func (s *Service) CreateSubmission(ctx context.Context, cycleID, pilotID int64) (Submission, error) {
	if err := authorize(ctx, "submission.create", fmt.Sprintf("cycle/%d/pilot/%d", cycleID, pilotID)); err != nil {
		return Submission{}, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return Submission{}, err
	}
	if c.State != CycleOpen {
		return Submission{}, CycleNotOpen(c)
	}
	p, err := s.store.GetPilot(ctx, pilotID)
	if err != nil {
		return Submission{}, err
	}
	// A suspended or withdrawn pilot takes no part in new cycles; its
	// earlier submissions and results stay as they are.
	if p.Status == PilotSuspended || p.Status == PilotWithdrawn {
		return Submission{}, &Error{Kind: Conflict, Code: CodePilotInactive, Current: p,
			Message: fmt.Sprintf("pilot %d (%s) is %s: it cannot start a submission", p.ID, p.Name, p.Status)}
	}
	now := s.now()
	sub := Submission{CycleID: cycleID, PilotID: pilotID, State: SubmissionDraft, Version: 1, CreatedAt: now, UpdatedAt: now}
	out, err := s.store.CreateSubmission(ctx, sub)
	if err != nil {
		return Submission{}, fmt.Errorf("create submission of pilot %d in cycle %d: %w", pilotID, cycleID, err)
	}
	return out, nil
}

// CycleNotOpen returns the conflict (code "cycle_not_open") for work that
// needs cycle c open; stores return it too when they check the state inside
// a write.
func CycleNotOpen(c Cycle) *Error {
	return &Error{Kind: Conflict, Code: CodeCycleNotOpen, Current: c,
		Message: fmt.Sprintf("cycle %d is %s, not open", c.ID, c.State)}
}

// CycleNotReviewable returns the conflict (code "cycle_not_open") for a
// review (return, accept) of a submission in cycle c, which is neither open
// nor closed; stores return it when they check the state inside the write.
func CycleNotReviewable(c Cycle) *Error {
	return &Error{Kind: Conflict, Code: CodeCycleNotOpen, Current: c,
		Message: fmt.Sprintf("cycle %d is %s: submissions can be reviewed only while it is open or closed", c.ID, c.State)}
}

// GetSubmission returns a submission with its entries, evidence and history.
func (s *Service) GetSubmission(ctx context.Context, id int64) (Submission, error) {
	if err := authorize(ctx, "submission.read", fmt.Sprintf("submission/%d", id)); err != nil {
		return Submission{}, err
	}
	return s.store.GetSubmission(ctx, id)
}

// ListSubmissions returns a page of submissions (without entries) and the
// total count.
func (s *Service) ListSubmissions(ctx context.Context, f SubmissionFilter) ([]Submission, int, error) {
	ok, err := narrowSubmissions(ctx, &f)
	if err != nil || !ok {
		return []Submission{}, 0, err
	}
	if f.State != "" && !SubmissionState(f.State).Valid() {
		return nil, 0, invalidField("state", CodeBadValue, "submission state %q is not known", f.State)
	}
	if f.PilotType != "" && !PilotType(f.PilotType).Valid() {
		return nil, 0, invalidField("type", CodeBadValue, "pilot type %q is not city, district or town", f.PilotType)
	}
	f.OverdueAt = nil
	if f.Overdue {
		now := s.now()
		f.OverdueAt = &now
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.ListSubmissions(ctx, f)
}

// SaveEntry creates or updates the entry for leaf code of the cycle's
// framework. The submission must be in draft or returned and its cycle open;
// in.Version must be the version read (0 to create), else conflict
// "stale_version" with the current entry.
//
// The hot path makes one store call: the submission's leaf plan comes from
// a cache (a submission never changes cycle and an open cycle's framework is
// frozen), and the store checks the submission and cycle states inside its
// write. A refused entry re-reads the scope so that a state conflict still
// wins over a validation error, as if the state had been checked first.
func (s *Service) SaveEntry(ctx context.Context, submissionID int64, code string, in EntryInput) (Entry, error) {
	if err := authorize(ctx, "submission.entry.save", fmt.Sprintf("submission/%d", submissionID)); err != nil {
		return Entry{}, err
	}
	p, err := s.submissionPlan(ctx, submissionID)
	if err != nil {
		return Entry{}, err
	}
	e, err := p.validateEntry(code, in)
	if err == nil && in.Version < 0 {
		err = invalidField("version", CodeBadValue, "entry version %d is negative", in.Version)
	}
	if err != nil {
		if serr := s.stateRefusal(ctx, submissionID); serr != nil {
			return Entry{}, serr
		}
		return Entry{}, err
	}
	e.UpdatedAt, e.UpdatedBy = s.now(), actor(ctx)
	out, err := s.store.SaveEntry(ctx, EntryWrite{SubmissionID: submissionID, Entry: e, Version: in.Version, Leaves: len(p.leaves)})
	if err != nil {
		return Entry{}, fmt.Errorf("save entry %s of submission %d: %w", code, submissionID, err)
	}
	return out, nil
}

// submissionPlan returns the leaf plan of the submission's cycle, from the
// cache or, on a miss, by reading the submission and its cycle (refusing a
// submission that cannot be edited, as before any write).
func (s *Service) submissionPlan(ctx context.Context, submissionID int64) (*leafPlan, error) {
	if p, ok := s.subPlans.get(submissionID); ok {
		return p, nil
	}
	sub, c, err := s.store.SubmissionScope(ctx, submissionID)
	if err != nil {
		return nil, err
	}
	if err := editable(sub, c); err != nil {
		return nil, err
	}
	p, err := s.cyclePlan(c)
	if err != nil {
		return nil, err
	}
	// editable implies an open cycle, whose framework is frozen.
	s.subPlans.put(submissionID, p)
	return p, nil
}

// stateRefusal returns the error that forbids editing the submission now,
// or nil (also nil when the scope cannot be read: the caller's own error is
// then the better answer).
func (s *Service) stateRefusal(ctx context.Context, submissionID int64) error {
	sub, c, err := s.store.SubmissionScope(ctx, submissionID)
	if err != nil {
		if ErrorKindOf(err) == NotFound {
			return err
		}
		return nil
	}
	return editable(sub, c)
}

// NotEditable returns the conflict (code "not_editable") for a change to the
// entries or evidence of sub, which is neither draft nor returned.
func NotEditable(sub Submission) *Error {
	return &Error{Kind: Conflict, Code: CodeNotEditable, Current: sub,
		Message: fmt.Sprintf("submission %d is %s: entries can change only in draft or returned", sub.ID, sub.State)}
}

// EntriesEditable returns the conflict that forbids changing the entries
// and evidence of sub in cycle c (not_editable, cycle_not_open), or nil:
// what a form asks before it offers inputs. SaveEntry decides again.
func EntriesEditable(sub Submission, c Cycle) error { return editable(sub, c) }

// editable returns the conflict that forbids changing sub's entries, if any.
func editable(sub Submission, c Cycle) error {
	if !sub.State.Editable() {
		return NotEditable(sub)
	}
	if c.State != CycleOpen {
		return CycleNotOpen(c)
	}
	return nil
}

// TransitionSubmission moves a submission to state to if version is current
// and the move is allowed (see ReviewSubmission, which it calls without
// per-indicator comments).
func (s *Service) TransitionSubmission(ctx context.Context, id int64, version int, to SubmissionState, reason string) (Submission, error) {
	return s.ReviewSubmission(ctx, id, TransitionRequest{Version: version, To: to, Reason: reason})
}

// ReviewSubmission moves a submission along the workflow if req.Version is
// current and the move is allowed: draft → submitted (the pilot),
// submitted → returned | forwarded (the province), forwarded → returned |
// accepted (the ministry), returned → submitted. A return needs a reason
// and may carry per-indicator comments on the framework's leaves.
// Submitting needs an open cycle; the reviews need an open or closed one,
// which the store checks in the same statement as the version. Accepting
// records the engine inputs that ComputeResults scores.
func (s *Service) ReviewSubmission(ctx context.Context, id int64, req TransitionRequest) (Submission, error) {
	t, c, err := s.prepareReview(ctx, id, req)
	if err != nil {
		return Submission{}, err
	}
	if req.To == SubmissionAccepted {
		full, err := s.store.GetSubmission(ctx, id)
		if err != nil {
			return Submission{}, err
		}
		p, err := s.cyclePlan(c)
		if err != nil {
			return Submission{}, err
		}
		t.Inputs = p.encodeInputs(full.Entries)
	}
	out, err := s.store.TransitionSubmission(ctx, t)
	if err != nil {
		return Submission{}, fmt.Errorf("move submission %d to %s: %w", id, req.To, err)
	}
	return out, nil
}

// CheckReview answers whether ReviewSubmission would accept req now, with
// the same errors, without changing anything: what a page asks before it
// shows "return this submission?" for confirmation. It returns the
// submission as read. The decision itself may still fail (someone else
// decided in between: stale_version).
func (s *Service) CheckReview(ctx context.Context, id int64, req TransitionRequest) (Submission, error) {
	t, c, err := s.prepareReview(ctx, id, req)
	if err != nil {
		return Submission{}, err
	}
	// The store checks the cycle's state in the write; a check says it now.
	switch {
	case req.To == SubmissionSubmitted && c.State != CycleOpen:
		return Submission{}, CycleNotOpen(c)
	case req.To != SubmissionSubmitted && c.State != CycleOpen && c.State != CycleClosed:
		return Submission{}, CycleNotReviewable(c)
	}
	sub, _, err := s.store.SubmissionScope(ctx, t.ID)
	return sub, err
}

// prepareReview applies ReviewSubmission's rules to req and returns the
// transition to write (without the engine inputs of an acceptance) and the
// submission's cycle.
func (s *Service) prepareReview(ctx context.Context, id int64, req TransitionRequest) (SubmissionTransition, Cycle, error) {
	to := req.To
	if err := authorize(ctx, TransitionAction(to), fmt.Sprintf("submission/%d", id)); err != nil {
		return SubmissionTransition{}, Cycle{}, err
	}
	sub, c, err := s.store.SubmissionScope(ctx, id)
	if err != nil {
		return SubmissionTransition{}, Cycle{}, err
	}
	if req.Version != sub.Version {
		return SubmissionTransition{}, Cycle{}, StaleVersion("submission", id, req.Version, sub.Version, sub)
	}
	if !sub.State.CanTransition(to) {
		return SubmissionTransition{}, Cycle{}, badTransition("submission", id, string(sub.State), string(to), sub)
	}
	reason := strings.TrimSpace(req.Reason)
	if to == SubmissionReturned && reason == "" {
		return SubmissionTransition{}, Cycle{}, invalidField("reason", CodeReasonRequired, "returning submission %d needs a reason", id)
	}
	var minComplete float64
	if to == SubmissionSubmitted {
		if minComplete, err = s.checkSubmittable(ctx, sub, c); err != nil {
			return SubmissionTransition{}, Cycle{}, err
		}
	}
	comments, err := s.returnCommentsFor(c, to, req.Comments)
	if err != nil {
		return SubmissionTransition{}, Cycle{}, err
	}
	// The cycle's state is checked by the store inside the write (a cycle
	// closed between this read and the write refuses a submit), with the
	// errors of CycleNotOpen and CycleNotReviewable.
	t := SubmissionTransition{ID: id, Version: req.Version,
		Transition:      Transition{From: sub.State, To: to, Reason: reason, Actor: actor(ctx), At: s.now(), Comments: comments},
		MinCompleteness: minComplete}
	return t, c, nil
}

// checkSubmittable applies the cycle's rules to a submit: the due date
// (or the pilot's extension) and the minimum completeness, which it
// returns for the store to check again inside the write.
func (s *Service) checkSubmittable(ctx context.Context, sub Submission, c Cycle) (float64, error) {
	if c.State == CycleOpen {
		if err := s.checkDeadline(ctx, c, sub); err != nil {
			return 0, err
		}
	}
	need := minCompleteness(c)
	if sub.Completeness >= need-1e-9 {
		return need, nil
	}
	full, err := s.store.GetSubmission(ctx, sub.ID)
	if err != nil {
		return 0, err
	}
	p, err := s.cyclePlan(c)
	if err != nil {
		return 0, err
	}
	return 0, p.incompleteError(sub.ID, c, full.Entries)
}
