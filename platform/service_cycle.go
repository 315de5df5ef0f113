package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/sceval/sceval/engine"
)

// CreateCycle validates and stores a new cycle in state draft. An empty
// FrameworkVersion means the framework's current version; an empty Scheme
// means engine.DefaultScheme(); empty StarThresholds mean the scheme's.
func (s *Service) CreateCycle(ctx context.Context, c Cycle) (Cycle, error) {
	if err := authorize(ctx, "cycle.create", "cycle"); err != nil {
		return Cycle{}, err
	}
	if err := s.validateCycle(&c); err != nil {
		return Cycle{}, err
	}
	if err := s.validateCycleRules(&c, nil); err != nil {
		return Cycle{}, err
	}
	now := s.now()
	c.ID, c.State, c.Version, c.CreatedAt, c.UpdatedAt = 0, CycleDraft, 1, now, now
	out, err := s.store.CreateCycle(ctx, c)
	if err != nil {
		return Cycle{}, fmt.Errorf("create cycle %q: %w", c.Name, err)
	}
	return describeCycle(out), nil
}

// GetCycle returns the cycle with the given ID.
func (s *Service) GetCycle(ctx context.Context, id int64) (Cycle, error) {
	if err := authorize(ctx, "cycle.read", fmt.Sprintf("cycle/%d", id)); err != nil {
		return Cycle{}, err
	}
	c, err := s.store.GetCycle(ctx, id)
	return describeCycle(c), err
}

// UpdateCycle writes c's fields if c.Version is current. The framework is
// frozen once the cycle has left draft (conflict "framework_frozen"); a
// published cycle cannot change (conflict "not_editable"). The state changes
// only through TransitionCycle.
func (s *Service) UpdateCycle(ctx context.Context, c Cycle) (Cycle, error) {
	if err := authorize(ctx, "cycle.update", fmt.Sprintf("cycle/%d", c.ID)); err != nil {
		return Cycle{}, err
	}
	cur, err := s.store.GetCycle(ctx, c.ID)
	if err != nil {
		return Cycle{}, err
	}
	if c.Version != cur.Version {
		return Cycle{}, StaleVersion("cycle", c.ID, c.Version, cur.Version, cur)
	}
	if cur.State == CyclePublished {
		return Cycle{}, &Error{Kind: Conflict, Code: CodeNotEditable, Current: cur,
			Message: fmt.Sprintf("cycle %d is published and can no longer change", c.ID)}
	}
	if c.FrameworkVersion == "" && c.FrameworkID == cur.FrameworkID {
		c.FrameworkVersion = cur.FrameworkVersion
	}
	if cur.State != CycleDraft && (c.FrameworkID != cur.FrameworkID || c.FrameworkVersion != cur.FrameworkVersion) {
		return Cycle{}, &Error{Kind: Conflict, Code: CodeFrameworkFrozen, Field: "framework_id", Current: cur,
			Message: fmt.Sprintf("cycle %d is %s: its framework %s@%s is frozen", c.ID, cur.State, cur.FrameworkID, cur.FrameworkVersion)}
	}
	if err := s.validateCycle(&c); err != nil {
		return Cycle{}, err
	}
	if err := s.validateCycleRules(&c, &cur); err != nil {
		return Cycle{}, err
	}
	c.State, c.CreatedAt, c.UpdatedAt = cur.State, cur.CreatedAt, s.now()
	out, err := s.store.UpdateCycle(ctx, c)
	if err != nil {
		return Cycle{}, fmt.Errorf("update cycle %d: %w", c.ID, err)
	}
	return describeCycle(out), nil
}

// ListCycles returns a page of cycles matching f and the total count.
func (s *Service) ListCycles(ctx context.Context, f CycleFilter) ([]Cycle, int, error) {
	ok, err := narrowCycles(ctx, &f)
	if err != nil || !ok {
		return []Cycle{}, 0, err
	}
	if f.Kind != "" && !CycleKind(f.Kind).Valid() {
		return nil, 0, invalidField("kind", CodeBadValue, "cycle kind %q is not known", f.Kind)
	}
	if f.State != "" && !CycleState(f.State).Valid() {
		return nil, 0, invalidField("state", CodeBadValue, "cycle state %q is not known", f.State)
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	cs, total, err := s.store.ListCycles(ctx, f)
	for i := range cs {
		cs[i] = describeCycle(cs[i])
	}
	return cs, total, err
}

// TransitionCycle moves the cycle to state to if version is current and the
// transition is allowed; see TransitionCycleWith for the rules of publishing
// and retracting, which need a reason or an override.
func (s *Service) TransitionCycle(ctx context.Context, id int64, version int, to CycleState) (Cycle, error) {
	return s.TransitionCycleWith(ctx, id, version, to, CycleTransitionOptions{})
}

// badTransition returns the conflict for a state change the machine forbids.
func badTransition(what string, id int64, from, to string, cur any) *Error {
	var next []string
	switch what {
	case "cycle":
		for _, n := range CycleState(from).Next() {
			next = append(next, string(n))
		}
	case "submission":
		for _, n := range submissionTransitions[SubmissionState(from)] {
			next = append(next, string(n))
		}
	}
	allowed := "none: it is final"
	if len(next) > 0 {
		allowed = strings.Join(next, ", ")
	}
	return &Error{Kind: Conflict, Code: CodeBadStateTransition, Field: "state", Current: cur,
		Message: fmt.Sprintf("%s %d cannot move from %s to %s; from %s it can move to: %s", what, id, from, to, from, allowed)}
}

// validateCycle checks c's fields and fills the defaults: framework version,
// canonical scheme, star thresholds.
func (s *Service) validateCycle(c *Cycle) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 200 {
		return invalidField("name", CodeRequired, "cycle name must have 1 to 200 characters")
	}
	if !c.Kind.Valid() {
		return invalidField("kind", CodeBadValue,
			"cycle kind %q is not one of application_review, annual_monitoring, final_acceptance", c.Kind)
	}
	if c.Year < 2000 || c.Year > 2100 {
		return invalidField("year", CodeOutOfRange, "cycle year %d is not between 2000 and 2100", c.Year)
	}
	// Any built-in or published framework version (lookupFramework).
	fw, err := s.lookupFramework(context.Background(), c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		if ErrorKindOf(err) == NotFound {
			field := "framework_id"
			if c.FrameworkVersion != "" {
				field = "framework_version"
			}
			return invalidField(field, CodeBadValue, "%v", err)
		}
		return fmt.Errorf("load framework %s: %w", c.FrameworkID, err)
	}
	c.FrameworkVersion = fw.Version
	scheme := AbsoluteScheme()
	if len(c.Scheme) > 0 && string(c.Scheme) != "null" {
		if scheme, err = engine.ParseScheme("scheme", c.Scheme); err != nil {
			return invalidField("scheme", CodeBadValue, "%v", err)
		}
	}
	if codes := leavesWithoutGoalposts(fw, scheme); len(codes) > 0 {
		return invalidField("scheme", CodeBadValue,
			"framework %s: quantitative leaves %s have no goalposts, which absolute scoring needs: add goalposts to the framework, "+
				"or give the cycle a scheme that normalises them otherwise (a cohort-relative method such as minmax makes scores depend on the other pilots)",
			fw.ID, joinCodes(codes, 8))
	}
	c.Scheme = json.RawMessage(scheme.Canonical())
	if len(c.StarThresholds) == 0 {
		c.StarThresholds = append([]engine.StarThreshold(nil), scheme.Rating.Thresholds...)
	}
	if c.OpensAt != nil && c.DueAt != nil && c.DueAt.Before(*c.OpensAt) {
		return invalidField("due_at", CodeBadValue, "cycle due date %s is before its opening %s",
			c.DueAt.Format("2006-01-02"), c.OpensAt.Format("2006-01-02"))
	}
	return validateThresholds(c.StarThresholds)
}

// validateThresholds checks that stars and minimum scores both strictly
// increase and that every minimum lies in [0, 100].
func validateThresholds(ts []engine.StarThreshold) error {
	for i, t := range ts {
		if t.Stars < 1 || t.Stars > 5 {
			return invalidField("star_thresholds", CodeOutOfRange, "star threshold %d: stars %d is not between 1 and 5", i+1, t.Stars)
		}
		if math.IsNaN(t.Min) || t.Min < 0 || t.Min > 100 {
			return invalidField("star_thresholds", CodeOutOfRange, "star threshold %d: minimum %v is not between 0 and 100", i+1, t.Min)
		}
		if i > 0 && (t.Stars <= ts[i-1].Stars || t.Min <= ts[i-1].Min) {
			return invalidField("star_thresholds", CodeBadValue,
				"star thresholds must increase: %d stars at %v follows %d stars at %v", t.Stars, t.Min, ts[i-1].Stars, ts[i-1].Min)
		}
	}
	return nil
}
