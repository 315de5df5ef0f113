package platform

import (
	"context"
	"fmt"

	"github.com/sceval/sceval/framework"
)

// EntrySheet is what an entries template is written from: the cycle, its
// framework's leaves and the submissions of the pilots the caller may
// fill in, with their current entries (Each).
type EntrySheet struct {
	Cycle     Cycle
	Framework *framework.Framework
	Leaves    []*framework.Indicator
	// NotApplicable lists the leaves the cycle allows to be marked not
	// applicable.
	NotApplicable []string
	// Pilots are the submissions in the template, by submission ID.
	Pilots []CycleSubmission
	store  EntryImportStore
	ctx    context.Context
}

// EntrySheet returns the template data of a cycle for one pilot (pilotID >
// 0) or for every pilot of the cycle the caller may fill in (action
// submission.template: a pilot its own, a province its pilots, the
// ministry all). A pilot without a submission in the cycle is not found.
func (s *Service) EntrySheet(ctx context.Context, cycleID, pilotID int64) (*EntrySheet, error) {
	scope, id, err := ListScope(ctx, "submission.template")
	if err != nil {
		return nil, err
	}
	st, ok := s.store.(EntryImportStore)
	if !ok {
		return nil, Errorf(Invalid, "unsupported", "this store cannot write templates")
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	p, err := s.cyclePlan(c)
	if err != nil {
		return nil, err
	}
	sh := &EntrySheet{Cycle: c, Framework: p.fw, Leaves: p.leaves, NotApplicable: p.naCodes, store: st, ctx: ctx}
	err = st.EachCycleSubmission(ctx, cycleID, func(cs CycleSubmission) error {
		in := scope == ScopeAll || (scope == ScopeProvince && id.Province != "" && cs.Province == id.Province) ||
			(scope == ScopePilot && id.PilotID != 0 && cs.PilotID == id.PilotID)
		if in && (pilotID == 0 || cs.PilotID == pilotID) {
			sh.Pilots = append(sh.Pilots, cs)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if pilotID > 0 && len(sh.Pilots) == 0 {
		return nil, NotFoundf("pilot %d has no submission in cycle %d", pilotID, cycleID)
	}
	return sh, nil
}

// Each calls fn for every pilot of the sheet, in order, with its current
// entries by code, reading the entries as a stream.
func (sh *EntrySheet) Each(fn func(CycleSubmission, map[string]Entry) error) error {
	idx := make(map[int64]int, len(sh.Pilots))
	for i, p := range sh.Pilots {
		idx[p.ID] = i
	}
	next := 0
	cur := map[string]Entry{}
	flushTo := func(end int) error {
		for ; next < end; next++ {
			if err := fn(sh.Pilots[next], cur); err != nil {
				return err
			}
			cur = map[string]Entry{}
		}
		return nil
	}
	err := sh.store.EachCycleEntry(sh.ctx, sh.Cycle.ID, func(subID int64, e Entry) error {
		i, ok := idx[subID]
		if !ok {
			return nil
		}
		if err := flushTo(i); err != nil {
			return err
		}
		cur[e.Code] = e
		return nil
	})
	if err != nil {
		return fmt.Errorf("entries of cycle %d: %w", sh.Cycle.ID, err)
	}
	return flushTo(len(sh.Pilots))
}
