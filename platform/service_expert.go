package platform

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// provinceCodePattern is a 2-digit GB/T 2260 province prefix.
var provinceCodePattern = regexp.MustCompile(`^[1-9][0-9]$`)

// CreateExpert validates and stores a new expert of the review panels.
func (s *Service) CreateExpert(ctx context.Context, e Expert) (Expert, error) {
	if err := authorize(ctx, "expert.create", "expert"); err != nil {
		return Expert{}, err
	}
	if err := validateExpert(&e); err != nil {
		return Expert{}, err
	}
	now := s.now()
	e.ID, e.Version, e.CreatedAt, e.UpdatedAt = 0, 1, now, now
	out, err := s.store.CreateExpert(ctx, e)
	if err != nil {
		return Expert{}, fmt.Errorf("create expert %q: %w", e.Name, err)
	}
	return out, nil
}

// GetExpert returns one expert.
func (s *Service) GetExpert(ctx context.Context, id int64) (Expert, error) {
	if err := authorize(ctx, "expert.read", fmt.Sprintf("expert/%d", id)); err != nil {
		return Expert{}, err
	}
	return s.store.GetExpert(ctx, id)
}

// UpdateExpert writes e's fields (conflicts, activity, link to an account)
// if e.Version is current.
func (s *Service) UpdateExpert(ctx context.Context, e Expert) (Expert, error) {
	if err := authorize(ctx, "expert.update", fmt.Sprintf("expert/%d", e.ID)); err != nil {
		return Expert{}, err
	}
	cur, err := s.store.GetExpert(ctx, e.ID)
	if err != nil {
		return Expert{}, err
	}
	if e.Version != cur.Version {
		return Expert{}, StaleVersion("expert", e.ID, e.Version, cur.Version, cur)
	}
	if err := validateExpert(&e); err != nil {
		return Expert{}, err
	}
	e.CreatedAt, e.UpdatedAt = cur.CreatedAt, s.now()
	out, err := s.store.UpdateExpert(ctx, e)
	if err != nil {
		return Expert{}, fmt.Errorf("update expert %d: %w", e.ID, err)
	}
	return out, nil
}

// ListExperts returns a page of experts and the total.
func (s *Service) ListExperts(ctx context.Context, f ExpertFilter) ([]Expert, int, error) {
	if err := authorize(ctx, "expert.list", "expert"); err != nil {
		return nil, 0, err
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.ListExperts(ctx, f)
}

// validateExpert checks and normalises an expert's fields.
func validateExpert(e *Expert) error {
	e.Name, e.Organisation, e.Username = strings.TrimSpace(e.Name), strings.TrimSpace(e.Organisation), strings.TrimSpace(e.Username)
	e.ProvinceCode = strings.TrimSpace(e.ProvinceCode)
	switch {
	case e.Name == "" || utf8.RuneCountInString(e.Name) > 100:
		return invalidField("name", CodeRequired, "expert name must have 1 to 100 characters")
	case !provinceCodePattern.MatchString(e.ProvinceCode):
		return invalidField("province_code", CodeBadValue, "expert province %q is not a 2-digit province code such as 13", e.ProvinceCode)
	case utf8.RuneCountInString(e.Organisation) > 200:
		return invalidField("organisation", CodeOutOfRange, "expert organisation has more than 200 characters")
	case utf8.RuneCountInString(e.Username) > 100:
		return invalidField("username", CodeOutOfRange, "expert username has more than 100 characters")
	case len(e.ConflictPilots) > 1000 || len(e.ConflictProvinces) > 40:
		return invalidField("conflict_pilots", CodeOutOfRange, "at most 1000 pilot and 40 province conflicts")
	}
	for _, p := range e.ConflictProvinces {
		if !provinceCodePattern.MatchString(p) {
			return invalidField("conflict_provinces", CodeBadValue, "conflict province %q is not a 2-digit province code", p)
		}
	}
	for _, id := range e.ConflictPilots {
		if id <= 0 {
			return invalidField("conflict_pilots", CodeBadValue, "conflict pilot ID %d is not positive", id)
		}
	}
	if e.ConflictPilots == nil {
		e.ConflictPilots = []int64{}
	}
	if e.ConflictProvinces == nil {
		e.ConflictProvinces = []string{}
	}
	slices.Sort(e.ConflictPilots)
	e.ConflictPilots = slices.Compact(e.ConflictPilots)
	slices.Sort(e.ConflictProvinces)
	e.ConflictProvinces = slices.Compact(e.ConflictProvinces)
	return nil
}

// GetReviewSettings returns the cycle's expert-review settings (the
// defaults until some are stored).
func (s *Service) GetReviewSettings(ctx context.Context, cycleID int64) (ReviewSettings, error) {
	if err := authorize(ctx, "review.settings.read", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return ReviewSettings{}, err
	}
	return s.reviewSettings(ctx, cycleID)
}

// reviewSettings reads the settings without authorizing (internal use).
func (s *Service) reviewSettings(ctx context.Context, cycleID int64) (ReviewSettings, error) {
	if _, err := s.store.GetCycle(ctx, cycleID); err != nil {
		return ReviewSettings{}, err
	}
	rs, err := s.store.ReviewSettings(ctx, cycleID)
	if ErrorKindOf(err) == NotFound {
		return DefaultReviewSettings(cycleID), nil
	}
	return rs, err
}

// PutReviewSettings stores the cycle's settings; rs.Version is the version
// read (0 while the cycle still has the defaults).
func (s *Service) PutReviewSettings(ctx context.Context, rs ReviewSettings) (ReviewSettings, error) {
	if err := authorize(ctx, "review.settings.update", fmt.Sprintf("cycle/%d", rs.CycleID)); err != nil {
		return ReviewSettings{}, err
	}
	c, err := s.store.GetCycle(ctx, rs.CycleID)
	if err != nil {
		return ReviewSettings{}, err
	}
	if c.State == CyclePublished {
		return ReviewSettings{}, &Error{Kind: Conflict, Code: CodeNotEditable, Current: c,
			Message: fmt.Sprintf("cycle %d is published: its review settings can no longer change", c.ID)}
	}
	if err := validateReviewSettings(rs); err != nil {
		return ReviewSettings{}, err
	}
	rs.UpdatedAt = s.now()
	out, err := s.store.PutReviewSettings(ctx, rs)
	if err != nil {
		return ReviewSettings{}, fmt.Errorf("review settings of cycle %d: %w", rs.CycleID, err)
	}
	return out, nil
}

// validateReviewSettings checks a cycle's settings.
func validateReviewSettings(rs ReviewSettings) error {
	switch {
	case rs.ExpertsPerSubmission < 1 || rs.ExpertsPerSubmission > 20:
		return invalidField("experts_per_submission", CodeOutOfRange, "experts per submission %d is not between 1 and 20", rs.ExpertsPerSubmission)
	case !rs.Combine.Valid():
		return invalidField("combine", CodeBadValue, "combination %q is not one of mean, median, trimmed_mean", rs.Combine)
	case math.IsNaN(rs.TrimShare) || rs.TrimShare < 0 || rs.TrimShare >= 0.5:
		return invalidField("trim_share", CodeOutOfRange, "trim share %v is not in [0, 0.5)", rs.TrimShare)
	case !rs.ExpertMode.Valid():
		return invalidField("expert_mode", CodeBadValue, "expert mode %q is not one of indicators, total", rs.ExpertMode)
	case math.IsNaN(rs.OutlierPoints) || rs.OutlierPoints <= 0 || rs.OutlierPoints > 100:
		return invalidField("outlier_points", CodeOutOfRange, "outlier threshold %v is not in (0, 100] points", rs.OutlierPoints)
	case rs.Version < 0:
		return invalidField("version", CodeBadValue, "version %d is negative", rs.Version)
	}
	return nil
}
