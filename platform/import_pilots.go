package platform

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// pilotColumns are the columns of a pilot CSV file, in order; status is
// optional.
var pilotColumns = []string{"region_code", "name", "batch", "type", "status"}

// ImportPilots reads pilots from a CSV file (header
// "region_code,name,batch,type[,status]", UTF-8, an optional BOM) and stores
// them all in one transaction, or none: any error names the file and line.
// It returns the number of pilots created.
func (s *Service) ImportPilots(ctx context.Context, name string, r io.Reader) (int, error) {
	if err := authorize(ctx, "pilot.import", "pilot"); err != nil {
		return 0, err
	}
	pilots, err := parsePilotCSV(name, r, s.checkRegion)
	if err != nil {
		return 0, err
	}
	now := s.now()
	for i := range pilots {
		pilots[i].Version, pilots[i].CreatedAt, pilots[i].UpdatedAt = 1, now, now
	}
	if err := s.store.CreatePilots(ctx, pilots); err != nil {
		return 0, fmt.Errorf("import pilots from %s: %w", name, err)
	}
	return len(pilots), nil
}

// parsePilotCSV parses and validates a pilot CSV file; checkRegion vets
// each row's region code.
func parsePilotCSV(name string, r io.Reader, checkRegion func(string) error) ([]Pilot, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, invalidField("file", CodeRequired, "%s: empty file: expected the header %s", name, strings.Join(pilotColumns[:4], ","))
	}
	if err != nil {
		return nil, invalidField("file", CodeBadValue, "%s: %v", name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	if len(header) < 4 || len(header) > 5 || !headerMatches(header) {
		return nil, invalidField("file", CodeBadValue, "%s:1: header %q must be %s[,status]",
			name, strings.Join(header, ","), strings.Join(pilotColumns[:4], ","))
	}
	var out []Pilot
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, invalidField("file", CodeBadValue, "%s: %v", name, err)
		}
		if len(rec) != len(header) {
			return nil, invalidField("file", CodeBadValue, "%s:%d: %d fields, want %d", name, line, len(rec), len(header))
		}
		p := Pilot{RegionCode: rec[0], Name: rec[1], Batch: rec[2], Type: PilotType(strings.TrimSpace(rec[3]))}
		if len(rec) == 5 {
			p.Status = PilotStatus(strings.TrimSpace(rec[4]))
		}
		err = validatePilot(&p)
		if err == nil {
			err = checkRegion(p.RegionCode)
		}
		if err != nil {
			var e *Error
			errors.As(err, &e)
			e.Message = fmt.Sprintf("%s:%d: %s", name, line, e.Message)
			return nil, e
		}
		key := p.RegionCode + "\x00" + p.Batch
		if first, dup := seen[key]; dup {
			return nil, Errorf(Invalid, CodeDuplicate, "%s:%d: region %s in batch %s already on line %d", name, line, p.RegionCode, p.Batch, first)
		}
		seen[key] = line
		out = append(out, p)
	}
	return out, nil
}

// headerMatches reports whether header names the pilot columns in order.
func headerMatches(header []string) bool {
	for i, h := range header {
		if strings.ToLower(strings.TrimSpace(h)) != pilotColumns[i] {
			return false
		}
	}
	return true
}
