package platform

import (
	"context"
	"fmt"
	"time"
)

// SubmissionLoad is one submission for LoadSubmissions: a pilot's entries
// and the state the submission should have.
type SubmissionLoad struct {
	PilotID int64
	// State is draft, submitted or accepted ("" means draft).
	State   SubmissionState
	Entries []Entry
}

// LoadSubmissions creates complete submissions of a cycle in one
// transaction, or none: the bulk path of imports, demos and benchmarks. Each
// entry is validated as by SaveEntry; the recorded history runs from draft to
// the requested state with actor "import:<user>". The cycle must be open or
// closed.
func (s *Service) LoadSubmissions(ctx context.Context, cycleID int64, subs []SubmissionLoad) (int, error) {
	if err := authorize(ctx, "submission.import", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return 0, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return 0, err
	}
	if c.State != CycleOpen && c.State != CycleClosed {
		return 0, CycleNotOpen(c)
	}
	p, err := s.cyclePlan(c)
	if err != nil {
		return 0, err
	}
	now, who := s.now(), "import:"+actor(ctx)
	out := make([]SubmissionImport, len(subs))
	for i, l := range subs {
		imp, err := p.importSubmission(c, l, now, who)
		if err != nil {
			return 0, fmt.Errorf("submission %d (pilot %d): %w", i+1, l.PilotID, err)
		}
		out[i] = imp
	}
	if err := s.store.ImportSubmissions(ctx, out); err != nil {
		return 0, fmt.Errorf("load submissions of cycle %d: %w", cycleID, err)
	}
	return len(out), nil
}

// importSubmission validates one SubmissionLoad and builds its import.
func (p *leafPlan) importSubmission(c Cycle, l SubmissionLoad, now time.Time, who string) (SubmissionImport, error) {
	cycleID := c.ID
	state := l.State
	if state == "" {
		state = SubmissionDraft
	}
	path := map[SubmissionState][]SubmissionState{
		SubmissionDraft:     nil,
		SubmissionSubmitted: {SubmissionSubmitted},
		SubmissionAccepted:  {SubmissionSubmitted, SubmissionAccepted},
	}
	steps, ok := path[state]
	if !ok {
		return SubmissionImport{}, invalidField("state", CodeBadValue, "state %q cannot be imported (draft, submitted or accepted)", state)
	}
	sub := Submission{CycleID: cycleID, PilotID: l.PilotID, State: state, Version: 1 + len(steps), CreatedAt: now, UpdatedAt: now}
	seen := make(map[string]bool, len(l.Entries))
	for _, in := range l.Entries {
		if seen[in.Code] {
			return SubmissionImport{}, invalidField("code", CodeDuplicate, "indicator %s appears twice", in.Code)
		}
		seen[in.Code] = true
		e, err := p.validateEntry(in.Code, EntryInput{Value: in.Value, Unit: in.Unit, Level: in.Level, Narrative: in.Narrative,
			NotApplicable: in.NotApplicable})
		if err != nil {
			return SubmissionImport{}, err
		}
		e.Version, e.UpdatedAt = 1, now
		sub.Entries = append(sub.Entries, e)
	}
	sub.Completeness = p.completeness(sub.Entries)
	if state != SubmissionDraft && sub.Completeness < minCompleteness(c)-1e-9 {
		return SubmissionImport{}, p.incompleteError(0, c, sub.Entries)
	}
	from := SubmissionDraft
	for _, to := range steps {
		sub.History = append(sub.History, Transition{From: from, To: to, Actor: who, At: now})
		from = to
	}
	if len(steps) > 0 {
		sub.SubmittedAt = &now
	}
	imp := SubmissionImport{Submission: sub}
	if state == SubmissionAccepted {
		imp.Inputs = p.encodeInputs(sub.Entries)
	}
	return imp, nil
}
