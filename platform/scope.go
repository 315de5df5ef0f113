package platform

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// AssignmentLookup tells whether a submission is assigned to an expert. The
// review store's experts and assignments answer it by default
// (ServiceOptions.Assignments).
type AssignmentLookup interface {
	ExpertAssigned(ctx context.Context, expert Identity, submissionID int64) (bool, error)
}

type binderKey struct{}

// Bind returns ctx carrying id and this service as the lookup of resource
// facts for Authorize's scoped grants. The API layer binds every request.
func (s *Service) Bind(ctx context.Context, id Identity) context.Context {
	return context.WithValue(WithIdentity(ctx, id), binderKey{}, s)
}

// facts is what scope rules need to know about a resource.
type facts struct {
	pilotID, cycleID, submissionID int64
	province                       string
	published                      bool
}

// facts looks up a resource named as Authorize receives it: "pilot/ID",
// "cycle/ID", "cycle/ID/pilot/ID", "submission/ID" or "evidence/ID". A
// missing object is NotFound; an unknown form is refused.
func (s *Service) facts(ctx context.Context, resource string) (facts, error) {
	var f facts
	parts := strings.Split(resource, "/")
	if len(parts)%2 != 0 {
		return f, Errorf(Forbidden, "forbidden", "resource %q has no scope rule", resource)
	}
	for i := 0; i < len(parts); i += 2 {
		id, err := strconv.ParseInt(parts[i+1], 10, 64)
		if err != nil {
			return f, Errorf(Forbidden, "forbidden", "resource %q has no scope rule", resource)
		}
		if err := s.addFacts(ctx, &f, parts[i], id); err != nil {
			return f, err
		}
	}
	return f, nil
}

// addFacts adds what one kind/id pair of a resource tells.
func (s *Service) addFacts(ctx context.Context, f *facts, kind string, id int64) error {
	switch kind {
	case "pilot":
		p, err := s.store.GetPilot(ctx, id)
		if err != nil {
			return err
		}
		f.pilotID, f.province = p.ID, p.ProvinceCode
	case "cycle":
		c, err := s.store.GetCycle(ctx, id)
		if err != nil {
			return err
		}
		f.cycleID, f.published = c.ID, c.State == CyclePublished
	case "submission":
		sub, c, err := s.store.SubmissionScope(ctx, id)
		if err != nil {
			return err
		}
		f.submissionID, f.cycleID, f.published = sub.ID, c.ID, c.State == CyclePublished
		return s.addFacts(ctx, f, "pilot", sub.PilotID)
	case "evidence":
		e, err := s.store.GetEvidence(ctx, id)
		if err != nil {
			return err
		}
		return s.addFacts(ctx, f, "submission", e.SubmissionID)
	default:
		return Errorf(Forbidden, "forbidden", "resource kind %q has no scope rule", kind)
	}
	return nil
}

// inScope decides a scoped grant on a resource's facts.
func (s *Service) inScope(ctx context.Context, id Identity, scope Scope, f facts) (bool, error) {
	switch scope {
	case ScopeAll:
		return true, nil
	case ScopeProvince:
		return id.Province != "" && f.province == id.Province, nil
	case ScopePilot:
		return id.PilotID != 0 && f.pilotID == id.PilotID, nil
	case ScopePublished:
		return f.published, nil
	case ScopeAssigned:
		if s.opts.Assignments == nil || f.submissionID == 0 {
			return false, nil
		}
		ok, err := s.opts.Assignments.ExpertAssigned(ctx, id, f.submissionID)
		if err != nil {
			return false, fmt.Errorf("expert assignment of submission %d: %w", f.submissionID, err)
		}
		return ok, nil
	}
	return false, nil
}
