package platform

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// GrantExtension gives a pilot a later due date in a cycle (action
// "cycle.extend", the ministry's): due is a date (the end of that day in
// the cycle's time zone) or a date-time, after the cycle's own due date;
// the reason is required. The grant is recorded; a later grant replaces
// the date. The cycle must not be published.
func (s *Service) GrantExtension(ctx context.Context, cycleID, pilotID int64, due, reason string) (Extension, error) {
	if err := authorize(ctx, "cycle.extend", fmt.Sprintf("cycle/%d/pilot/%d", cycleID, pilotID)); err != nil {
		return Extension{}, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return Extension{}, err
	}
	if c.State == CyclePublished {
		return Extension{}, &Error{Kind: Conflict, Code: CodeNotEditable, Current: describeCycle(c),
			Message: fmt.Sprintf("cycle %d is published: retract it before granting an extension", c.ID)}
	}
	if _, err := s.store.GetPilot(ctx, pilotID); err != nil {
		return Extension{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Extension{}, invalidField("reason", CodeReasonRequired, "an extension for pilot %d needs a reason", pilotID)
	}
	at, err := ParseCycleDate("due_at", due, c.TimeZone, true)
	if err != nil {
		return Extension{}, err
	}
	at = at.UTC().Truncate(time.Microsecond)
	if c.DueAt != nil && !at.After(*c.DueAt) {
		return Extension{}, invalidField("due_at", CodeBadValue, "an extension must end after the cycle's due date %s",
			describeCycle(c).DueAt.Format(time.RFC3339))
	}
	ext := Extension{CycleID: cycleID, PilotID: pilotID, DueAt: at, Reason: reason}
	ev := CycleEvent{CycleID: cycleID, Kind: EventExtension, PilotID: pilotID, DueAt: &at, Reason: reason, Actor: actor(ctx), At: s.now()}
	if err := s.store.GrantExtension(ctx, ext, ev); err != nil {
		return Extension{}, fmt.Errorf("grant extension to pilot %d in cycle %d: %w", pilotID, cycleID, err)
	}
	return ext, nil
}

// OverduePilots returns a page of the cycle's pilots whose submission is
// still in draft or returned after their due date (the cycle's, or their
// extension's), and the total; none while the cycle has no due date.
func (s *Service) OverduePilots(ctx context.Context, cycleID int64, limit, offset int) ([]OverduePilot, int, error) {
	if err := authorize(ctx, "cycle.overdue.read", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return nil, 0, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return nil, 0, err
	}
	if c.DueAt == nil {
		return []OverduePilot{}, 0, nil
	}
	limit, offset = page(limit, offset)
	return s.store.OverduePilots(ctx, cycleID, *c.DueAt, s.now(), limit, offset)
}

// checkDeadline refuses submitting sub in cycle c after its due date,
// unless the pilot has an extension that has not passed. A submission
// returned for corrections after it was first submitted in time may be
// submitted again: the pilot met the deadline, the review came later.
func (s *Service) checkDeadline(ctx context.Context, c Cycle, sub Submission) error {
	if c.DueAt == nil {
		return nil
	}
	now := s.now()
	if !now.After(*c.DueAt) {
		return nil
	}
	if sub.State == SubmissionReturned {
		first, err := s.firstSubmitted(ctx, sub.ID)
		if err != nil {
			return err
		}
		if first != nil && !first.After(*c.DueAt) {
			return nil
		}
	}
	ext, err := s.store.GetExtension(ctx, c.ID, sub.PilotID)
	if err != nil {
		return err
	}
	if ext == nil {
		return lateError(c, *c.DueAt, false)
	}
	if now.After(ext.DueAt) {
		return lateError(c, ext.DueAt, true)
	}
	return nil
}

// firstSubmitted returns when the submission was first submitted (from its
// history), or nil.
func (s *Service) firstSubmitted(ctx context.Context, id int64) (*time.Time, error) {
	full, err := s.store.GetSubmission(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, t := range full.History {
		if t.To == SubmissionSubmitted {
			return &t.At, nil
		}
	}
	return nil, nil
}

// SubmissionDeadline is when a submission is due: the cycle's due date, the
// pilot's extension if the ministry granted one, and whether it is overdue
// now (as OverduePilots decides).
type SubmissionDeadline struct {
	// CycleDueAt is the cycle's due date; nil when the cycle has none.
	CycleDueAt *time.Time `json:"cycle_due_at,omitempty"`
	// Extension is the pilot's extension in the cycle, or nil.
	Extension *Extension `json:"extension,omitempty"`
	// DueAt is the date that applies: the extension's, else the cycle's.
	DueAt   *time.Time `json:"due_at,omitempty"`
	Overdue bool       `json:"overdue"`
}

// GetSubmissionDeadline returns the deadline of a submission to whoever may
// read the submission (its pilot, its province, the ministry), so that the
// pilot, the reviewers and the ministry granting an extension see the same
// dates.
func (s *Service) GetSubmissionDeadline(ctx context.Context, submissionID int64) (SubmissionDeadline, error) {
	if err := authorize(ctx, "submission.read", fmt.Sprintf("submission/%d", submissionID)); err != nil {
		return SubmissionDeadline{}, err
	}
	sub, c, err := s.store.SubmissionScope(ctx, submissionID)
	if err != nil {
		return SubmissionDeadline{}, err
	}
	var d SubmissionDeadline
	if c.DueAt == nil {
		return d, nil
	}
	c = describeCycle(c) // dates in the cycle's zone
	d.CycleDueAt, d.DueAt = c.DueAt, c.DueAt
	if d.Extension, err = s.store.GetExtension(ctx, c.ID, sub.PilotID); err != nil {
		return SubmissionDeadline{}, err
	}
	if d.Extension != nil {
		at := d.Extension.DueAt.In(c.DueAt.Location())
		d.Extension.DueAt, d.DueAt = at, &at
	}
	if sub.State.Editable() && s.now().After(*d.DueAt) {
		first, err := s.firstSubmitted(ctx, sub.ID)
		if err != nil {
			return SubmissionDeadline{}, err
		}
		d.Overdue = first == nil || first.After(*c.DueAt)
	}
	return d, nil
}
