package platform

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// minCompleteness is the completeness cycle c requires to submit (0 when
// unset: cycles created before the rule existed).
func minCompleteness(c Cycle) float64 {
	if c.MinCompleteness == nil {
		return 0
	}
	return *c.MinCompleteness
}

// coverageThreshold is the coverage cycle c requires to rank a pilot.
func coverageThreshold(c Cycle) float64 {
	if c.CoverageThreshold == nil {
		return 0
	}
	return *c.CoverageThreshold
}

// validateCycleRules checks and defaults the rule fields of c: time zone,
// minimum completeness and coverage threshold (default 1: every leaf), and
// the leaves that may be marked not applicable (leaves of the framework,
// frozen once the cycle has left draft). On update (cur not nil) an
// omitted field keeps its current value; the demo flag is set only at
// creation.
func (s *Service) validateCycleRules(c *Cycle, cur *Cycle) error {
	if cur != nil {
		c.Demo = cur.Demo
		if c.TimeZone == "" {
			c.TimeZone = cur.TimeZone
		}
		if c.MinCompleteness == nil {
			c.MinCompleteness = cur.MinCompleteness
		}
		if c.CoverageThreshold == nil {
			c.CoverageThreshold = cur.CoverageThreshold
		}
		if c.NotApplicable == nil {
			c.NotApplicable = cur.NotApplicable
		}
	}
	if c.TimeZone == "" {
		c.TimeZone = DefaultTimeZone
	}
	if _, err := loadZone(c.TimeZone); err != nil {
		return err
	}
	one := 1.0
	for _, f := range []struct {
		name string
		v    **float64
	}{{"min_completeness", &c.MinCompleteness}, {"coverage_threshold", &c.CoverageThreshold}} {
		if *f.v == nil {
			x := one
			*f.v = &x
		}
		if x := **f.v; math.IsNaN(x) || x < 0 || x > 1 {
			return invalidField(f.name, CodeOutOfRange, "%s %v is not a share between 0 and 1", f.name, x)
		}
	}
	p, err := s.plan(c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		return err
	}
	na := slices.Clone(c.NotApplicable)
	slices.Sort(na)
	na = slices.Compact(na)
	for _, code := range na {
		if _, ok := p.index[code]; !ok {
			return invalidField("not_applicable_allowed", CodeUnknownIndicator,
				"indicator %q is not a leaf of framework %s@%s", code, c.FrameworkID, c.FrameworkVersion)
		}
	}
	c.NotApplicable = na
	if cur != nil && cur.State != CycleDraft && !slices.Equal(na, cur.NotApplicable) {
		return &Error{Kind: Conflict, Code: CodeFrameworkFrozen, Field: "not_applicable_allowed", Current: *cur,
			Message: fmt.Sprintf("cycle %d is %s: the leaves that may be not applicable are frozen once it opens", cur.ID, cur.State)}
	}
	return nil
}

// describeCycle fills the derived fields of a stored cycle: how its scheme
// scores, and its dates in its own time zone.
func describeCycle(c Cycle) Cycle {
	if c.ID == 0 {
		return c
	}
	c.Scoring = scoringOfStored(c.Scheme)
	if loc, err := loadZone(c.TimeZone); err == nil {
		for _, t := range []**time.Time{&c.OpensAt, &c.DueAt} {
			if *t != nil {
				v := (*t).In(loc)
				*t = &v
			}
		}
	}
	return c
}

// missingLeaves lists the plan's leaves without a complete entry.
func (p *leafPlan) missingLeaves(entries []Entry) []string {
	done := make(map[string]bool, len(entries))
	for _, e := range entries {
		if e.Complete {
			done[e.Code] = true
		}
	}
	var out []string
	for _, l := range p.leaves {
		if !done[l.Code] {
			out = append(out, l.Code)
		}
	}
	return out
}

// incompleteError refuses submitting a submission below the cycle's minimum
// completeness, naming what is missing.
func (p *leafPlan) incompleteError(id int64, c Cycle, entries []Entry) *Error {
	missing := p.missingLeaves(entries)
	done := len(p.leaves) - len(missing)
	what := "the submission"
	if id != 0 {
		what = fmt.Sprintf("submission %d", id)
	}
	hint := ""
	if len(p.naCodes) > 0 {
		hint = fmt.Sprintf("; leaves the pilot does not have may be marked not applicable with a reason (this cycle allows %s)",
			strings.Join(p.naCodes, ", "))
	}
	return &Error{Kind: Conflict, Code: CodeIncomplete, Field: "entries",
		Message: fmt.Sprintf("%s answers %d of %d leaves (%.1f %%); cycle %d requires %.1f %%: missing %s%s",
			what, done, len(p.leaves), 100*float64(done)/float64(max(len(p.leaves), 1)), c.ID,
			100*minCompleteness(c), joinCodes(missing, 10), hint)}
}
