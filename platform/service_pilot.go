package platform

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// validatePilot checks p's fields, fills the defaults (status active) and
// derives the province code.
func validatePilot(p *Pilot) error {
	p.RegionCode = strings.TrimSpace(p.RegionCode)
	p.Name = strings.TrimSpace(p.Name)
	p.Batch = strings.TrimSpace(p.Batch)
	if !validRegionCode(p.RegionCode) {
		return invalidField("region_code", CodeBadValue,
			"region code %q is not a GB/T 2260 code of 6, 9 or 12 digits", p.RegionCode)
	}
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 200 {
		return invalidField("name", CodeRequired, "pilot name must have 1 to 200 characters")
	}
	if p.Batch == "" || utf8.RuneCountInString(p.Batch) > 50 {
		return invalidField("batch", CodeRequired, "pilot batch must have 1 to 50 characters")
	}
	if !p.Type.Valid() {
		return invalidField("type", CodeBadValue, "pilot type %q is not one of city, district, town", p.Type)
	}
	if p.Status == "" {
		p.Status = PilotActive
	}
	if !p.Status.Valid() {
		return invalidField("status", CodeBadValue,
			"pilot status %q is not one of active, completed, suspended, withdrawn", p.Status)
	}
	p.ProvinceCode = p.RegionCode[:2]
	return nil
}

// validRegionCode reports whether code is 6, 9 or 12 ASCII digits.
func validRegionCode(code string) bool {
	if len(code) != 6 && len(code) != 9 && len(code) != 12 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// checkPilot validates p (validatePilot) and, when the service has a region
// registry, that its region exists there.
func (s *Service) checkPilot(p *Pilot) error {
	if err := validatePilot(p); err != nil {
		return err
	}
	return s.checkRegion(p.RegionCode)
}

// checkRegion reports an invalid region_code when the registry is set and
// does not know code.
func (s *Service) checkRegion(code string) error {
	if s.opts.Regions == nil {
		return nil
	}
	if _, ok := s.opts.Regions.Resolve(code); !ok {
		return invalidField("region_code", CodeBadValue,
			"region code %s is not in the administrative-division registry", code)
	}
	return nil
}

// CreatePilot validates and stores a new pilot. A region appears at most
// once per batch (conflict "duplicate").
func (s *Service) CreatePilot(ctx context.Context, p Pilot) (Pilot, error) {
	if err := authorize(ctx, "pilot.create", "pilot"); err != nil {
		return Pilot{}, err
	}
	if err := s.checkPilot(&p); err != nil {
		return Pilot{}, err
	}
	now := s.now()
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = 0, 1, now, now
	out, err := s.store.CreatePilot(ctx, p)
	if err != nil {
		return Pilot{}, fmt.Errorf("create pilot %s: %w", p.RegionCode, err)
	}
	return out, nil
}

// GetPilot returns the pilot with the given ID.
func (s *Service) GetPilot(ctx context.Context, id int64) (Pilot, error) {
	if err := authorize(ctx, "pilot.read", fmt.Sprintf("pilot/%d", id)); err != nil {
		return Pilot{}, err
	}
	return s.store.GetPilot(ctx, id)
}

// UpdatePilot writes p's fields if p.Version is the current version (else
// conflict "stale_version" with the current pilot).
func (s *Service) UpdatePilot(ctx context.Context, p Pilot) (Pilot, error) {
	if err := authorize(ctx, "pilot.update", fmt.Sprintf("pilot/%d", p.ID)); err != nil {
		return Pilot{}, err
	}
	if err := s.checkPilot(&p); err != nil {
		return Pilot{}, err
	}
	p.UpdatedAt = s.now()
	out, err := s.store.UpdatePilot(ctx, p)
	if err != nil {
		return Pilot{}, fmt.Errorf("update pilot %d: %w", p.ID, err)
	}
	return out, nil
}

// ListPilots returns a page of pilots matching f and the total count.
func (s *Service) ListPilots(ctx context.Context, f PilotFilter) ([]Pilot, int, error) {
	ok, err := narrowPilots(ctx, &f)
	if err != nil || !ok {
		return []Pilot{}, 0, err
	}
	if f.Sort != "" && !slices.Contains(PilotSorts, f.Sort) {
		return nil, 0, invalidField("sort", CodeBadValue, "sort %q is not one of %s", f.Sort, strings.Join(PilotSorts, ", "))
	}
	if f.Type != "" && !PilotType(f.Type).Valid() {
		return nil, 0, invalidField("type", CodeBadValue, "pilot type %q is not one of city, district, town", f.Type)
	}
	if f.Status != "" && !PilotStatus(f.Status).Valid() {
		return nil, 0, invalidField("status", CodeBadValue, "pilot status %q is not known", f.Status)
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.ListPilots(ctx, f)
}
