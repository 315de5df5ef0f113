package platform

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// validatePilot checks p's own fields (not its region code), fills the
// defaults (status active).
func validatePilot(p *Pilot) error {
	p.Name = strings.TrimSpace(p.Name)
	p.Batch = strings.TrimSpace(p.Batch)
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
	return nil
}

// checkPilot validates p (validatePilot), puts its region code in the
// canonical form (checking it against the registry when the service has
// one), checks that the pilot's type fits the region's level and derives
// the province code.
func (s *Service) checkPilot(p *Pilot) error {
	code, fit, err := s.canonicalRegion(p.RegionCode)
	if err != nil {
		return err
	}
	if err := validatePilot(p); err != nil {
		return err
	}
	if !fit.fitsType(p.Type) {
		return typeMismatch(code, fit, p.Type)
	}
	p.RegionCode, p.ProvinceCode = code, code[:2]
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

// UpdatePilot writes every field of p if p.Version is the current version
// (else conflict "stale_version" with the current pilot) and records each
// changed field in the pilot's history. An empty Status is refused: an
// update never resets a field it does not name (PatchPilot changes only
// the fields it names).
func (s *Service) UpdatePilot(ctx context.Context, p Pilot) (Pilot, error) {
	if err := authorize(ctx, "pilot.update", fmt.Sprintf("pilot/%d", p.ID)); err != nil {
		return Pilot{}, err
	}
	if p.Status == "" {
		return Pilot{}, invalidField("status", CodeRequired,
			"an update of pilot %d must name its status (active, completed, suspended, withdrawn); to change some fields only, use PATCH", p.ID)
	}
	if err := s.checkPilot(&p); err != nil {
		return Pilot{}, err
	}
	p.UpdatedAt = s.now()
	out, err := s.store.UpdatePilot(ctx, p, actor(ctx))
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
	province, err := s.provinceCode("province", f.Province)
	if err != nil {
		return nil, 0, err
	}
	f.Province = province
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.ListPilots(ctx, f)
}
